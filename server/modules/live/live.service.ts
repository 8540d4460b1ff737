import type { MikroORM } from '@mikro-orm/core';
import type { Principal } from '../../auth/policy';
import type { Context, LiveUpdates } from '../../context';
import { Loaders } from '../../db/loaders';
import { AppError, ErrorCode } from '../../errors';
import type { Locale } from '../../i18n';
import type { EventBus } from '../../events/bus';
import type { EventMessage } from '../../events/topics';
import { ActionPlan } from '../action-plans/action-plan.entity';
import { City } from '../cities/city.entity';
import type { CityOverview, ProgressBasis } from '../overview/overview';
import { sharedCityOverview } from '../overview/overview.service';
import { citySeq } from '../overview/city-data';
import { todayIn } from '../../util/dates';
import { Role } from '../users/user.entity';
import type { Readiness } from '../monev/readiness';
import { cityReadiness } from '../monev/readiness.service';

/** The principal the shared computations run as: they read one whole city, nothing else. */
const SYSTEM: Principal = {
  userId: 'system',
  email: 'system',
  name: 'Pantau',
  role: Role.PLATFORM_ADMIN,
  cityId: null,
  cityIds: [],
  opdId: null,
};

/**
 * Builds a context (its own `em.fork()`, loaders and clock) for a principal: given by server.ts, so
 * this service needs no import of the context's construction (which would import it back).
 */
export type ContextFactory = (args: { principal: Principal; locale: Locale; requestId: string }) => Context;

/** Options of the live service (units in the names). */
export interface LiveOptions {
  /**
   * A hub computes at most once per this window when changes keep coming (after a burst allowance
   * of `COALESCE_BURST` computations at once); see `Hub.schedule`.
   */
  coalesceMs?: number;
  /** The most events `cityEvents(afterSeq)` replays; further back is refused (refetch the snapshot). */
  maxReplay?: number;
}

type Listener<T> = (value: T) => void;

/**
 * What a `cityScreen` frame is executed from: one per (coalesced) change of a city's summary, the
 * overview that change computed and the seq it reflects (screen.resolver.ts resolves the rest of
 * the screen from the same entity manager and memo, once per change for every screen).
 */
export interface ScreenSource {
  cityId: string;
  seq: number;
  overview: CityOverview;
}

/**
 * Changes a hub computes at once, one after the other, before it coalesces: separate people's lone
 * changes (an upload, then a report 100 ms later) are each pushed without waiting, while a sustained
 * burst costs one computation per window.
 */
export const COALESCE_BURST = 3;

/** Something many subscribers share: computed once per change on this instance, then fanned out. */
abstract class Hub<T> {
  current: T | null = null;
  /** How many times the shared value was computed (for tests and the benchmark). */
  computations = 0;
  readonly listeners = new Set<Listener<T>>();
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  /** The newest change waiting for the next token (0: none): computed when the timer fires. */
  private trailingSeq = 0;
  /** Computations it may start at once (a token bucket: one more every `coalesceMs`, at most `COALESCE_BURST`). */
  private tokens = COALESCE_BURST;
  /** When the bucket last gained a token (or was full). */
  private refilledAt = performance.now();
  /** The newest change that arrived in this tick (0: none), scheduled once the tick's events are in. */
  private arrivingSeq = 0;
  /** The newest change a computation was asked for. */
  private wantedSeq = 0;
  private off: (() => void) | null = null;
  private releaseFeed: (() => void) | null = null;

  constructor(
    protected readonly live: LiveService,
    readonly cityId: string,
    private readonly coalesceMs: number,
  ) {}

  /** Whether an event concerns this hub. */
  protected abstract wants(event: EventMessage): boolean;
  /** Computes the shared value. */
  protected abstract compute(): Promise<T>;
  /** Whether the current value already reflects the change `seq` (then it costs nothing). */
  protected covers(_seq: number): boolean {
    return false;
  }

  async start(): Promise<void> {
    const { feed, release } = await this.live.bus.acquire(this.cityId);
    this.releaseFeed = release;
    this.off = feed.listen((event) => {
      if (!this.wants(event)) return;
      // The events of one commit arrive together: decided once, for the newest of them.
      if (this.arrivingSeq === 0) queueMicrotask(() => this.arrived());
      this.arrivingSeq = Math.max(this.arrivingSeq, event.seq);
    });
    await this.refresh();
  }

