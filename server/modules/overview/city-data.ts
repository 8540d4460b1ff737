import type { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { readCitySeq } from '../../realtime/bus';
import { memoize, type Context } from '../../context';
import { todayIn } from '../../util/dates';
import { ActionPlan, type ActionPlanStatus } from '../action-plans/action-plan.entity';
import type { City } from '../cities/city.entity';
import { EvaluationVisit } from '../evaluation/evaluation.entity';
import type { Dimension } from '../masterplan/dimension';
import { Masterplan, Program } from '../masterplan/masterplan.entity';
import { Opd } from '../opds/opd.entity';
import { ProgressReport, ReportStatus } from '../progress/progress-report.entity';

/**
 * What the overview reads of a city. Its plans, programs and OPDs are each loaded at most once per
 * request (one SQL statement each) and shared by the overview, the plan lists and every plan's
 * `ownerOpd`/`program`, so a dashboard costs the same few statements whatever the size of the city.
 * Other modules read these too (they are the city's shared data), but only the overview service
 * computes roll-ups from them.
 */

/** The columns of a plan that lists and roll-ups need, read without building ORM entities. */
export interface PlanRow {
  id: string;
  programId: string;
  ownerOpdId: string;
  dimension: Dimension;
  status: ActionPlanStatus;
  weight: number;
  progress: number;
  startDate: string;
  dueDate: string;
  archivedAt: unknown;
  title: string;
  code: string | null;
}

/**
 * Every action plan of a city, archived ones too, earliest due date first, as plain rows: one SQL
 * statement, and no entity hydration (which costs ~50× more than reading the row).
 */
export function cityPlans(ctx: Context, cityId: string): Promise<PlanRow[]> {
  return memoize(ctx, `plans:${cityId}`, () => loadPlanRows(ctx.em, cityId));
}

/** The columns `toPlanRow` reads. */
export const PLAN_COLUMNS =
  'id, city_id, program_id, owner_opd_id, dimension, status, weight, progress, start_date, due_date, archived_at, title, code';

/** Reads a city's plan rows (see `cityPlans`): one SQL statement. */
export async function loadPlanRows(em: EntityManager, cityId: string): Promise<PlanRow[]> {
  const rows = (await em
    .getConnection()
    .execute(`select ${PLAN_COLUMNS} from action_plans where city_id = ? order by due_date asc, id asc`, [cityId])) as Record<
    string,
    unknown
  >[];
  return rows.map(toPlanRow);
}

/** A plan row as the database returns it (snake_case columns) as a `PlanRow`. */
export function toPlanRow(r: Record<string, unknown>): PlanRow {
  return {
    id: String(r.id),
    programId: String(r.program_id),
    ownerOpdId: String(r.owner_opd_id),
    dimension: r.dimension as Dimension,
    status: r.status as ActionPlanStatus,
    weight: Number(r.weight),
    progress: Number(r.progress),
    startDate: String(r.start_date),
    dueDate: String(r.due_date),
    archivedAt: r.archived_at ?? null,
    title: String(r.title),
    code: typeof r.code === 'string' ? r.code : null,
  };
}

/** The plan entities with these ids, in the same order: one SQL statement (none for no ids). */
export async function plansByIds(ctx: Context, ids: readonly string[]): Promise<ActionPlan[]> {
  if (ids.length === 0) return [];
  const rows = await ctx.em.find(ActionPlan, { id: { $in: [...ids] } });
  ctx.loaders.prime(ActionPlan, rows);
  const byId = new Map(rows.map((p) => [p.id, p]));
  return ids.map((id) => byId.get(id)).filter((p): p is ActionPlan => p !== undefined);
}

/** Every program of a city, archived ones too, by id. */
export function cityPrograms(ctx: Context, cityId: string): Promise<Map<string, Program>> {
  return memoize(ctx, `programs:${cityId}`, async () => {
    const programs = await ctx.em.find(Program, { city: cityId }, { orderBy: { id: 'asc' } });
    ctx.loaders.prime(Program, programs);
    return new Map(programs.map((p) => [p.id, p]));
  });
}

/** Every OPD of a city, archived ones too, by name. */
export function cityOpds(ctx: Context, cityId: string): Promise<Opd[]> {
  return memoize(ctx, `opds:${cityId}`, async () => {
    const opds = await ctx.em.find(Opd, { city: cityId }, { orderBy: { name: 'asc', id: 'asc' } });
    ctx.loaders.prime(Opd, opds);
    return opds;
  });
}

/** The city's OPDs by id. */
export function cityOpdsById(ctx: Context, cityId: string): Promise<Map<string, Opd>> {
  return memoize(ctx, `opdsById:${cityId}`, async () => new Map((await cityOpds(ctx, cityId)).map((o) => [o.id, o])));
}

/**
 * The percent of each plan's latest VERIFIED report, for a city: one SQL statement. Plans without
 * a verified report are absent (their verified progress is 0).
 */
export function cityVerifiedProgress(ctx: Context, cityId: string): Promise<Map<string, number>> {
  return memoize(ctx, `verified:${cityId}`, async () => {
    const rows = (await ctx.em
      .getConnection()
      .execute(
        "select action_plan_id, percent, reported_at, id from progress_reports where city_id = ? and status = 'VERIFIED' order by action_plan_id, reported_at, id",
        [cityId],
      )) as Record<string, unknown>[];
    const latest = new Map<string, number>();
    // Rows come oldest first per plan, so the last one written wins.
    for (const r of rows) latest.set(String(r.action_plan_id), Number(r.percent));
    return latest;
  });
}

/** The newest event sequence number of a city (0 before any change), read once per request: one SQL statement. */
export function citySeq(ctx: Context, cityId: string): Promise<number> {
  return memoize(ctx, `seq:${cityId}`, () => readCitySeq(ctx.em, cityId));
}

/** The next (or current) evaluation visit of a city as of its today, read once per request. */
export function cityNextVisit(ctx: Context, city: City): Promise<EvaluationVisit | null> {
  return memoize(ctx, `visit:${city.id}:${todayIn(city.timeZone, ctx.now)}`, () => nextEvaluationVisit(ctx.em, city, ctx.now));
}

/** The next (or current) evaluation visit of a city: one SQL statement. */
export async function nextEvaluationVisit(em: EntityManager, city: City, now: Date): Promise<EvaluationVisit | null> {
  const today = todayIn(city.timeZone, now);
  return em.findOne(
    EvaluationVisit,
    { city: city.id, archivedAt: null, endDate: { $gte: today } },
    { orderBy: { startDate: 'asc', id: 'asc' } },
  );
}

/** The first year of the city's earliest masterplan that is not archived, or null: one SQL statement. */
export async function firstMasterplanYear(em: EntityManager, cityId: string): Promise<number | null> {
  const first = await em.findOne(Masterplan, { city: cityId, archivedAt: null }, { orderBy: { startYear: 'asc' }, fields: ['startYear'] });
  return first ? first.startYear : null;
}

/** What a plan's past progress needs (times in epoch milliseconds). */
export interface PlanHistoryRow {
  id: string;
  dimension: Dimension;
  status: ActionPlanStatus;
  weight: number;
  createdAt: number;
  archivedAt: number | null;
}

/** Every action plan of a city, archived ones too, with what its history needs: one SQL statement. */
export async function loadPlanHistoryRows(em: EntityManager, cityId: string): Promise<PlanHistoryRow[]> {
  const rows: Record<string, unknown>[] = await (em as SqlEntityManager)
    .createQueryBuilder(ActionPlan, 'p')
    .select(['id', 'dimension', 'status', 'weight', 'createdAt', 'archivedAt'])
    .where({ city: cityId })
    .orderBy({ id: 'asc' })
    .execute('all', false);
  return rows.map((r) => ({
    id: String(r.id),
    dimension: r.dimension as Dimension,
    status: r.status as ActionPlanStatus,
    weight: Number(r.weight),
    createdAt: epochMs(r.created_at),
    archivedAt: r.archived_at === null || r.archived_at === undefined ? null : epochMs(r.archived_at),
  }));
}

/** One progress report as the history reads it (times in epoch milliseconds). */
export interface ReportHistoryRow {
  planId: string;
  percent: number;
  reportedAt: number;
  /** When it was verified (VERIFIED reports only). */
  reviewedAt: number | null;
}

/**
 * A city's progress reports made before `before`, oldest first (by report time, then id); with
 * `verifiedOnly`, only VERIFIED reports that were verified before `before` too. One SQL statement.
 */
export async function loadReportsBefore(
  em: EntityManager,
  cityId: string,
  before: Date,
  verifiedOnly: boolean,
): Promise<ReportHistoryRow[]> {
  const where = verifiedOnly
    ? { city: cityId, reportedAt: { $lt: before }, status: ReportStatus.VERIFIED, reviewedAt: { $lt: before } }
    : { city: cityId, reportedAt: { $lt: before } };
  const rows: Record<string, unknown>[] = await (em as SqlEntityManager)
    .createQueryBuilder(ProgressReport, 'r')
    .select(['actionPlan', 'percent', 'reportedAt', 'reviewedAt'])
    .where(where)
    .orderBy({ reportedAt: 'asc', id: 'asc' })
    .execute('all', false);
  return rows.map((r) => ({
    planId: String(r.action_plan_id),
    percent: Number(r.percent),
    reportedAt: epochMs(r.reported_at),
    reviewedAt: r.reviewed_at === null || r.reviewed_at === undefined ? null : epochMs(r.reviewed_at),
  }));
}

/** A timestamp column as the drivers return it (a Date on PostgreSQL, a number or text on SQLite) in epoch ms. */
function epochMs(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number' || typeof value === 'bigint') return Number(value);
  const text = String(value);
  return /^\d+$/.test(text) ? Number(text) : Date.parse(text);
}
