import type { EntityManager } from '@mikro-orm/core';
import { Role, User } from '../modules/users/user.entity';
import type { Principal } from './policy';
import type { TokenClaims } from './tokens';

/** The principal of a user row. */
export function principalOf(user: User): Principal {
  const cityId = user.city?.id ?? null;
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    cityId,
    cityIds: user.role === Role.EVALUATOR ? [...user.evaluatorCityIds] : cityId ? [cityId] : [],
    opdId: user.opd?.id ?? null,
  };
}

/**
 * The principal behind a token: null when the user is gone or archived, or when the token was
 * issued before the user's sessions were revoked (password or role change, archive).
 */
export async function loadPrincipal(em: EntityManager, claims: TokenClaims | string): Promise<Principal | null> {
  const { sub, iat } = typeof claims === 'string' ? { sub: claims, iat: undefined } : claims;
  const user = await em.findOne(User, { id: sub, archivedAt: null });
  if (!user) return null;
  if (user.sessionsValidAfter && (iat === undefined || iat * 1_000 < user.sessionsValidAfter.getTime())) return null;
  return principalOf(user);
}

/** Revokes every token a user holds (they must log in again). Truncated to the second, as token `iat` is. */
export function revokeSessions(user: User, now: Date): void {
  user.sessionsValidAfter = new Date(Math.floor(now.getTime() / 1_000) * 1_000);
}
