import { Ctx, Field, FieldResolver, ID, InputType, Resolver, Root } from 'type-graphql';
import { policy } from '../../auth/policy';
import type { Context } from '../../context';
import { City } from '../cities/city.entity';
import { crudResolver, VersionedInput } from '../../graphql/crud';
import { decreedBodyCrud } from '../../graphql/decree';
import { check, given } from '../../util/validate';
import { resolveInCity, resolveManagedParent } from '../../events/writes';
import { Opd } from '../opds/opd.entity';
import { Team, TeamMember, TeamRole } from './team.entity';

/** create/update/archive Team: city admins. */
export const TeamCrudResolver = decreedBodyCrud('Team', Team, (city, n) => new Team(city, n), 'team');

@InputType({ description: 'A new team member.' })
class CreateTeamMemberInput {
  @Field(() => ID) teamId!: string;
  @Field(() => String) name!: string;
  @Field(() => TeamRole) role!: TeamRole;
  @Field(() => String, { nullable: true }) position?: string | null;
  @Field(() => ID, { nullable: true, description: 'The OPD the member represents.' }) opdId?: string | null;
}

@InputType({ description: 'Changes to a team member.' })
class UpdateTeamMemberInput extends VersionedInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => TeamRole, { nullable: true }) role?: TeamRole | null;
  @Field(() => String, { nullable: true }) position?: string | null;
  @Field(() => ID, { nullable: true }) opdId?: string | null;
}

/** create/update/archive TeamMember: city admins. */
export const TeamMemberCrudResolver = crudResolver({
  name: 'TeamMember',
  entity: TeamMember,
  createInput: CreateTeamMemberInput,
  updateInput: UpdateTeamMemberInput,
  cityIdOf: (m) => m.city.id,
  async create(em, input, principal) {
    const team = await resolveManagedParent(em, Team, 'Team', input.teamId, 'teamId', (t) => t.city.id, principal);
    const member = new TeamMember(team, check.text('name', input.name, 200), input.role);
    member.position = check.optionalText('position', input.position, 200);
    if (input.opdId) member.opd = await resolveInCity(em, Opd, 'Opd', input.opdId, team.city.id, 'opdId');
    return member;
  },
  async update(em, member, input) {
    if (given(input.name) && input.name !== null) member.name = check.text('name', input.name, 200);
    if (input.role) member.role = input.role;
    if (given(input.position)) member.position = check.optionalText('position', input.position, 200);
    if (given(input.opdId)) member.opd = input.opdId ? await resolveInCity(em, Opd, 'Opd', input.opdId, member.city.id, 'opdId') : null;
  },
});

/** `Team.members` and `TeamMember.opd`. */
@Resolver(() => Team)
export class TeamResolver {
  @FieldResolver(() => [TeamMember], { description: 'Members, leader first.' })
  async members(@Root() team: Team, @Ctx() ctx: Context): Promise<TeamMember[]> {
    const order: TeamRole[] = [TeamRole.LEADER, TeamRole.DEPUTY, TeamRole.SECRETARY, TeamRole.MEMBER];
    const members = await ctx.loaders.childrenOf(TeamMember, 'team').load(team.id);
    return [...members].sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role));
  }
}

/** `TeamMember.opd`. */
@Resolver(() => TeamMember)
export class TeamMemberResolver {
  @FieldResolver(() => Opd, { nullable: true })
  async opd(@Root() member: TeamMember, @Ctx() ctx: Context): Promise<Opd | null> {
    return member.opd ? ctx.loaders.byId(Opd).load(member.opd.id) : null;
  }
}

/** `City.teams`. */
@Resolver(() => City)
export class CityTeamResolver {
  @FieldResolver(() => [Team], { description: 'Implementation teams (usually one).' })
  async teams(@Root() city: City, @Ctx() ctx: Context): Promise<Team[]> {
    policy.assertRead(ctx.principal, city.id, 'City', city.id);
    return ctx.loaders.childrenOf(Team, 'city').load(city.id);
  }
}
