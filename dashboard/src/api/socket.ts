// The one graphql-ws client of the browser, shared by the meeting-room screen (`LiveCity`) and the
// desk (`useCityEvents`): the token and language in `connection_init`, retried for ever with capped
// jittered backoff except when the server says the token is no good (4401, 4403: `onUnauthorized`,
// once, and no retry), and a ping that notices a dead link (no pong in time: the client closes with
// its own code and reconnects). The close codes are the server's (`server/realtime/close-codes.ts`).
import { createClient, type Client } from 'graphql-ws';
import { SocketCloseCode } from '../../../server/realtime/close-codes';
import type { Lang } from '../i18n';
import { graphqlUrl } from './http';
import { backoffMs } from './seq';

/** Whether `value` is a close event (or anything with a numeric `code`). */
export const isClose = (value: unknown): value is { code: number } =>
  typeof value === 'object' && value !== null && 'code' in value && typeof value.code === 'number';

const AUTH_CLOSES: ReadonlySet<number> = new Set([SocketCloseCode.Unauthorized, SocketCloseCode.Forbidden]);

/** Whether the server closed because the token is no good (expired, revoked, archived user, none). */
export const isAuthClose = (value: unknown): boolean => isClose(value) && AUTH_CLOSES.has(value.code);

/** Options of `openSocket`. */
export interface SocketOptions {
  token: string;
  lang: Lang;
  /** The token stopped working (closed 4401 or 4403): called once; the client does not retry. */
  onUnauthorized: () => void;
  /** Every (re)connect, with the browser's socket. */
  onConnected?: (socket: WebSocket) => void;
  /** Every close, with its event. */
  onClosed?: (event: unknown) => void;
  /** graphql-ws gave up on a close code it will not retry (4400, 4500, …); the caller may start a new client. */
  onGaveUp?: (error: unknown) => void;
  /** Open at once and stay open (default true). */
  eager?: boolean;
  /** Ping interval (ms); a ping without a pong within `pongTimeoutMs` closes the socket (default 10 s, 5 s). */
  keepAliveMs?: number;
  pongTimeoutMs?: number;
  /** How to wait before retry `n` (default: `backoffMs(n)` with `setTimeout`). */
  retryWait?: (retries: number) => Promise<void>;
}

/** A graphql-ws client to this origin's `/graphql` with Pantau's retry, auth and keep-alive rules. */
export function openSocket(options: SocketOptions): Client {
  const { token, lang, keepAliveMs = 10_000, pongTimeoutMs = 5_000 } = options;
  let socket: WebSocket | null = null;
  let pongTimer: ReturnType<typeof setTimeout> | null = null;
  let unauthorized = false;
  const clearPong = (): void => {
    if (pongTimer) clearTimeout(pongTimer);
    pongTimer = null;
  };
  const unauthorizedOnce = (): void => {
    if (unauthorized) return;
    unauthorized = true;
    options.onUnauthorized();
  };
  return createClient({
    url: () => graphqlUrl('ws'),
    connectionParams: { authorization: `Bearer ${token}`, locale: lang },
    lazy: options.eager === false,
    retryAttempts: Infinity,
    keepAlive: keepAliveMs,
    onNonLazyError: (error) => {
      if (isAuthClose(error)) return;
      options.onGaveUp?.(error);
    },
    retryWait: options.retryWait ?? ((retries) => new Promise<void>((resolve) => setTimeout(resolve, backoffMs(retries)))),
    // A revoked or unknown token will not get better by retrying; anything else (restart, redeploy, network) will.
    shouldRetry: (errOrClose) => !isAuthClose(errOrClose),
    on: {
      connected: (s) => {
        socket = s as WebSocket;
        options.onConnected?.(socket);
      },
      closed: (event) => {
        socket = null;
        clearPong();
        if (isAuthClose(event)) unauthorizedOnce();
        options.onClosed?.(event);
      },
      ping: (received) => {
        if (received) return;
        clearPong();
        // No pong in time: the TCP link is dead (unplugged cable, sleeping router); close and reconnect.
        pongTimer = setTimeout(() => socket?.close(SocketCloseCode.ClientPongTimeout, 'Pong timeout'), pongTimeoutMs);
      },
      pong: (received) => {
        if (received) clearPong();
      },
    },
  });
}
