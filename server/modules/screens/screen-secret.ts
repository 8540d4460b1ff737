import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isUuid } from '../../util/ids';

/** Every screen token starts with this, so it is never mistaken for a login token (a JWT). */
export const SCREEN_TOKEN_PREFIX = 'pst_';

const TOKEN_RE = /^pst_([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/;

/** A new random secret: 32 bytes, base64url (43 characters). */
export function newScreenSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored instead of the secret: its SHA-256, hex. */
export function hashScreenSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The token a screen sends: `pst_<screenTokenId>.<secret>`. */
export function formatScreenToken(id: string, secret: string): string {
  return `${SCREEN_TOKEN_PREFIX}${id}.${secret}`;
}

/** The id and secret of a well-formed screen token; null otherwise. */
export function parseScreenToken(token: string): { id: string; secret: string } | null {
  const match = TOKEN_RE.exec(token);
  if (!match?.[1] || !match[2] || !isUuid(match[1])) return null;
  return { id: match[1], secret: match[2] };
}

/** Whether `secret` is the one whose hash is `storedHash`, compared in constant time. */
export function screenSecretMatches(secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashScreenSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return stored.length === given.length && timingSafeEqual(given, stored);
}
