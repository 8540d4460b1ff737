import type { EntityManager } from '@mikro-orm/core';
import type { Principal } from './auth/policy';
import type { LoginRateLimiter } from './auth/rate-limit';
import type { TokenService } from './auth/tokens';
import type { Locale } from './i18n';
import { Loaders } from './modules/common/loaders';
import type { EventBus } from './realtime/bus';
import type { LiveService } from './modules/live/live.service';

/** Long-lived services every request may use. */
export interface AppServices {
  tokens: TokenService;
  /** The current time; tests may pin it. */
  clock: () => Date;
  /** Counts login attempts per account and client address (memory, or Redis with REDIS_URL). */
  loginLimiter: LoginRateLimiter;
  /** Tells subscribers about committed changes (absent in tools that run without the server). */
  events?: EventBus;
  /** Live subscriptions (absent in tools that run without the server). */
  live?: LiveService;
}

/** Lets a live operation register the city it reads, so a change of its subject's permissions can end it. */
export interface LiveScope {
  /** Watches an operation reading `cityId`; `end` is called if the subject may no longer read it. Returns the removal. */
  watch(cityId: string, end: (error: Error) => void): () => void;
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
  /** Over WebSocket: where a live operation registers the city it reads, so a change of permissions can end it. */
  liveScope?: LiveScope;
  /** Memoised per request: computed values that several fields share (e.g. a city's overview). */
  memo: Map<string, Promise<unknown>>;
}

/** Builds a context with its own `em.fork()` and loaders. */
export function createContext(args: { em: EntityManager; principal: Principal | null; locale: Locale; requestId: string; services: AppServices }): Context {
  const em = args.em.fork({ clear: true });
  return {
    em,
    principal: args.principal,
    loaders: new Loaders(em),
    locale: args.locale,
    requestId: args.requestId,
    now: args.services.clock(),
    services: args.services,
    memo: new Map(),
  };
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
