import type { Context } from '../../context';
import { todayIn } from '../../util/dates';
import { readCitySeqs } from '../../events/sequence';
import { EvaluationVisit } from '../evaluation/evaluation.entity';
import { Program } from '../masterplan/masterplan.entity';
import { Opd } from '../opds/opd.entity';
import type { City } from '../cities/city.entity';
import { PLAN_COLUMNS, toPlanRecord, type PlanRecord } from '../action-plans/plan-record';
import { computeOverview, ProgressBasis, type CityOverview } from './overview';

/**
 * The overviews of many cities at once (the national view): the same computation as
 * `cityOverview`, from data read for all the cities together — a fixed number of SQL statements
 * (sequences, plans, programs, OPDs, visits, verified reports, unverified counts) whatever the
 * number of cities. Each city's result is also memoized under `cityOverview`'s key, so a nested
 * `city { overview }` in the same request costs nothing more.
 */

/** Both overviews of a city (every report, and verified reports only) and its reports awaiting verification. */
export interface CityFigures {
  all: CityOverview;
  verified: CityOverview;
  /** Progress reports SUBMITTED and not yet verified or returned. */
  unverifiedCount: number;
}

/** A placeholder list `?, ?, …` for `n` values. */
const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

function group<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}

/** The figures of every city in `cities`, by city id: seven SQL statements in all (none for no city). */
export async function cityFigures(ctx: Context, cities: readonly City[]): Promise<Map<string, CityFigures>> {
  const out = new Map<string, CityFigures>();
  if (cities.length === 0) return out;
  const ids = cities.map((c) => c.id);
  const conn = ctx.em.getConnection();
  const todays = new Map(cities.map((c) => [c.id, todayIn(c.timeZone, ctx.now)]));
  const earliestToday = [...todays.values()].sort()[0]!;
  // The sequences first: the figures read after them reflect at least those changes.
  const seqs = await readCitySeqs(ctx.em, ids);
  const [planRows, programs, opds, visits, verifiedRows, unverifiedRows] = await Promise.all([
    conn.execute(
      `select ${PLAN_COLUMNS} from action_plans where city_id in (${marks(ids.length)}) order by due_date asc, id asc`,
      ids,
    ) as Promise<Record<string, unknown>[]>,
    ctx.em.find(Program, { city: { $in: ids } }, { orderBy: { id: 'asc' } }),
    ctx.em.find(Opd, { city: { $in: ids } }, { orderBy: { name: 'asc', id: 'asc' } }),
    ctx.em.find(
      EvaluationVisit,
      { city: { $in: ids }, archivedAt: null, endDate: { $gte: earliestToday } },
      { orderBy: { startDate: 'asc', id: 'asc' } },
    ),
    conn.execute(
      `select action_plan_id, percent from progress_reports where city_id in (${marks(ids.length)}) and status = 'VERIFIED' order by action_plan_id, reported_at, id`,
      ids,
    ) as Promise<Record<string, unknown>[]>,
    conn.execute(
      `select city_id, count(*) as n from progress_reports where city_id in (${marks(ids.length)}) and status = 'SUBMITTED' group by city_id`,
      ids,
    ) as Promise<Record<string, unknown>[]>,
  ]);
  ctx.loaders.prime(Program, programs);
  ctx.loaders.prime(Opd, opds);
  const plansBy = group(
    planRows.map((r) => ({ cityId: String(r.city_id), row: toPlanRecord(r) })),
    (p) => p.cityId,
  );
  const programsBy = group(programs, (p) => p.city.id);
  const opdsBy = group(opds, (o) => o.city.id);
  const visitsBy = group(visits, (v) => v.city.id);
  const verified = new Map<string, number>();
  // Oldest first per plan, so the last one read wins (as `cityVerifiedProgress`).
  for (const r of verifiedRows) verified.set(String(r.action_plan_id), Number(r.percent));
  const unverified = new Map(unverifiedRows.map((r) => [String(r.city_id), Number(r.n)]));

  for (const city of cities) {
    const plans: PlanRecord[] = (plansBy.get(city.id) ?? []).map((p) => p.row);
    const today = todayIn(city.timeZone, ctx.now);
    const nextVisit = (visitsBy.get(city.id) ?? []).find((v) => v.endDate >= today) ?? null;
    const inputs = { seq: seqs.get(city.id) ?? 0, programs: programsBy.get(city.id) ?? [], opds: opdsBy.get(city.id) ?? [], nextVisit };
    const all = computeOverview(city, { ...inputs, plans }, ctx.now, ctx.locale, ProgressBasis.ALL);
    const verifiedOverview = computeOverview(
      city,
      { ...inputs, plans: plans.map((p) => ({ ...p, progress: verified.get(p.id) ?? 0 })) },
      ctx.now,
      ctx.locale,
      ProgressBasis.VERIFIED,
    );
    // What `cityPlans`, `cityPrograms`, `cityOpds` and `cityOverview` would compute: shared with the rest of the request.
    ctx.memo.set(`plans:${city.id}`, Promise.resolve(plans));
    ctx.memo.set(`programs:${city.id}`, Promise.resolve(new Map(inputs.programs.map((p) => [p.id, p]))));
    ctx.memo.set(`opds:${city.id}`, Promise.resolve(inputs.opds));
    ctx.memo.set(`overview:${city.id}:${ProgressBasis.ALL}`, Promise.resolve(all));
    ctx.memo.set(`overview:${city.id}:${ProgressBasis.VERIFIED}`, Promise.resolve(verifiedOverview));
    out.set(city.id, { all, verified: verifiedOverview, unverifiedCount: unverified.get(city.id) ?? 0 });
  }
  return out;
}
