import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import { policy } from '../../auth/policy';
import type { Context } from '../../context';
import { City } from '../cities/city.entity';
import { cityReadiness } from '../monev/readiness.service';
import { cityFigures } from '../overview/batch';
import { todayIn } from '../../util/dates';
import { NationalCityRow, NationalSort, NationalSortKey, sortRows } from './national';

/** `nationalOverview`: every city the viewer may read, side by side. */
@Resolver(() => NationalCityRow)
export class NationalResolver {
  @Query(() => [NationalCityRow], {
    description: [
      'The cities the viewer may read side by side (a platform admin: every city not archived; an evaluator: its assigned cities; anyone else: its one city),',
      'sorted by `sort`. The overview figures take a fixed number of SQL statements whatever the number of cities; the index and readiness gaps a few per city.',
    ].join(' '),
  })
  async nationalOverview(
    @Arg('sort', () => NationalSort, { nullable: true }) sort: NationalSort | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<NationalCityRow[]> {
    const principal = policy.requireLogin(ctx.principal);
    const readable = policy.readableCityIds(principal);
    const cities = await ctx.em.find(City, readable === 'all' ? { archivedAt: null } : { id: { $in: readable }, archivedAt: null }, {
      orderBy: { name: 'asc', id: 'asc' },
    });
    ctx.loaders.prime(City, cities);
    const figures = await cityFigures(ctx, cities);
    // Readiness per city, in turn (a handful of statements each), only when asked for or sorted by.
    const wantsReadiness = sort?.by === NationalSortKey.INDEX || sort?.by === NationalSortKey.GAPS || selects(info, READINESS_FIELDS);
    const readiness = new Map<string, Awaited<ReturnType<typeof cityReadiness>>>();
    if (wantsReadiness)
      for (const city of cities)
        readiness.set(city.id, await cityReadiness(ctx, city, Number(todayIn(city.timeZone, ctx.now).slice(0, 4))));
    const rows = cities.map((city): NationalCityRow => {
      const f = figures.get(city.id)!;
      const r = readiness.get(city.id);
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
        evaluationYear: r?.year ?? Number(todayIn(city.timeZone, ctx.now).slice(0, 4)),
        index: r?.assessmentId ? r.index : null,
        indexScaleMax: r?.frameworkId ? r.scaleMax : null,
        readinessGaps: r?.gaps.total ?? 0,
      };
    });
    return sortRows(rows, sort ?? new NationalSort());
  }

  @FieldResolver(() => City)
  city(@Root() row: NationalCityRow): City {
    return row.city;
  }
}

/** The row fields that need the evaluation module's readiness. */
const READINESS_FIELDS = new Set(['index', 'indexScaleMax', 'readinessGaps']);

/** Whether the field's selection (through fragments) asks for any of `names`. */
function selects(info: GraphQLResolveInfo, names: ReadonlySet<string>): boolean {
  const visit = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((s) => {
      if (s.kind === Kind.FIELD) return names.has(s.name.value);
      if (s.kind === Kind.INLINE_FRAGMENT) return visit(s.selectionSet);
      return visit(info.fragments[s.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node) => visit(node.selectionSet));
}
