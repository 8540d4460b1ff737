// The open, authenticated sockets of one instance (by socket and by subject), which of them the
// ticker watches (expiring tokens, full buffers), and the back-pressure of each: whether it is over
// the buffer limit and when it has drained.
import type { WebSocket } from 'ws';
import type { Principal } from '../auth/policy';
import type { Context } from '../context';
import type { Locale } from '../i18n';
import type { SocketCloseCode } from './close-codes';
import type { SocketCaps } from './socket-caps';

/** What one open operation may be stopped for: its city, and how to end it with an error. */
export interface Watch {
  cityId: string;
  end(error: Error): void;
}

/** One authenticated socket. */
export interface SocketState {
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

/** The authenticated sockets of an instance. */
export class SocketRegistry {
  private readonly states = new Map<WebSocket, SocketState>();
  private readonly bySubject = new Map<string, Set<SocketState>>();
  /** Sockets with a login token (they expire; screen tokens do not): the ticker checks them every second. */
  readonly expiring = new Set<SocketState>();
  /** Sockets seen over the buffer limit, or waiting to be fed again: the ticker checks them every second. */
  readonly buffered = new Set<SocketState>();

  constructor(
    private readonly caps: SocketCaps,
    /** Nothing more is sent to a socket whose unsent bytes are above this. */
    readonly maxBufferedBytes: number,
  ) {}

  get size(): number {
    return this.states.size;
  }

  /** The state of an authenticated socket (undefined: not, or no longer). */
  get(socket: WebSocket): SocketState | undefined {
    return this.states.get(socket);
  }

  has(socket: WebSocket): boolean {
    return this.states.has(socket);
  }

  /** Whether `state` is still the socket's (not forgotten). */
  current(state: SocketState): boolean {
    return this.states.get(state.socket) === state;
  }

  /** Every authenticated socket, as they are now. */
  all(): SocketState[] {
    return [...this.states.values()];
  }

  /** The sockets of a subject (a user id or `screen:<id>`). */
  ofSubject(subject: string): SocketState[] {
    return [...(this.bySubject.get(subject) ?? [])];
  }

  /** Registers a socket that has just authenticated. */
  add(state: SocketState): void {
    this.states.set(state.socket, state);
    if (Number.isFinite(state.expiresAt)) this.expiring.add(state);
    const mine = this.bySubject.get(state.subject) ?? new Set<SocketState>();
    mine.add(state);
    this.bySubject.set(state.subject, mine);
  }

  /** Forgets a socket (closed, or being closed): its place among its subject's sockets and its operations' turns are given back. */
  forget(state: SocketState): void {
    if (this.states.get(state.socket) !== state) return;
    this.states.delete(state.socket);
    this.expiring.delete(state);
    this.buffered.delete(state);
    const set = this.bySubject.get(state.subject);
    set?.delete(state);
    if (set?.size === 0) this.bySubject.delete(state.subject);
    this.caps.release(state.subject);
    for (const release of state.turns.values()) release();
    state.turns.clear();
    state.resume?.resolve();
  }

  /** Forgets a socket and closes it. */
  close(state: SocketState, code: SocketCloseCode, reason: string): void {
    this.forget(state);
    state.socket.close(code, reason);
  }

  /** Forgets every socket (shutdown). */
  clear(): void {
    this.states.clear();
    this.bySubject.clear();
  }

  /** Whether a socket is over the buffer limit (it is then marked slow: the ticker closes it if it stays so). */
  full(state: SocketState): boolean {
    if (!this.states.has(state.socket) || state.socket.bufferedAmount <= this.maxBufferedBytes) return false;
    state.slowSince ??= Date.now();
    this.buffered.add(state);
    return true;
  }

  /** Resolves once the socket has drained below the limit (the ticker checks every second), or closed. */
  drained(state: SocketState): Promise<void> {
    if (!this.states.has(state.socket)) return Promise.resolve();
    this.buffered.add(state);
    if (!state.resume) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      state.resume = { promise, resolve };
    }
    return state.resume.promise;
  }

  /** Pauses an operation's results while its socket is over the buffer limit (nothing more is serialised for it). */
  paced<T>(state: SocketState, source: AsyncIterableIterator<T>): AsyncIterableIterator<T> {
    return {
      next: async () => {
        while (this.full(state)) await this.drained(state);
        return source.next();
      },
      return: () => source.return?.() ?? Promise.resolve({ value: undefined, done: true }),
      throw: (error: unknown) => source.throw?.(error) ?? Promise.reject(error),
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
}
