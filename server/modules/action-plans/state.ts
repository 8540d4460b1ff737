import { registerEnumType } from 'type-graphql';
import { daysBetween } from '../../util/dates';
import { ActionPlanStatus } from './action-plan.entity';

/** Where a plan stands against its schedule; derived from its progress, its dates and today. */
export enum ActionPlanState {
  NOT_STARTED = 'NOT_STARTED',
  ON_TRACK = 'ON_TRACK',
  LATE = 'LATE',
  DONE = 'DONE',
}
registerEnumType(ActionPlanState, {
  name: 'ActionPlanState',
  description: [
    'Derived, never set by hand. DONE: progress is 100.',
    'LATE: the due date has passed, or progress is more than 20 points behind a straight line from start (0) to due date (100).',
    'NOT_STARTED: no progress yet and not late. ON_TRACK: everything else.',
    "A cancelled or archived plan still reads the state its schedule gives it (a cancelled plan past its due date reads LATE), but it counts in no roll-up: `overview.counts`, `lateActionPlans` and the `state` filter of `actionPlans` leave it out, so the filter's totalCount always equals the overview's count. List cancelled plans with `filter: { status: CANCELLED }`.",
  ].join(' '),
});

/** How many percentage points a plan may fall behind the straight-line schedule before it is late. */
export const LATE_TOLERANCE_POINTS = 20;

/** What a plan needs for its state. */
export interface Schedule {
  progress: number;
  startDate: string;
  dueDate: string;
}

/** Percent a plan should have reached today on a straight line from its start (0) to its due date (100). */
export function expectedProgress(plan: Pick<Schedule, 'startDate' | 'dueDate'>, today: string): number {
  if (today < plan.startDate) return 0;
  if (today >= plan.dueDate) return 100;
  const span = daysBetween(plan.startDate, plan.dueDate);
  return span <= 0 ? 100 : (100 * daysBetween(plan.startDate, today)) / span;
}

/** The state of a plan on `today` (`YYYY-MM-DD` in the city's time zone). */
export function planState(plan: Schedule, today: string): ActionPlanState {
  if (plan.progress >= 100) return ActionPlanState.DONE;
  if (today > plan.dueDate) return ActionPlanState.LATE;
  if (plan.progress < expectedProgress(plan, today) - LATE_TOLERANCE_POINTS) return ActionPlanState.LATE;
  return plan.progress <= 0 ? ActionPlanState.NOT_STARTED : ActionPlanState.ON_TRACK;
}

/** Whether a plan counts in roll-ups: not archived and not cancelled. */
export function countsInRollups(plan: { archivedAt: unknown; status: ActionPlanStatus }): boolean {
  return (plan.archivedAt === null || plan.archivedAt === undefined) && plan.status !== ActionPlanStatus.CANCELLED;
}

/** Weighted mean progress of plans (0 when there are none), rounded to one decimal. */
export function weightedProgress(plans: readonly { progress: number; weight: number }[]): number {
  let sum = 0;
  let weights = 0;
  for (const p of plans) {
    sum += p.progress * p.weight;
    weights += p.weight;
  }
  return weights > 0 ? Math.round((sum / weights) * 10) / 10 : 0;
}
