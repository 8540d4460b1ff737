import { memoize, type Context } from '../../context';
import { addDays, addMonths, startOfDayIn, todayIn } from '../../util/dates';
import type { City } from '../cities/city.entity';
import {
  cityNextVisit,
  cityOpds,
  cityPlans,
  cityPrograms,
  citySeq,
  cityVerifiedProgress,
  firstMasterplanYear,
  loadPlanHistoryRows,
  masterplanPeriod,
  loadReportsBefore,
  plansByIds,
} from './city-data';
import {
  computeHistory,
  DEFAULT_HISTORY_MONTHS,
  historyPoints,
  historyRange,
  HistoryInterval,
  HistoryPlans,
  planProgressAt,
  type ProgressHistory,
} from './history';
import { computeOverview, ProgressBasis, type CityOverview } from './overview';

/**
 * The overview service: the one place a city's roll-ups are computed, now (`cityOverview`) and as
 * of past dates (`progressHistory`). The city resolver, the live summary hub and the history query
 * call it; it reads the city data (city-data.ts), which reads the database.
 */

/** The overview of a city, computed once per request (context) and basis from the shared city data. */
export function cityOverview(ctx: Context, city: City, basis: ProgressBasis = ProgressBasis.ALL): Promise<CityOverview> {
  return memoize(ctx, `overview:${city.id}:${basis}`, async () => {
    ctx.services.observe?.metrics.overviewComputed(basis);
    // The sequence first: the figures read after it reflect at least that change.
    const seq = await citySeq(ctx, city.id);
    // A live hub keeps this overview computed for its subscribers: when nothing changed since (the
    // same seq, the same day), it is the answer, not a recomputation. Never an older one.
    const live = ctx.services.live?.currentOverview?.(city.id, basis, ctx.locale) as CityOverview | null | undefined;
    if (live && live.seq === seq && live.today === todayIn(city.timeZone, ctx.now)) return live;
    const [rows, programs, opds, nextVisit] = await Promise.all([
      cityPlans(ctx, city.id),
      cityPrograms(ctx, city.id),
      cityOpds(ctx, city.id),
      cityNextVisit(ctx, city),
    ]);
    let plans = rows;
    if (basis === ProgressBasis.VERIFIED) {
      const verified = await cityVerifiedProgress(ctx, city.id);
      plans = rows.map((r) => ({ ...r, progress: verified.get(r.id) ?? 0 }));
    }
    return computeOverview(city, { seq, plans, programs: [...programs.values()], opds, nextVisit }, ctx.now, ctx.locale, basis);
  });
}

/** How many late plans an overview pushed to many subscribers carries already loaded. */
const PRELOADED_LATE_PLANS = 100;

/** The overview with its first late plans loaded, for one computation sent to many subscribers. */
export async function sharedCityOverview(ctx: Context, city: City, basis: ProgressBasis): Promise<CityOverview> {
  const overview = await cityOverview(ctx, city, basis);
  return { ...overview, latePlans: await plansByIds(ctx, city.id, overview.lateIds.slice(0, PRELOADED_LATE_PLANS)) };
}

/** What `City.progressHistory` takes (dates `YYYY-MM-DD`; left out: see `progressHistory`). */
export interface HistoryArgs {
  from: string | null | undefined;
  to: string | null | undefined;
  interval: HistoryInterval;
  basis: ProgressBasis;
  plans: HistoryPlans;
}

/**
 * A city's progress as of past dates. `to` defaults to the city's today; `from` to
 * `DEFAULT_HISTORY_MONTHS` months before `to`, but not before 1 January of the first year of the
 * city's earliest masterplan (nor after `to`). Three SQL statements whatever the number of points
 * (plans, reports up to `to`, and the masterplan's year when `from` is left out).
 */
export async function progressHistory(ctx: Context, city: City, args: HistoryArgs): Promise<ProgressHistory> {
  const today = todayIn(city.timeZone, ctx.now);
  let masterplanYear: number | null = null;
  if (args.from === null || args.from === undefined) masterplanYear = await firstMasterplanYear(ctx.em, city.id);
  const { from, to } = historyRange(args, today, (end) => {
    const monthsBack = addMonths(end, -DEFAULT_HISTORY_MONTHS);
    const masterplanStart = masterplanYear === null ? monthsBack : `${String(masterplanYear).padStart(4, '0')}-01-01`;
    const start = masterplanStart > monthsBack ? masterplanStart : monthsBack;
    return start > end ? end : start;
  });
  const points = historyPoints(from, to, args.interval);
  const ends = points.map((date) => startOfDayIn(city.timeZone, addDays(date, 1)).getTime());
  const last = new Date(ends[ends.length - 1]!);
  const period = args.plans === HistoryPlans.PERIOD ? await masterplanPeriod(ctx.em, city.id, Number(to.slice(0, 4))) : null;
  const periodFrom = period ? `${String(period.startYear).padStart(4, '0')}-01-01` : null;
  const plans = await loadPlanHistoryRows(ctx.em, city.id);
  const reports = await loadReportsBefore(ctx.em, city.id, last, args.basis === ProgressBasis.VERIFIED);
  return computeHistory(
    city.id,
    args.interval,
    { points, ends, plans, reports, basis: args.basis, periodFrom, plansCounted: args.plans },
    ctx.locale,
  );
}

/** A city's progress at the end of one day: the history's single point, and each counting plan's progress then. */
export interface ProgressAsOf {
  history: ProgressHistory;
  /** The plans that count that day (created, not archived, not cancelled) with their progress then. */
  plans: Map<string, { progress: number; weight: number }>;
}

/**
 * A city's progress as of the end of `date` (YYYY-MM-DD in its time zone), exactly as
 * `progressHistory` gives it for `from = to = date` (the same statements and computation), and the
 * progress of each plan behind it. Reports and the monev report read it.
 */
export async function progressAsOf(ctx: Context, city: City, date: string, basis: ProgressBasis): Promise<ProgressAsOf> {
  const { from, to } = historyRange({ from: date, to: date }, todayIn(city.timeZone, ctx.now), () => date);
  const end = startOfDayIn(city.timeZone, addDays(to, 1)).getTime();
  const plans = await loadPlanHistoryRows(ctx.em, city.id);
  const reports = await loadReportsBefore(ctx.em, city.id, new Date(end), basis === ProgressBasis.VERIFIED);
  const inputs = { points: [from], ends: [end], plans, reports, basis, periodFrom: null, plansCounted: HistoryPlans.ALL };
  return { history: computeHistory(city.id, HistoryInterval.DAY, inputs, ctx.locale), plans: planProgressAt(inputs, end) };
}
