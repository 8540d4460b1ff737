import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { GraphQLError, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { decodeJwt } from 'jose';
import { WebSocket, WebSocketServer } from 'ws';
import type { Principal } from '../auth/policy';
import { isDivertible } from '../events/channel';
import { SocketCloseCode } from './close-codes';
import { SocketCaps, type SocketCapOptions } from './socket-caps';
import { SocketRecheck } from './socket-recheck';
import { SocketRegistry, type SocketState, type Watch } from './socket-registry';
import { startSocketTicker } from './socket-ticker';
import { deliverDirect, directWrites } from './direct';
import type { SharedSubscriptions } from './shared';
import { serveGraphqlWs } from './ws-adapter';
import { createContext, type AppServices, type Context } from '../context';
import { localeFromHeader, requestScope } from '../i18n';
import type { OperationPipeline } from '../graphql/pipeline';
import { budgetRefusal, MAX_HOLD_MS, REFUSAL_DELAY_MS, WORK_UNITS } from '../graphql/work-budget';

/** Options of the WebSocket endpoint (units in the names). */
export interface WebSocketOptions {
  schema: GraphQLSchema;
  orm: MikroORM;
  services: AppServices;
  /** How operations are parsed, validated, priced, bounded and their errors formatted: the HTTP endpoint's. */
  pipeline: OperationPipeline;
  /** Resolves `Bearer <token>` to a principal, or null when it is not (or no longer) valid. */
  authenticate: (authorization: string) => Promise<Principal | null>;
  /** A socket that has not sent `connection_init` within this time is closed. */
  initTimeoutMs?: number;
  /**
   * How often the instance re-checks every open socket's user or screen token against the database,
   * all at once (one query per kind). Revocations are pushed at once over pub/sub and expiry is
   * checked locally every second; this only covers a lost notice.
   */
  recheckMs?: number;
  /** The client address of the upgrade request (`TRUST_PROXY` honoured as over HTTP); login limits count per address. */
  clientAddress?: (request: http.IncomingMessage) => string | undefined;
  /** Largest accepted WebSocket message. */
  maxPayloadBytes?: number;
  /** Operations (subscriptions) one connection may run at once. */
  maxOperationsPerSocket?: number;
  /** Open sockets one user or screen token may hold (over every instance sharing `redis`); a new one beyond is closed with 4430. */
  maxSocketsPerSubject?: number;
  /** Sockets not yet authenticated one client address may hold on this instance; a new one beyond is closed with 4430. */
  maxUnauthenticatedPerAddress?: number;
  /** Where the sockets of a subject are counted across instances (absent: per instance). */
  redis?: SocketCapOptions['redis'];
  /** Nothing more is sent to a socket whose unsent bytes are above this… */
  maxBufferedBytes?: number;
  /** …and it is closed (1013) when they stay above it this long. */
  slowConsumerMs?: number;
  /** Shared results written to the TCP socket past `ws` (zero-copy), when the installed `ws` is the line it was made for (default true). */
  directWrites?: boolean;
  /** How often every socket is pinged; one that has not answered the previous ping is dropped. */
  keepAliveMs?: number;
  /** On shutdown: how long to wait for clients to answer the close frame before dropping them. */
  closeGraceMs?: number;
  log?: (message: string) => void;
}

/** The open sockets of an instance, for the benchmark and tests. */
export interface WebSocketEndpoint {
  close(): Promise<void>;
  sockets(): number;
  /** Unsent bytes over every socket. */
  bufferedBytes(): number;
}

/**
 * graphql-ws on the HTTP server's port and path (`/graphql`). Authentication happens in
 * `connection_init` (`{ "authorization": "Bearer …" }`); every operation gets the same
 * authorisation and the same depth/cost/alias/directive/token limits as over HTTP, checked before
 * anything executes. Idle sockets cost nothing per socket: one timer per instance checks token
 * expiry, slow consumers and keep-alive; revocations and permission changes arrive over pub/sub,
 * and a batch re-check (`recheckMs`) covers a lost notice. Close codes: `SocketCloseCode`.
 */
export function attachWebSocket(server: http.Server, options: WebSocketOptions): WebSocketEndpoint {
  const {
    schema,
    orm,
    services,
    pipeline,
    authenticate,
    initTimeoutMs = 3_000,
    recheckMs = 60_000,
    maxPayloadBytes = 1_048_576,
    maxOperationsPerSocket = 50,
    maxSocketsPerSubject = 20,
    maxUnauthenticatedPerAddress = 200,
    maxBufferedBytes = 4 * 1_048_576,
    slowConsumerMs = 10_000,
    keepAliveMs = 12_000,
    closeGraceMs = 3_000,
    clientAddress = () => undefined,
    log = () => {},
  } = options;
  const fast = directWrites(options.directWrites ?? true, log);
  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: maxPayloadBytes });
  let closing = false;
  const caps = new SocketCaps({
    maxPerSubject: maxSocketsPerSubject,
    maxUnauthenticatedPerAddress,
    log,
    ...(options.redis ? { redis: options.redis } : {}),
  });
  const registry = new SocketRegistry(caps, maxBufferedBytes);
  const { admit, authenticated, addressOf } = admission(caps, clientAddress);
  /**
   * A socket whose operation was refused for its subject's spent budget is not read for the
   * `retryAfterSeconds` (1 s at least, `MAX_HOLD_MS` at most): what is written to it still goes
   * out, but a client hammering while refused gets one refusal per socket per second.
   */
  const holdOff = (state: SocketState, errors: readonly { extensions?: Record<string, unknown> }[] | undefined) => {
    const seconds = budgetRefusal(errors);
    if (seconds === null || state.socket.isPaused || !registry.has(state.socket)) return;
    state.socket.pause();
    setTimeout(() => state.socket.resume(), Math.min(MAX_HOLD_MS, Math.max(REFUSAL_DELAY_MS, seconds * 1_000))).unref();
  };
  /** An operation has started (or failed to): its subject's place is free for the next. */
  const turnOver = (state: SocketState | undefined, id: string) => {
    state?.turns.get(id)?.();
    state?.turns.delete(id);
  };
  const rechecks = new SocketRecheck(registry, orm, log);
  const offRevocations = services.events?.onRevocation((subject) => rechecks.revoked(subject));
  const stopTicker = startSocketTicker(registry, {
    keepAliveMs,
    slowConsumerMs,
    recheckMs,
    recheck: () => rechecks.recheckAll(),
    tick: () => caps.tick(),
  });
  const full = (state: SocketState) => registry.full(state);
  const drained = (state: SocketState) => registry.drained(state);

  /** Runs `work` in the socket's language (errors are formatted in it). */
  const inLocale = <T>(socket: unknown, work: () => T): T => {
    const locale = registry.get(socket as WebSocket)?.locale ?? 'id';
    return requestScope.run({ locale, requestId: randomUUID() }, work);
  };
  const shared = services.live?.shared;
  const cleanup = serveGraphqlWs(
    {
      schema,
      ...(shared ? { subscribe: (args: Parameters<SharedSubscriptions['subscribe']>[0]) => shared.subscribe(args) } : {}),
      connectionInitWaitTimeout: initTimeoutMs,
      onConnect: async (ctx) => {
        const asked = ctx.connectionParams?.locale;
        if (asked !== undefined && asked !== null && typeof asked !== 'string') {
          // A malformed `connection_init`, like any other message that is not graphql-ws: 4400.
          ctx.extra.socket.close(SocketCloseCode.BadRequest, 'Invalid connection_init: locale must be a string');
          return false;
        }
        const raw = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        const authorization = typeof raw === 'string' ? raw : '';
        const principal = authorization ? await authenticate(authorization).catch(() => null) : null;
        if (!principal) return false; // graphql-ws closes with 4403 Forbidden
        const socket = ctx.extra.socket;
        if (closing || socket.readyState !== WebSocket.OPEN) return false;
        const subject = principal.userId;
        // Its place among the subject's sockets, on every instance (with Redis). Refused after a
        // while (still counted against its address meanwhile), so reconnecting at once gains nothing.
        if (!(await caps.reserve(subject))) {
          await new Promise((resolve) => setTimeout(resolve, REFUSAL_DELAY_MS));
          socket.close(SocketCloseCode.TooManySockets, `At most ${maxSocketsPerSubject} sockets per user`);
          return false;
        }
        if (closing || socket.readyState !== WebSocket.OPEN) {
          caps.release(subject);
          return false;
        }
        authenticated(socket);
        const claims = principal.isScreen ? null : tokenClaims(authorization);
        const state: SocketState = {
          socket,
          principal,
          authorization,
          subject,
          generation: claims?.gen ?? null,
          expiresAt: claims ? claims.exp * 1_000 : Number.POSITIVE_INFINITY,
          locale: localeFromHeader(typeof asked === 'string' ? asked : ctx.extra.request.headers['accept-language']),
          clientIp: addressOf(socket),
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
        registry.add(state);
        services.observe?.sockets.opened(socket, subject);
        return true;
      },
      // Operations that run are tracked (their principal follows permission changes), and paced by the socket's buffer.
      onOperation: (ctx, id, _payload, args, result) => {
        const state = registry.get(ctx.extra.socket);
        turnOver(state, id);
        if (!state) return result;
        // A subscription refused at subscribe time (a replay over the budget) is an answer with errors.
        if (!isAsyncIterable(result)) holdOff(state, (result as ExecutionResult).errors);
        const context = args.contextValue as Context;
        state.operations.set(id, context);
        if (!isAsyncIterable(result)) {
          pipeline.settle(context, result as ExecutionResult);
          return services.observe?.sockets.track(state.socket, args, result) ?? result;
        }
        // Subscribed: the entity manager and loaders of the subscribe step are not kept while it idles.
        context.release?.();
        if (isDivertible<ExecutionResult>(result) && id in ctx.subscriptions) {
          // Pantau's own stream: its results are written straight to the socket (direct.ts).
          const tracked = services.observe?.sockets.trackDirect(state.socket, args, result);
          deliverDirect({
            target: { socket: state.socket, fast, full: () => full(state), drained: () => drained(state) },
            id,
            stream: result,
            format: (r) => inLocale(state.socket, () => pipeline.formatResult(r)),
            ...(tracked ? { pushed: tracked.pushed } : {}),
          });
          return tracked?.iterator ?? result;
        }
        const live = registry.paced(state, result);
        return services.observe?.sockets.track(state.socket, args, live) ?? live;
      },
      onComplete: (ctx, id) => {
        const state = registry.get(ctx.extra.socket);
        turnOver(state, id);
        state?.operations.delete(id);
      },
      // Errors are formatted exactly as over HTTP (the pipeline's `formatError`): only errors meant
      // for the client keep their message; anything else is INTERNAL.
      // (Results of shared subscriptions do not come here: direct delivery formats them the same
      // way, once per result — the share key includes the language, so its formatting is theirs.)
      onNext: (ctx, _id, _payload, _args, result) => inLocale(ctx.extra.socket, () => pipeline.formatResult(result)),
      onError: (ctx, _id, _payload, errors) => inLocale(ctx.extra.socket, () => pipeline.formatErrors(errors)),
      onClose: (ctx, code) => {
        services.observe?.sockets.closed(ctx.extra.socket, code);
        const state = registry.get(ctx.extra.socket);
        if (state) registry.forget(state);
      },
      onSubscribe: (ctx, id, payload) => {
        const state = registry.get(ctx.extra.socket);
        if (!state) return [new GraphQLError('Unauthorized', { extensions: { code: 'UNAUTHENTICATED' } })];
        // graphql-ws has already reserved this operation's id when onSubscribe runs.
        if (Object.keys(ctx.subscriptions).length > maxOperationsPerSocket) {
          return [
            new GraphQLError(`At most ${maxOperationsPerSocket} operations at once on one connection.`, {
              extensions: { code: 'BAD_USER_INPUT', limit: 'operations', max: maxOperationsPerSocket },
            }),
          ];
        }
        const requestId = randomUUID();
        return requestScope.run({ locale: state.locale, requestId }, async () => {
          // Every operation, valid or not, is work of the socket's subject, shared with its other
          // sockets and its HTTP requests (its cost is spent once it is priced), and waits for its
          // turn among the subject's operations until it has started. Refused: an error for this
          // operation; the socket stays open.
          const work = services.work;
          if (work) {
            const refused = work.trySpend(state.subject, WORK_UNITS.operation);
            if (refused) {
              holdOff(state, [refused]);
              return [refused];
            }
            try {
              state.turns.set(id, await work.enter(state.subject));
            } catch (error) {
              holdOff(state, [error as GraphQLError]);
              return [error as GraphQLError];
            }
            // Closed while it waited: its turn is given back (`forget` has run).
            if (!registry.has(state.socket)) {
              turnOver(state, id);
              return [new GraphQLError('Unauthorized', { extensions: { code: 'UNAUTHENTICATED' } })];
            }
          }
          const prepared = await pipeline.prepare(payload, () => {
            const contextValue = createContext({ em: orm.em, principal: state.principal, locale: state.locale, requestId, services });
            if (state.clientIp) contextValue.clientIp = state.clientIp;
            contextValue.liveScope = {
              watch(cityId, end) {
                const watch: Watch = { cityId, end };
                state.watches.add(watch);
                return () => state.watches.delete(watch);
              },
              writable: () => (full(state) ? drained(state) : Promise.resolve()),
            };
            return contextValue;
          });
          // Refused before it runs: graphql-ws answers the errors, and `onOperation` never comes.
          if (Array.isArray(prepared)) {
            turnOver(state, id);
            holdOff(state, prepared);
          }
          return prepared;
        });
      },
    },
    wss,
    log,
    // Frames graphql-ws sends itself (query results, errors…): a socket they leave over the limit is watched.
    (socket) => {
      const state = registry.get(socket);
      if (state) full(state);
    },
    admit,
  );

  return {
    sockets: () => wss.clients.size,
    bufferedBytes: () => {
      let total = 0;
      for (const client of wss.clients) total += client.bufferedAmount;
      return total;
    },
    /**
     * Closes every socket with 1012 (service restart: reconnect elsewhere at once) and waits, at most
     * `closeGraceMs`, for the clients to answer, so they see a real close frame; then drops the rest.
     */
    async close() {
      closing = true;
      stopTicker();
      await (
        await offRevocations
      )?.();
      await closeEverySocket(wss, closeGraceMs);
      registry.clear();
      await cleanup.dispose();
      await caps.close();
    },
  };
}

