// One work budget per subject (a user, a screen token, or an anonymous client address) on each
// instance, shared by everything that subject does here: every operation over HTTP and over every
// one of its sockets, its cost, the events a replay sends, the bytes of an upload. One account
// multiplying its work (more sockets, more operations per socket, more aliases, more replays) spends
// the same budget faster, and is refused with RATE_LIMITED until it refills, while everybody
// else's budget is untouched (issue 20).
import { performance } from 'node:perf_hooks';
import type { Principal } from '../auth/policy';
import { ErrorCode, rateLimited, type AppError } from '../errors';

/** How much work one subject may do (`WORK_BUDGET_UNITS`, `WORK_BUDGET_UNITS_PER_SECOND`, `WORK_MAX_CONCURRENT`, `WORK_MAX_QUEUED`). */
export interface WorkBudgetSettings {
  /** The most units a subject may spend in a burst: its budget when full. */
  units: number;
  /** Units given back every second, up to `units`. */
  unitsPerSecond: number;
  /** Operations (and uploads) of one subject running at once; more wait their turn. */
  maxConcurrent: number;
  /** Operations of one subject waiting their turn; one more is refused (RATE_LIMITED, `limit: "concurrency"`). */
  maxQueued: number;
}

/**
 * The defaults (server/env.ts): far above what a screen or a desk spends, far below what one account
 * can make a core do; and at most 8 operations of one subject at once (the database pool holds 10
 * connections: one account flooding it would make everybody else's statements queue behind its own),
 * 64 more waiting (one socket may start its 50 operations at once). The budget is at least five of
 * the dearest operation the cost limit admits (`GRAPHQL_MAX_COST`), whatever is set.
 */
export const DEFAULT_WORK_BUDGET: Readonly<WorkBudgetSettings> = Object.freeze({
  units: 100_000,
  unitsPerSecond: 5_000,
  maxConcurrent: 8,
  maxQueued: 64,
});

/**
 * What work costs, in units. A unit is about 5–15 µs of this server's CPU, whatever the work: an
 * operation's own overhead (parsing, validating, answering: `{ __typename }` over HTTP costs about
 * 150 µs) is `operation`, and on top of it every operation pays its priced cost (limits.ts: one per
 * field, times the rows it runs for), a replayed event an operation's overhead plus its
 * selection's cost, an upload a unit per `uploadBytesPerUnit` bytes.
 */
export const WORK_UNITS = Object.freeze({
  /** Every operation started, over either transport, valid or not. */
  operation: 10,
  /**
   * Bytes of an upload per unit: an upload is read, hashed, sniffed and stored (measured: about
   * 40 ms of this server's CPU per MiB stored in PostgreSQL, so 2 048 units a MiB).
   */
  uploadBytesPerUnit: 512,
});

/**
 * How long a refusal takes: an HTTP refusal is answered after this (a client hammering while refused
 * costs one refusal per connection per second, not thousands), and a socket whose operation was
 * refused is not read for its `retryAfterSeconds`, this at least and `MAX_HOLD_MS` at most.
 */
export const REFUSAL_DELAY_MS = 1_000;
/** The longest a socket is not read after a refusal (its keep-alive answers wait meanwhile). */
export const MAX_HOLD_MS = 5_000;

/** Waits `REFUSAL_DELAY_MS`, then throws `refusal`. */
export async function refuseSlowly(refusal: unknown): Promise<never> {
  await new Promise((resolve) => setTimeout(resolve, REFUSAL_DELAY_MS));
  throw refusal;
}

/** The `retryAfterSeconds` of the first refusal for a spent budget among `errors`, or null. */
export function budgetRefusal(errors: readonly { extensions?: Record<string, unknown> }[] | undefined): number | null {
  const refusal = errors?.find((e) => e.extensions?.code === ErrorCode.RATE_LIMITED && e.extensions.limit !== undefined);
  return refusal ? Number(refusal.extensions!.retryAfterSeconds ?? 1) : null;
}

/** The subject an operation's work is counted for: its user or screen token, else its client address. */
export function workSubject(principal: Principal | null | undefined, clientIp: string | undefined): string {
  return principal ? principal.userId : `addr:${clientIp ?? 'unknown'}`;
}

interface Bucket {
  units: number;
  /** When `units` was last brought up to date (ms, `now()`). */
  at: number;
  /** Refused until then (the `Retry-After` it was told): nothing of the subject's runs before, however small. */
  until: number;
}

/** The operations of one subject running, and those waiting their turn (in order). */
interface Turns {
  running: number;
  waiting: (() => void)[];
}

/**
 * Token buckets per subject, in this instance's memory. A bucket is only kept while it is not full
 * (a subject with a full budget needs no entry; full ones are dropped every 10 s in passing), so idle
 * subjects cost nothing; at most `maxSubjects`
 * are kept, and when that many are being refilled at once a new subject is counted on a shared
 * overflow bucket until room is made (nobody's partly spent budget is ever forgotten early).
 */
