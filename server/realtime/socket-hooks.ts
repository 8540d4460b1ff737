// What happens on each socket of the WebSocket endpoint (ws.ts wires these into graphql-ws): a
// socket authenticates and takes its place among its subject's sockets (connect), each operation
// waits for its turn in its subject's work budget and passes the HTTP pipeline's checks
// (subscribe), and what runs is tracked, paced by the socket's buffer or written straight to it
// (operation).
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import { decodeJwt } from 'jose';
import { WebSocket } from 'ws';
import type { Principal } from '../auth/policy';
import { isDivertible } from '../events/channel';
import { SocketCloseCode } from './close-codes';
import type { SocketCaps } from './socket-caps';
import type { SocketRegistry, SocketState, Watch } from './socket-registry';
import { deliverDirect, type directWrites } from './direct';
import type { SocketExtra } from './ws-adapter';
import { createContext, type AppServices, type Context } from '../context';
import { localeFromHeader, requestScope } from '../i18n';
import type { OperationPipeline } from '../graphql/pipeline';
import { budgetRefusal, MAX_HOLD_MS, REFUSAL_DELAY_MS, WORK_UNITS } from '../graphql/work-budget';

type Options = ServerOptions<Record<string, unknown> | undefined, SocketExtra>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn<T> = T extends (...args: any[]) => any ? T : never;
type Hook<K extends keyof Options> = Parameters<Fn<NonNullable<Options[K]>>>;
type HookResult<K extends keyof Options> = ReturnType<Fn<NonNullable<Options[K]>>>;

/** What the hooks work with, made once per endpoint by `attachWebSocket`. */
export interface SocketHookDeps {
  orm: MikroORM;
  services: AppServices;
  pipeline: OperationPipeline;
  authenticate: (authorization: string) => Promise<Principal | null>;
  registry: SocketRegistry;
  caps: SocketCaps;
  fast: ReturnType<typeof directWrites>;
  limits: { maxSocketsPerSubject: number; maxOperationsPerSocket: number };
  /** The endpoint is shutting down: no new socket. */
  isClosing: () => boolean;
  /** The socket no longer counts against its address's cap of unauthenticated sockets. */
  authenticated: (socket: WebSocket) => void;
  addressOf: (socket: WebSocket) => string | undefined;
}

/** The graphql-ws hooks of one endpoint. */
export class SocketHooks {
  private readonly orm: MikroORM;
  private readonly services: AppServices;
  private readonly pipeline: OperationPipeline;
  private readonly authenticate: SocketHookDeps['authenticate'];
  private readonly registry: SocketRegistry;
  private readonly caps: SocketCaps;
  private readonly fast: SocketHookDeps['fast'];
  private readonly limits: SocketHookDeps['limits'];
  private readonly isClosing: () => boolean;
  private readonly authenticated: (socket: WebSocket) => void;
  private readonly addressOf: (socket: WebSocket) => string | undefined;

  constructor(deps: SocketHookDeps) {
    ({
      orm: this.orm,
      services: this.services,
      pipeline: this.pipeline,
      authenticate: this.authenticate,
      registry: this.registry,
      caps: this.caps,
      fast: this.fast,
      limits: this.limits,
      isClosing: this.isClosing,
      authenticated: this.authenticated,
      addressOf: this.addressOf,
    } = deps);
  }

