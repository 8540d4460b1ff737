import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { todayIn, daysBetween } from '../../util/dates';
import type { Locale } from '../../i18n';
import type { PlanRecord } from '../action-plans/plan-record';
import { ActionPlanState, countsInRollups, planState, weightedProgress } from '../action-plans/state';
import type { City } from '../cities/city.entity';
import { EvaluationVisit } from '../evaluation/evaluation.entity';
import { DIMENSIONS, Dimension, dimensionLabel } from '../masterplan/dimension';
import type { Program } from '../masterplan/masterplan.entity';
import type { Opd } from '../opds/opd.entity';

/** Which reports the progress figures come from. */
export enum ProgressBasis {
  ALL = 'ALL',
  VERIFIED = 'VERIFIED',
}
registerEnumType(ProgressBasis, {
  name: 'ProgressBasis',
  description: "ALL: every plan's latest report, verified or not. VERIFIED: only reports the city team verified (what evaluators trust).",
});

/** How many plans are in each state. */
@ObjectType({ description: 'How many action plans are in each state.' })
export class StateCounts {
  @Field(() => Int) total = 0;
  @Field(() => Int) notStarted = 0;
  @Field(() => Int) onTrack = 0;
  @Field(() => Int) late = 0;
  @Field(() => Int) done = 0;
}

/** Weighted progress of one dimension. */
@ObjectType({ description: 'Weighted progress of the action plans of one dimension.' })
export class DimensionProgress {
  @Field(() => Dimension) dimension!: Dimension;
  @Field(() => String, { description: "The dimension's name in the request's language." }) label!: string;
  @Field(() => Float) progress!: number;
  @Field(() => Int) actionPlanCount!: number;
  @Field(() => Int) lateCount!: number;
}

/** Weighted progress of one quick win. */
@ObjectType({ description: 'Weighted progress of the action plans of one quick win.' })
export class QuickWinProgress {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => Int) year!: number;
  @Field(() => Dimension) dimension!: Dimension;
  @Field(() => Float) progress!: number;
  @Field(() => Int) actionPlanCount!: number;
}

/** Weighted progress of the plans one OPD owns. */
@ObjectType({ description: 'Weighted progress of the action plans an OPD owns.' })
export class OpdProgress {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) abbreviation!: string;
  @Field(() => Float) progress!: number;
  @Field(() => Int) actionPlanCount!: number;
  @Field(() => Int) lateCount!: number;
}

/** A city at a glance: the numbers the meeting-room screen shows. */
@ObjectType({ description: "A city at a glance. Roll-ups are weighted by each plan's weight and leave out archived and cancelled plans." })
export class CityOverview {
  @Field(() => ID) cityId!: string;
  @Field(() => ProgressBasis, { description: 'Which reports the figures come from.' }) basis!: ProgressBasis;
  @Field(() => Int, { description: "The city's event `seq` these figures reflect (at least): apply `cityEvents` after it." }) seq!: number;
  @Field(() => Date, { description: 'When these numbers were computed.' }) asOf!: Date;
  @Field(() => String, { description: "The city's today (YYYY-MM-DD in its time zone) that states are computed for." }) today!: string;
  @Field(() => Float, { description: 'Weighted progress of the whole city, 0–100.' }) progress!: number;
  @Field(() => StateCounts) counts!: StateCounts;
  @Field(() => [DimensionProgress], { description: 'All six dimensions, in the programme order.' }) dimensions!: DimensionProgress[];
  @Field(() => [QuickWinProgress]) quickWins!: QuickWinProgress[];
  @Field(() => [OpdProgress], { description: 'Every OPD of the city, by name.' }) opds!: OpdProgress[];
  /** Ids of every late plan, earliest due date first; `lateActionPlans` pages them. */
  lateIds!: string[];
  /** The first late plans, loaded ahead when one overview is sent to many subscribers. */
  latePlans?: PlanRecord[];
  @Field(() => EvaluationVisit, { nullable: true, description: 'The next (or current) evaluation visit.' })
  nextEvaluationVisit!: EvaluationVisit | null;
  @Field(() => Int, { nullable: true, description: 'Days from today to the start of the next visit (0 while it runs).' })
  daysToNextEvaluation!: number | null;
}

/** Plans with their state, as the overview and the plan lists use them. */
export interface RatedPlan {
  plan: PlanRecord;
  state: ActionPlanState;
}

/** What an overview is computed from (all of one city; archived rows are left out here). */
export interface OverviewInputs {
  seq: number;
  plans: readonly PlanRecord[];
  programs: readonly Program[];
  opds: readonly Opd[];
  nextVisit: EvaluationVisit | null;
}

/**
 * Computes a city's overview in memory from its plans, programs and OPDs (loaded with one statement
 * each, whatever their number). Roll-ups are weighted; archived and cancelled plans are left out.
 */
export function computeOverview(
  city: City,
  inputs: OverviewInputs,
  now: Date,
  locale: Locale,
  basis: ProgressBasis = ProgressBasis.ALL,
): CityOverview {
  const today = todayIn(city.timeZone, now);
  const opds = inputs.opds.filter((o) => o.archivedAt === null);
  const quickWins = inputs.programs
    .filter((p) => p.quickWin && p.archivedAt === null)
    .sort((a, b) => (a.quickWinYear ?? 0) - (b.quickWinYear ?? 0) || a.name.localeCompare(b.name, 'id'));
  const rated: RatedPlan[] = inputs.plans.filter(countsInRollups).map((plan) => ({ plan, state: planState(plan, today) }));
  const counts = new StateCounts();
  for (const { state } of rated) {
    counts.total++;
    if (state === ActionPlanState.NOT_STARTED) counts.notStarted++;
    else if (state === ActionPlanState.ON_TRACK) counts.onTrack++;
    else if (state === ActionPlanState.LATE) counts.late++;
    else counts.done++;
  }
  const groups = new Map<string, RatedPlan[]>();
  const add = (key: string, r: RatedPlan) => {
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  };
  for (const r of rated) {
    add(`d:${r.plan.dimension}`, r);
    add(`p:${r.plan.program.id}`, r);
    add(`o:${r.plan.ownerOpd.id}`, r);
  }
  const rollup = (key: string) => {
    const members = groups.get(key) ?? [];
    return {
      progress: weightedProgress(members.map((r) => r.plan)),
      actionPlanCount: members.length,
      lateCount: members.filter((r) => r.state === ActionPlanState.LATE).length,
    };
  };
  const next = inputs.nextVisit;
  return {
    cityId: city.id,
    basis,
    seq: inputs.seq,
    asOf: now,
    today,
    progress: weightedProgress(rated.map((r) => r.plan)),
    counts,
    dimensions: DIMENSIONS.map((dimension) => ({ dimension, label: dimensionLabel(dimension, locale), ...rollup(`d:${dimension}`) })),
    quickWins: quickWins.map((p) => {
      const { progress, actionPlanCount } = rollup(`p:${p.id}`);
      return { id: p.id, name: p.name, year: p.quickWinYear ?? 0, dimension: p.dimension, progress, actionPlanCount };
    }),
    opds: opds.map((o) => ({ id: o.id, name: o.name, abbreviation: o.abbreviation, ...rollup(`o:${o.id}`) })),
    lateIds: rated.filter((r) => r.state === ActionPlanState.LATE).map((r) => r.plan.id),
    nextEvaluationVisit: next,
    daysToNextEvaluation: next ? Math.max(0, daysBetween(today, next.startDate)) : null,
  };
}
