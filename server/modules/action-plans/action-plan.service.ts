import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import { Field, ID, InputType, Int } from 'type-graphql';
import { todayIn } from '../../util/dates';
import { pageOfList, type Page, type PageArgs } from '../common/connection';
import type { City } from '../cities/city.entity';
import { Dimension } from '../masterplan/dimension';
import { ActionPlan, ActionPlanStatus } from './action-plan.entity';
import { ActionPlanState, planState } from './state';

/** Filters for lists of action plans; all given conditions must hold. */
@InputType({ description: 'Filters for action plan lists; every condition given must hold.' })
export class ActionPlanFilter {
  @Field(() => Dimension, { nullable: true }) dimension?: Dimension | null;
  @Field(() => ID, { nullable: true, description: 'Plans this OPD owns.' }) opdId?: string | null;
  @Field(() => ID, { nullable: true }) programId?: string | null;
  @Field(() => ActionPlanState, { nullable: true }) state?: ActionPlanState | null;
  @Field(() => ActionPlanStatus, { nullable: true }) status?: ActionPlanStatus | null;
  @Field(() => Boolean, { nullable: true, description: 'Only plans of quick wins (true) or of other programs (false).' }) quickWin?: boolean | null;
  @Field(() => Int, { nullable: true, description: 'Plans running at some time in this year.' }) year?: number | null;
  @Field(() => String, { nullable: true, description: 'Words in the title or code (case-insensitive).' }) search?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Include archived plans (default false).' }) includeArchived?: boolean | null;
}

/** The sort key of a plan in lists: due date, then id. */
export function planSortKey(plan: ActionPlan): string {
  return `${plan.dueDate}|${plan.id}`;
}

/**
 * A page of a city's action plans, earliest due date first. One SQL statement loads the plans that
 * match the stored columns; the derived state is filtered in memory (it depends on today).
 */
export async function listActionPlans(em: EntityManager, city: City, filter: ActionPlanFilter | null | undefined, args: PageArgs, now: Date): Promise<Page<ActionPlan>> {
  const f = filter ?? {};
  const where: FilterQuery<ActionPlan> & Record<string, unknown> = { city: city.id };
  if (!f.includeArchived) where.archivedAt = null;
  if (f.dimension) where.dimension = f.dimension;
  if (f.opdId) where.ownerOpd = f.opdId;
  if (f.programId) where.program = f.programId;
  if (f.status) where.status = f.status;
  if (f.quickWin !== null && f.quickWin !== undefined) where.program = { ...(f.programId ? { id: f.programId } : {}), quickWin: f.quickWin };
  if (f.year) {
    where.startDate = { $lte: `${f.year}-12-31` };
    where.dueDate = { $gte: `${f.year}-01-01` };
  }
  const search = f.search?.trim().slice(0, 100);
  if (search) {
    const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.$or = [{ title: { $ilike: pattern } }, { code: { $ilike: pattern } }];
  }
  let plans = await em.find(ActionPlan, where, { orderBy: { dueDate: 'asc', id: 'asc' } });
  if (f.state) {
    const today = todayIn(city.timeZone, now);
    plans = plans.filter((p) => planState(p, today) === f.state);
  }
  return pageOfList(plans, planSortKey, args);
}
