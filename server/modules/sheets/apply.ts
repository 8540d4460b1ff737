import { setImmediate as nextTurn } from 'node:timers/promises';
import type { EntityManager } from '@mikro-orm/core';
import { sqlRows, valuesList } from '../../db/sql';
import type { Context } from '../../context';
import { AppError, ErrorCode } from '../../errors';
import { t } from '../../i18n';
import { appendEvents } from '../../events/outbox';
import { ActionPlan, type ActionPlanStatus, type BudgetSource } from '../action-plans/action-plan.entity';
import { Indicator, Milestone, type IndicatorDirection, type IndicatorFrequency } from '../action-plans/indicator.entity';
import { recordAudit } from '../audit/audit.subscriber';
import { City } from '../cities/city.entity';
import { InsertBatch } from '../../events/rows';
import { inTransactionWithEvents, type Versioned } from '../../events/writes';
import type { Dimension } from '../masterplan/dimension';
import { Masterplan, Program } from '../masterplan/masterplan.entity';
import { Opd } from '../opds/opd.entity';
import type { CityRows, StoredRow } from './city-rows';
import type { ImportPlan, Operation } from './check';
import { SHEETS, type SheetName } from './columns';
import type { Value } from './values';

/*
 * Applies a checked import in ONE transaction (`inTransactionWithEvents`): every row or none. Rows
 * are written in batches — new rows inserted in SQL, changed ones flushed through the entities,
 * their audit rows written (one per created or changed record, marked with the request id
 * `import:<id>`), the unit of work cleared, then a turn of the event loop for everyone else — so
 * memory holds a batch, not the file (and a written operation's values are let go: the plan is
 * spent once applied). Open screens hear ONE city event, MASTERPLAN_IMPORTED, once
 * it has committed: not one per row.
 */

/** The values of an operation once written. */
const SPENT: Value[] = [];

/** Rows per flush. */
const BATCH = 200;

/** The event kind of an applied import. */
export const IMPORTED_EVENT = 'MASTERPLAN_IMPORTED';

/** What the writers need across sheets: the ids of codes (those created here included), program dimensions. */
interface WriteState {
  em: EntityManager;
  cityId: string;
  masterplanId: string | null;
  opd: Map<string, string>;
  program: Map<string, string>;
  plan: Map<string, string>;
  dimension: Map<string, Dimension>;
  /** Programs whose dimension changed: their plans follow. */
  moved: string[];
  /** Rows new in this batch: inserted in SQL, not through the unit of work (see `InsertBatch`). */
  inserts: InsertBatch;
  /** The supporting OPDs of the plans new in this batch: plan id, OPD id, plan id, OPD id… */
  pivots: string[];
}

const str = (v: Value | undefined): string => String(v ?? '');
const optStr = (v: Value | undefined): string | null => (v === null || v === undefined ? null : String(v));

function conflict(): AppError {
  return new AppError(ErrorCode.CONFLICT, t('importConflict'), { entity: 'Import' });
}

function checkVersion(row: Versioned, stored: StoredRow | null): void {
  if (stored && row.version !== stored.version) throw conflict();
  row.archivedAt = null;
}

function writeOpd(s: WriteState, op: Operation, row: Opd | null): void {
  const [code, name, abbreviation, head, leading] = op.values;
  const o = row ?? new Opd(s.em.getReference(City, s.cityId), str(name), str(abbreviation));
  checkVersion(o, op.stored);
  Object.assign(o, {
    code: str(code),
    name: str(name),
    abbreviation: str(abbreviation),
    head: optStr(head),
    leadingSector: leading === true,
  });
  if (!row) s.inserts.add(o);
  s.opd.set(o.code, o.id);
}

function writeProgram(s: WriteState, op: Operation, row: Program | null): void {
  const [code, name, dimension, description, quickWin, year] = op.values;
  const p = row ?? new Program(s.em.getReference(Masterplan, s.masterplanId!), str(name), dimension as Dimension);
  checkVersion(p, op.stored);
  if (!row) p.city = s.em.getReference(City, s.cityId);
  else if (p.dimension !== dimension) s.moved.push(p.id);
  Object.assign(p, {
    code: str(code),
    name: str(name),
    dimension: dimension as Dimension,
    description: optStr(description),
    quickWin: quickWin === true,
    quickWinYear: quickWin === true && year !== null ? Number(year) : null,
  });
  if (!row) s.inserts.add(p);
  s.program.set(p.code, p.id);
}

