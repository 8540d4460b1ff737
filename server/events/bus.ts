import type { MikroORM } from '@mikro-orm/core';
import { epochMs, readRows } from '../db/sql';
import type { PubSub } from './pubsub';
import { RevocationFeed, type Revoked } from './revocations';
import { latestSeq, readCitySeqs } from './sequence';
import { Topic, type EventMessage, type RevocationMessage } from './topics';

/** Sends the events of a committed transaction to subscribers on every instance. */
export interface EventPublisher {
  /** Never throws and never blocks the write: a lost notification is recovered from the outbox. */
  publish(events: readonly EventMessage[]): void;
}

/** Options of the event bus (units in the names). */
export interface EventBusOptions {
  /** How often an active city feed re-reads the outbox while pub/sub is healthy (a lost message costs at most this). */
  pollHealthyMs?: number;
  /** …and while pub/sub is down, so screens stay live without it. */
  pollDegradedMs?: number;
  log?: (message: string) => void;
  /** Counts events published and delivered (server/observability/metrics.ts). */
  metrics?: { eventPublished(ok: boolean): void; eventDelivered(at: string): void } | null;
  /** The worst-case revocation window when pub/sub does not deliver (`AUTH_REVOCATION_SECONDS`). */
  revocationBoundMs?: number;
}

/**
 * Delivers each city's events to local listeners exactly once, in `seq` order, with no gap: a
 * message that arrives early waits for the missing ones, which are read from the outbox; duplicates
 * are dropped. One feed per city per instance, shared by all its subscribers.
 */
export class CityFeed {
  private last = 0;
  private readonly listeners = new Set<(event: EventMessage) => void>();
  private chain: Promise<void> = Promise.resolve();
  private unsubscribe: (() => Promise<void>) | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Subscribers currently holding the feed. */
  refs = 0;
  /** Set once the feed has stopped; a stopped feed is never handed out again. */
  stopped = false;

  constructor(
    readonly cityId: string,
    private readonly orm: MikroORM,
    private readonly pubsub: PubSub,
    private readonly options: Required<EventBusOptions>,
  ) {}

  /** The last sequence number delivered. */
  get lastSeq(): number {
    return this.last;
  }

  /** Starts listening: the current head of the outbox is the starting point. */
  async start(): Promise<void> {
    this.last = await latestSeq(this.orm, this.cityId);
    this.unsubscribe = await this.pubsub.subscribe(Topic.cityEvents(this.cityId), (raw) => {
      let message: EventMessage;
      try {
        message = JSON.parse(raw) as EventMessage;
      } catch {
        return;
      }
      void this.enqueue(() => this.accept(message));
    });
    this.schedulePoll();
  }

