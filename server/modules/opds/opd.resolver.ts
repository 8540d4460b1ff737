import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Query, Resolver, Root } from 'type-graphql';
import { policy } from '../../auth/policy';
import type { Context } from '../../context';
import { notFound } from '../../errors';
import { isUuid } from '../../util/ids';
import { ActionPlanConnection, plansOf } from '../action-plans/action-plan.service';
import { ActionPlanFilter } from '../action-plans/action-plan.service';
import type { PlanRecord } from '../action-plans/plan-record';
import { City } from '../cities/city.entity';
import { cityOpds } from '../overview/city-data';
import { PageArgs, type Page } from '../../graphql/connection';
import { crudResolver, VersionedInput } from '../../graphql/crud';
import { check, given } from '../../util/validate';
import { resolveManagedParent } from '../../events/writes';
import { Opd } from './opd.entity';

@InputType({ description: 'A new OPD of a city.' })
class CreateOpdInput {
  @Field(() => ID) cityId!: string;
  @Field(() => String) name!: string;
  @Field(() => String) abbreviation!: string;
  @Field(() => String, { nullable: true }) head?: string | null;
  @Field(() => Boolean, { nullable: true }) leadingSector?: boolean | null;
}

@InputType({ description: 'Changes to an OPD.' })
class UpdateOpdInput extends VersionedInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) abbreviation?: string | null;
  @Field(() => String, { nullable: true }) head?: string | null;
  @Field(() => Boolean, { nullable: true }) leadingSector?: boolean | null;
}

/** create/update/archive Opd: city admins. */
export const OpdCrudResolver = crudResolver({
  name: 'Opd',
  entity: Opd,
  createInput: CreateOpdInput,
  updateInput: UpdateOpdInput,
  cityIdOf: (o) => o.city.id,
  async create(em, input, principal) {
    const city = await resolveManagedParent(em, City, 'City', input.cityId, 'cityId', (c) => c.id, principal);
    const opd = new Opd(city, check.text('name', input.name, 200), check.text('abbreviation', input.abbreviation, 40));
    opd.head = check.optionalText('head', input.head, 200);
    opd.leadingSector = input.leadingSector ?? false;
    return opd;
  },
  async update(_em, opd, input) {
    if (given(input.name) && input.name !== null) opd.name = check.text('name', input.name, 200);
    if (given(input.abbreviation) && input.abbreviation !== null) opd.abbreviation = check.text('abbreviation', input.abbreviation, 40);
    if (given(input.head)) opd.head = check.optionalText('head', input.head, 200);
    if (given(input.leadingSector) && input.leadingSector !== null) opd.leadingSector = input.leadingSector;
  },
});

/** Queries on OPDs. */
@Resolver(() => Opd)
export class OpdResolver {
  @Query(() => Opd, { description: 'One OPD; NOT_FOUND for one the viewer may not see.' })
  async opd(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Opd> {
    const opd = isUuid(id) ? await ctx.loaders.byId(Opd).load(id) : null;
    if (!opd) throw notFound('Opd', id);
    policy.assertRead(ctx.principal, opd.city.id, 'Opd', id);
    return opd;
  }

  @FieldResolver(() => ActionPlanConnection, { description: 'Plans this OPD owns.' })
  async actionPlans(
    @Root() opd: Opd,
    @Args(() => PageArgs) args: PageArgs,
    @Arg('filter', () => ActionPlanFilter, { nullable: true }) filter: ActionPlanFilter | null,
    @Ctx() ctx: Context,
  ): Promise<Page<PlanRecord>> {
    return plansOf(ctx, opd.city.id, { opdId: opd.id }, args, filter);
  }
}

/** `City.opds`. */
@Resolver(() => City)
export class CityOpdsResolver {
  @FieldResolver(() => [Opd], { description: "The city's OPDs, by name." })
  async opds(@Root() city: City, @Ctx() ctx: Context): Promise<Opd[]> {
    policy.assertRead(ctx.principal, city.id, 'City', city.id);
    return (await cityOpds(ctx, city.id)).filter((o) => o.archivedAt === null);
  }
}
