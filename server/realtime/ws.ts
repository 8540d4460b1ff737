import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { GraphQLError, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Principal } from '../auth/policy';
import type { SharedSubscriptions } from './shared';
import { createContext, type AppServices } from '../context';
import { localeFromHeader, requestScope, type Locale } from '../i18n';
import { operationLimitRules, parseOptions, tokenLimitError, type OperationLimits } from '../http/limits';

/** Options of the WebSocket endpoint (units in the names). */
export interface WebSocketOptions {
  schema: GraphQLSchema;
  orm: MikroORM;
  services: AppServices;
  limits: OperationLimits;
  /** Resolves `Bearer <token>` to a principal, or null when it is not (or no longer) valid. */
  authenticate(authorization: string): Promise<Principal | null>;
  /** A socket that has not sent `connection_init` within this time is closed. */
  initTimeoutMs?: number;
  /** How often an open socket's token is checked again (expiry, revocation, archived user). */
  recheckMs?: number;
  /** The client address of the upgrade request (`TRUST_PROXY` honoured as over HTTP); login limits count per address. */
  clientAddress?: (request: http.IncomingMessage) => string | undefined;
  /** Largest accepted WebSocket message. */
  maxPayloadBytes?: number;
  /** Operations (subscriptions) one connection may run at once. */
  maxOperationsPerSocket?: number;
  log?: (message: string) => void;
}

interface SocketState {
  principal: Principal;
  authorization: string;
  locale: Locale;
  clientIp: string | undefined;
  timer: NodeJS.Timeout;
}

/**
 * graphql-ws on the HTTP server's port and path (`/graphql`). Authentication happens in
 * `connection_init` (`{ "authorization": "Bearer …" }`); every operation gets the same
 * authorisation and the same depth/cost/alias/directive/token limits as over HTTP, checked before
 * anything executes; a socket whose token expires or is revoked is closed within `recheckMs`.
 */
export function attachWebSocket(server: http.Server, options: WebSocketOptions): { close(): Promise<void>; sockets(): number } {
  const { schema, orm, services, limits, authenticate, initTimeoutMs = 3_000, recheckMs = 2_000, maxPayloadBytes = 1_048_576, maxOperationsPerSocket = 50, clientAddress = () => undefined, log = () => {} } = options;
  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: maxPayloadBytes });
  const states = new Map<object, SocketState & { socket: { close(code: number, reason: string): void } }>();
  // A revoked session or screen token closes its sockets on this instance at once.
  const offRevocations = services.events?.onRevocation((subject) => {
    for (const state of states.values()) {
      if (state.principal.userId !== subject) continue;
      void authenticate(state.authorization)
        .then((still) => {
          if (!still) state.socket.close(CloseCode.Unauthorized, 'Unauthorized');
        })
        .catch(() => {});
    }
  });
  const rules = [...specifiedRules, ...operationLimitRules(limits)];

  const shared = services.live?.shared;
  const cleanup = useServer(
    {
      schema,
      ...(shared ? { subscribe: (args: Parameters<SharedSubscriptions['subscribe']>[0]) => shared.subscribe(args) } : {}),
      connectionInitWaitTimeout: initTimeoutMs,
      onConnect: async (ctx) => {
        const raw = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        const authorization = typeof raw === 'string' ? raw : '';
        const principal = authorization ? await authenticate(authorization).catch(() => null) : null;
        if (!principal) return false; // graphql-ws closes with 4403 Forbidden
        const socket = ctx.extra.socket;
        const locale = localeFromHeader((ctx.connectionParams?.locale as string | undefined) ?? ctx.extra.request.headers['accept-language']);
        const timer = setInterval(() => {
          authenticate(authorization)
            .then((still) => {
              if (!still) socket.close(CloseCode.Unauthorized, 'Unauthorized');
              else state.principal = still;
            })
            .catch((error: Error) => log(`re-checking a socket's token: ${error.message}`));
        }, recheckMs);
        timer.unref();
        const state = { principal, authorization, locale, timer, socket, clientIp: clientAddress(ctx.extra.request) };
        states.set(ctx.extra.socket, state);
        return true;
      },
      // Errors thrown by resolvers reach the client only when they are meant for it (GraphQLError);
      // anything else is INTERNAL, exactly as over HTTP.
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!('errors' in result) || !result.errors) return result;
        return { ...result, errors: result.errors.map((e) => (e.originalError && !(e.originalError instanceof GraphQLError) ? new GraphQLError('Internal error', { path: e.path ?? [], extensions: { code: 'INTERNAL' } }) : e)) };
      },
      onClose: (ctx) => {
        const state = states.get(ctx.extra.socket);
        if (state) clearInterval(state.timer);
        states.delete(ctx.extra.socket);
      },
      onSubscribe: (ctx, _id, payload) => {
        const state = states.get(ctx.extra.socket);
        if (!state) return [new GraphQLError('Unauthorized', { extensions: { code: 'UNAUTHENTICATED' } })];
        // graphql-ws has already reserved this operation's id when onSubscribe runs.
        if (Object.keys(ctx.subscriptions).length > maxOperationsPerSocket) {
          return [new GraphQLError(`At most ${maxOperationsPerSocket} operations at once on one connection.`, { extensions: { code: 'BAD_USER_INPUT', limit: 'operations', max: maxOperationsPerSocket } })];
        }
        return requestScope.run({ locale: state.locale, requestId: randomUUID() }, () => {
          let document: DocumentNode;
          try {
            document = parse(payload.query, parseOptions(limits));
          } catch (error) {
            return [tokenLimitError(error as Error) ?? new GraphQLError((error as Error).message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
          }
          const errors = validate(schema, document, rules);
          if (errors.length > 0) return errors;
          const contextValue = createContext({ em: orm.em, principal: state.principal, locale: state.locale, requestId: randomUUID(), services });
          if (state.clientIp) contextValue.clientIp = state.clientIp;
          return {
            schema,
            document,
            contextValue,
            ...(payload.variables ? { variableValues: payload.variables } : {}),
            ...(payload.operationName ? { operationName: payload.operationName } : {}),
          };
        });
      },
    },
    // graphql-ws's ESM and CJS typings of `ws` differ; the object is the same.
    wss as unknown as Parameters<typeof useServer>[1],
  );

  return {
    sockets: () => wss.clients.size,
    async close() {
      await (await offRevocations)?.();
      for (const client of wss.clients) client.close(1001, 'Server shutting down');
      await cleanup.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
