import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { policy } from '../../auth/policy';
import type { Context } from '../../context';
import { badInput } from '../../errors';
import { todayIn } from '../../util/dates';
import { City } from '../cities/city.entity';
import { Readiness } from './readiness';
import { cityReadiness } from './readiness.service';

/** The year a readiness is for: the one asked (2000–2100), else the city's current year. */
export function readinessYear(city: City, year: number | null | undefined, now: Date): number {
  if (year === null || year === undefined) return Number(todayIn(city.timeZone, now).slice(0, 4));
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw badInput('year', 'yearRange', { min: 2000, max: 2100 });
  return year;
}

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