  private arrived(): void {
    const seq = this.arrivingSeq;
    this.arrivingSeq = 0;
    this.schedule(seq);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.off?.();
    this.releaseFeed?.();
    this.listeners.clear();
  }

  /**
   * Leading-edge coalescing with a burst allowance (a token bucket): a change is computed and pushed
   * at once while the hub has a token; it has `COALESCE_BURST`, and gains one every `coalesceMs`.
   * Without one, the change waits for the next token, and every change meanwhile rides on that one
   * computation. A lone change never waits; a sustained burst costs one computation per window.
   */
  schedule(seq: number): void {
    if (this.covers(seq)) return;
    this.wantedSeq = Math.max(this.wantedSeq, seq);
    if (this.timer) {
      this.trailingSeq = Math.max(this.trailingSeq, seq);
      return;
    }
    this.refill();
    if (this.tokens >= 1) {
      this.tokens--;
      void this.refresh();
      return;
    }
    this.trailingSeq = seq;
    const wait = Math.max(0, this.refilledAt + this.coalesceMs - performance.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      const trailing = this.trailingSeq;
      this.trailingSeq = 0;
      if (trailing !== 0) this.schedule(trailing);
    }, wait);
  }

  /** Adds the tokens earned since the last refill. */
  private refill(): void {
    const now = performance.now();
    const earned = Math.floor((now - this.refilledAt) / this.coalesceMs);
    if (earned <= 0) return;
    this.tokens = Math.min(COALESCE_BURST, this.tokens + earned);
    this.refilledAt = this.tokens === COALESCE_BURST ? now : this.refilledAt + earned * this.coalesceMs;
  }

  /** Recomputes now (or right after a running computation) and tells every listener. */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          this.computations++;
          this.current = await this.compute();
          for (const listener of this.listeners) listener(this.current);
          // A change that came in while it ran may already be in what it read.
        } while (this.again && !this.covers(this.wantedSeq));
      } catch (error) {
        this.live.log(`live hub ${this.constructor.name} ${this.cityId}: ${(error as Error).message}`);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }
}

/** The entities whose changes can move an overview's plan figures but nothing else it reads. */
const PLAN_ENTITIES = new Set(['ActionPlan', 'ProgressReport']);

/** What a full computation read that only other changes (or the next day) can move: the city, programs, OPDs, next visit. */
interface Kept {
  /** The city's seq when they were read (they reflect at least it). */
  seq: number;
  today: string;
  city: City;
  /** Their memo entries (city-data.ts keys). */
  memo: [string, Promise<unknown>][];
}

/**
 * One city's overview for one basis and language, recomputed once per (coalesced) change.
 * Incremental: when every change since the last full computation was to plans or reports (a
 * progress report, a verification, a plan edit: what a busy day is made of), the city, its
 * programs, OPDs and next visit are kept from it and only the plans (and reports) are read again.
 */
export class SummaryHub extends Hub<CityOverview> {
  /** The newest change this hub has been told of. */
  private seen = 0;
  /** The newest change it was told of that is not to a plan or report (0: none). */
  private otherSeq = 0;
  private kept: Kept | null = null;

  constructor(
    live: LiveService,
    cityId: string,
    private readonly basis: ProgressBasis,
    private readonly locale: Locale,
    coalesceMs: number,
  ) {
    super(live, cityId, coalesceMs);
  }
  protected wants(event: EventMessage): boolean {
    this.seen = Math.max(this.seen, event.seq);
    if (!PLAN_ENTITIES.has(event.entity)) this.otherSeq = Math.max(this.otherSeq, event.seq);
    return true;
  }
  /** The overview reads the city's seq before its figures: they reflect at least that change. */
  protected override covers(seq: number): boolean {
    return this.current !== null && seq <= this.current.seq;
  }
  protected async compute(): Promise<CityOverview> {
    const ctx = this.live.systemContext(this.locale);
    // The seq first (the overview reads the same one): what is kept may serve only if this hub was
    // told of every change up to it, and none of them was to anything but plans and reports.
    const seq = await citySeq(ctx, this.cityId);
    const kept = this.kept;
    const reuse = kept !== null && this.otherSeq <= kept.seq && seq <= this.seen && kept.today === todayIn(kept.city.timeZone, ctx.now);
    const city = reuse ? kept.city : await ctx.em.findOneOrFail(City, { id: this.cityId });
    if (reuse) for (const [key, value] of kept.memo) ctx.memo.set(key, value);
    else this.reads++;
    ctx.loaders.prime(City, [city]);
    // With the first late plans loaded once here, not once per subscriber.
    const overview = await sharedCityOverview(ctx, city, this.basis);
    if (!reuse) {
      const keys = [`programs:${city.id}`, `opds:${city.id}`, `opdsById:${city.id}`, `visit:${city.id}:${overview.today}`];
      this.kept = {
        seq,
        today: overview.today,
        city,
        memo: keys.flatMap((k) => (ctx.memo.has(k) ? [[k, ctx.memo.get(k)!] as [string, Promise<unknown>]] : [])),
      };
    }
    // The execution of this value reads what the computation read (the city, its OPDs…), not again.
    computedWith.set(overview, { em: ctx.em, loaders: ctx.loaders, memo: ctx.memo });
    return overview;
  }
  /** How many computations read the city, programs, OPDs and next visit afresh (tests). */
  reads = 0;
}

