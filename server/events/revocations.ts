import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { readRows, sqlRows, valuesList } from '../db/sql';
import { nextSeq } from './sequence';
import { EVERY_SUBJECT } from './topics';

/** A revocation as it travels: its number in the revocation log (null from an instance that numbers none) and its subject. */
export interface Revoked {
  seq: number | null;
  subject: string;
}

/** The sequence key (events/sequence.ts) that numbers revocations (not a city id: those are UUIDs). */
const SEQUENCE_KEY = 'revocations';
/** The newest revocations kept in the log; an instance further behind than this re-checks everything. */
const KEEP = 10_000;
/** Entries read at once; more are read in further pages. */
const PAGE = 500;

/**
 * Writes revocations to the log in the current transaction (after the change itself and its city
 * events, so that every writer takes the row locks in the same order), numbered in commit order:
 * the numbering row stays locked until the commit, so an entry is only ever visible after every
 * earlier one. Returns them as the write path hands them on. Entries older than the newest `KEEP`
 * go in the same statement's transaction.
 */
export async function recordRevocations(em: EntityManager, subjects: readonly string[], now: Date): Promise<Revoked[]> {
  if (subjects.length === 0) return [];
  const last = await nextSeq(em, SEQUENCE_KEY, subjects.length);
  const revoked = subjects.map((subject, i) => ({ seq: last - subjects.length + 1 + i, subject }));
  await sqlRows(
    em,
    `insert into revocations (seq, subject, at) values ${valuesList(revoked.length, 3)}`,
    revoked.flatMap((r) => [r.seq, r.subject, now]),
  );
  await sqlRows(em, 'delete from revocations where seq <= ?', [last - KEEP]);
  return revoked;
}

/** Options of the revocation feed (units in the names). */
export interface RevocationFeedOptions {
  /**
   * The worst-case window (`AUTH_REVOCATION_SECONDS`): the log is read every quarter of it, and
   * this instance is `confirmed` while its last complete read began less than this long ago.
   */
  boundMs: number;
  log: (message: string) => void;
}

/**
 * This instance's revocations, each delivered to its listeners (principal cache, sockets) exactly
 * once, however it arrives: from the write path of this instance (at once, before the mutation
 * answers), over pub/sub from another instance, or from the revocation log, which is read every
 * quarter of the bound and so brings what pub/sub did not — Redis frozen, a link cut, a publish
 * that never completed, a notice lost.
 *
 * `confirmed` says whether every revocation committed more than `boundMs` ago has been delivered
 * here: true while the last complete read of the log began less than `boundMs` ago (a read that
 * began at `t` saw every commit before `t`). Timed with the monotonic clock.
 */
export class RevocationFeed {
  private readonly listeners = new Set<(subject: string) => void>();
  /** Every revocation up to this number has been delivered (null: the log has not been read yet). */
  private applied: number | null = null;
  /**
   * Revocations above `applied` delivered already (by the write path or pub/sub), number → subject:
   * one is skipped only for the same subject, so a notice with a wrong number suppresses nothing.
   */
  private readonly delivered = new Map<number, string>();
  /** When (performance.now()) the last complete read of the log began. */
  private confirmedAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;
  private reading: Promise<void> | null = null;
  private failing = false;

  constructor(
    private readonly orm: MikroORM,
    private readonly options: RevocationFeedOptions,
  ) {}

  /** Adds a listener of revoked subjects (`EVERY_SUBJECT`: anything may have changed); returns its removal. */
  listen(listener: (subject: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Delivers revocations not delivered here yet (a notice without a number is always delivered). */
  deliver(revocations: readonly Revoked[]): void {
    for (const { seq, subject } of revocations) {
      if (seq !== null && this.applied !== null) {
        if (seq <= this.applied || this.delivered.get(seq) === subject) continue;
        this.delivered.set(seq, subject);
      }
      this.notify(subject);
    }
  }

  /** Whether every revocation committed `boundMs` ago or earlier has been delivered here. */
  get confirmed(): boolean {
    return performance.now() - this.confirmedAt < this.options.boundMs;
  }

  /** Reads the log now (its head, the first time), then every quarter of the bound until `stop`. */
  async start(): Promise<void> {
    await this.read();
    const every = Math.max(50, Math.floor(this.options.boundMs / 4));
    const tick = () => {
      this.timer = setTimeout(() => void this.read().finally(() => this.timer && tick()), every);
      this.timer.unref();
    };
    tick();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One read of the log (one at a time); a failure is logged once and leaves `confirmed` to lapse. */
  read(): Promise<void> {
    this.reading ??= this.readLog()
      .then(
        () => {
          if (this.failing) this.options.log('revocation log readable again');
          this.failing = false;
        },
        (error: Error) => {
          if (!this.failing) this.options.log(`revocation log unreadable (cached principals are not used): ${error.message}`);
          this.failing = true;
        },
      )
      .finally(() => (this.reading = null));
    return this.reading;
  }

  private async readLog(): Promise<void> {
    const startedAt = performance.now();
    this.applied = this.applied === null ? await this.head() : await this.readAfter(this.applied);
    for (const seq of this.delivered.keys()) if (seq <= this.applied) this.delivered.delete(seq);
    this.confirmedAt = startedAt;
  }

  /** The newest entry's number (0 for an empty log): where this instance starts. */
  private async head(): Promise<number> {
    const [row] = await readRows<{ seq: number | string | null }>(
      this.orm,
      'pantau_revocation_head',
      'select max(seq) as seq from revocations',
      [],
    );
    return Number(row?.seq ?? 0);
  }

  /** Delivers the entries after `applied` not delivered yet, page by page; returns the last number read. */
  private async readAfter(applied: number): Promise<number> {
    for (;;) {
      const rows = await readRows<{ seq: number | string; subject: string }>(
        this.orm,
        'pantau_revocations_after',
        `select seq, subject from revocations where seq > ? order by seq limit ${PAGE}`,
        [applied],
      );
      // Entries pruned before this instance read them: whatever they said, re-check everything.
      if (rows.length > 0 && Number(rows[0]!.seq) !== applied + 1) this.notify(EVERY_SUBJECT);
      for (const row of rows) {
        applied = Number(row.seq);
        if (this.delivered.get(applied) === row.subject) continue;
        this.delivered.set(applied, row.subject);
        this.notify(row.subject);
      }
      if (rows.length < PAGE) return applied;
    }
  }

  private notify(subject: string): void {
    for (const listener of this.listeners) {
      try {
        listener(subject);
      } catch (error) {
        this.options.log(`revocation listener: ${(error as Error).message}`);
      }
    }
  }
}