export class WorkBudgets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly turns = new Map<string, Turns>();
  private lastPrune = 0;

  constructor(
    readonly settings: WorkBudgetSettings,
    private readonly now: () => number = () => performance.now(),
    private readonly maxSubjects = 100_000,
  ) {}

  /** How many subjects have a partly spent budget (tests). */
  get size(): number {
    return this.buckets.size;
  }

  /** The units `subject` may spend now. */
  available(subject: string): number {
    const bucket = this.buckets.get(subject);
    return bucket ? this.refilled(bucket, this.now()) : this.settings.units;
  }

  /**
   * Spends `units` of `subject`'s budget, or, when it does not hold them, spends nothing and
   * answers the refusal: RATE_LIMITED with `retryAfterSeconds`, when it will (HTTP 429 with
   * `Retry-After`). Until then everything of the subject is refused, however small: a client
   * told to come back later cannot keep the server busy with small operations meanwhile (each
   * of which may read the database before the expensive part is refused). More than a whole
   * budget costs a whole budget: it runs when the budget is full.
   */
  trySpend(subject: string, units: number): AppError | null {
    const now = this.now();
    if (now - this.lastPrune >= PRUNE_EVERY_MS) this.prune(now);
    const cost = Math.min(Math.max(0, units), this.settings.units);
    const key = this.buckets.has(subject) || this.hasRoom(now) ? subject : OVERFLOW;
    const bucket = this.buckets.get(key);
    const held = bucket ? this.refilled(bucket, now) : this.settings.units;
    if (bucket && (bucket.until > now || held < cost)) {
      bucket.until = Math.max(bucket.until, now + ((cost - held) / this.settings.unitsPerSecond) * 1_000);
      const error = rateLimited((bucket.until - now) / 1_000, 'workBudgetSpent');
      (error.extensions as Record<string, unknown>).limit = 'budget';
      return error;
    }
    if (bucket) {
      bucket.units = held - cost;
      bucket.at = now;
    } else {
      this.buckets.set(key, { units: held - cost, at: now, until: 0 });
    }
    return null;
  }

  /**
   * Gives back `units` an operation was charged beyond what it did (its priced cost is an upper
   * bound: every list at its page size). Never above a full budget; a refusal already told
   * (`until`) stands.
   */
  refund(subject: string, units: number): void {
    const bucket = this.buckets.get(subject);
    if (!bucket || !(units > 0)) return;
    const now = this.now();
    bucket.units = Math.min(this.settings.units, this.refilled(bucket, now) + units);
    bucket.at = now;
  }

  /** `trySpend`, throwing the refusal. */
  spend(subject: string, units: number): void {
    const refused = this.trySpend(subject, units);
    if (refused) throw refused;
  }

  /**
   * Waits for `subject`'s turn to run one more operation: at once while fewer than `maxConcurrent`
   * of its operations run, else in order after those waiting. Resolves with the release (call it
   * once the operation is done; more calls do nothing); rejects with the refusal (RATE_LIMITED,
   * `limit: "concurrency"`) when `maxQueued` already wait. Other subjects never wait for it.
   */
  enter(subject: string): Promise<() => void> {
    let turns = this.turns.get(subject);
    if (!turns) this.turns.set(subject, (turns = { running: 0, waiting: [] }));
    const mine = turns;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const next = mine.waiting.shift();
      if (next) return next();
      mine.running--;
      if (mine.running === 0 && this.turns.get(subject) === mine) this.turns.delete(subject);
    };
    if (mine.running < this.settings.maxConcurrent) {
      mine.running++;
      return Promise.resolve(release);
    }
    if (mine.waiting.length >= this.settings.maxQueued) {
      const error = rateLimited(1, 'workBudgetSpent');
      (error.extensions as Record<string, unknown>).limit = 'concurrency';
      return Promise.reject(error);
    }
    // A waiting operation takes over the place of the one that ends (`running` is unchanged).
    return new Promise((resolve) => mine.waiting.push(() => resolve(release)));
  }

  /** How many operations of `subject` run and wait (tests). */
  load(subject: string): { running: number; waiting: number } {
    const turns = this.turns.get(subject);
    return { running: turns?.running ?? 0, waiting: turns?.waiting.length ?? 0 };
  }

  private refilled(bucket: Bucket, now: number): number {
    return Math.min(this.settings.units, bucket.units + ((now - bucket.at) / 1_000) * this.settings.unitsPerSecond);
  }

  /** Drops the buckets that have refilled (their subjects are back to a full budget, as if never seen). */
  private prune(now: number): void {
    this.lastPrune = now;
    for (const [subject, bucket] of this.buckets) if (this.refilled(bucket, now) >= this.settings.units) this.buckets.delete(subject);
  }

  /** Whether a new subject may have its own bucket (the table is pruned, at most once a second, when full). */
  private hasRoom(now: number): boolean {
    if (this.buckets.size < this.maxSubjects) return true;
    if (now - this.lastPrune >= 1_000) this.prune(now);
    return this.buckets.size < this.maxSubjects;
  }
}

/** How often full buckets are dropped in passing. */
const PRUNE_EVERY_MS = 10_000;

/** The bucket new subjects share while the table is full. */
const OVERFLOW = '\0overflow';

/**
 * The work an operation's answer shows it did, in the units of its priced cost: one per field of
 * every object in `data` (a list's items each count their fields). Stops counting at `max`.
 */
export function answeredCost(data: unknown, max: number): number {
  let fields = 0;
  const stack: unknown[] = [data];
  while (stack.length > 0 && fields < max) {
    const value = stack.pop();
    if (Array.isArray(value)) for (const item of value) stack.push(item);
    else if (value !== null && typeof value === 'object') {
      for (const field of Object.values(value)) {
        fields++;
        if (field !== null && typeof field === 'object') stack.push(field);
      }
    }
  }
  return Math.min(fields, max);
}
