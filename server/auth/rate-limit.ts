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

/**
 * In-process counters: fixed windows, expired ones pruned periodically, at most `maxKeys` kept.
 * A counter is never forgotten before its window ends, whatever arrives meanwhile: when the table
 * is full, a new key is counted on a shared overflow counter of its kind (`overflow:fail:acct`, …)
 * until windows end and make room. So a flood of junk keys can't evict anybody's lock; at worst,
 * keys first seen during the flood share one counter (and are limited together) for a window.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly kind = 'memory';
  private readonly counters = new Map<string, { count: number; resetAt: number }>();
  private readonly timer: NodeJS.Timeout;
  private lastPrune = 0;

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
        const slot = this.hasRoom(now) ? key : overflowKey(key);
        counter = this.counters.get(slot);
        if (!counter || counter.resetAt <= now) {
          counter = { count: 0, resetAt: now + windowMs };
          this.counters.set(slot, counter);
        }
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

  /** Whether a new key may have its own counter: prunes ended windows (at most once a second) when full. Never evicts a live one. */
  private hasRoom(now: number): boolean {
    const max = this.options.maxKeys ?? 100_000;
    if (this.counters.size < max) return true;
    if (now - this.lastPrune >= 1_000) {
      this.lastPrune = now;
      for (const [key, counter] of this.counters) if (counter.resetAt <= now) this.counters.delete(key);
    }
    return this.counters.size < max;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.counters.clear();
  }
}

/** The shared counter of the keys of one kind that found the memory table full (`fail:acct:x` → `overflow:fail:acct`). */
function overflowKey(key: string): string {
  return `overflow:${key.slice(0, key.lastIndexOf(':'))}`;
}

/** Thrown when Redis cannot answer right now (not connected, or too slow). */
export class StoreUnavailableError extends Error {}

// Takes one back from each existing key; a counter at zero is removed (same as no counter).
const DECREMENT_SCRIPT = `for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 and redis.call('DECR', key) <= 0 then redis.call('DEL', key) end
end
return 0`;

/**
 * A Redis connection for counters that must never wait for Redis: commands fail at once while it is
 * disconnected (no offline queue) and after `timeoutMs` (`call`); it reconnects in the background,
 * waiting at most 3 s between tries. Not awaited: the server starts (and falls back to its memory)
 * while Redis is down. Shared by the login limits and the socket caps (realtime/socket-caps.ts).
 */
export class CounterConnection {
  readonly client;
  private closed = false;

  constructor(
    url: string,
    private readonly options: { timeoutMs?: number; onError?: (error: Error) => void } = {},
  ) {
    this.client = createClient({
      url,
      disableOfflineQueue: true,
      socket: { connectTimeout: 2_000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 3_000) },
    });
    // Without a listener an 'error' event would crash the process; connection errors are expected while Redis is down.
    this.client.on('error', (error: Error) => this.options.onError?.(error));
    this.client.connect().catch((error: unknown) => this.options.onError?.(error instanceof Error ? error : new Error(String(error))));
  }

  /** Whether the connection is up. */
  get ready(): boolean {
    return this.client.isReady;
  }

  /** Runs `work`, or throws StoreUnavailableError at once when disconnected and after `timeoutMs` (1 s). */
  async call<T>(work: () => Promise<T>): Promise<T> {
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

/**
 * Counters in Redis, shared by every instance: `INCR` + `PEXPIRE … NX` + `PTTL` per key in one
 * `MULTI` (Redis ≥ 7), on a `CounterConnection`.
 */
export class RedisRateLimitStore implements RateLimitStore {
  readonly kind = 'redis';
  private readonly connection: CounterConnection;

  constructor(
    url: string,
    private readonly prefix: string,
    options: { timeoutMs?: number; onError?: (error: Error) => void } = {},
  ) {
    this.connection = new CounterConnection(url, options);
  }

  /** Whether the connection is up. */
  get ready(): boolean {
    return this.connection.ready;
  }

  private get client() {
    return this.connection.client;
  }

  private withTimeout<T>(work: () => Promise<T>): Promise<T> {
    return this.connection.call(work);
  }

  async increment(keys: readonly string[], windowMs: number): Promise<Counter[]> {
    return this.withTimeout(async () => {
      const multi = this.client.multi();
      for (const key of keys)
        multi
          .incr(this.prefix + key)
          .pExpire(this.prefix + key, windowMs, 'NX')
          .pTTL(this.prefix + key);
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

  close(): Promise<void> {
    return this.connection.close();
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

  /**
   * Counts an attempt to log in as `email` from `address`; throws RATE_LIMITED when over a limit.
   * The address is counted first: an address over its limit is refused before its attempt touches
   * any account counter, so a flooder locks itself out long before it can crowd out anybody else's.
   */
  async attempt(email: string, address: string | undefined): Promise<LoginAttempt> {
    const account = accountKey(email);
    const client = address || 'unknown';
    const { limits } = this;
    const windowMs = limits.windowSeconds * 1_000;
    const addressFailure = `fail:addr:${client}`;
    const byAddress = await this.count([`all:addr:${client}`, addressFailure], windowMs);
    const addressWaits = byAddress.counters
      .filter((c, i) => c.count > [limits.maxAttemptsPerAddress, limits.maxFailuresPerAddress][i]!)
      .map((c) => c.resetInMs);
    if (addressWaits.length > 0) {
      // Refused before the password was checked: not a failure.
      await byAddress.store.decrement([addressFailure]).catch(() => {});
      throw rateLimited(Math.max(...addressWaits) / 1_000);
    }
    const accountFailure = `fail:acct:${account}`;
    const byAccount = await this.count([`all:acct:${account}`, accountFailure], windowMs);
    const giveBack = async () => {
      await byAddress.store.decrement([addressFailure]).catch(() => {});
      await byAccount.store.decrement([accountFailure]).catch(() => {});
    };
    const waits = byAccount.counters
      .filter((c, i) => c.count > [limits.maxAttemptsPerAccount, limits.maxFailuresPerAccount][i]!)
      .map((c) => c.resetInMs);
    if (waits.length > 0) {
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
export function createLoginRateLimiter(
  settings: { loginRateLimit: LoginRateLimits; redisUrl: string | null; redisKeyPrefix: string },
  log?: (message: string) => void,
): LoginRateLimiter {
  const say = log ?? ((m: string) => console.warn(`[pantau] ${m}`));
  if (!settings.redisUrl) return new LoginRateLimiter(settings.loginRateLimit, new MemoryRateLimitStore(), say);
  const store = new RedisRateLimitStore(settings.redisUrl, `${settings.redisKeyPrefix}rl:`, {
    onError: connectionErrors(settings.redisUrl, say),
  });
  return new LoginRateLimiter(settings.loginRateLimit, store, say);
}

/**
 * Says a Redis connection's errors, at most once a minute: they repeat on every reconnect try (the
 * user of the connection says when it falls back).
 */
export function connectionErrors(url: string, say: (message: string) => void): (error: Error) => void {
  let quietUntil = 0;
  return (error) => {
    if (Date.now() < quietUntil) return;
    quietUntil = Date.now() + 60_000;
    say(`Redis (${redactUrl(url)}): ${error.message}`);
  };
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
