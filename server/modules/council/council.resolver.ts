import { Args, Ctx, Field, FieldResolver, ID, InputType, Resolver, Root } from 'type-graphql';
import { policy } from '../../auth/policy';
import type { Context } from '../../context';
import { City } from '../cities/city.entity';
import { connectionType, pageOfQuery, PageArgs, type Page } from '../../graphql/connection';
import { crudResolver, VersionedInput } from '../../graphql/crud';
import { decreedBodyCrud } from '../../graphql/decree';
import { check, given } from '../../util/validate';
import { resolveManagedParent } from '../../events/writes';
import { Council, CouncilCategory, CouncilMember } from './council.entity';

/** A page of council members. */
export const CouncilMemberConnection = connectionType(CouncilMember, 'CouncilMember');

/** create/update/archive Council: city admins. */
export const CouncilCrudResolver = decreedBodyCrud('Council', Council, (city, n) => new Council(city, n), 'council');

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
    const member = new CouncilMember(
      council,
      check.text('name', input.name, 200),
      check.text('position', input.position, 200),
      input.category,
    );
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