/**
 * The entity manager, loaders and memo a hub's value was computed with, all of the same change:
 * `fresh` hands them to the execution of that value (city-scoped data only, read as the system).
 */
const computedWith = new WeakMap<object, Pick<Context, 'em' | 'loaders' | 'memo'>>();

/** The frame source of each overview a summary hub pushed (see `LiveService.screen`). */
const screens = new WeakMap<CityOverview, ScreenSource>();

function screenOf(overview: CityOverview): ScreenSource {
  let screen = screens.get(overview);
  if (!screen) {
    screen = { cityId: overview.cityId, seq: overview.seq, overview };
    screens.set(overview, screen);
    const computed = computedWith.get(overview);
    if (computed) computedWith.set(screen, computed);
  }
  return screen;
}

/** One action plan, reloaded once per change that concerns it. */
export class PlanHub extends Hub<ActionPlan | null> {
  constructor(
    live: LiveService,
    cityId: string,
    private readonly planId: string,
    coalesceMs: number,
  ) {
    super(live, cityId, coalesceMs);
  }
  protected wants(event: EventMessage): boolean {
    return event.actionPlanId === this.planId || event.entityId === this.planId;
  }
  protected async compute(): Promise<ActionPlan | null> {
    return this.live.orm.em.fork().findOne(ActionPlan, { id: this.planId });
  }
}

/** One city's monev readiness for one year and language, recomputed once per (coalesced) change. */
export class ReadinessHub extends Hub<Readiness> {
  constructor(
    live: LiveService,
    cityId: string,
    private readonly year: number,
    private readonly locale: Locale,
    coalesceMs: number,
  ) {
    super(live, cityId, coalesceMs);
  }
  protected wants(): boolean {
    return true;
  }
  protected async compute(): Promise<Readiness> {
    const ctx = this.live.systemContext(this.locale);
    return cityReadiness(ctx, await ctx.em.findOneOrFail(City, { id: this.cityId }), this.year);
  }
}

/** The live service of the server (INTERNAL where there is none). */
export function liveOf(ctx: Context): LiveService {
  const live = ctx.services.live;
  if (!(live instanceof LiveService)) throw new AppError(ErrorCode.INTERNAL, 'Live updates are not available on this server.');
  return live;
}

/** Live subscriptions of one instance: shared hubs per city, plan and summary scope. */
export class LiveService implements LiveUpdates {
  readonly orm: MikroORM;
  private readonly hubs = new Map<string, Promise<Hub<unknown>>>();
  /** The hubs that have started (their `current` is readable at once). */
  private readonly running = new Map<string, Hub<unknown>>();
  private readonly coalesceMs: number;
  /** The most events one `cityEvents(afterSeq)` replays. */
  readonly maxReplay: number;

  constructor(
    readonly bus: EventBus,
    private readonly makeContext: ContextFactory,
    /** Identical subscriptions executed once and shared (realtime/shared.ts; the server makes it). */
    readonly shared: LiveUpdates['shared'],
    readonly log: (message: string) => void = () => {},
    options: LiveOptions = {},
  ) {
    this.orm = bus.orm;
    this.coalesceMs = options.coalesceMs ?? 250;
    this.maxReplay = options.maxReplay ?? 1_000;
  }

