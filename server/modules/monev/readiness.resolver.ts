import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { policy } from '../../auth/policy';
import type { Context } from '../../context';
import { City } from '../cities/city.entity';
import { Readiness } from './readiness';
import { cityReadiness, readinessYear } from './readiness.service';

/** `City.readiness(year)`; the live `readiness(cityId, year)` subscription is in modules/live. */
@Resolver(() => City)
export class CityReadinessResolver {
  @FieldResolver(() => Readiness, {
    description:
      "The city's readiness for the year's monev (default: the city's current year): the index as it stands, gaps and who must act.",
  })
  async readiness(
    @Root() city: City,
    @Arg('year', () => Int, { nullable: true }) year: number | null,
    @Ctx() ctx: Context,
  ): Promise<Readiness> {
    policy.assertRead(ctx.principal, city.id, 'City', city.id);
    return cityReadiness(ctx, city, readinessYear(city, year, ctx.now));
  }
}