  /** `connection_init`: authenticates, takes the socket's place among its subject's sockets, registers it. */
  async connect(...[ctx]: Hook<'onConnect'>): Promise<boolean> {
    const asked = ctx.connectionParams?.locale;
    if (asked !== undefined && asked !== null && typeof asked !== 'string') {
      // A malformed `connection_init`, like any other message that is not graphql-ws: 4400.
      ctx.extra.socket.close(SocketCloseCode.BadRequest, 'Invalid connection_init: locale must be a string');
      return false;
    }
    const raw = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
    const authorization = typeof raw === 'string' ? raw : '';
    const socket = ctx.extra.socket;
    let principal: Principal | null;
    try {
      principal = authorization ? await this.authenticate(authorization) : null;
    } catch {
      // The token could not be checked (the database did not answer): not a verdict on the token.
      // 1013 tells the client to come back (4403 would end a kiosk's or a desk's session for good).
      socket.close(SocketCloseCode.TryAgainLater, 'The token could not be checked now: try again');
      return false;
    }
    if (!principal) return false; // graphql-ws closes with 4403 Forbidden
    if (this.isClosing() || socket.readyState !== WebSocket.OPEN) return false;
    const subject = principal.userId;
    // Its place among the subject's sockets, on every instance (with Redis). Refused after a
    // while (still counted against its address meanwhile), so reconnecting at once gains nothing.
    if (!(await this.caps.reserve(subject))) {
      await new Promise((resolve) => setTimeout(resolve, REFUSAL_DELAY_MS));
      socket.close(SocketCloseCode.TooManySockets, `At most ${this.limits.maxSocketsPerSubject} sockets per user`);
      return false;
    }
    if (this.isClosing() || socket.readyState !== WebSocket.OPEN) {
      this.caps.release(subject);
      return false;
    }
    this.authenticated(socket);
    const claims = principal.isScreen ? null : tokenClaims(authorization);
    const state: SocketState = {
      socket,
      principal,
      authorization,
      subject,
      generation: claims?.gen ?? null,
      expiresAt: claims ? claims.exp * 1_000 : Number.POSITIVE_INFINITY,
      locale: localeFromHeader(typeof asked === 'string' ? asked : ctx.extra.request.headers['accept-language']),
      clientIp: this.addressOf(socket),
      operations: new Map(),
      turns: new Map(),
      watches: new Set(),
      slowSince: null,
      resume: null,
      heard: true,
      pinged: false,
    };
    const heard = () => (state.heard = true);
    socket.on('pong', heard);
    socket.on('message', heard);
    // The upgrade request is not needed any more (it would stay referenced for the socket's life).
    delete (ctx.extra as { request?: unknown }).request;
    this.registry.add(state);
    this.services.observe?.sockets.opened(socket, subject);
    return true;
  }

  /** An operation arrives: its subject's budget and turn, then the pipeline's checks. */
  subscribe(...[ctx, id, payload]: Hook<'onSubscribe'>): HookResult<'onSubscribe'> {
    const state = this.registry.get(ctx.extra.socket);
    if (!state) return [new GraphQLError('Unauthorized', { extensions: { code: 'UNAUTHENTICATED' } })];
    // graphql-ws has already reserved this operation's id when onSubscribe runs.
    if (Object.keys(ctx.subscriptions).length > this.limits.maxOperationsPerSocket) {
      return [
        new GraphQLError(`At most ${this.limits.maxOperationsPerSocket} operations at once on one connection.`, {
          extensions: { code: 'BAD_USER_INPUT', limit: 'operations', max: this.limits.maxOperationsPerSocket },
        }),
      ];
    }
    const requestId = randomUUID();
    return requestScope.run({ locale: state.locale, requestId }, async () => {
      // Every operation, valid or not, is work of the socket's subject, shared with its other
      // sockets and its HTTP requests (its cost is spent once it is priced), and waits for its
      // turn among the subject's operations until it has started. Refused: an error for this
      // operation; the socket stays open.
      const work = this.services.work;
      if (work) {
        const refused = work.trySpend(state.subject, WORK_UNITS.operation);
        if (refused) {
          this.holdOff(state, [refused]);
          return [refused];
        }
        try {
          state.turns.set(id, await work.enter(state.subject));
        } catch (error) {
          this.holdOff(state, [error as GraphQLError]);
          return [error as GraphQLError];
        }
        // Closed while it waited: its turn is given back (`forget` has run).
        if (!this.registry.has(state.socket)) {
          turnOver(state, id);
          return [new GraphQLError('Unauthorized', { extensions: { code: 'UNAUTHENTICATED' } })];
        }
      }
      const prepared = await this.pipeline.prepare(payload, () => {
        const contextValue = createContext({
          em: this.orm.em,
          principal: state.principal,
          locale: state.locale,
          requestId,
          services: this.services,
        });
        if (state.clientIp) contextValue.clientIp = state.clientIp;
        contextValue.liveScope = {
          watch(cityId, end) {
            const watch: Watch = { cityId, end };
            state.watches.add(watch);
            return () => state.watches.delete(watch);
          },
          writable: () => (this.registry.full(state) ? this.registry.drained(state) : Promise.resolve()),
        };
        return contextValue;
      });
      // Refused before it runs: graphql-ws answers the errors, and `onOperation` never comes.
      if (Array.isArray(prepared)) {
        turnOver(state, id);
        this.holdOff(state, prepared);
      }
      return prepared;
    });
  }

