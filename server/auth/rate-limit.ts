// Login rate limiting: failed and total login attempts per account (normalised email) and per client
// address, counted in fixed windows, in memory (one instance) or in Redis (shared by every
// instance). If Redis is unreachable the limiter falls back to this instance's memory: limits then
// hold per instance, and logins are never refused because Redis is down (see README).
import { createHash } from 'node:crypto';
import { createClient } from 'redis';
import { rateLimited } from '../errors';

/** How many login attempts one account and one client address may make in a window. */
export interface LoginRateLimits {
  /** Length of a counting window in seconds (default 900 = 15 min). */
  windowSeconds: number;
  /** Failed attempts per account (default 10). */
  maxFailuresPerAccount: number;
  /** Failed attempts per client address (default 50). */
  maxFailuresPerAddress: number;
  /** All attempts, successful ones too, per account (default 30). */
  maxAttemptsPerAccount: number;
  /** All attempts, successful ones too, per client address (default 150). */
  maxAttemptsPerAddress: number;
}

/** The defaults (each overridable through the environment, server/env.ts). */
export const DEFAULT_LOGIN_RATE_LIMITS: Readonly<LoginRateLimits> = Object.freeze({
  windowSeconds: 900,
  maxFailuresPerAccount: 10,
  maxFailuresPerAddress: 50,
  maxAttemptsPerAccount: 30,
  maxAttemptsPerAddress: 150,
});

/** One counter after it was counted: its value and the milliseconds until its window ends. */
export interface Counter {
  count: number;
  resetInMs: number;
}