function writePlan(s: WriteState, op: Operation, row: ActionPlan | null): void {
  const [code, program, title, description, owner, supporting, start, due, weight, budget, source, status] = op.values;
  const programRef = s.em.getReference(Program, s.program.get(str(program))!);
  const ownerRef = s.em.getReference(Opd, s.opd.get(str(owner))!);
  const p = row ?? new ActionPlan(programRef, ownerRef, str(title), str(start), str(due));
  checkVersion(p, op.stored);
  if (!row) p.city = s.em.getReference(City, s.cityId);
  Object.assign(p, {
    code: str(code),
    program: programRef,
    dimension: s.dimension.get(str(program))!,
    title: str(title),
    description: optStr(description),
    ownerOpd: ownerRef,
    startDate: str(start),
    dueDate: str(due),
    weight: weight === null ? 1 : Number(weight),
    budgetAmount: budget === null ? null : Number(budget),
    budgetSource: optStr(source) as BudgetSource | null,
    status: (optStr(status) ?? 'ACTIVE') as ActionPlanStatus,
  });
  const codes = supporting === null ? [] : str(supporting).split('; ');
  const wanted = codes.map((c) => s.opd.get(c)!);
  if (!row) {
    // What the flush's audit recorded for a new plan's collection.
    s.inserts.add(p, wanted.length ? { supportingOpds: { before: [], after: wanted } } : undefined);
    for (const opd of wanted) s.pivots.push(p.id, opd);
  } else {
    const now = p.supportingOpds.isInitialized() ? p.supportingOpds.getItems().map((o) => o.id) : [];
    if (now.slice().sort().join() !== wanted.slice().sort().join()) p.supportingOpds.set(wanted.map((id) => s.em.getReference(Opd, id)));
  }
  s.plan.set(p.code ?? '', p.id);
}

function writeIndicator(s: WriteState, op: Operation, row: Indicator | null): void {
  const [plan, code, name, unit, baseline, target, direction, frequency] = op.values;
  const planRef = s.em.getReference(ActionPlan, s.plan.get(str(plan))!);
  const i = row ?? new Indicator(planRef, str(name), str(unit), Number(baseline), Number(target));
  checkVersion(i, op.stored);
  if (!row) i.city = s.em.getReference(City, s.cityId);
  Object.assign(i, {
    code: str(code),
    name: str(name),
    unit: str(unit),
    baseline: Number(baseline),
    target: Number(target),
    direction: (optStr(direction) ?? 'INCREASE') as IndicatorDirection,
    frequency: optStr(frequency) as IndicatorFrequency | null,
  });
  if (!row) s.inserts.add(i);
}

function writeMilestone(s: WriteState, op: Operation, row: Milestone | null): void {
  const [plan, code, title, due, done] = op.values;
  const m = row ?? new Milestone(s.em.getReference(ActionPlan, s.plan.get(str(plan))!), str(title), str(due));
  checkVersion(m, op.stored);
  if (!row) m.city = s.em.getReference(City, s.cityId);
  Object.assign(m, { code: str(code), title: str(title), dueDate: str(due), doneDate: optStr(done) });
  if (!row) s.inserts.add(m);
}

type Writer = {
  entity: new (...args: never[]) => Versioned;
  write: (s: WriteState, op: Operation, row: never) => void;
  populate?: string[];
};
const WRITERS: Record<SheetName, Writer> = {
  OPD: { entity: Opd, write: writeOpd },
  Program: { entity: Program, write: writeProgram },
  'Rencana Aksi': { entity: ActionPlan, write: writePlan, populate: ['supportingOpds'] },
  Indikator: { entity: Indicator, write: writeIndicator },
  Tonggak: { entity: Milestone, write: writeMilestone },
};

/** Rows an import changes (created, updated, archived). */
export function changeCount(plan: ImportPlan): number {
  let n = 0;
  for (const ops of plan.operations.values()) n += ops.length;
  for (const rows of plan.archive.values()) n += rows.length;
  return n;
}

/** A new city's first masterplan, for the programs an import brings: its years span the plans'. */
function firstMasterplan(s: WriteState, city: City, plan: ImportPlan, now: Date): Masterplan {
  // A loop, not Math.min(...years): a spread of 100 000 arguments overflows the stack.
  let start = Infinity;
  let end = -Infinity;
  for (const o of plan.operations.get('Rencana Aksi') ?? []) {
    start = Math.min(start, Number(str(o.values[6]).slice(0, 4)));
    end = Math.max(end, Number(str(o.values[7]).slice(0, 4)));
  }
  if (!Number.isFinite(start)) start = now.getUTCFullYear();
  if (!Number.isFinite(end)) end = start + 4;
  const m = new Masterplan(s.em.getReference(City, city.id), `Masterplan Smart City ${city.name}`, start, Math.max(end, start));
  s.em.persist(m);
  return m;
}

