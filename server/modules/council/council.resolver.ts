import { Args, Ctx, Field, FieldResolver, ID, InputType, Resolver, Root } from 'type-graphql';
import { policy } from '../../auth/policy';
import type { Context } from '../../context';
import { City } from '../cities/city.entity';
import { connectionType, pageOfQuery, PageArgs, type Page } from '../common/connection';
import { crudResolver, VersionedInput } from '../common/crud';
import { check, given } from '../common/validate';
import { resolveManagedParent } from '../common/writes';
import { Council, CouncilCategory, CouncilMember } from './council.entity';

/** A page of council members. */
export const CouncilMemberConnection = connectionType(CouncilMember, 'CouncilMember');

@InputType({ description: 'A new council of a city.' })
class CreateCouncilInput {
  @Field(() => ID) cityId!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) decreeNumber?: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' }) decreeDate?: string | null;
}

@InputType({ description: 'Changes to a council.' })
class UpdateCouncilInput extends VersionedInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) decreeNumber?: string | null;
  @Field(() => String, { nullable: true }) decreeDate?: string | null;
}

/** create/update/archive Council: city admins. */
export const CouncilCrudResolver = crudResolver({
  name: 'Council',
  entity: Council,
  createInput: CreateCouncilInput,
  updateInput: UpdateCouncilInput,
  cityIdOf: (c) => c.city.id,
  async create(em, input, principal) {
    const city = await resolveManagedParent(em, City, 'City', input.cityId, 'cityId', (c) => c.id, principal);
    const council = new Council(city, check.text('name', input.name, 200));
    council.decreeNumber = check.optionalText('decreeNumber', input.decreeNumber, 120);
    council.decreeDate = check.optionalDate('decreeDate', input.decreeDate);
    return council;
  },
  async update(_em, council, input) {
    if (given(input.name) && input.name !== null) council.name = check.text('name', input.name, 200);
    if (given(input.decreeNumber)) council.decreeNumber = check.optionalText('decreeNumber', input.decreeNumber, 120);
    if (given(input.decreeDate)) council.decreeDate = check.optionalDate('decreeDate', input.decreeDate);
  },
});

@InputType({ description: 'A new council member.' })
class CreateCouncilMemberInput {
  @Field(() => ID) councilId!: string;
  @Field(() => String) name!: string;
  @Field(() => String) position!: string;
  @Field(() => String, { nullable: true }) organisation?: string | null;
  @Field(() => CouncilCategory) category!: CouncilCategory;
}

@InputType({ description: 'Changes to a council member.' })
class UpdateCouncilMemberInput extends VersionedInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) position?: string | null;
  @Field(() => String, { nullable: true }) organisation?: string | null;
  @Field(() => CouncilCategory, { nullable: true }) category?: CouncilCategory | null;
}

/** create/update/archive CouncilMember: city admins. */
export const CouncilMemberCrudResolver = crudResolver({
  name: 'CouncilMember',
  entity: CouncilMember,
  createInput: CreateCouncilMemberInput,
  updateInput: UpdateCouncilMemberInput,
  cityIdOf: (m) => m.city.id,
  async create(em, input, principal) {
    const council = await resolveManagedParent(em, Council, 'Council', input.councilId, 'councilId', (c) => c.city.id, principal);
    const member = new CouncilMember(council, check.text('name', input.name, 200), check.text('position', input.position, 200), input.category);
    member.organisation = check.optionalText('organisation', input.organisation, 200);
    return member;
  },
  async update(_em, member, input) {
    if (given(input.name) && input.name !== null) member.name = check.text('name', input.name, 200);
    if (given(input.position) && input.position !== null) member.position = check.text('position', input.position, 200);
    if (given(input.organisation)) member.organisation = check.optionalText('organisation', input.organisation, 200);
    if (input.category) member.category = input.category;
  },
});

/** `Council.members`, paged (a council can have 130 members). */
@Resolver(() => Council)
export class CouncilResolver {
  @FieldResolver(() => CouncilMemberConnection)
  async members(@Root() council: Council, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: Context): Promise<Page<CouncilMember>> {
    policy.assertRead(ctx.principal, council.city.id, 'Council', council.id);
    return pageOfQuery(ctx.em, CouncilMember, { council: council.id, archivedAt: null }, args);
  }
}

/** `City.councils`. */
@Resolver(() => City)
export class CityCouncilResolver {
  @FieldResolver(() => [Council], { description: 'Smart-city councils (usually one).' })
  async councils(@Root() city: City, @Ctx() ctx: Context): Promise<Council[]> {
    policy.assertRead(ctx.principal, city.id, 'City', city.id);
    return ctx.loaders.childrenOf(Council, 'city').load(city.id);
  }
}
