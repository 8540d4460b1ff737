import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** A graphql-ws client against a test server; `closed` records close events. */
export interface TestWsClient {
  client: Client;
  closes: { code: number; reason: string }[];
  dispose(): Promise<void>;
}

/** Connects to `${url}/graphql` over WebSocket with an optional bearer token. */
export function wsClient(url: string, token?: string): TestWsClient {
  const closes: { code: number; reason: string }[] = [];
  const client = createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
    on: {
      closed: (event) =>
        closes.push({ code: (event as { code: number }).code, reason: String((event as { reason?: unknown }).reason ?? '') }),
    },
  });
  return { client, closes, dispose: () => client.dispose() as Promise<void> };
}

/** A running subscription whose values and errors are collected. */
export interface Collected<T> {
  values: T[];
  errors: unknown[];
  completed: boolean;
  /** Resolves with the first value (already received or future) that satisfies `test`. */
  until(test: (value: T, all: T[]) => boolean, timeoutMs?: number): Promise<T>;
  stop(): void;
}

/** Subscribes and collects every `data` value. */
export function collect<T = any>(ws: TestWsClient, query: string, variables: Record<string, unknown> = {}): Collected<T> {
  const waiters: { test: (v: T, all: T[]) => boolean; resolve: (v: T) => void }[] = [];
  const result: Collected<T> = {
    values: [],
    errors: [],
    completed: false,
    until(test, timeoutMs = 10_000) {
      const found = result.values.find((v) => test(v, result.values));
      if (found !== undefined) return Promise.resolve(found);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `no matching value in ${timeoutMs} ms; got ${result.values.length} values, errors ${JSON.stringify(result.errors)}`,
              ),
            ),
          timeoutMs,
        );
        waiters.push({
          test,
          resolve: (v) => {
            clearTimeout(timer);
            resolve(v);
          },
        });
      });
    },
    stop: () => {},
  };
  result.stop = ws.client.subscribe<T>(
    { query, variables },
    {
      next: (message) => {
        if (message.errors) result.errors.push(...message.errors);
        if (message.data) {
          const value = message.data as T;
          result.values.push(value);
          for (const w of [...waiters])
            if (w.test(value, result.values)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(value);
            }
        }
      },
      error: (error) => result.errors.push(error),
      complete: () => {
        result.completed = true;
      },
    },
  );
  return result;
}

/** Waits until `check` is true (polling), or fails after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
