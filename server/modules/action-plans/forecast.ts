import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { memoize, type Context } from '../../context';
import { addDays, daysBetween, startOfDayIn, todayIn } from '../../util/dates';
import type { City } from '../cities/city.entity';
import { cityPlans, cityRecentReports, type DatedPercent } from '../overview/city-data';
import { ProgressBasis } from '../overview/overview';
import type { ActionPlanStatus } from './action-plan.entity';
import { countsInRollups } from './state';

/**
 * The early warning (issue 24): when a plan will be done at its recent pace, from its own report
 * history. The method, in the README's words:
 * - the reports that count are every report but RETURNED ones (basis ALL), or VERIFIED ones only
 *   (basis VERIFIED), each at the day it was made in the city's time zone;
 * - the window is the last `FORECAST_WINDOW_DAYS` days (from today minus 90 days to today);
 * - the pace is the rise from the first counting report in the window to the latest, over the days
 *   between them, which must be at least `FORECAST_MIN_SPAN_DAYS` apart (else: NO_PACE; one report
 *   or none is NO_PACE);
 * - expected completion = the latest report's day + (100 − its percent) / pace, rounded up to a
 *   whole day, and not before today (a plan that should have finished at its pace but has not said so);
 * - AT_RISK when that is after the due date (`daysLate`: the days between), ON_TRACK otherwise; a
 *   pace of zero or less, or one that would take more than `FORECAST_HORIZON_DAYS`, is AT_RISK with
 *   no expected completion (the plan does not move);
 * - no forecast (null) for a plan that is archived, cancelled or done (progress 100).
 */

/** How many days back the reports that set a plan's pace may go. */
export const FORECAST_WINDOW_DAYS = 90;
/** The fewest days between the first and the latest report of the window for a pace. */
export const FORECAST_MIN_SPAN_DAYS = 14;
/** A pace that needs more than this many days after the latest report gives no date: the plan does not move. */
export const FORECAST_HORIZON_DAYS = 3650;

/** What the forecast says of a plan. */
export enum ForecastVerdict {
  ON_TRACK = 'ON_TRACK',
  AT_RISK = 'AT_RISK',
  NO_PACE = 'NO_PACE',
}
registerEnumType(ForecastVerdict, {
  name: 'ForecastVerdict',
  description: [
    'ON_TRACK: at its recent pace the plan is done by its due date.',
    'AT_RISK (diperkirakan terlambat): at its recent pace it is done after its due date, or it does not move (no progress, or less, over its recent reports).',
    `NO_PACE: no pace yet: fewer than two counting reports in the last ${FORECAST_WINDOW_DAYS} days, or they are less than ${FORECAST_MIN_SPAN_DAYS} days apart.`,
  ].join(' '),
});

/** What a forecast rests on. */
@ObjectType({ description: "What a plan's forecast rests on: which reports, which window, which pace." })
export class ForecastBasis {
  @Field(() => ProgressBasis, { description: 'ALL: every report but returned ones. VERIFIED: verified reports only.' })
  reports!: ProgressBasis;
  @Field(() => String, { description: `The first day of the window, YYYY-MM-DD: ${FORECAST_WINDOW_DAYS} days before today.` })
  windowStart!: string;
  @Field(() => Int, { description: 'How many counting reports the plan has in the window.' }) reportCount!: number;
  @Field(() => String, { nullable: true, description: 'The day of the first counting report in the window (null without any).' })
  fromDate!: string | null;
  @Field(() => Float, { nullable: true, description: 'Its percent.' }) fromPercent!: number | null;
  @Field(() => String, { nullable: true, description: 'The day of the latest counting report (null without any).' })
  toDate!: string | null;
  @Field(() => Float, { nullable: true, description: 'Its percent: where the forecast starts from.' }) toPercent!: number | null;
  @Field(() => Float, {
    nullable: true,
    description: 'The pace in percentage points per 30 days, one decimal (negative when progress went down); null when NO_PACE.',
  })
  pacePerMonth!: number | null;
}

/** When a plan will be done at its recent pace. */
@ObjectType({
  description: 'When an action plan will be done at its recent pace (from its report history), and what that means for its due date.',
})
export class ActionPlanForecast {
  @Field(() => ForecastVerdict) verdict!: ForecastVerdict;
  @Field(() => String, {
    nullable: true,
    description: "YYYY-MM-DD in the city's time zone; null for NO_PACE and for a plan that does not move.",
  })
  expectedCompletion!: string | null;
  @Field(() => Int, {
    nullable: true,
    description:
      'Days from the due date to the expected completion: > 0 for AT_RISK, 0 for ON_TRACK; null when there is no expected completion.',
  })
  daysLate!: number | null;
  @Field(() => ForecastBasis) basis!: ForecastBasis;
}

