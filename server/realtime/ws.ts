import type http from 'node:http';
import type { MikroORM } from '@mikro-orm/core';
import type { GraphQLSchema } from 'graphql';
import { WebSocket, WebSocketServer } from 'ws';
import type { Principal } from '../auth/policy';
import { SocketCloseCode } from './close-codes';
import { SocketCaps, type SocketCapOptions } from './socket-caps';
import { SocketRecheck } from './socket-recheck';
import { SocketRegistry } from './socket-registry';
import { SocketHooks } from './socket-hooks';
import { startSocketTicker } from './socket-ticker';
import { directWrites } from './direct';
import type { SharedSubscriptions } from './shared';
import { serveGraphqlWs } from './ws-adapter';
import type { AppServices } from '../context';
import type { OperationPipeline } from '../graphql/pipeline';

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
  const rechecks = new SocketRecheck(registry, orm, log);
  const offRevocations = services.events?.onRevocation((subject) => rechecks.revoked(subject));
  const stopTicker = startSocketTicker(registry, {
    keepAliveMs,
    slowConsumerMs,
    recheckMs,
    recheck: () => rechecks.recheckAll(),
    tick: () => caps.tick(),
  });
  const hooks = new SocketHooks({
    orm,
    services,
    pipeline,
    authenticate,
    registry,
    caps,
    fast,
    limits: { maxSocketsPerSubject, maxOperationsPerSocket },
    isClosing: () => closing,
    authenticated,
    addressOf,
  });
  const shared = services.live?.shared;
  const cleanup = serveGraphqlWs(
    {
      schema,
      ...(shared ? { subscribe: (args: Parameters<SharedSubscriptions['subscribe']>[0]) => shared.subscribe(args) } : {}),
      connectionInitWaitTimeout: initTimeoutMs,
      onConnect: (ctx) => hooks.connect(ctx),
      onSubscribe: (ctx, id, payload) => hooks.subscribe(ctx, id, payload),
      onOperation: (ctx, id, payload, args, result) => hooks.operation(ctx, id, payload, args, result),
      onComplete: (ctx, id, payload) => hooks.complete(ctx, id, payload),
      // Errors are formatted exactly as over HTTP (the pipeline's `formatError`): only errors meant
      // for the client keep their message; anything else is INTERNAL.
      // (Results of shared subscriptions do not come here: direct delivery formats them the same
      // way, once per result — the share key includes the language, so its formatting is theirs.)
      onNext: (ctx, _id, _payload, _args, result) => hooks.inLocale(ctx.extra.socket, () => pipeline.formatResult(result)),
      onError: (ctx, _id, _payload, errors) => hooks.inLocale(ctx.extra.socket, () => pipeline.formatErrors(errors)),
      onClose: (ctx, code) => {
        services.observe?.sockets.closed(ctx.extra.socket, code);
        const state = registry.get(ctx.extra.socket);
        if (state) registry.forget(state);
      },
    },
    wss,
    log,
    // Frames graphql-ws sends itself (query results, errors…): a socket they leave over the limit is watched.
    (socket) => {
      const state = registry.get(socket);
      if (state) registry.full(state);
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