/** Where the counters live. Every counter is a fixed window that starts at its first hit. */
export interface RateLimitStore {
  readonly kind: 'memory' | 'redis';
  /** Adds one to each key (starting a window of `windowMs` for a new key); the counters in the same order. */
  increment(keys: readonly string[], windowMs: number): Promise<Counter[]>;
  /** Takes one back from each existing key (a counter at zero is removed). */
  decrement(keys: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** In-process counters: fixed windows, expired ones pruned periodically, at most `maxKeys` kept. */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly kind = 'memory';
  private readonly counters = new Map<string, { count: number; resetAt: number }>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: { maxKeys?: number; pruneEveryMs?: number; now?: () => number } = {}) {
    this.timer = setInterval(() => this.prune(), options.pruneEveryMs ?? 60_000);
    this.timer.unref();
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** How many counters are held (tests). */
  get size(): number {
    return this.counters.size;
  }

  /** Drops every counter whose window has ended. */
  prune(): void {
    const now = this.now();
    for (const [key, counter] of this.counters) if (counter.resetAt <= now) this.counters.delete(key);
  }

  async increment(keys: readonly string[], windowMs: number): Promise<Counter[]> {
    const now = this.now();
    return keys.map((key) => {
      let counter = this.counters.get(key);
      if (counter && counter.resetAt <= now) {
        this.counters.delete(key);
        counter = undefined;
      }
      if (!counter) {
        this.makeRoom(now);
        counter = { count: 0, resetAt: now + windowMs };
        // Insertion order is window order: the oldest windows come first when room is needed.
        this.counters.set(key, counter);
      }
      counter.count += 1;
      return { count: counter.count, resetInMs: counter.resetAt - now };
    });
  }

  async decrement(keys: readonly string[]): Promise<void> {
    const now = this.now();
    for (const key of keys) {
      const counter = this.counters.get(key);
      if (!counter) continue;
      counter.count -= 1;
      if (counter.count <= 0 || counter.resetAt <= now) this.counters.delete(key);
    }
  }

  /** Keeps memory bounded: prunes, then forgets the oldest windows when still full. */
  private makeRoom(now: number): void {
    const max = this.options.maxKeys ?? 100_000;
    if (this.counters.size < max) return;
    for (const [key, counter] of this.counters) if (counter.resetAt <= now) this.counters.delete(key);
    for (const key of this.counters.keys()) {
      if (this.counters.size < max) break;
      this.counters.delete(key);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.counters.clear();
  }
}

/** Thrown when Redis cannot answer right now (not connected, or too slow). */
export class StoreUnavailableError extends Error {}

// Takes one back from each existing key; a counter at zero is removed (same as no counter).
const DECREMENT_SCRIPT = `for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 and redis.call('DECR', key) <= 0 then redis.call('DEL', key) end
end
return 0`;

/**
 * Counters in Redis, shared by every instance: `INCR` + `PEXPIRE … NX` + `PTTL` per key in one
 * `MULTI` (Redis ≥ 7). Commands fail at once while disconnected (no offline queue) and after
 * `timeoutMs`; the client reconnects in the background, waiting at most 3 s between tries.
 */
export class RedisRateLimitStore implements RateLimitStore {
  readonly kind = 'redis';
  private readonly client;
  private closed = false;

  constructor(url: string, private readonly prefix: string, private readonly options: { timeoutMs?: number; onError?: (error: Error) => void } = {}) {
    this.client = createClient({
      url,
      disableOfflineQueue: true,
      socket: { connectTimeout: 2_000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 3_000) },
    });
    // Without a listener an 'error' event would crash the process; connection errors are expected while Redis is down.
    this.client.on('error', (error: Error) => this.options.onError?.(error));
    // Not awaited: the server starts (and logins work, on the memory fallback) while Redis is down.
    this.client.connect().catch((error: unknown) => this.options.onError?.(error instanceof Error ? error : new Error(String(error))));
  }

  /** Whether the connection is up. */
  get ready(): boolean {
    return this.client.isReady;
  }

  private async withTimeout<T>(work: () => Promise<T>): Promise<T> {
    if (!this.client.isReady) throw new StoreUnavailableError('Redis is not connected');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreUnavailableError('Redis did not answer in time')), this.options.timeoutMs ?? 1_000);
    });
    try {
      return await Promise.race([work(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async increment(keys: readonly string[], windowMs: number): Promise<Counter[]> {
    return this.withTimeout(async () => {
      const multi = this.client.multi();
      for (const key of keys) multi.incr(this.prefix + key).pExpire(this.prefix + key, windowMs, 'NX').pTTL(this.prefix + key);
      const replies = (await multi.exec()) as unknown[];
      return keys.map((_, i) => {
        const ttl = Number(replies[i * 3 + 2]);
        return { count: Number(replies[i * 3]), resetInMs: ttl > 0 ? ttl : windowMs };
      });
    });
  }

  async decrement(keys: readonly string[]): Promise<void> {
    await this.withTimeout(() => this.client.eval(DECREMENT_SCRIPT, { keys: keys.map((k) => this.prefix + k) }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.client.isReady) {
      await this.client.close().catch(() => this.client.destroy());
    } else if (this.client.isOpen) {
      this.client.destroy();
    }
  }
}

/** A login attempt that passed the limits; report a success so it doesn't count as a failure. */
export interface LoginAttempt {
  succeeded(): Promise<void>;
}

/** Short, stable, not reversible at a glance: emails don't sit in Redis in clear text. */
function accountKey(email: string): string {
  return createHash('sha256').update(email).digest('base64url').slice(0, 22);
}

/**
 * Counts login attempts and refuses them (RATE_LIMITED, 429, Retry-After) once an account or an
 * address is over a limit. Every attempt is counted as a failure until it succeeds (so concurrent
 * guesses can't slip past the limit) and as an attempt for good. A refused attempt never checks the
 * password. The store is Redis or memory; if Redis fails, this instance's memory takes over until
 * it answers again.
 */
export class LoginRateLimiter {
  private fallback: MemoryRateLimitStore | null = null;
  private degraded = false;

  constructor(
    readonly limits: LoginRateLimits,
    private readonly store: RateLimitStore,
    private readonly log: (message: string) => void = (m) => console.warn(`[pantau] ${m}`),
  ) {}

  /** Which store counts right now (`memory` while Redis is down). */
  get activeStore(): 'memory' | 'redis' {
    return this.degraded ? 'memory' : this.store.kind;
  }

  private fallbackStore(): MemoryRateLimitStore {
    this.fallback ??= new MemoryRateLimitStore();
    return this.fallback;
  }

  /** Counts on the store, or on the memory fallback when the store fails. */
  private async count(keys: string[], windowMs: number): Promise<{ counters: Counter[]; store: RateLimitStore }> {
    try {
      const counters = await this.store.increment(keys, windowMs);
      if (this.degraded) {
        this.degraded = false;
        this.log('Redis answers again: login rate limits are shared again.');
      }
      return { counters, store: this.store };
    } catch (error) {
      if (!this.degraded) {
        this.degraded = true;
        this.log(`Login rate limits fall back to this instance's memory: ${error instanceof Error ? error.message : String(error)}`);
      }
      const store = this.fallbackStore();
      return { counters: await store.increment(keys, windowMs), store };
    }
  }

  /** Counts an attempt to log in as `email` from `address`; throws RATE_LIMITED when over a limit. */
  async attempt(email: string, address: string | undefined): Promise<LoginAttempt> {
    const account = accountKey(email);
    const client = address || 'unknown';
    const failures = [`fail:acct:${account}`, `fail:addr:${client}`];
    const keys = [`all:acct:${account}`, `all:addr:${client}`, ...failures];
    const { limits } = this;
    const max = [limits.maxAttemptsPerAccount, limits.maxAttemptsPerAddress, limits.maxFailuresPerAccount, limits.maxFailuresPerAddress];
    const { counters, store } = await this.count(keys, limits.windowSeconds * 1_000);
    const waits = counters.filter((c, i) => c.count > max[i]!).map((c) => c.resetInMs);
    const giveBack = () => store.decrement(failures).catch(() => {});
    if (waits.length > 0) {
      // Refused before the password was checked: not a failure.
      await giveBack();
      throw rateLimited(Math.max(...waits) / 1_000);
    }
    return { succeeded: giveBack };
  }

  async close(): Promise<void> {
    await Promise.all([this.store.close(), this.fallback?.close()]);
  }
}

/** The limiter for a deployment: Redis when `redisUrl` is set, else memory. */
export function createLoginRateLimiter(settings: { loginRateLimit: LoginRateLimits; redisUrl: string | null; redisKeyPrefix: string }, log?: (message: string) => void): LoginRateLimiter {
  const say = log ?? ((m: string) => console.warn(`[pantau] ${m}`));
  if (!settings.redisUrl) return new LoginRateLimiter(settings.loginRateLimit, new MemoryRateLimitStore(), say);
  // Connection errors repeat on every reconnect try; say so once per outage (the limiter says when it falls back).
  let quietUntil = 0;
  const store = new RedisRateLimitStore(settings.redisUrl, `${settings.redisKeyPrefix}rl:`, {
    onError: (error) => {
      if (Date.now() < quietUntil) return;
      quietUntil = Date.now() + 60_000;
      say(`Redis (${redactUrl(settings.redisUrl!)}): ${error.message}`);
    },
  });
  return new LoginRateLimiter(settings.loginRateLimit, store, say);
}

/** A Redis URL without its password, for logs. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'REDIS_URL';
  }
}
