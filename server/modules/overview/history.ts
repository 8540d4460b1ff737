import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { badInput } from '../../errors';
import type { Locale } from '../../i18n';
import { addDays, addMonths, isIsoDate } from '../../util/dates';
import { ActionPlanStatus } from '../action-plans/action-plan.entity';
import { weightedProgress } from '../action-plans/state';
import { DIMENSIONS, Dimension, dimensionLabel } from '../masterplan/dimension';
import type { PlanHistoryRow, ReportHistoryRow } from './city-data';
import { ProgressBasis } from './overview';

/**
 * Progress as of past dates: pure computation from a city's plans and reports (loaded with one
 * statement each by the overview service), a sweep over time whatever the number of points.
 */

/** How far apart the points of a history are. */
export enum HistoryInterval {
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}
registerEnumType(HistoryInterval, {
  name: 'HistoryInterval',
  description:
    'The step between two points of a progress history: a day, a week (7 days) or a calendar month (the same day of the month, or its last day).',
});

/** Which plans a history counts. */
export enum HistoryPlans {
  ALL = 'ALL',
  PERIOD = 'PERIOD',
}
registerEnumType(HistoryPlans, {
  name: 'HistoryPlans',
  description: [
    'Which plans a progress history counts. ALL: every plan, from when it was created.',
    "PERIOD: this period's plans only: those due on or after 1 January of the first year of the masterplan period the history's last point falls in",
    '(the masterplan covering that year, else the latest one begun before it), so plans finished in an earlier period do not hold the line up;',
    'the same as ALL for a city without a masterplan.',
  ].join(' '),
});

/** The most points one history may have. */
export const MAX_HISTORY_POINTS = 400;

/** How many months of history are shown when `from` is left out. */
export const DEFAULT_HISTORY_MONTHS = 12;

/** One dimension's weighted progress per point. */
@ObjectType({ description: "One dimension's weighted progress at every point of a progress history." })
export class DimensionHistory {
  @Field(() => Dimension) dimension!: Dimension;
  @Field(() => String, { description: "The dimension's name in the request's language." }) label!: string;
  @Field(() => [Float], {
    description: 'Weighted progress 0–100 of the plans of this dimension, one value per point (0 while it has none).',
  })
  values!: number[];
}

/** Progress over time, as columns: `points` and one value per point in `city` and each dimension. */
@ObjectType({
  description: [
    'Progress over time: columnar series, one value per point.',
    "Each value is the weighted progress (weighted by each plan's weight, rounded to one decimal, like `City.overview`) as of the END of that day in the city's time zone:",
    'each plan counts with the percent of its latest progress report made by then (0 without one).',
    'A plan counts on a day when it had been created by the end of that day and had not been archived by then; cancelled plans are left out at every date, as in every roll-up (a plan keeps no history of its status).',
  ].join(' '),
})
export class ProgressHistory {
  @Field(() => ID) cityId!: string;
  @Field(() => ProgressBasis, {
    description:
      "Which reports count. VERIFIED: only reports verified by the end of the day (by the city team's verification time, not the report time): what evaluators could have seen that day.",
  })
  basis!: ProgressBasis;
  @Field(() => HistoryPlans, { description: 'Which plans count (see HistoryPlans).' })
  plans!: HistoryPlans;
  @Field(() => String, {
    nullable: true,
    description:
      "PERIOD: the period's first day, YYYY-MM-DD (plans due before it are left out); null for ALL or a city without a masterplan.",
  })
  periodFrom!: string | null;
  @Field(() => HistoryInterval) interval!: HistoryInterval;
  @Field(() => String, { description: 'The first point, YYYY-MM-DD.' }) from!: string;
  @Field(() => String, { description: 'The last point, YYYY-MM-DD.' }) to!: string;
  @Field(() => [String], {
    description: 'The dates, YYYY-MM-DD, ascending: `from`, then one step of `interval` after another, and always `to` last.',
  })
  points!: string[];
  @Field(() => [Float], { description: 'Weighted progress of the whole city, 0–100, one value per point.' }) city!: number[];
  @Field(() => [DimensionHistory], { description: 'All six dimensions, in the programme order (like `overview.dimensions`).' })
  dimensions!: DimensionHistory[];
  @Field(() => [Int], {
    description:
      "How many of the counted plans joined at each point: created after the end of the previous point's day and by the end of this one (0 at the first point). A line that falls where plans join is new plans starting at 0 %, not work undone.",
  })
  joined!: number[];
}

/**
 * The dates of a history: `from`, then every step of `interval` before `to`, then `to`. Throws
 * BAD_USER_INPUT (field `interval`, or `from` when even months are too many) beyond `MAX_HISTORY_POINTS`.
 */
export function historyPoints(from: string, to: string, interval: HistoryInterval): string[] {
  const points: string[] = [];
  for (let i = 0; ; i++) {
    const date = interval === HistoryInterval.MONTH ? addMonths(from, i) : addDays(from, interval === HistoryInterval.WEEK ? 7 * i : i);
    if (date >= to) break;
    points.push(date);
    if (points.length >= MAX_HISTORY_POINTS) {
      throw badInput(interval === HistoryInterval.MONTH ? 'from' : 'interval', 'historyTooManyPoints', {
        count: countPoints(from, to, interval),
        max: MAX_HISTORY_POINTS,
      });
    }
  }
  points.push(to);
  return points;
}

/** How many points a range would have (for the message), without building them. */
function countPoints(from: string, to: string, interval: HistoryInterval): number {
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
  if (interval === HistoryInterval.DAY) return days + 1;
  if (interval === HistoryInterval.WEEK) return Math.ceil(days / 7) + 1;
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm) + 1;
}

