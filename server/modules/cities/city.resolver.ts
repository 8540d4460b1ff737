import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Query, Resolver, Root } from 'type-graphql';
import { policy } from '../../auth/policy';
import { memoize, type Context } from '../../context';
import { badInput, notFound } from '../../errors';
import { isUuid } from '../../util/ids';
import { crudResolver, VersionedInput } from '../common/crud';
import { pageSize } from '../common/connection';
import { check, given } from '../common/validate';
import { City, CityKind } from './city.entity';
import { citySeq, cityOpds, cityPlans, cityPrograms, cityVerifiedProgress, plansByIds } from '../dashboard/city-data';
import { ActionPlan } from '../action-plans/action-plan.entity';
import { computeOverview, CityOverview, nextEvaluationVisit, ProgressBasis } from '../dashboard/overview';

@InputType({ description: 'A new city or regency (platform admins only).' })
class CreateCityInput {
  @Field(() => String) name!: string;
  @Field(() => String) province!: string;
  @Field(() => CityKind, { nullable: true }) kind?: CityKind | null;
  @Field(() => Int, { nullable: true }) joinedYear?: number | null;
  @Field(() => String, { nullable: true, description: 'IANA time zone; default Asia/Jakarta (WIB). Use Asia/Makassar (WITA) or Asia/Jayapura (WIT) where it applies.' })
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

/** Loads a city the viewer may read, or NOT_FOUND. */
export async function readableCity(ctx: Context, id: string): Promise<City> {
  const city = isUuid(id) ? await ctx.loaders.byId(City).load(id) : null;
  if (!city) throw notFound('City', id);
  policy.assertRead(ctx.principal, city.id, 'City', id);
  return city;
}

/** The overview of a city, computed once per request and basis from the shared city data. */
export function cityOverview(ctx: Context, city: City, basis: ProgressBasis = ProgressBasis.ALL): Promise<CityOverview> {
  return memoize(ctx, `overview:${city.id}:${basis}`, async () => {
    // The sequence first: the figures read after it reflect at least that change.
    const seq = await citySeq(ctx, city.id);
    const [rows, programs, opds, nextVisit] = await Promise.all([cityPlans(ctx, city.id), cityPrograms(ctx, city.id), cityOpds(ctx, city.id), nextEvaluationVisit(ctx.em, city, ctx.now)]);
    let plans = rows;
    if (basis === ProgressBasis.VERIFIED) {
      const verified = await cityVerifiedProgress(ctx, city.id);
      plans = rows.map((r) => ({ ...r, progress: verified.get(r.id) ?? 0 }));
    }
    return computeOverview(city, { seq, plans, programs: [...programs.values()], opds, nextVisit }, ctx.now, ctx.locale, basis);
  });
}

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

  @FieldResolver(() => CityOverview, { description: 'The city at a glance: progress, dimensions, quick wins, OPDs, late plans, next evaluation visit.' })
  async overview(
    @Root() city: City,
    @Arg('basis', () => ProgressBasis, { defaultValue: ProgressBasis.ALL, description: 'ALL reports (default) or VERIFIED ones only.' }) basis: ProgressBasis,
    @Ctx() ctx: Context,
  ): Promise<CityOverview> {
    return cityOverview(ctx, city, basis);
  }
}

/** `CityOverview.lateActionPlans`: the most overdue plans first, as many as asked. */
@Resolver(() => CityOverview)
export class CityOverviewResolver {
  @FieldResolver(() => [ActionPlan], { description: 'Late plans, earliest due date first; `counts.late` has how many there are in all.' })
  async lateActionPlans(
    @Root() overview: CityOverview,
    @Arg('first', () => Int, { defaultValue: 50, description: 'How many (at most 100).' }) first: number,
    @Ctx() ctx: Context,
  ): Promise<ActionPlan[]> {
    const n = pageSize(first);
    if (overview.latePlans && (n <= overview.latePlans.length || overview.latePlans.length === overview.lateIds.length)) return overview.latePlans.slice(0, n);
    return plansByIds(ctx, overview.lateIds.slice(0, n));
  }
}
