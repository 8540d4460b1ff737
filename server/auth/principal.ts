import { raw, type EntityManager } from '@mikro-orm/core';
import { ScreenToken } from '../modules/screens/screen-token.entity';
import { parseScreenToken, screenSecretMatches } from '../modules/screens/screen-secret';
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
 * The principal behind a token: null when the user is gone or archived, or when the token belongs
 * to an earlier session generation (its sessions were ended since: password or role change, archive).
 */
export async function loadPrincipal(em: EntityManager, claims: Pick<TokenClaims, 'sub' | 'gen'>): Promise<Principal | null> {
  const user = await em.findOne(User, { id: claims.sub, archivedAt: null });
  if (!user || user.sessionGeneration !== claims.gen) return null;
  return principalOf(user);
}

/** Ends every session a user holds, exactly: tokens of earlier generations stop working (they must log in again). */
export function revokeSessions(user: User, now: Date): void {
  user.sessionGeneration += 1;
  user.sessionsValidAfter = now;
}

/** The principal of a screen token: a read-only VIEWER of its one city that is no user. */
export function screenPrincipalOf(token: ScreenToken): Principal {
  const cityId = token.city.id;
  return {
    userId: `screen:${token.id}`,
    email: '',
    name: token.label,
    role: Role.VIEWER,
    cityId,
    cityIds: [cityId],
    opdId: null,
    isScreen: true,
  };
}

/** How often a screen token's `lastUsedAt` is written, at most. */
const LAST_USED_EVERY_MS = 60_000;

/**
 * The principal behind a screen token (`pst_<id>.<secret>`): null when it is malformed, unknown,
 * revoked or archived, when its city is archived, or when the secret does not match (compared as
 * SHA-256 hashes, in constant time). Notes `lastUsedAt` at most once a minute, without touching
 * the row's version, so an admin's `revokeScreenToken` with the version it read never conflicts.
 */
export async function loadScreenPrincipal(em: EntityManager, token: string, now: Date): Promise<Principal | null> {
  const parsed = parseScreenToken(token);
  if (!parsed) return null;
  const row = await em.findOne(ScreenToken, { id: parsed.id, revokedAt: null, archivedAt: null, city: { archivedAt: null } });
  if (!row || !screenSecretMatches(parsed.secret, row.tokenHash)) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_EVERY_MS) {
    const before = new Date(now.getTime() - LAST_USED_EVERY_MS);
    // Best effort: a busy database must not lock a screen out.
    // `version` given as itself: MikroORM would otherwise bump it on a native update.
    await em
      .nativeUpdate(
        ScreenToken,
        { id: row.id, $or: [{ lastUsedAt: null }, { lastUsedAt: { $lte: before } }] },
        { lastUsedAt: now, version: raw('version') },
      )
      .catch(() => 0);
  }
  return screenPrincipalOf(row);
}
