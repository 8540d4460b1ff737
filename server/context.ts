import type { EntityManager } from '@mikro-orm/core';
import type { Principal } from './auth/policy';
import type { PrincipalCache } from './auth/principal-cache';
import type { LoginRateLimiter } from './auth/rate-limit';
import type { TokenService } from './auth/tokens';
import type { OperationBudget } from './graphql/budget';
import type { WorkBudgets } from './graphql/work-budget';
import type { Locale } from './i18n';
import type { Observability } from './observability';
import { Loaders } from './db/loaders';
import type { EventBus } from './events/bus';
import type { LiveScope, SharedSubscriptions } from './realtime/shared';

/**
 * What the server needs of the live-updates service (modules/live implements it). Declared here so
 * that this file imports no module: the live service gets a context factory from server.ts instead.
 */
export interface LiveUpdates {
  /** Identical subscriptions executed once and shared (see realtime/shared.ts). */
  readonly shared: SharedSubscriptions;
  /** The shared hub behind a key, if any (tests and the benchmark read its counters). */
  hub(key: string): Promise<unknown>;
  /** The most events a `cityEvents(afterSeq)` replay sends (`LIVE_MAX_REPLAY`). */
  readonly maxReplay: number;
  /**
   * The overview a running summary hub last computed for a city, basis and language (a
   * `CityOverview`), or null: the overview service serves it when its `seq` and `today` are current.
   */
  currentOverview?(cityId: string, basis: string, locale: Locale): { seq: number; today: string } | null;
  /** Stops every hub. */
  close(): Promise<void>;
}

/** Long-lived services every request may use. */
export interface AppServices {
  tokens: TokenService;
  /** The current time; tests may pin it. */
  clock: () => Date;
  /** Counts login attempts per account and client address (memory, or Redis with REDIS_URL). */
  loginLimiter: LoginRateLimiter;
  /** Tells subscribers about committed changes (absent in tools that run without the server). */
  events?: EventBus;
  /** `PUBLIC_URL` (no trailing slash): where people reach Pantau; unset, links use the request's origin. */
  publicUrl?: string;
  /** Live subscriptions (absent in tools that run without the server). */
  live?: LiveUpdates;
  /** The runtime log and the metrics (absent in tools that run without the server). */
  observe?: Observability;
  /** Principals of recently seen tokens, dropped by revocation notices (absent in tools: every token is loaded). */
  principals?: PrincipalCache;
  /** The work budget of every subject on this instance (absent in tools: nothing is counted). */
  work?: WorkBudgets;
}

/** Per request (or per socket operation): who asks, a fresh entity manager, batched loaders. */
export interface Context {
  em: EntityManager;
  principal: Principal | null;
  loaders: Loaders;
  locale: Locale;
  requestId: string;
  now: Date;
  services: AppServices;
  /**
   * The client's address (Express `req.ip`, which honours `X-Forwarded-For` only from the proxies
   * `TRUST_PROXY` names), or of a WebSocket's upgrade request, decided the same way; login limits
   * count per address. Unset outside requests and sockets.
   */
  clientIp?: string;
  /**
   * Where links may start when `PUBLIC_URL` is unset: the origin an HTTP request reached this server
   * at, only outside production and for a loopback host (`http://localhost:4000`, see
   * `loopbackOrigin` in http/app.ts); unset otherwise, and links are paths.
   */
  requestOrigin?: string;
  /** The time and size budget of this query or subscription event (set by the pipeline; none for mutations and internal runs). */
  budget?: OperationBudget;
  /** The operation's priced cost (limits.ts), once the pipeline has admitted it. */
  operationCost?: number;
  /** Over WebSocket: where a live operation registers the city it reads, so a change of permissions can end it. */
  liveScope?: LiveScope;
  /** Memoised per request: computed values that several fields share (e.g. a city's overview). */
  memo: Map<string, Promise<unknown>>;
  /**
   * Drops the entity manager, loaders and memo; they are made afresh on next use. A long-lived
   * context (a subscription's, between events) holds nothing it does not need.
   */
  release?(): void;
}

/**
 * Builds a context with its own `em.fork()` and loaders, made on first use: an operation that never
 * reads the database (`{ __typename }`, a subscription between events) costs no entity manager.
 */
export function createContext(args: {
  em: EntityManager;
  principal: Principal | null;
  locale: Locale;
  requestId: string;
  services: AppServices;
}): Context {
  return new LazyContext(args.em, args.principal, args.locale, args.requestId, args.services);
}

/**
 * The accessors are on the prototype, the values they made are own fields: copying a context the
 * way Apollo Server does for every request (`Object.assign(Object.create(prototype), ctx)`, or
 * `copyWith`) copies the fields, not the accessors' results, so it forks no entity manager.
 */
class LazyContext implements Context {
  now: Date;
  clientIp?: string;
  requestOrigin?: string;
  budget?: Context['budget'];
  operationCost?: number;
  liveScope?: Context['liveScope'];
  private madeEm: EntityManager | undefined;
  private madeLoaders: Loaders | undefined;
  private madeMemo: Map<string, Promise<unknown>> | undefined;

  constructor(
    private readonly root: EntityManager,
    readonly principal: Principal | null,
    readonly locale: Locale,
    readonly requestId: string,
    readonly services: AppServices,
  ) {
    this.now = services.clock();
  }

  get em(): EntityManager {
    return (this.madeEm ??= this.root.fork({ clear: true }));
  }
  set em(value: EntityManager) {
    this.madeEm = value;
  }
  get loaders(): Loaders {
    return (this.madeLoaders ??= new Loaders(this.em));
  }
  set loaders(value: Loaders) {
    this.madeLoaders = value;
  }
  get memo(): Map<string, Promise<unknown>> {
    return (this.madeMemo ??= new Map());
  }
  set memo(value: Map<string, Promise<unknown>>) {
    this.madeMemo = value;
  }

  release(): void {
    this.madeEm = undefined;
    this.madeLoaders = undefined;
    this.madeMemo = undefined;
  }
}

/** Runs `compute` once per request for `key`; later calls share the result. */
export function memoize<T>(ctx: Context, key: string, compute: () => Promise<T>): Promise<T> {
  let found = ctx.memo.get(key) as Promise<T> | undefined;
  if (!found) {
    found = compute();
    ctx.memo.set(key, found);
  }
  return found;
}
