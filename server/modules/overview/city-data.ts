import type { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { epochMs, sqlRows } from '../../db/sql';
import { readCitySeq } from '../../events/sequence';
import { memoize, type Context } from '../../context';
import { addDays, startOfDayIn, todayIn } from '../../util/dates';
import { ActionPlan, type ActionPlanStatus } from '../action-plans/action-plan.entity';
import { PLAN_COLUMNS, toPlanRecord, type PlanRecord } from '../action-plans/plan-record';
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

/**
 * Every action plan of a city, archived ones too, earliest due date first, as plain records: one
 * SQL statement, and no entity hydration (see `PlanRecord`). Lists and the overview page and
 * filter these in memory.
 */
export function cityPlans(ctx: Context, cityId: string): Promise<PlanRecord[]> {
  return memoize(ctx, `plans:${cityId}`, () => loadPlanRecords(ctx.em, cityId));
}

/** Reads a city's plan records (see `cityPlans`): one SQL statement. */
export async function loadPlanRecords(em: EntityManager, cityId: string): Promise<PlanRecord[]> {
  const rows = await sqlRows(em, `select ${PLAN_COLUMNS} from action_plans where city_id = ? order by due_date asc, id asc`, [cityId]);
  return rows.map(toPlanRecord);
}

/** The city's plans with these ids, in the same order, from `cityPlans` (no statement of their own). */
export async function plansByIds(ctx: Context, cityId: string, ids: readonly string[]): Promise<PlanRecord[]> {
  if (ids.length === 0) return [];
  const byId = new Map((await cityPlans(ctx, cityId)).map((p) => [p.id, p]));
  return ids.map((id) => byId.get(id)).filter((p): p is PlanRecord => p !== undefined);
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

/**
 * The years of the masterplan period `year` falls in (of masterplans not archived): the one covering
 * it, else the latest that started before it, else none: one SQL statement.
 */
export async function masterplanPeriod(
  em: EntityManager,
  cityId: string,
  year: number,
): Promise<{ startYear: number; endYear: number } | null> {
  const started = await em.find(
    Masterplan,
    { city: cityId, archivedAt: null, startYear: { $lte: year } },
    { orderBy: { startYear: 'desc', endYear: 'desc' }, fields: ['startYear', 'endYear'], limit: 1 },
  );
  const period = started[0];
  return period ? { startYear: period.startYear, endYear: period.endYear } : null;
}

/** What a plan's past progress needs (times in epoch milliseconds). */
export interface PlanHistoryRow {
  id: string;
  dimension: Dimension;
  status: ActionPlanStatus;
  weight: number;
  /** YYYY-MM-DD. */
  dueDate: string;
  createdAt: number;
  archivedAt: number | null;
}

/** Every action plan of a city, archived ones too, with what its history needs: one SQL statement. */
export async function loadPlanHistoryRows(em: EntityManager, cityId: string): Promise<PlanHistoryRow[]> {
  const rows: Record<string, unknown>[] = await (em as SqlEntityManager)
    .createQueryBuilder(ActionPlan, 'p')
    .select(['id', 'dimension', 'status', 'weight', 'dueDate', 'createdAt', 'archivedAt'])
    .where({ city: cityId })
    .orderBy({ id: 'asc' })
    .execute('all', false);
  return rows.map((r) => ({
    id: String(r.id),
    dimension: r.dimension as Dimension,
    status: r.status as ActionPlanStatus,
    weight: Number(r.weight),
    dueDate: String(r.due_date).slice(0, 10),
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

/** A progress report as the forecast reads it: its percent and the day it was made in the city's time zone. */
export interface DatedPercent {
  day: string;
  percent: number;
}

/**
 * The reports of a city's plans made since `since` (an instant), oldest first (by report time,
 * then id), by plan: every report but RETURNED ones, or with `verifiedOnly` VERIFIED ones only;
 * each dated in the city's time zone. One SQL statement, once per request, city and basis.
 */
export function cityRecentReports(ctx: Context, city: City, since: Date, verifiedOnly: boolean): Promise<Map<string, DatedPercent[]>> {
  return memoize(ctx, `recentReports:${city.id}:${since.getTime()}:${verifiedOnly}`, async () => {
    const rows: Record<string, unknown>[] = await (ctx.em as SqlEntityManager)
      .createQueryBuilder(ProgressReport, 'r')
      .select(['actionPlan', 'percent', 'reportedAt'])
      .where({
        city: city.id,
        reportedAt: { $gte: since },
        status: verifiedOnly ? ReportStatus.VERIFIED : { $ne: ReportStatus.RETURNED },
      })
      .orderBy({ reportedAt: 'asc', id: 'asc' })
      .execute('all', false);
    const byPlan = new Map<string, DatedPercent[]>();
    // Oldest first: each row's day is found once per day, not once per row (Intl costs microseconds a call).
    let day = '';
    let dayEnds = Number.NEGATIVE_INFINITY;
    for (const r of rows) {
      const at = epochMs(r.reported_at);
      if (at >= dayEnds) {
        day = todayIn(city.timeZone, new Date(at));
        dayEnds = startOfDayIn(city.timeZone, addDays(day, 1)).getTime();
      }
      const planId = String(r.action_plan_id);
      const report = { day, percent: Number(r.percent) };
      const list = byPlan.get(planId);
      if (list) list.push(report);
      else byPlan.set(planId, [report]);
    }
    return byPlan;
  });
}
