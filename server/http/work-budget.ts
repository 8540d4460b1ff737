// One work budget per subject (a user, a screen token, or an anonymous client address) on each
// instance, shared by everything that subject does here: every operation over HTTP and over every
// one of its sockets, its cost, the events a replay sends, the bytes of an upload. One account
// multiplying its work (more sockets, more operations per socket, more aliases, more replays) spends
// the same budget faster, and is refused with RATE_LIMITED until it refills, while everybody
// else's budget is untouched (issue 20).
import { performance } from 'node:perf_hooks';
import type { Principal } from '../auth/policy';
import { rateLimited, type AppError } from '../errors';

/** How much work one subject may do (`WORK_BUDGET_UNITS`, `WORK_BUDGET_UNITS_PER_SECOND`). */
export interface WorkBudgetSettings {
  /** The most units a subject may spend in a burst: its budget when full. */
  units: number;
  /** Units given back every second, up to `units`. */
  unitsPerSecond: number;
}

/** The defaults (server/env.ts): far above what a screen or a desk spends, far below what one account can make a core do. */
export const DEFAULT_WORK_BUDGET: Readonly<WorkBudgetSettings> = Object.freeze({ units: 100_000, unitsPerSecond: 5_000 });

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
  /** Bytes of an upload per unit (an upload is hashed, sniffed and stored). */
  uploadBytesPerUnit: 2_048,
});

/** The subject an operation's work is counted for: its user or screen token, else its client address. */
export function workSubject(principal: Principal | null | undefined, clientIp: string | undefined): string {
  return principal ? principal.userId : `addr:${clientIp ?? 'unknown'}`;
}

interface Bucket {
  units: number;
  /** When `units` was last brought up to date (ms, `now()`). */
  at: number;
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
   * `Retry-After`). More than a whole budget costs a whole budget: it runs when the budget is full.
   */
  trySpend(subject: string, units: number): AppError | null {
    const now = this.now();
    if (now - this.lastPrune >= PRUNE_EVERY_MS) this.prune(now);
    const cost = Math.min(Math.max(0, units), this.settings.units);
    const key = this.buckets.has(subject) || this.hasRoom(now) ? subject : OVERFLOW;
    const bucket = this.buckets.get(key);
    const held = bucket ? this.refilled(bucket, now) : this.settings.units;
    if (held < cost) {
      const error = rateLimited((cost - held) / this.settings.unitsPerSecond, 'workBudgetSpent');
      (error.extensions as Record<string, unknown>).limit = 'budget';
      return error;
    }
    if (bucket) {
      bucket.units = held - cost;
      bucket.at = now;
    } else {
      this.buckets.set(key, { units: held - cost, at: now });
    }
    return null;
  }

  /** `trySpend`, throwing the refusal. */
  spend(subject: string, units: number): void {
    const refused = this.trySpend(subject, units);
    if (refused) throw refused;
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