/** Applies the plan; `onProgress` hears the rows written so far. Throws CONFLICT (nothing written) when the city changed meanwhile. */
export async function applyImport(
  ctx: Context,
  city: City,
  stored: CityRows,
  plan: ImportPlan,
  onProgress: (done: number, total: number) => void,
): Promise<void> {
  const total = changeCount(plan);
  await inTransactionWithEvents(ctx, 'Import', `import:${ctx.requestId}`, async (em, scope) => {
    const s: WriteState = {
      em,
      cityId: city.id,
      masterplanId: stored.masterplanId,
      opd: new Map(stored.opdIdByCode),
      program: new Map(stored.programIdByCode),
      plan: new Map(stored.planIdByCode),
      dimension: new Map([...stored.bySheet.get('Program')!].map(([code, r]) => [code, r.values[2] as Dimension])),
      moved: [],
      inserts: new InsertBatch(em, scope),
      pivots: [],
    };
    for (const op of plan.operations.get('Program') ?? []) s.dimension.set(str(op.values[0]), op.values[2] as Dimension);
    if (!s.masterplanId && (plan.operations.get('Program') ?? []).some((o) => o.kind === 'create'))
      s.masterplanId = firstMasterplan(s, city, plan, ctx.services.clock()).id;
    let done = 0;
    const flush = async () => {
      await insertCreated(s);
      await em.flush();
      // The changed rows' audit entries (the subscriber's), written now: no city event per row.
      await recordAudit(
        em,
        scope.written.map((w) => w.entry),
      );
      scope.written.length = 0;
      em.clear();
      onProgress(done, total);
      await nextTurn();
    };
    await flush();
    for (const sheet of SHEETS) {
      done = await writeSheet(s, ctx, plan, sheet.name, done, flush);
      if (sheet.name === 'Program' && s.moved.length) await followPrograms(s, flush);
    }
    return appendEvents(
      em,
      city.id,
      [{ kind: IMPORTED_EVENT, entity: 'City', entityId: city.id, actionPlanId: null }],
      ctx.services.clock(),
    );
  });
}

/** Writes one sheet's operations, then its archived rows, a batch at a time; `done` counted on. */
async function writeSheet(
  s: WriteState,
  ctx: Context,
  plan: ImportPlan,
  sheet: SheetName,
  done: number,
  flush: () => Promise<void>,
): Promise<number> {
  const writer = WRITERS[sheet];
  const ops = plan.operations.get(sheet) ?? [];
  for (let i = 0; i < ops.length; i += BATCH) {
    const batch = ops.slice(i, i + BATCH);
    const rows = await loaded(
      s.em,
      writer,
      batch.flatMap((o) => (o.stored ? [o.stored.id] : [])),
    );
    for (const op of batch) writer.write(s, op, (op.stored ? (rows.get(op.stored.id) ?? null) : null) as never);
    done += batch.length;
    await flush();
    // Written: its values can go (the answer counts operations by kind only), so that what the
    // import keeps shrinks as it writes.
    for (const op of batch) op.values = SPENT;
  }
  const gone = plan.archive.get(sheet) ?? [];
  for (let i = 0; i < gone.length; i += BATCH) {
    const batch = gone.slice(i, i + BATCH);
    const rows = await loaded(
      s.em,
      writer,
      batch.map((r) => r.id),
    );
    for (const r of batch) {
      const row = rows.get(r.id);
      if (!row || row.version !== r.version) throw conflict();
      row.archivedAt = ctx.services.clock();
    }
    done += batch.length;
    await flush();
  }
  return done;
}

/** Most values bound in one insert statement (PostgreSQL takes 65,535, SQLite 32,766). */
const MAX_BOUND = 30_000;

/**
 * Writes the batch's new rows in SQL (a multi-row statement per entity, their prepared values as a
 * flush would write them, and one CREATE audit row each: see `InsertBatch`), then the new plans'
 * supporting OPDs. Creating 100,000 plans through the unit of work made the garbage of change sets
 * and query builders that let the heap grow to several times its live size.
 */
async function insertCreated(s: WriteState): Promise<void> {
  const pivots = s.pivots;
  s.pivots = [];
  await s.inserts.run();
  for (let i = 0; i < pivots.length; i += MAX_BOUND) {
    const part = pivots.length <= MAX_BOUND ? pivots : pivots.slice(i, i + MAX_BOUND);
    await sqlRows(s.em, `insert into action_plan_supporting_opds (action_plan_id, opd_id) values ${valuesList(part.length / 2, 2)}`, part);
  }
}

/** The rows of `ids`, by id (a row someone deleted meanwhile is missing: CONFLICT). */
async function loaded(em: EntityManager, writer: Writer, ids: string[]): Promise<Map<string, Versioned>> {
  if (ids.length === 0) return new Map();
  const rows = (await em.find(
    writer.entity,
    { id: { $in: ids } },
    writer.populate ? ({ populate: writer.populate } as never) : {},
  )) as Versioned[];
  if (rows.length !== ids.length) throw conflict();
  return new Map(rows.map((r) => [r.id, r]));
}

/** The plans of programs whose dimension changed take the new one (as `updateProgram` does). */
async function followPrograms(s: WriteState, flush: () => Promise<void>): Promise<void> {
  for (let i = 0; i < s.moved.length; i += BATCH) {
    const programs = await s.em.find(Program, { id: { $in: s.moved.slice(i, i + BATCH) } });
    const dimension = new Map(programs.map((p) => [p.id, p.dimension]));
    for (const plan of await s.em.find(ActionPlan, { program: { $in: [...dimension.keys()] } }))
      plan.dimension = dimension.get(plan.program.id)!;
    await flush();
  }
}
