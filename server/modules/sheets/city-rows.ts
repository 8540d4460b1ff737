import type { EntityManager } from '@mikro-orm/core';
import { sqlRows } from '../../db/sql';
import { SHEETS, type SheetDef, type SheetName } from './columns';
import type { Value } from './values';

/*
 * A city's masterplan as spreadsheet rows: every OPD, program, action plan, indicator and milestone
 * (archived ones too, marked) with its values in its sheet's column order, references written as
 * the referenced row's code. Read with plain SQL (no entities), the same on both databases; the
 * export writes the live rows, the import compares a file with all of them.
 */

/** One stored row. */
export interface StoredRow {
  id: string;
  version: number;
  archived: boolean;
  /** In the sheet's column order. */
  values: Value[];
}

/** The key of a row: its code, or for an indicator or milestone its plan's code and its own. */
export function rowKey(sheet: SheetDef, values: readonly Value[]): string {
  const code = String(values[sheet.columns.findIndex((c) => c.key === 'code')] ?? '');
  if (sheet.entity !== 'Indicator' && sheet.entity !== 'Milestone') return code;
  return `${String(values[sheet.columns.findIndex((c) => c.key === 'plan')] ?? '')}\u0000${code}`;
}

/** The stored rows of a city by sheet and key, with what the import needs to resolve references. */
export interface CityRows {
  bySheet: Map<SheetName, Map<string, StoredRow>>;
  /** Plan codes two live plans of the city share: such a row cannot be matched. */
  ambiguousPlans: Set<string>;
  opdIdByCode: Map<string, string>;
  programIdByCode: Map<string, string>;
  planIdByCode: Map<string, string>;
  /** The masterplan new programs join (the latest live one), or null when the city has none. */
  masterplanId: string | null;
}

const bool = (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 't' || v === 'true';
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : `${v as string | number}`);
const orNull = (v: unknown): Value => (v === null || v === undefined || v === '' ? null : (v as Value));

type Row = Record<string, unknown>;

/** Reads the city's rows (six statements). */
export async function loadCityRows(em: EntityManager, cityId: string): Promise<CityRows> {
  const q = (sql: string) => sqlRows<Row>(em, sql, [cityId]);
  const [opds, programs, plans, supporting, indicators, milestones, masterplans] = [
    await q('select id, version, archived_at, code, name, abbreviation, head, leading_sector from opds where city_id = ?'),
    await q(
      'select id, version, archived_at, code, name, dimension, description, quick_win, quick_win_year from programs where city_id = ?',
    ),
    await q(
      'select id, version, archived_at, code, program_id, title, description, owner_opd_id, start_date, due_date, weight, budget_amount, budget_source, status from action_plans where city_id = ?',
    ),
    await q(
      'select s.action_plan_id, s.opd_id from action_plan_supporting_opds s join action_plans p on p.id = s.action_plan_id where p.city_id = ?',
    ),
    await q(
      'select id, version, archived_at, action_plan_id, code, name, unit, baseline, target, direction, frequency from indicators where city_id = ?',
    ),
    await q('select id, version, archived_at, action_plan_id, code, title, due_date, done_date from milestones where city_id = ?'),
    await q('select id, start_year from masterplans where city_id = ? and archived_at is null order by start_year desc, id desc'),
  ];
  const sheet = (name: SheetName) => SHEETS.find((s) => s.name === name)!;
  const bySheet = new Map<SheetName, Map<string, StoredRow>>(SHEETS.map((s) => [s.name, new Map()]));
  const put = (name: SheetName, r: Row, values: Value[]) => {
    const row: StoredRow = { id: String(r.id), version: Number(r.version), archived: r.archived_at !== null, values };
    const key = rowKey(sheet(name), values);
    const seen = bySheet.get(name)!.get(key);
    // Two rows with one key (only plans can: their code is not unique): the live one wins.
    if (!seen || (seen.archived && !row.archived)) bySheet.get(name)!.set(key, row);
  };

  const opdCode = new Map(opds.map((r) => [String(r.id), String(r.code)]));
  const programCode = new Map(programs.map((r) => [String(r.id), String(r.code)]));
  const planCode = new Map(plans.map((r) => [String(r.id), str(r.code) ?? '']));
  for (const r of opds) put('OPD', r, [str(r.code), str(r.name), str(r.abbreviation), orNull(r.head), bool(r.leading_sector)]);
  for (const r of programs)
    put('Program', r, [str(r.code), str(r.name), str(r.dimension), orNull(r.description), bool(r.quick_win), num(r.quick_win_year)]);

  const supporters = new Map<string, string[]>();
  for (const s of supporting) {
    const list = supporters.get(String(s.action_plan_id)) ?? [];
    list.push(opdCode.get(String(s.opd_id)) ?? '');
    supporters.set(String(s.action_plan_id), list);
  }
  const livePlanCodes = new Map<string, number>();
  for (const r of plans) {
    const support = (supporters.get(String(r.id)) ?? []).sort();
    if (r.archived_at === null) livePlanCodes.set(str(r.code) ?? '', (livePlanCodes.get(str(r.code) ?? '') ?? 0) + 1);
    put('Rencana Aksi', r, [
      str(r.code),
      programCode.get(String(r.program_id)) ?? null,
      str(r.title),
      orNull(r.description),
      opdCode.get(String(r.owner_opd_id)) ?? null,
      support.length ? support.join('; ') : null,
      str(r.start_date)?.slice(0, 10) ?? null,
      str(r.due_date)?.slice(0, 10) ?? null,
      num(r.weight),
      num(r.budget_amount),
      orNull(r.budget_source),
      str(r.status),
    ]);
  }
  for (const r of indicators)
    put('Indikator', r, [
      planCode.get(String(r.action_plan_id)) ?? null,
      str(r.code),
      str(r.name),
      str(r.unit),
      num(r.baseline),
      num(r.target),
      str(r.direction),
      orNull(r.frequency),
    ]);
  for (const r of milestones)
    put('Tonggak', r, [
      planCode.get(String(r.action_plan_id)) ?? null,
      str(r.code),
      str(r.title),
      str(r.due_date)?.slice(0, 10) ?? null,
      str(r.done_date)?.slice(0, 10) ?? null,
    ]);

  const idByCode = (name: SheetName) => new Map([...bySheet.get(name)!].map(([k, r]) => [k, r.id]));
  return {
    bySheet,
    ambiguousPlans: new Set([...livePlanCodes].filter(([, n]) => n > 1).map(([c]) => c)),
    opdIdByCode: idByCode('OPD'),
    programIdByCode: idByCode('Program'),
    planIdByCode: idByCode('Rencana Aksi'),
    masterplanId: masterplans[0] ? String(masterplans[0].id) : null,
  };
}

/** The live rows of a sheet in the order the export writes them: by key (code; plan code, then code). */
export function liveRows(rows: CityRows, sheet: SheetName, parentsLive: (planCode: string) => boolean = () => true): StoredRow[] {
  const def = SHEETS.find((s) => s.name === sheet)!;
  const planAt = def.columns.findIndex((c) => c.key === 'plan');
  return [...rows.bySheet.get(sheet)!.entries()]
    .filter(([, r]) => !r.archived && (planAt < 0 || parentsLive(String(r.values[planAt]))))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, r]) => r);
}