  /** A context that reads as the system, on a fresh entity manager. */
  systemContext(locale: Locale): Context {
    return this.makeContext({ principal: SYSTEM, locale, requestId: 'live' });
  }

  /** Subscribes to the shared summary of a city; the current value is sent at once. */
  summary(cityId: string, basis: ProgressBasis, locale: Locale, listener: Listener<CityOverview>): Promise<() => void> {
    return this.join(
      `summary:${cityId}:${basis}:${locale}`,
      () => new SummaryHub(this, cityId, basis, locale, this.coalesceMs) as unknown as Hub<unknown>,
      listener as Listener<unknown>,
    );
  }

  /**
   * Subscribes to the shared screen of a city: every push of its summary hub, as a frame source
   * (the same object for every listener of the same overview).
   */
  screen(cityId: string, basis: ProgressBasis, locale: Locale, listener: Listener<ScreenSource>): Promise<() => void> {
    return this.summary(cityId, basis, locale, (overview) => listener(screenOf(overview)));
  }

  /** Subscribes to the shared readiness of a city for a year; the current value is sent at once. */
  readiness(cityId: string, year: number, locale: Locale, listener: Listener<Readiness>): Promise<() => void> {
    return this.join(
      `readiness:${cityId}:${year}:${locale}`,
      () => new ReadinessHub(this, cityId, year, locale, this.coalesceMs) as unknown as Hub<unknown>,
      listener as Listener<unknown>,
    );
  }

  /** Subscribes to the shared state of one plan; the current value is sent at once. */
  plan(cityId: string, planId: string, listener: Listener<ActionPlan | null>): Promise<() => void> {
    return this.join(
      `plan:${planId}`,
      () => new PlanHub(this, cityId, planId, Math.min(this.coalesceMs, 50)) as unknown as Hub<unknown>,
      listener as Listener<unknown>,
    );
  }

  /** The overview the summary hub of this city, basis and language last computed, if it runs. */
  currentOverview(cityId: string, basis: string, locale: Locale): CityOverview | null {
    return (this.running.get(`summary:${cityId}:${basis}:${locale}`)?.current as CityOverview | null | undefined) ?? null;
  }

  /** The hub behind a key, if any (tests and the benchmark read its counters). */
  async hub(key: string): Promise<Hub<unknown> | undefined> {
    return this.hubs.get(key);
  }

  private async join(key: string, make: () => Hub<unknown>, listener: Listener<unknown>): Promise<() => void> {
    let pending = this.hubs.get(key);
    if (!pending) {
      const hub = make();
      pending = hub.start().then(() => hub);
      this.hubs.set(key, pending);
      const started = pending;
      pending.then(
        (h) => {
          if (this.hubs.get(key) === started) this.running.set(key, h);
        },
        () => this.hubs.delete(key),
      );
    }
    const hub = await pending;
    hub.listeners.add(listener);
    if (hub.current !== null) listener(hub.current);
    return () => {
      hub.listeners.delete(listener);
      if (hub.listeners.size === 0 && this.hubs.get(key) === pending) {
        this.hubs.delete(key);
        if (this.running.get(key) === hub) this.running.delete(key);
        hub.stop();
      }
    };
  }

  /**
   * Wraps a subscriber's iterator so each value is resolved with a fresh entity manager, loaders
   * and clock (a long-lived subscription must never read through a stale identity map).
   */
  fresh<T>(ctx: Context, iterator: AsyncIterableIterator<T>): AsyncIterableIterator<T> {
    const orm = this.orm;
    return {
      async next() {
        const result = await iterator.next();
        const computed = typeof result.value === 'object' && result.value !== null ? computedWith.get(result.value as object) : undefined;
        if (computed) {
          ctx.em = computed.em;
          ctx.loaders = computed.loaders;
          ctx.memo = computed.memo;
        } else {
          ctx.em = orm.em.fork({ clear: true });
          ctx.loaders = new Loaders(ctx.em);
          ctx.memo = new Map();
        }
        ctx.now = ctx.services.clock();
        return result;
      },
      return: () => iterator.return?.() ?? Promise.resolve({ value: undefined, done: true }),
      throw: (error: unknown) => iterator.throw?.(error) ?? Promise.reject(error),
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  async close(): Promise<void> {
    for (const pending of this.hubs.values()) await pending.then((h) => h.stop()).catch(() => {});
    this.hubs.clear();
    this.running.clear();
  }
}
