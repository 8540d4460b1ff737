import type { EntityManager } from '@mikro-orm/core';
import { hashPassword } from '../../auth/passwords';
import { badInput } from '../../errors';
import { resolveInCity } from '../../events/writes';
import { isUuid } from '../../util/ids';
import { check } from '../../util/validate';
import { City } from '../cities/city.entity';
import { Opd } from '../opds/opd.entity';
import { Role, User } from './user.entity';

/** The shortest password accepted for a new or changed password. */
export const MIN_PASSWORD_LENGTH = 12;

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A new password, checked: BAD_USER_INPUT on `input.password` unless 12–200 characters. */
export function checkPassword(password: string): string {
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
export async function applyScope(
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
export interface NewUserFields {
  email: string;
  name: string;
  password: string;
  role: Role;
  cityId?: string | null;
  opdId?: string | null;
  evaluatorCityIds?: string[] | null;
}

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
