import type { EntityManager } from '@mikro-orm/core';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { todayIn, daysBetween } from '../../util/dates';
import type { Locale } from '../../i18n';
import { ActionPlan } from '../action-plans/action-plan.entity';
import { ActionPlanState, countsInRollups, planState, weightedProgress } from '../action-plans/state';
import type { City } from '../cities/city.entity';
import { EvaluationVisit } from '../evaluation/evaluation.entity';
import { DIMENSIONS, Dimension, dimensionLabel } from '../masterplan/dimension';
import { Program } from '../masterplan/masterplan.entity';
import type { Opd } from '../opds/opd.entity';

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
  @Field(() => Date, { description: 'When these numbers were computed.' }) asOf!: Date;
  @Field(() => String, { description: "The city's today (YYYY-MM-DD in its time zone) that states are computed for." }) today!: string;
  @Field(() => Float, { description: 'Weighted progress of the whole city, 0–100.' }) progress!: number;
  @Field(() => StateCounts) counts!: StateCounts;
  @Field(() => [DimensionProgress], { description: 'All six dimensions, in the programme order.' }) dimensions!: DimensionProgress[];
  @Field(() => [QuickWinProgress]) quickWins!: QuickWinProgress[];
  @Field(() => [OpdProgress], { description: 'Every OPD of the city, by name.' }) opds!: OpdProgress[];
  @Field(() => [ActionPlan], { description: 'Late plans, earliest due date first.' }) lateActionPlans!: ActionPlan[];
  @Field(() => EvaluationVisit, { nullable: true, description: 'The next (or current) evaluation visit.' }) nextEvaluationVisit!: EvaluationVisit | null;
  @Field(() => Int, { nullable: true, description: 'Days from today to the start of the next visit (0 while it runs).' }) daysToNextEvaluation!: number | null;
}

/** Plans with their state, as the overview and the plan lists use them. */
export interface RatedPlan {
  plan: ActionPlan;
  state: ActionPlanState;
}

/**
 * Computes a city's overview with a fixed number of SQL statements (three, plus the city's OPDs
 * that the caller shares with other fields), whatever the number of OPDs, programs and plans:
 * everything is rolled up in memory.
 */
export async function computeOverview(em: EntityManager, city: City, allOpds: Promise<Opd[]>, now: Date, locale: Locale): Promise<CityOverview> {
  const today = todayIn(city.timeZone, now);
  const [plans, quickWins, allOpdRows, visits] = await Promise.all([
    em.find(ActionPlan, { city: city.id, archivedAt: null }, { orderBy: { dueDate: 'asc', id: 'asc' } }),
    em.find(Program, { city: city.id, archivedAt: null, quickWin: true }, { orderBy: { quickWinYear: 'asc', name: 'asc' } }),
    allOpds,
    em.find(EvaluationVisit, { city: city.id, archivedAt: null, endDate: { $gte: today } }, { orderBy: { startDate: 'asc' }, limit: 1 }),
  ]);
  const opds = allOpdRows.filter((o) => o.archivedAt === null);
  const rated: RatedPlan[] = plans.filter(countsInRollups).map((plan) => ({ plan, state: planState(plan, today) }));
  const counts = new StateCounts();
  for (const { state } of rated) {
    counts.total++;
    if (state === ActionPlanState.NOT_STARTED) counts.notStarted++;
    else if (state === ActionPlanState.ON_TRACK) counts.onTrack++;
    else if (state === ActionPlanState.LATE) counts.late++;
    else counts.done++;
  }
  const group = (pick: (r: RatedPlan) => boolean) => {
    const members = rated.filter(pick);
    return {
      progress: weightedProgress(members.map((r) => r.plan)),
      actionPlanCount: members.length,
      lateCount: members.filter((r) => r.state === ActionPlanState.LATE).length,
    };
  };
  const next = visits[0] ?? null;
  const overview: CityOverview = {
    cityId: city.id,
    asOf: now,
    today,
    progress: weightedProgress(rated.map((r) => r.plan)),
    counts,
    dimensions: DIMENSIONS.map((dimension) => ({ dimension, label: dimensionLabel(dimension, locale), ...group((r) => r.plan.dimension === dimension) })),
    quickWins: quickWins.map((p) => {
      const { progress, actionPlanCount } = group((r) => r.plan.program.id === p.id);
      return { id: p.id, name: p.name, year: p.quickWinYear ?? 0, dimension: p.dimension, progress, actionPlanCount };
    }),
    opds: opds.map((o) => ({ id: o.id, name: o.name, abbreviation: o.abbreviation, ...group((r) => r.plan.ownerOpd.id === o.id) })),
    lateActionPlans: rated.filter((r) => r.state === ActionPlanState.LATE).map((r) => r.plan),
    nextEvaluationVisit: next,
    daysToNextEvaluation: next ? Math.max(0, daysBetween(today, next.startDate)) : null,
  };
  return overview;
}