/**
 * Admission of new sockets: each is counted against its client address until it authenticates or
 * closes, and refused (4430) when its address already holds its most.
 */
function admission(
  caps: SocketCaps,
  clientAddress: (request: http.IncomingMessage) => string | undefined,
): {
  admit: (socket: WebSocket, request: http.IncomingMessage) => boolean;
  authenticated: (socket: WebSocket) => void;
  addressOf: (socket: WebSocket) => string | undefined;
} {
  /** The client address of each socket, counted against its address's cap until it authenticates or closes. */
  const addresses = new WeakMap<WebSocket, string | undefined>();
  const unauthenticated = new Map<WebSocket, string>();
  const authenticated = (socket: WebSocket) => {
    const address = unauthenticated.get(socket);
    if (address === undefined) return;
    unauthenticated.delete(socket);
    caps.releaseUnauthenticated(address);
  };
  return {
    admit: (socket, request) => {
      const address = clientAddress(request);
      addresses.set(socket, address);
      const key = address ?? 'unknown';
      if (!caps.admitUnauthenticated(key)) {
        socket.close(SocketCloseCode.TooManySockets, 'Too many unauthenticated sockets from this address');
        return false;
      }
      unauthenticated.set(socket, key);
      socket.once('close', () => authenticated(socket));
      return true;
    },
    authenticated,
    addressOf: (socket) => addresses.get(socket),
  };
}

/**
 * Closes every socket with 1012 (service restart: reconnect elsewhere at once) and waits, at most
 * `closeGraceMs`, for the clients to answer, so they see a real close frame; then drops the rest.
 */
async function closeEverySocket(wss: WebSocketServer, closeGraceMs: number): Promise<void> {
  const open = [...wss.clients].filter((c) => c.readyState !== WebSocket.CLOSED);
  const closed = Promise.all(open.map((c) => new Promise<void>((resolve) => c.once('close', () => resolve()))));
  for (const client of open) client.close(SocketCloseCode.ServiceRestart, 'Service restart');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, closeGraceMs)))]);
  clearTimeout(timer);
  for (const client of wss.clients) client.terminate();
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

/** Rejects when `work` takes longer than `ms` (a hung database must not stall the re-checks for good). */