/** What a plan's forecast needs of it. */
export interface ForecastPlan {
  progress: number;
  dueDate: string;
  status: ActionPlanStatus;
  archivedAt: Date | null;
}

/** The first day of the window on `today`. */
export function forecastWindowStart(today: string): string {
  return addDays(today, -FORECAST_WINDOW_DAYS);
}

/**
 * The forecast of a plan on `today` from its counting reports made since the window's start (oldest
 * first). Pure: the method above.
 */
export function planForecast(
  plan: ForecastPlan,
  reports: readonly DatedPercent[],
  today: string,
  basis: ProgressBasis,
): ActionPlanForecast | null {
  if (!countsInRollups(plan) || plan.progress >= 100) return null;
  const windowStart = forecastWindowStart(today);
  const inWindow = reports.filter((r) => r.day >= windowStart);
  const first = inWindow[0];
  const last = inWindow.at(-1);
  const span = first && last ? daysBetween(first.day, last.day) : 0;
  const info: ForecastBasis = {
    reports: basis,
    windowStart,
    reportCount: inWindow.length,
    fromDate: first?.day ?? null,
    fromPercent: first?.percent ?? null,
    toDate: last?.day ?? null,
    toPercent: last?.percent ?? null,
    pacePerMonth: null,
  };
  if (!first || !last || span < FORECAST_MIN_SPAN_DAYS)
    return { verdict: ForecastVerdict.NO_PACE, expectedCompletion: null, daysLate: null, basis: info };
  const rise = last.percent - first.percent;
  info.pacePerMonth = Math.round(((rise * 30) / span) * 10) / 10;
  // Days to go = remaining / (rise / span), written so that whole numbers stay whole (no 177.99999).
  const days = rise > 0 ? Math.ceil(((100 - last.percent) * span) / rise - 1e-9) : Number.POSITIVE_INFINITY;
  if (days > FORECAST_HORIZON_DAYS) return { verdict: ForecastVerdict.AT_RISK, expectedCompletion: null, daysLate: null, basis: info };
  // From the latest report on (a plan exactly on its straight line is expected on its due date), but not before today.
  const extrapolated = addDays(last.day, days);
  const expectedCompletion = extrapolated > today ? extrapolated : today;
  const daysLate = Math.max(0, daysBetween(plan.dueDate, expectedCompletion));
  return { verdict: daysLate > 0 ? ForecastVerdict.AT_RISK : ForecastVerdict.ON_TRACK, expectedCompletion, daysLate, basis: info };
}

/** The counting reports of a city's plans in the window, by plan: one SQL statement per request and basis. */
export function cityForecastReports(ctx: Context, city: City, basis: ProgressBasis): Promise<Map<string, DatedPercent[]>> {
  const since = startOfDayIn(city.timeZone, forecastWindowStart(todayIn(city.timeZone, ctx.now)));
  return cityRecentReports(ctx, city, since, basis === ProgressBasis.VERIFIED);
}

/** The forecast of one plan of `city` (its reports are read for the whole city at once). */
export async function forecastOf(
  ctx: Context,
  city: City,
  plan: ForecastPlan & { id: string },
  basis: ProgressBasis,
): Promise<ActionPlanForecast | null> {
  const reports = await cityForecastReports(ctx, city, basis);
  return planForecast(plan, reports.get(plan.id) ?? [], todayIn(city.timeZone, ctx.now), basis);
}

/** The forecast of every plan of a city (by id; null where there is none), once per request and basis. */
export function cityForecasts(ctx: Context, city: City, basis: ProgressBasis): Promise<Map<string, ActionPlanForecast | null>> {
  return memoize(ctx, `forecasts:${city.id}:${basis}`, async () => {
    const [plans, reports] = await Promise.all([cityPlans(ctx, city.id), cityForecastReports(ctx, city, basis)]);
    const today = todayIn(city.timeZone, ctx.now);
    return new Map(plans.map((p) => [p.id, planForecast(p, reports.get(p.id) ?? [], today, basis)]));
  });
}
