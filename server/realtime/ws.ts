import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { GraphQLError, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { decodeJwt } from 'jose';
import { WebSocket, WebSocketServer } from 'ws';
import { policy, type Principal } from '../auth/policy';
import { principalOf } from '../auth/principal';
import { notFound } from '../errors';
import { ScreenToken } from '../modules/screens/screen-token.entity';
import { User } from '../modules/users/user.entity';
import { isDivertible } from '../events/channel';
import { SocketCloseCode } from './close-codes';
import { SocketCaps, type SocketCapOptions } from './socket-caps';
import { deliverDirect, directWrites } from './direct';
import type { SharedSubscriptions } from './shared';
import { EVERY_SUBJECT } from '../events/topics';
import { serveGraphqlWs } from './ws-adapter';
import { createContext, type AppServices, type Context } from '../context';
import { localeFromHeader, requestScope, type Locale } from '../i18n';
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

/** What one open operation may be stopped for: its city, and how to end it with an error. */
interface Watch {
  cityId: string;
  end(error: Error): void;
}

/** One authenticated socket. */
interface SocketState {
  socket: WebSocket;
  principal: Principal;
  authorization: string;
  /** The user id or `screen:<id>`. */
  subject: string;
  /** A login token's session generation, checked in the batch re-check (screen tokens: null). */
  generation: number | null;
  /** When a login token expires (ms since the epoch); screen tokens: never. */
  expiresAt: number;
  locale: Locale;
  clientIp: string | undefined;
  /** Contexts of the operations running on the socket (their principal follows a permission change). */
  operations: Map<string, Context>;
  /** The turns of operations being prepared and started (their subject's places among its running operations), by id. */
  turns: Map<string, () => void>;
  /** Live operations and the city each reads. */
  watches: Set<Watch>;
  /** Since when the socket has been over `maxBufferedBytes` (null: it is not). */
  slowSince: number | null;
  /** Resolved when the socket may be fed again (it drained, or closed). */
  resume: { promise: Promise<void>; resolve: () => void } | null;
  /** The peer was heard from (a message or a pong) since the last keep-alive round. */
  heard: boolean;
  /** It was pinged in the last round (and not heard from since, or `heard` would be set). */
  pinged: boolean;
}

/** The open sockets of an instance, for the benchmark and tests. */
export interface WebSocketEndpoint {
  close(): Promise<void>;
  sockets(): number;
  /** Unsent bytes over every socket. */
  bufferedBytes(): number;
}

const UUID_LIKE = /^[0-9a-f-]{36}$/i;

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
  const states = new Map<WebSocket, SocketState>();
  const bySubject = new Map<string, Set<SocketState>>();
  let closing = false;
  const caps = new SocketCaps({
    maxPerSubject: maxSocketsPerSubject,
    maxUnauthenticatedPerAddress,
    log,
    ...(options.redis ? { redis: options.redis } : {}),
  });
  /** The client address of each socket, counted against its address's cap until it authenticates or closes. */
  const addresses = new WeakMap<WebSocket, string | undefined>();
  const unauthenticated = new Map<WebSocket, string>();
  const authenticated = (socket: WebSocket) => {
    const address = unauthenticated.get(socket);
    if (address === undefined) return;
    unauthenticated.delete(socket);
    caps.releaseUnauthenticated(address);
  };
  /** Every new socket: counted against its address until it authenticates, or refused (4430) when its address has its most. */
  const admit = (socket: WebSocket, request: http.IncomingMessage): boolean => {
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
  };

  /** Sockets with a login token (they expire; screen tokens do not): the ticker checks them every second. */
  const expiring = new Set<SocketState>();
  /** Sockets seen over the buffer limit, or waiting to be fed again: the ticker checks them every second. */
  const buffered = new Set<SocketState>();
  const forget = (state: SocketState) => {
    if (states.get(state.socket) !== state) return;
    states.delete(state.socket);
    expiring.delete(state);
    buffered.delete(state);
    const set = bySubject.get(state.subject);
    set?.delete(state);
    if (set?.size === 0) bySubject.delete(state.subject);
    caps.release(state.subject);
    for (const release of state.turns.values()) release();
    state.turns.clear();
    state.resume?.resolve();
  };
  /**
   * A socket whose operation was refused for its subject's spent budget is not read for the
   * `retryAfterSeconds` (1 s at least, `MAX_HOLD_MS` at most): what is written to it still goes
   * out, but a client hammering while refused gets one refusal per socket per second.
   */
  const holdOff = (state: SocketState, errors: readonly { extensions?: Record<string, unknown> }[] | undefined) => {
    const seconds = budgetRefusal(errors);
    if (seconds === null || state.socket.isPaused || !states.has(state.socket)) return;
    state.socket.pause();
    setTimeout(() => state.socket.resume(), Math.min(MAX_HOLD_MS, Math.max(REFUSAL_DELAY_MS, seconds * 1_000))).unref();
  };
  /** An operation has started (or failed to): its subject's place is free for the next. */
  const turnOver = (state: SocketState | undefined, id: string) => {
    state?.turns.get(id)?.();
    state?.turns.delete(id);
  };
  const closeSocket = (state: SocketState, code: SocketCloseCode, reason: string) => {
    forget(state);
    state.socket.close(code, reason);
  };

  /** Applies a re-loaded principal: null closes (4401); a narrower one ends the operations it may no longer run. */
  const apply = (state: SocketState, principal: Principal | null) => {
    if (!states.has(state.socket)) return;
    if (!principal) return closeSocket(state, SocketCloseCode.Unauthorized, 'Unauthorized');
    state.principal = principal;
    for (const ctx of state.operations.values()) ctx.principal = principal;
    for (const watch of [...state.watches]) {
      if (policy.canReadCity(principal, watch.cityId)) continue;
      state.watches.delete(watch);
      // The same answer as subscribing anew would get: NOT_FOUND, in the socket's language.
      watch.end(requestScope.run({ locale: state.locale, requestId: randomUUID() }, () => notFound('City', watch.cityId)));
    }
  };

  /**
   * Re-checks sockets against the database: one query for the users and one for the screen tokens
   * of all of them. A database failure leaves the sockets as they are (the next round tries again).
   */
  const recheck = async (targets: readonly SocketState[]): Promise<void> => {
    const userIds = [...new Set(targets.filter((s) => s.generation !== null).map((s) => s.subject))].filter((id) => UUID_LIKE.test(id));
    const screenIds = [...new Set(targets.filter((s) => s.generation === null).map((s) => s.subject.replace(/^screen:/, '')))];
    const em = orm.em.fork({ clear: true });
    const users = new Map<string, User>();
    const screens = new Set<string>();
    for (let i = 0; i < userIds.length; i += 500) {
      for (const user of await em.find(User, { id: { $in: userIds.slice(i, i + 500) }, archivedAt: null })) users.set(user.id, user);
    }
    for (let i = 0; i < screenIds.length; i += 500) {
      const rows = await em.find(
        ScreenToken,
        { id: { $in: screenIds.slice(i, i + 500) }, revokedAt: null, archivedAt: null, city: { archivedAt: null } },
        { fields: ['id'] },
      );
      for (const row of rows) screens.add(row.id);
    }
    for (const state of targets) {
      if (state.generation === null) {
        if (!screens.has(state.subject.replace(/^screen:/, ''))) apply(state, null);
        continue;
      }
      const user = users.get(state.subject);
      apply(state, user && user.sessionGeneration === state.generation ? principalOf(user) : null);
    }
  };
  let rechecking: Promise<void> | null = null;
  const recheckAll = () => {
    if (rechecking || states.size === 0) return;
    rechecking = withTimeout(recheck([...states.values()]), 30_000)
      .catch((error: Error) => log(`re-checking the sockets' tokens: ${error.message}`))
      .finally(() => (rechecking = null));
  };

  // A revoked session or screen token, or a subject whose permissions changed: its sockets on this
  // instance are checked again at once; an archived city (`city:<id>`): the sockets of its screens.
  const offRevocations = services.events?.onRevocation((subject) => {
    if (subject === EVERY_SUBJECT) return recheckAll();
    const city = subject.startsWith('city:') ? subject.slice('city:'.length) : null;
    const set = city
      ? [...states.values()].filter((s) => s.principal.isScreen && s.principal.cityId === city)
      : [...(bySubject.get(subject) ?? [])];
    if (set.length === 0) return;
    withTimeout(recheck(set), 30_000).catch((error: Error) => log(`re-checking ${subject}'s sockets: ${error.message}`));
  });

  // The instance's one timer: token expiry, slow consumers, keep-alive; the batch re-check. Every
  // second it looks at the sockets that can expire or were seen over the buffer limit, and at its
  // share of all sockets: each is visited once per keep-alive round (ping, and a buffer check for
  // what no write noticed), a round's visits spread over its seconds so that 10,000 pings are not
  // one burst of writes holding up everything else (profiled at 10,000: ~240 ms in one go).
  // Keep-alive: a socket heard from since its last visit (our dashboard's client pings every 10 s)
  // is not pinged; a silent one is pinged, and dropped if still silent at its next visit. So a
  // silent peer is pinged at most every other round, and a dead one is dropped within three.
  const roundTicks = Math.max(1, Math.round(keepAliveMs / 1_000));
  const keepAlive = (state: SocketState, now: number): void => {
    if (state.socket.bufferedAmount > maxBufferedBytes) {
      // Over the limit (it is not reading): handled by the buffer check from the next second on, not pinged.
      state.slowSince ??= now;
      buffered.add(state);
      return;
    }
    if (buffered.has(state)) return;
    if (state.heard) {
      state.heard = false;
      state.pinged = false;
      return;
    }
    if (state.pinged) {
      forget(state);
      state.socket.terminate();
      return;
    }
    state.pinged = true;
    state.socket.ping();
  };
  /** The sockets of the current keep-alive round (open when it began), and how many were visited. */
  let round: (SocketState | null)[] = [];
  let visited = 0;
  const visit = (now: number, until: number): void => {
    for (; visited < until; visited++) {
      const state = round[visited];
      round[visited] = null; // no closed socket kept for the rest of the round
      if (state && states.get(state.socket) === state) keepAlive(state, now);
    }
  };
  let ticks = 0;
  const ticker = setInterval(() => {
    const now = Date.now();
    ticks++;
    for (const state of expiring) {
      if (state.expiresAt <= now) closeSocket(state, SocketCloseCode.Unauthorized, 'Unauthorized');
    }
    for (const state of buffered) {
      if (state.socket.bufferedAmount > maxBufferedBytes) {
        state.slowSince ??= now;
        if (now - state.slowSince >= slowConsumerMs) {
          closeSocket(state, SocketCloseCode.TryAgainLater, 'Too slow: reconnect and resubscribe');
          // It does not read, so it won't answer the close frame either.
          setTimeout(() => state.socket.terminate(), 1_000).unref();
        }
        continue;
      }
      buffered.delete(state);
      state.slowSince = null;
      if (state.resume) {
        state.resume.resolve();
        state.resume = null;
      }
    }
    // A round begins every `roundTicks` seconds with the sockets open then (what the last one left,
    // normally nothing, is visited first); each second visits its share of them.
    if (ticks % roundTicks === 0) {
      visit(now, round.length);
      round = [...states.values()];
      visited = 0;
    }
    visit(now, Math.min(round.length, visited + Math.ceil(round.length / roundTicks)));
    if (ticks % Math.max(1, Math.round(recheckMs / 1_000)) === 0) recheckAll();
    caps.tick();
  }, 1_000);
  ticker.unref();

  /** Whether a socket is over the buffer limit (it is then marked slow: the ticker closes it if it stays so). */
  const full = (state: SocketState): boolean => {
    if (!states.has(state.socket) || state.socket.bufferedAmount <= maxBufferedBytes) return false;
    state.slowSince ??= Date.now();
    buffered.add(state);
    return true;
  };
  /** Resolves once the socket has drained below the limit (the ticker checks every second), or closed. */
  const drained = (state: SocketState): Promise<void> => {
    if (!states.has(state.socket)) return Promise.resolve();
    buffered.add(state);
    if (!state.resume) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      state.resume = { promise, resolve };
    }
    return state.resume.promise;
  };

  /** Pauses an operation's results while its socket is over the buffer limit (nothing more is serialised for it). */
  const paced = <T>(state: SocketState, source: AsyncIterableIterator<T>): AsyncIterableIterator<T> => ({
    async next() {
      while (full(state)) await drained(state);
      return source.next();
    },
    return: () => source.return?.() ?? Promise.resolve({ value: undefined, done: true }),
    throw: (error: unknown) => source.throw?.(error) ?? Promise.reject(error),
    [Symbol.asyncIterator]() {
      return this;
    },
  });

  /** Runs `work` in the socket's language (errors are formatted in it). */
  const inLocale = <T>(socket: unknown, work: () => T): T => {
    const locale = states.get(socket as WebSocket)?.locale ?? 'id';
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
        const mine = bySubject.get(subject) ?? new Set<SocketState>();
        const claims = principal.isScreen ? null : tokenClaims(authorization);
        const state: SocketState = {
          socket,
          principal,
          authorization,
          subject,
          generation: claims?.gen ?? null,
          expiresAt: claims ? claims.exp * 1_000 : Number.POSITIVE_INFINITY,
          locale: localeFromHeader(typeof asked === 'string' ? asked : ctx.extra.request.headers['accept-language']),
          clientIp: addresses.get(socket),
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
        states.set(socket, state);
        if (Number.isFinite(state.expiresAt)) expiring.add(state);
        mine.add(state);
        bySubject.set(subject, mine);
        services.observe?.sockets.opened(socket, subject);
        return true;
      },
      // Operations that run are tracked (their principal follows permission changes), and paced by the socket's buffer.
      onOperation: (ctx, id, _payload, args, result) => {
        const state = states.get(ctx.extra.socket);
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
        const live = paced(state, result);
        return services.observe?.sockets.track(state.socket, args, live) ?? live;
      },
      onComplete: (ctx, id) => {
        const state = states.get(ctx.extra.socket);
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
        const state = states.get(ctx.extra.socket);
        if (state) forget(state);
      },
      onSubscribe: (ctx, id, payload) => {
        const state = states.get(ctx.extra.socket);
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
            if (!states.has(state.socket)) {
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
      const state = states.get(socket);
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
      clearInterval(ticker);
      await (
        await offRevocations
      )?.();
      const open = [...wss.clients].filter((c) => c.readyState !== WebSocket.CLOSED);
      const closed = Promise.all(open.map((c) => new Promise<void>((resolve) => c.once('close', () => resolve()))));
      for (const client of open) client.close(SocketCloseCode.ServiceRestart, 'Service restart');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, closeGraceMs)))]);
      clearTimeout(timer);
      for (const client of wss.clients) client.terminate();
      states.clear();
      bySubject.clear();
      await cleanup.dispose();
      await caps.close();
    },
  };
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
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}
