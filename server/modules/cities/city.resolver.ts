import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Query, Resolver, Root } from 'type-graphql';
import { policy } from '../../auth/policy';
import type { Context } from '../../context';
import { badInput } from '../../errors';
import { crudResolver, VersionedInput } from '../../graphql/crud';
import { check, given } from '../../util/validate';
import { City, CityKind } from './city.entity';
import { readableCity } from './city.service';
import { HistoryInterval, HistoryPlans, MAX_HISTORY_POINTS, ProgressHistory } from '../overview/history';
import { CityOverview, ProgressBasis } from '../overview/overview';
import { cityOverview, progressHistory } from '../overview/overview.service';

@InputType({ description: 'A new city or regency (platform admins only).' })
class CreateCityInput {
  @Field(() => String) name!: string;
  @Field(() => String) province!: string;
  @Field(() => CityKind, { nullable: true }) kind?: CityKind | null;
  @Field(() => Int, { nullable: true }) joinedYear?: number | null;
  @Field(() => String, {
    nullable: true,
    description: 'IANA time zone; default Asia/Jakarta (WIB). Use Asia/Makassar (WITA) or Asia/Jayapura (WIT) where it applies.',
  })
  timeZone?: string | null;
}

@InputType({ description: 'Changes to a city; fields left out stay as they are.' })
class UpdateCityInput extends VersionedInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) province?: string | null;
  @Field(() => CityKind, { nullable: true }) kind?: CityKind | null;
  @Field(() => Int, { nullable: true }) joinedYear?: number | null;
  @Field(() => String, { nullable: true }) timeZone?: string | null;
}

function checkTimeZone(value: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return value;
  } catch {
    throw badInput('input.timeZone', 'required');
  }
}

/** create/archive City: platform admins; update: also the city's own admins. */
export const CityCrudResolver = crudResolver({
  name: 'City',
  entity: City,
  createInput: CreateCityInput,
  updateInput: UpdateCityInput,
  cityIdOf: (c) => c.id,
  authorize: (principal, c) => policy.assertManage(principal, c.id, 'City', c.id),
  authorizeArchive: (principal, c) => {
    policy.assertRead(principal, c.id, 'City', c.id);
    return policy.assertManageCities(principal);
  },
  async create(_em, input, principal) {
    policy.assertManageCities(principal);
    const city = new City(check.text('name', input.name, 120), check.text('province', input.province, 120));
    if (input.kind) city.kind = input.kind;
    if (given(input.joinedYear) && input.joinedYear !== null) city.joinedYear = check.year('joinedYear', input.joinedYear);
    if (input.timeZone) city.timeZone = checkTimeZone(input.timeZone);
    return city;
  },
  async update(_em, city, input) {
    if (given(input.name) && input.name !== null) city.name = check.text('name', input.name, 120);
    if (given(input.province) && input.province !== null) city.province = check.text('province', input.province, 120);
    if (input.kind) city.kind = input.kind;
    if (given(input.joinedYear)) city.joinedYear = input.joinedYear === null ? null : check.year('joinedYear', input.joinedYear);
    if (input.timeZone) city.timeZone = checkTimeZone(input.timeZone);
  },
});

/** Queries on cities and the city-level fields. */
@Resolver(() => City)
export class CityResolver {
  @Query(() => [City], { description: 'The cities the viewer may see, by name.' })
  async cities(@Ctx() ctx: Context): Promise<City[]> {
    const principal = policy.requireLogin(ctx.principal);
    const ids = policy.readableCityIds(principal);
    const where = ids === 'all' ? { archivedAt: null } : { id: { $in: ids }, archivedAt: null };
    const cities = await ctx.em.find(City, where, { orderBy: { name: 'asc' } });
    ctx.loaders.prime(City, cities);
    return cities;
  }

  @Query(() => City, { description: 'One city; NOT_FOUND for a city the viewer may not see.' })
  async city(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<City> {
    return readableCity(ctx, id);
  }

  @FieldResolver(() => CityOverview, {
    description: 'The city at a glance: progress, dimensions, quick wins, OPDs, late plans, next evaluation visit.',
  })
  async overview(
    @Root() city: City,
    @Arg('basis', () => ProgressBasis, { defaultValue: ProgressBasis.ALL, description: 'ALL reports (default) or VERIFIED ones only.' })
    basis: ProgressBasis,
    @Ctx() ctx: Context,
  ): Promise<CityOverview> {
    return cityOverview(ctx, city, basis);
  }

  @FieldResolver(() => ProgressHistory, {
    description: [
      'The city\'s progress as of past dates ("what was our progress on the day of last year\'s visit?"), as columns for a chart.',
      "`to` defaults to the city's today; `from` to 12 months before `to`, but not before 1 January of the first year of the city's earliest masterplan.",
      `Points step by \`interval\` from \`from\`, and the last point is always \`to\`; at most ${MAX_HISTORY_POINTS} points.`,
      'BAD_USER_INPUT (`extensions.field` `from`, `to` or `interval`) for a date not written YYYY-MM-DD, `from` after `to`, or too many points.',
    ].join(' '),
  })
  async progressHistory(
    @Root() city: City,
    @Arg('from', () => String, { nullable: true, description: 'The first point, YYYY-MM-DD.' }) from: string | null | undefined,
    @Arg('to', () => String, { nullable: true, description: "The last point, YYYY-MM-DD; default the city's today." })
    to: string | null | undefined,
    @Arg('interval', () => HistoryInterval, {
      nullable: true,
      defaultValue: HistoryInterval.WEEK,
      description: 'The step between points (default WEEK; null counts as the default).',
    })
    interval: HistoryInterval | null,
    @Arg('basis', () => ProgressBasis, {
      nullable: true,
      defaultValue: ProgressBasis.ALL,
      description: 'ALL reports (default) or VERIFIED ones only; null counts as the default.',
    })
    basis: ProgressBasis | null,
    @Arg('plans', () => HistoryPlans, {
      nullable: true,
      defaultValue: HistoryPlans.ALL,
      description: "Which plans count: ALL (default) or this PERIOD's plans only (see HistoryPlans); null counts as the default.",
    })
    plans: HistoryPlans | null,
    @Ctx() ctx: Context,
  ): Promise<ProgressHistory> {
    return progressHistory(ctx, city, {
      from,
      to,
      interval: interval ?? HistoryInterval.WEEK,
      basis: basis ?? ProgressBasis.ALL,
      plans: plans ?? HistoryPlans.ALL,
    });
  }
}