/** The dates a history request covers, checked; `defaultFrom` is used when `from` is left out. */
export function historyRange(
  args: { from?: string | null; to?: string | null },
  today: string,
  defaultFrom: (to: string) => string,
): { from: string; to: string } {
  for (const field of ['from', 'to'] as const) {
    const value = args[field];
    if (value !== null && value !== undefined && !isIsoDate(value)) throw badInput(field, 'invalidDate');
  }
  const to = args.to ?? today;
  const from = args.from ?? defaultFrom(to);
  if (from > to) throw badInput('from', 'historyFromAfterTo');
  return { from, to };
}

/** What a history is computed from: the points, when each point's day ends, and the city's plans and reports. */
export interface HistoryInputs {
  points: readonly string[];
  /** For each point, the instant its day ends in the city's time zone (the next day's start), epoch ms. */
  ends: readonly number[];
  plans: readonly PlanHistoryRow[];
  /** Oldest first by report time (then id): the later of two known reports is a plan's progress. */
  reports: readonly ReportHistoryRow[];
  basis: ProgressBasis;
  /** PERIOD: plans due before this day (YYYY-MM-DD) are left out; null: every plan counts. */
  periodFrom: string | null;
  plansCounted: HistoryPlans;
}

/** When a report became known: when it was made, or for VERIFIED when it was verified too (the later). */
function knownAt(report: ReportHistoryRow, basis: ProgressBasis): number {
  return basis === ProgressBasis.VERIFIED ? Math.max(report.reportedAt, report.reviewedAt ?? Number.POSITIVE_INFINITY) : report.reportedAt;
}

/** The reports in the order they became known, each with its rank in report order (the later rank wins). */
function reportOrder(reports: readonly ReportHistoryRow[], basis: ProgressBasis): { report: ReportHistoryRow; rank: number; at: number }[] {
  return reports.map((report, rank) => ({ report, rank, at: knownAt(report, basis) })).sort((a, b) => a.at - b.at || a.rank - b.rank);
}

/** Whether a plan counts in the roll-ups of a day ending at `end`: created by then, not archived by then, not cancelled. */
export function countsAt(plan: PlanHistoryRow, end: number): boolean {
  return plan.status !== ActionPlanStatus.CANCELLED && plan.createdAt < end && (plan.archivedAt === null || plan.archivedAt >= end);
}

/**
 * Each plan's progress as of the day ending at `end` (epoch ms), by the rules of `computeHistory`:
 * the percent of its latest report known by then (0 without one). Only plans that count that day
 * (`countsAt`) are in the map, so a weighted mean of its values is the history's city figure.
 */
export function planProgressAt(
  inputs: Pick<HistoryInputs, 'plans' | 'reports' | 'basis'>,
  end: number,
): Map<string, { progress: number; weight: number }> {
  const state = new Map(inputs.plans.filter((p) => countsAt(p, end)).map((p) => [p.id, { progress: 0, weight: p.weight, rank: -1 }]));
  for (const { report, rank, at } of reportOrder(inputs.reports, inputs.basis)) {
    if (at >= end) break;
    const plan = state.get(report.planId);
    if (plan && rank > plan.rank) {
      plan.progress = report.percent;
      plan.rank = rank;
    }
  }
  return new Map([...state].map(([id, { progress, weight }]) => [id, { progress, weight }]));
}

/**
 * Computes the city's and each dimension's weighted progress at every point, in one sweep over the
 * reports in the order they became known (made, or verified for VERIFIED), whatever the number of
 * points: O(reports + points × plans).
 */
export function computeHistory(cityId: string, interval: HistoryInterval, inputs: HistoryInputs, locale: Locale): ProgressHistory {
  const { points, ends, basis, periodFrom } = inputs;
  const plans = inputs.plans.filter((p) => p.status !== ActionPlanStatus.CANCELLED && (periodFrom === null || p.dueDate >= periodFrom));
  // Each plan's progress so far, and the rank (report order) of the report it comes from.
  const state = new Map(plans.map((p) => [p.id, { progress: 0, weight: p.weight, rank: -1 }]));
  const order = reportOrder(inputs.reports, basis);
  const groups = DIMENSIONS.map((dimension) => ({
    dimension,
    plans: plans.filter((p) => p.dimension === dimension),
    values: [] as number[],
  }));
  const city: number[] = [];
  const joined = ends.map((end, i) => (i === 0 ? 0 : plans.filter((p) => p.createdAt >= ends[i - 1]! && p.createdAt < end).length));
  let next = 0;
  ends.forEach((end) => {
    for (; next < order.length && order[next]!.at < end; next++) {
      const { report, rank } = order[next]!;
      const plan = state.get(report.planId);
      if (plan && rank > plan.rank) {
        plan.progress = report.percent;
        plan.rank = rank;
      }
    }
    const all: { progress: number; weight: number }[] = [];
    for (const group of groups) {
      const members = group.plans.filter((p) => countsAt(p, end)).map((p) => state.get(p.id)!);
      group.values.push(weightedProgress(members));
      all.push(...members);
    }
    city.push(weightedProgress(all));
  });
  return {
    cityId,
    basis,
    plans: inputs.plansCounted,
    periodFrom,
    interval,
    from: points[0]!,
    to: points[points.length - 1]!,
    points: [...points],
    city,
    dimensions: groups.map(({ dimension, values }) => ({ dimension, label: dimensionLabel(dimension, locale), values })),
    joined,
  };
}
