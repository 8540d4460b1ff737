import { Ctx, Field, FieldResolver, ID, InputType, Resolver, Root } from 'type-graphql';
import { policy } from '../../auth/policy';
import type { Context } from '../../context';
import { City } from '../cities/city.entity';
import { crudResolver, VersionedInput } from '../common/crud';
import { check, given } from '../common/validate';
import { resolveInCity, resolveManagedParent } from '../common/writes';
import { Opd } from '../opds/opd.entity';
import { Team, TeamMember, TeamRole } from './team.entity';

@InputType({ description: 'A new implementation team of a city.' })
class CreateTeamInput {
  @Field(() => ID) cityId!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) decreeNumber?: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' }) decreeDate?: string | null;
}

@InputType({ description: 'Changes to a team.' })
class UpdateTeamInput extends VersionedInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) decreeNumber?: string | null;
  @Field(() => String, { nullable: true }) decreeDate?: string | null;
}

/** create/update/archive Team: city admins. */
export const TeamCrudResolver = crudResolver({
  name: 'Team',
  entity: Team,
  createInput: CreateTeamInput,
  updateInput: UpdateTeamInput,
  cityIdOf: (t) => t.city.id,
  async create(em, input, principal) {
    const city = await resolveManagedParent(em, City, 'City', input.cityId, 'cityId', (c) => c.id, principal);
    const team = new Team(city, check.text('name', input.name, 200));
    team.decreeNumber = check.optionalText('decreeNumber', input.decreeNumber, 120);
    team.decreeDate = check.optionalDate('decreeDate', input.decreeDate);
    return team;
  },
  async update(_em, team, input) {
    if (given(input.name) && input.name !== null) team.name = check.text('name', input.name, 200);
    if (given(input.decreeNumber)) team.decreeNumber = check.optionalText('decreeNumber', input.decreeNumber, 120);
    if (given(input.decreeDate)) team.decreeDate = check.optionalDate('decreeDate', input.decreeDate);
  },
});

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
