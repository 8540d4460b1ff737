import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Query, Resolver, Root } from 'type-graphql';
import { hashPassword } from '../../auth/passwords';
import { policy, type Principal } from '../../auth/policy';
import { revokeSessions } from '../../auth/principal';
import type { Context } from '../../context';
import { badInput, forbidden } from '../../errors';
import { isUuid } from '../../util/ids';
import { City } from '../cities/city.entity';
import { connectionType, pageOfQuery, PageArgs, type Page } from '../../graphql/connection';
import { crudResolver, VersionedInput } from '../../graphql/crud';
import { check, given } from '../../util/validate';
import { Opd } from '../opds/opd.entity';
import { Role, User } from './user.entity';
import { applyScope, checkPassword, MIN_PASSWORD_LENGTH, newUser } from './user.service';

/** A page of users. */
export const UserConnection = connectionType(User, 'User');

@InputType({
  description:
    'A new user account. CITY_ADMIN and VIEWER need cityId; OPD_REPORTER needs cityId and opdId; EVALUATOR needs evaluatorCityIds.',
})
class CreateUserInput {
  @Field(() => String) email!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: `At least ${MIN_PASSWORD_LENGTH} characters.` }) password!: string;
  @Field(() => Role) role!: Role;
  @Field(() => ID, { nullable: true }) cityId?: string | null;
  @Field(() => ID, { nullable: true }) opdId?: string | null;
  @Field(() => [ID], { nullable: true }) evaluatorCityIds?: string[] | null;
}

@InputType({ description: "Changes to a user. A new password or role ends the user's sessions. The city cannot change." })
class UpdateUserInput extends VersionedInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) password?: string | null;
  @Field(() => Role, { nullable: true }) role?: Role | null;
  @Field(() => ID, { nullable: true }) opdId?: string | null;
  @Field(() => [ID], { nullable: true }) evaluatorCityIds?: string[] | null;
}

/** create/update/archive User: platform admins for everyone, city admins for their city's reporters and viewers. */
export const UserCrudResolver = crudResolver({
  name: 'User',
  entity: User,
  createInput: CreateUserInput,
  updateInput: UpdateUserInput,
  cityIdOf: (u) => u.city?.id ?? '',
  authorize: (principal, u) => policy.assertManageUser(principal, { role: u.role, cityId: u.city?.id ?? null }, u.id),
  async create(em, input, principal) {
    const p = policy.requireLogin(principal);
    let city: City | null = null;
    if (input.cityId) {
      city = isUuid(input.cityId) ? await em.findOne(City, { id: input.cityId, archivedAt: null }) : null;
      if (!city || !policy.canReadCity(p, city.id)) throw badInput('input.cityId', 'notFound', { entity: 'City' });
    }
    policy.assertManageUser(p, { role: input.role, cityId: city?.id ?? null });
    return newUser(em, input, city);
  },
  async update(em, user, input, principal) {
    const now = new Date();
    if (given(input.name) && input.name !== null) user.name = check.text('name', input.name, 200);
    if (input.password) {
      user.passwordHash = await hashPassword(checkPassword(input.password));
      revokeSessions(user, now);
    }
    if (input.role && input.role !== user.role) {
      // The new role must be one the principal may hand out, too.
      policy.assertManageUser(principal, { role: input.role, cityId: user.city?.id ?? null }, user.id);
      user.role = input.role;
      revokeSessions(user, now);
    }
    await applyScope(em, user, input);
  },
  onArchive(user, now, principal) {
    if (user.id === principal.userId) throw badInput('input.id', 'notYourself');
    revokeSessions(user, now);
  },
});

/** Listing users and their scope. */
@Resolver(() => User)
export class UserAdminResolver {
  @Query(() => UserConnection, { description: "Users: a city admin sees its own city's; a platform admin all, or one city's." })
  async users(
    @Arg('cityId', () => ID, { nullable: true }) cityId: string | null,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<Page<User>> {
    const p: Principal = policy.requireLogin(ctx.principal);
    if (p.role === Role.PLATFORM_ADMIN) return pageOfQuery(ctx.em, User, cityId ? { city: cityId } : {}, args);
    if (p.role !== Role.CITY_ADMIN || !p.cityId) throw forbidden();
    if (cityId && cityId !== p.cityId) policy.assertManage(p, cityId, 'City', cityId);
    return pageOfQuery(ctx.em, User, { city: p.cityId }, args);
  }

  @FieldResolver(() => City, { nullable: true })
  async city(@Root() user: User, @Ctx() ctx: Context): Promise<City | null> {
    return user.city ? ctx.loaders.byId(City).load(user.city.id) : null;
  }

  @FieldResolver(() => Opd, { nullable: true })
  async opd(@Root() user: User, @Ctx() ctx: Context): Promise<Opd | null> {
    return user.opd ? ctx.loaders.byId(Opd).load(user.opd.id) : null;
  }

  @FieldResolver(() => [City], { description: 'For an evaluator: the cities it reads.' })
  async evaluatorCities(@Root() user: User, @Ctx() ctx: Context): Promise<City[]> {
    const cities = await ctx.loaders.byId(City).loadMany(user.evaluatorCityIds);
    return cities.filter((c): c is City => c instanceof City);
  }
}
