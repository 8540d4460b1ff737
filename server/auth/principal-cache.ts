import type { Principal } from './policy';
import { cityOfSubject } from './subjects';

/** Options of the principal cache (units in the names). */
export interface PrincipalCacheOptions {
  /** Most tokens kept; the least recently used goes first. */
  maxEntries?: number;
  /** A safety net only: revocations drop entries (see `trusted` for the bound on a lost notice). */
  ttlMs?: number;
  /**
   * Whether entries may be served now: every revocation committed up to the worst-case window ago
   * has reached this instance (and pub/sub is up). While false every token is loaded, and nothing kept.
   */
  trusted?: () => boolean;
}

interface Entry {
  principal: Principal;
  /** When the token itself expires (ms since the epoch; screen tokens: never). */
  expiresAt: number;
  /** When the entry is dropped anyway. */
  staleAt: number;
}

/**
 * The principals of recently seen bearer tokens, so that a request with a token seen a moment ago
 * needs neither a JWT verification nor a database read. Keyed by the exact token text: only a
 * token that was verified (signature, expiry, session generation, or a screen token's secret) and
 * loaded is ever found here.
 *
 * Never stale past a change: a subject's entries are dropped when its revocation reaches this
 * instance (sessions ended, role/scope/name changed, archived, screen token revoked, a city
 * archived: `city:<id>` drops its screen tokens) — at once on the instance that made the change,
 * over pub/sub on the others, or from the revocation log (events/revocations.ts); a load that
 * overlaps a revocation is not kept; and nothing is served while `trusted` says revocations may be
 * missing (log not read within the bound, pub/sub down).
 */
export class PrincipalCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  /** Bumped by every invalidation: a load that started before one is not cached. */
  private epoch = 0;
  private readonly trusted: () => boolean;
  /** Hits, misses, and loads while not trusted (tests, benchmark). */
  readonly counters = { hits: 0, misses: 0, untrusted: 0 };

  constructor({ maxEntries = 10_000, ttlMs = 30_000, trusted = () => true }: PrincipalCacheOptions = {}) {
    this.maxEntries = maxEntries;
    this.ttlMs = ttlMs;
    this.trusted = trusted;
  }

  /**
   * The principal of `token`: from the cache, or from `load` (null: refused, never cached).
   * `load` returns the principal and when the token expires; `now` is the time in ms.
   */
  async resolve(
    token: string,
    load: () => Promise<{ principal: Principal; expiresAt: number } | null>,
    now = Date.now(),
  ): Promise<Principal | null> {
    if (!this.trusted()) {
      this.counters.untrusted++;
      return (await load())?.principal ?? null;
    }
    const found = this.entries.get(token);
    if (found) {
      this.entries.delete(token);
      if (found.staleAt > now && found.expiresAt > now) {
        this.entries.set(token, found); // most recently used
        this.counters.hits++;
        return found.principal;
      }
    }
    this.counters.misses++;
    const epoch = this.epoch;
    const loaded = await load();
    if (!loaded) return null;
    if (epoch === this.epoch) {
      this.entries.set(token, { principal: loaded.principal, expiresAt: loaded.expiresAt, staleAt: now + this.ttlMs });
      if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    }
    return loaded.principal;
  }

  /** The invalidation count now: give it to `remember` for a principal read after this moment. */
  get version(): number {
    return this.epoch;
  }

  /**
   * Keeps the principal of a token just issued (login), unless an invalidation came since
   * `version` was read (before the user was read).
   */
  remember(token: string, principal: Principal, expiresAt: number, version: number, now = Date.now()): void {
    if (version !== this.epoch || !this.trusted()) return;
    this.entries.set(token, { principal, expiresAt, staleAt: now + this.ttlMs });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  /**
   * Drops the entries of a revocation subject: a user id, `screen:<id>`, or `city:<id>` (the screen
   * tokens of an archived city).
   */
  invalidate(subject: string): void {
    this.epoch++;
    const city = cityOfSubject(subject);
    for (const [token, entry] of this.entries) {
      const p = entry.principal;
      if (p.userId === subject || (city !== null && p.isScreen && p.cityId === city)) this.entries.delete(token);
    }
  }

  /** Drops everything (pub/sub came back, or the revocation log lost entries: anything may have changed). */
  clear(): void {
    this.epoch++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
