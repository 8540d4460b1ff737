import type { EntityManager } from '@mikro-orm/core';
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
import { resolveInCity } from '../../events/writes';
import { Opd } from '../opds/opd.entity';
import { Role, User } from './user.entity';

/** A page of users. */
export const UserConnection = connectionType(User, 'User');

/** The shortest password accepted for a new or changed password. */
export const MIN_PASSWORD_LENGTH = 12;

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

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

function checkPassword(password: string): string {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > 200)
    throw badInput('input.password', 'passwordLength', { min: MIN_PASSWORD_LENGTH });
  return password;
}

async function evaluatorCities(em: EntityManager, ids: readonly string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) throw badInput('input.evaluatorCityIds', 'roleScope', { role: Role.EVALUATOR, what: 'evaluatorCityIds' });
  if (unique.length > 100) throw badInput('input.evaluatorCityIds', 'tooMany', { max: 100 });
  const found = unique.every(isUuid) ? await em.count(City, { id: { $in: unique }, archivedAt: null }) : -1;
  if (found !== unique.length) throw badInput('input.evaluatorCityIds', 'notFound', { entity: 'City' });
  return unique;
}

/** Makes a user's city, OPD and evaluator cities fit its role; throws BAD_USER_INPUT otherwise. */
async function applyScope(
  em: EntityManager,
  user: User,
  input: { cityId?: string | null; opdId?: string | null; evaluatorCityIds?: string[] | null },
): Promise<void> {
  const cityId = user.city?.id ?? null;
  switch (user.role) {
    case Role.PLATFORM_ADMIN:
    case Role.EVALUATOR:
      if (input.cityId || input.opdId) throw badInput(input.cityId ? 'input.cityId' : 'input.opdId', 'roleNoScope', { role: user.role });
      user.city = null;
      user.opd = null;
      if (user.role === Role.EVALUATOR) {
        if (input.evaluatorCityIds) user.evaluatorCityIds = await evaluatorCities(em, input.evaluatorCityIds);
        else if (user.evaluatorCityIds.length === 0)
          throw badInput('input.evaluatorCityIds', 'roleScope', { role: user.role, what: 'evaluatorCityIds' });
      } else user.evaluatorCityIds = [];
      return;
    case Role.OPD_REPORTER:
      if (!cityId) throw badInput('input.cityId', 'roleScope', { role: user.role, what: 'cityId' });
      if (input.opdId) user.opd = await resolveInCity(em, Opd, 'Opd', input.opdId, cityId, 'opdId');
      if (!user.opd) throw badInput('input.opdId', 'roleScope', { role: user.role, what: 'opdId' });
      user.evaluatorCityIds = [];
      return;
    case Role.CITY_ADMIN:
    case Role.VIEWER:
      if (!cityId) throw badInput('input.cityId', 'roleScope', { role: user.role, what: 'cityId' });
      if (input.opdId) throw badInput('input.opdId', 'roleNoScope', { role: user.role });
      user.opd = null;
      user.evaluatorCityIds = [];
  }
}

/** The fields of a new user (`createUser`'s input; `npm run user:create` builds the same). */
export type NewUserFields = Pick<CreateUserInput, 'email' | 'name' | 'password' | 'role' | 'cityId' | 'opdId' | 'evaluatorCityIds'>;

/**
 * A new user, validated exactly as `createUser` validates it (email, name, password, role and
 * scope; BAD_USER_INPUT with `extensions.field` otherwise), in `city` (already found and authorised
 * by the caller). Not persisted.
 *
 * Whether the email already has an account (in any city) is the last thing checked, after
 * everything that does not depend on it, and the password is hashed either way: a request that
 * fails for any other reason answers the same, in the same time, whether the email exists or not.
 * Only a request valid in every way learns it — and when the email is free, that request creates
 * the account (audited).
 */
export async function newUser(em: EntityManager, input: NewUserFields, city: City | null): Promise<User> {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL_RE.test(email) || email.length > 254) throw badInput('input.email', 'invalidEmail');
  const user = new User(email, check.text('name', input.name, 200), '', input.role);
  const password = checkPassword(input.password);
  user.city = city;
  await applyScope(em, user, input);
  const [passwordHash, taken] = await Promise.all([hashPassword(password), em.count(User, { email })]);
  if (taken) throw badInput('input.email', 'emailTaken');
  user.passwordHash = passwordHash;
  return user;
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
