import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { ActionPlan } from '../action-plans/action-plan.entity';
import type { PlanRecord } from '../action-plans/plan-record';
import { pageSize } from '../../graphql/connection';
import { plansByIds } from './city-data';
import { CityOverview } from './overview';

/** `CityOverview.lateActionPlans`: the most overdue plans first, as many as asked. */
@Resolver(() => CityOverview)
export class CityOverviewResolver {
  @FieldResolver(() => [ActionPlan], { description: 'Late plans, earliest due date first; `counts.late` has how many there are in all.' })
  async lateActionPlans(
    @Root() overview: CityOverview,
    @Arg('first', () => Int, { defaultValue: 50, description: 'How many (at most 100).' }) first: number,
    @Ctx() ctx: Context,
  ): Promise<PlanRecord[]> {
    const n = pageSize(first);
    if (overview.latePlans && (n <= overview.latePlans.length || overview.latePlans.length === overview.lateIds.length))
      return overview.latePlans.slice(0, n);
    return plansByIds(ctx, overview.cityId, overview.lateIds.slice(0, n));
  }
}
