import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { gql, type GqlResult } from './gql';

/** The two ways an operation reaches the server. */
export type Transport = 'http' | 'ws';
export const TRANSPORTS: Transport[] = ['http', 'ws'];

/** One result as both transports give it: data and errors (over WebSocket an `error` message's errors). */
export interface OperationResult {
  data: Record<string, any> | null | undefined;
  errors: GqlResult['errors'];
  /** The HTTP status (HTTP only). */
  status?: number;
}

/** A graphql-ws connection (authenticated with `token`) that runs operations one by one. */
export interface WsSession {
  run(query: string, variables?: Record<string, unknown>): Promise<OperationResult>;
  dispose(): Promise<void>;
}

/** Opens a graphql-ws connection; `locale` goes in the `locale` connection parameter. */
export function wsSession(url: string, token?: string, locale?: string): WsSession {
  const client = createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(locale ? { locale } : {}) },
    retryAttempts: 0,
    lazy: true,
    // Keep the connection between operations (a session, not a connection per operation).
    lazyCloseTimeout: 60_000,
  });
  return {
    run: (query, variables = {}) =>
      new Promise<OperationResult>((resolve, reject) => {
        let last: OperationResult = { data: undefined, errors: undefined };
        const timer = setTimeout(() => reject(new Error('no answer over WebSocket in 30 s')), 30_000);
        client.subscribe(
          { query, variables },
          {
            next: (message) => {
              last = { data: message.data as Record<string, any> | null | undefined, errors: message.errors as GqlResult['errors'] };
            },
            error: (error) => {
              clearTimeout(timer);
              if (Array.isArray(error)) resolve({ data: undefined, errors: error as GqlResult['errors'] });
              else
                reject(
                  error instanceof Error
                    ? error
                    : new Error(`socket closed: ${JSON.stringify((error as { code?: number }).code ?? error)}`),
                );
            },
            complete: () => {
              clearTimeout(timer);
              resolve(last);
            },
          },
        );
      }),
    dispose: () => client.dispose() as Promise<void>,
  };
}

/** Runs one operation over a fresh graphql-ws connection and closes it. */
export async function wsOnce(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  locale?: string,
): Promise<OperationResult> {
  const session = wsSession(url, token, locale);
  try {
    return await session.run(query, variables);
  } finally {
    await session.dispose();
  }
}

/** Runs one operation over `transport`; `locale` is sent as Accept-Language (HTTP) or the `locale` connection parameter (WebSocket). */
export async function run(
  transport: Transport,
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  locale?: string,
): Promise<OperationResult> {
  if (transport === 'ws') return wsOnce(url, query, variables, token, locale);
  const r = await gql(url, query, variables, token, locale ? { 'accept-language': locale } : {});
  return { data: r.data, errors: r.errors, status: r.status };
}