  /** Adds a listener; returns its removal. */
  listen(listener: (event: EventMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads everything after the last delivered event from the outbox and delivers it. */
  catchUp(): Promise<void> {
    return this.enqueue(async () => {
      for (const event of await eventsAfter(this.orm, this.cityId, this.last)) this.deliver(event);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.unsubscribe?.();
    this.listeners.clear();
  }

  private schedulePoll(): void {
    const delay = this.pubsub.healthy ? this.options.pollHealthyMs : this.options.pollDegradedMs;
    this.timer = setTimeout(() => {
      this.catchUp()
        .catch((error: Error) => this.options.log(`catch-up of city ${this.cityId}: ${error.message}`))
        .finally(() => {
          if (this.timer) this.schedulePoll();
        });
    }, delay);
    this.timer.unref();
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.chain.then(work, work);
    this.chain = next.catch((error: Error) => this.options.log(`city ${this.cityId} feed: ${error.message}`));
    return next;
  }

  private async accept(message: EventMessage): Promise<void> {
    if (message.seq <= this.last) return; // already delivered (or replayed from the outbox)
    if (message.seq > this.last + 1) {
      // Something in between has not arrived (yet): it is committed, so the outbox has it.
      for (const event of await eventsAfter(this.orm, this.cityId, this.last, message.seq - 1)) this.deliver(event);
    }
    if (message.seq === this.last + 1) this.deliver(message);
  }

  private deliver(event: EventMessage): void {
    if (event.seq !== this.last + 1) return;
    this.last = event.seq;
    this.options.metrics?.eventDelivered(event.at);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.options.log(`listener of city ${this.cityId}: ${(error as Error).message}`);
      }
    }
  }
}

/** The most events one read of the outbox returns. */
const MAX_EVENTS_READ = 10_000;

/** An outbox row as the drivers return it. */
interface EventRow {
  seq: number | string;
  kind: string;
  entity: string;
  entity_id: string;
  action_plan_id: string | null;
  at: unknown;
}

/**
 * Events of a city after `after` (and up to `upTo`), oldest first: a prepared statement on a pooled
 * connection and plain rows, not entities (a replay reads up to `LIVE_MAX_REPLAY` of them, and
 * hydrating each into the identity map was most of a replay's CPU and garbage).
 */
export async function eventsAfter(orm: MikroORM, cityId: string, after: number, upTo?: number): Promise<EventMessage[]> {
  // No sentinel for "no upper bound": values are bound parameters, and on PostgreSQL a bound value
  // takes the column's type (integer), which Number.MAX_SAFE_INTEGER does not fit.
  const select = 'select seq, kind, entity, entity_id, action_plan_id, at from city_events where city_id = ? and seq > ?';
  const rows =
    upTo === undefined
      ? await readRows<EventRow>(orm, 'events_after', `${select} order by seq limit ${MAX_EVENTS_READ}`, [cityId, after])
      : await readRows<EventRow>(orm, 'events_between', `${select} and seq <= ? order by seq limit ${MAX_EVENTS_READ}`, [
          cityId,
          after,
          upTo,
        ]);
  return rows.map((r) => ({
    cityId,
    seq: Number(r.seq),
    kind: r.kind,
    entity: r.entity,
    entityId: r.entity_id,
    actionPlanId: r.action_plan_id,
    at: new Date(epochMs(r.at)).toISOString(),
  }));
}

/**
 * The instance's side of live updates: publishes committed events, and keeps one ordered feed per
 * city that has subscribers. When pub/sub comes back after an outage every feed catches up from the
 * outbox at once; while it is down the feeds poll the outbox, so nothing is skipped or left stale.
 */
export class EventBus implements EventPublisher {
  private readonly feeds = new Map<string, Promise<CityFeed>>();
  private readonly options: Required<EventBusOptions>;
  private readonly offHealth: () => void;
  /** Publishes not yet answered by pub/sub: `close` lets them finish. */
  private readonly publishing = new Set<Promise<void>>();
  /** This instance's revocations, from its own writes, pub/sub and the revocation log (`start` it to read the log). */
  readonly revocations: RevocationFeed;
  /** The subscription to other instances' revocation notices, made with the first listener. */
  private revocationChannel: Promise<unknown> | null = null;

  constructor(
    readonly orm: MikroORM,
    readonly pubsub: PubSub,
    options: EventBusOptions = {},
  ) {
    this.options = { pollHealthyMs: 5_000, pollDegradedMs: 1_000, log: () => {}, metrics: null, revocationBoundMs: 2_000, ...options };
    this.revocations = new RevocationFeed(orm, { boundMs: this.options.revocationBoundMs, log: this.options.log });
    this.offHealth = pubsub.onHealth((healthy) => {
      this.options.log(healthy ? 'pub/sub is back: catching up every city feed' : 'pub/sub is down: feeds poll the outbox');
      if (healthy) for (const feed of this.feeds.values()) void feed.then((f) => f.catchUp()).catch(() => {});
    });
  }

  /**
   * Applies committed revocations on this instance at once (its principal cache drops them, its
   * sockets are checked), then tells every other instance over pub/sub. Resolves once published
   * (Redis has handed the notice to every subscribed instance), or after `waitMs`; never rejects.
   * A notice that never goes out is not needed for correctness: the others read the revocation log.
   */
  async revoke(revocations: readonly Revoked[], waitMs = 1_000): Promise<void> {
    this.revocations.deliver(revocations);
    const sent = revocations.map(({ subject, seq }) => {
      const message: RevocationMessage = seq === null ? { subject } : { subject, seq };
      return this.pubsub.publish(Topic.revocations, JSON.stringify(message)).catch((error: Error) => {
        this.options.log(`revocation not published (the other instances read it from the revocation log): ${error.message}`);
      });
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(sent), new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
  }

  /** Listens for revocations, however this instance hears of them (each once); returns the removal. */
  async onRevocation(listener: (subject: string) => void): Promise<() => Promise<void>> {
    const off = this.revocations.listen(listener);
    this.revocationChannel ??= this.pubsub.subscribe(Topic.revocations, (raw) => {
      try {
        const { subject, seq } = JSON.parse(raw) as RevocationMessage;
        if (typeof subject === 'string') this.revocations.deliver([{ subject, seq: Number.isSafeInteger(seq) ? seq! : null }]);
      } catch {
        // not ours
      }
    });
    await this.revocationChannel;
    return async () => {
      off();
    };
  }

  publish(events: readonly EventMessage[]): void {
    for (const event of events) {
      const sent: Promise<void> = this.pubsub.publish(Topic.cityEvents(event.cityId), JSON.stringify(event)).then(
        () => this.options.metrics?.eventPublished(true),
        (error: Error) => {
          this.options.metrics?.eventPublished(false);
          this.options.log(`publish failed (subscribers will catch up from the outbox): ${error.message}`);
        },
      );
      this.publishing.add(sent);
      void sent.finally(() => this.publishing.delete(sent));
    }
  }

  /**
   * How many events the furthest-behind city feed of this instance has yet to deliver: the outbox
   * head of each city with a feed, less the feed's last delivered seq (0 without feeds). One query.
   */
  async behind(): Promise<number> {
    const feeds = (await Promise.all([...this.feeds.values()].map((pending) => pending.catch(() => null)))).filter(
      (f): f is CityFeed => f !== null && !f.stopped,
    );
    if (feeds.length === 0) return 0;
    const heads = await readCitySeqs(
      this.orm.em.fork(),
      feeds.map((f) => f.cityId),
    );
    return Math.max(0, ...feeds.map((f) => (heads.get(f.cityId) ?? 0) - f.lastSeq));
  }

  /** The shared feed of a city; call the returned release when done. */
  async acquire(cityId: string): Promise<{ feed: CityFeed; release: () => void }> {
    let pending = this.feeds.get(cityId);
    if (!pending) {
      const feed = new CityFeed(cityId, this.orm, this.pubsub, this.options);
      pending = feed.start().then(() => feed);
      this.feeds.set(cityId, pending);
      pending.catch(() => this.feeds.delete(cityId));
    }
    const feed = await pending;
    if (feed.stopped) return this.acquire(cityId); // released to zero while we waited
    feed.refs++;
    let released = false;
    return {
      feed,
      release: () => {
        if (released) return;
        released = true;
        feed.refs--;
        if (feed.refs === 0) {
          this.feeds.delete(cityId);
          void feed.stop();
        }
      },
    };
  }

  /** Whether pub/sub currently delivers. */
  get healthy(): boolean {
    return this.pubsub.healthy;
  }

  async close(): Promise<void> {
    // Committed changes still being published go out first (at most 2 s; the outbox has them anyway).
    await Promise.race([Promise.allSettled([...this.publishing]), new Promise((r) => setTimeout(r, 2_000).unref())]);
    this.offHealth();
    this.revocations.stop();
    for (const pending of this.feeds.values()) await pending.then((f) => f.stop()).catch(() => {});
    this.feeds.clear();
    await this.pubsub.close();
  }
}