  /** Operations that run are tracked (their principal follows permission changes), and paced by the socket's buffer. */
  operation(...[ctx, id, , args, result]: Hook<'onOperation'>): HookResult<'onOperation'> {
    const state = this.registry.get(ctx.extra.socket);
    turnOver(state, id);
    if (!state) return result;
    // A subscription refused at subscribe time (a replay over the budget) is an answer with errors.
    if (!isAsyncIterable(result)) this.holdOff(state, (result as ExecutionResult).errors);
    const context = args.contextValue as Context;
    state.operations.set(id, context);
    if (!isAsyncIterable(result)) {
      this.pipeline.settle(context, result as ExecutionResult);
      return this.services.observe?.sockets.track(state.socket, args, result) ?? result;
    }
    // Subscribed: the entity manager and loaders of the subscribe step are not kept while it idles.
    context.release?.();
    if (isDivertible<ExecutionResult>(result) && id in ctx.subscriptions) {
      // Pantau's own stream: its results are written straight to the socket (direct.ts).
      const tracked = this.services.observe?.sockets.trackDirect(state.socket, args, result);
      deliverDirect({
        target: {
          socket: state.socket,
          fast: this.fast,
          full: () => this.registry.full(state),
          drained: () => this.registry.drained(state),
        },
        id,
        stream: result,
        format: (r) => this.inLocale(state.socket, () => this.pipeline.formatResult(r)),
        ...(tracked ? { pushed: tracked.pushed } : {}),
      });
      return tracked?.iterator ?? result;
    }
    const live = this.registry.paced(state, result);
    return this.services.observe?.sockets.track(state.socket, args, live) ?? live;
  }

  /** An operation ended: its turn is given back, it is no longer tracked. */
  complete(...[ctx, id]: Hook<'onComplete'>): void {
    const state = this.registry.get(ctx.extra.socket);
    turnOver(state, id);
    state?.operations.delete(id);
  }

  /** Runs `work` in the socket's language (errors are formatted in it). */
  inLocale<T>(socket: unknown, work: () => T): T {
    const locale = this.registry.get(socket as WebSocket)?.locale ?? 'id';
    return requestScope.run({ locale, requestId: randomUUID() }, work);
  }

  /**
   * A socket whose operation was refused for its subject's spent budget is not read for the
   * `retryAfterSeconds` (1 s at least, `MAX_HOLD_MS` at most): what is written to it still goes
   * out, but a client hammering while refused gets one refusal per socket per second.
   */
  private holdOff(state: SocketState, errors: readonly { extensions?: Record<string, unknown> }[] | undefined): void {
    const seconds = budgetRefusal(errors);
    if (seconds === null || state.socket.isPaused || !this.registry.has(state.socket)) return;
    state.socket.pause();
    setTimeout(() => state.socket.resume(), Math.min(MAX_HOLD_MS, Math.max(REFUSAL_DELAY_MS, seconds * 1_000))).unref();
  }
}

/** An operation has started (or failed to): its subject's place is free for the next. */
function turnOver(state: SocketState | undefined, id: string): void {
  state?.turns.get(id)?.();
  state?.turns.delete(id);
}

/** `gen` and `exp` of a login token that `authenticate` has already verified. */
function tokenClaims(authorization: string): { gen: number; exp: number } | null {
  try {
    const { gen, exp } = decodeJwt(authorization.replace(/^Bearer\s+/i, '').trim());
    return typeof gen === 'number' && typeof exp === 'number' ? { gen, exp } : null;
  } catch {
    return null;
  }
}

function isAsyncIterable<T>(value: unknown): value is AsyncIterableIterator<T> {
  return typeof (value as { [Symbol.asyncIterator]?: unknown })?.[Symbol.asyncIterator] === 'function';
}
