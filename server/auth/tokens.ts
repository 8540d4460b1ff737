import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';

const ISSUER = 'pantau';
const AUDIENCE = 'pantau-api';

/** Claims Pantau puts in a token: the user id in `sub`; the role is re-read from the database. */
export interface TokenClaims {
  sub: string;
  /** The user's session generation when the token was issued (see `User.sessionGeneration`). */
  gen: number;
  /** Expires at, in seconds since the epoch (every token has one). */
  exp: number;
}

/** Signs and verifies JWTs (HS256) with the deployment's shared secret. */
export class TokenService {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  /** How long a token lives, in milliseconds. */
  get ttlMs(): number {
    return this.ttlSeconds * 1_000;
  }

  /** A token for a user in its current session generation, valid for the configured lifetime. */
  async sign(userId: string, generation: number): Promise<string> {
    return new SignJWT({ gen: generation })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.key);
  }

  /**
   * The claims of a valid token, or null for an invalid, expired or foreign one, and for one
   * without an expiry or a session generation (a token that never expires is never accepted).
   */
  async verify(token: string): Promise<TokenClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'sub', 'gen'],
      });
      const { sub, gen, exp } = payload;
      if (typeof sub !== 'string' || typeof exp !== 'number' || typeof gen !== 'number' || !Number.isSafeInteger(gen)) return null;
      return { sub, gen, exp };
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) return null;
      throw error;
    }
  }
}

/**
 * The JWT secret: JWT_SECRET when set; otherwise (embedded default only) one generated on first
 * start and kept in `<dataDir>/jwt-secret` with mode 0600, so tokens survive restarts.
 */
export async function resolveJwtSecret(configured: string | null, dataDir: string): Promise<string> {
  if (configured) return configured;
  const file = path.join(dataDir, 'jwt-secret');
  try {
    const existing = (await fs.readFile(file, 'utf8')).trim();
    if (existing.length >= 32) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await fs.mkdir(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  try {
    await fs.writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    // Another instance wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return (await fs.readFile(file, 'utf8')).trim();
    throw error;
  }
}
