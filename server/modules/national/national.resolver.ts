import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { policy } from '../../auth/policy';
import type { Context } from '../../context';
import { City } from '../cities/city.entity';
import { cityFigures } from '../overview/batch';
import { NationalCityRow, NationalSort, sortRows } from './national';

/** `nationalOverview`: every city the viewer may read, side by side. */
@Resolver(() => NationalCityRow)
export class NationalResolver {
  @Query(() => [NationalCityRow], {
    description: [
      'The cities the viewer may read side by side (a platform admin: every city not archived; an evaluator: its assigned cities; anyone else: its one city),',
      'sorted by `sort`. A fixed number of SQL statements whatever the number of cities.',
    ].join(' '),
  })
  async nationalOverview(@Arg('sort', () => NationalSort, { nullable: true }) sort: NationalSort | null, @Ctx() ctx: Context): Promise<NationalCityRow[]> {
    const principal = policy.requireLogin(ctx.principal);
    const readable = policy.readableCityIds(principal);
    const cities = await ctx.em.find(City, readable === 'all' ? { archivedAt: null } : { id: { $in: readable }, archivedAt: null }, { orderBy: { name: 'asc', id: 'asc' } });
    ctx.loaders.prime(City, cities);
    const figures = await cityFigures(ctx, cities);
    const rows = cities.map((city): NationalCityRow => {
      const f = figures.get(city.id)!;
      return {
        cityId: city.id,
        name: city.name,
        province: city.province,
        city,
        progress: f.all.progress,
        verifiedProgress: f.verified.progress,
        actionPlanCount: f.all.counts.total,
        lateCount: f.all.counts.late,
        doneCount: f.all.counts.done,
        unverifiedCount: f.unverifiedCount,
        nextEvaluationVisit: f.all.nextEvaluationVisit,
        daysToNextEvaluation: f.all.daysToNextEvaluation,
      };
    });
    return sortRows(rows, sort ?? new NationalSort());
  }

  @FieldResolver(() => City)
  city(@Root() row: NationalCityRow): City {
    return row.city;
  }
}
