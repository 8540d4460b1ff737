// What the WebSocket side tells an operator: a log line when an authenticated socket opens and
// when it closes (with its close code, how long it lived and what it subscribed to), the open
// sockets and running subscriptions per kind, and every result pushed.
import { randomUUID } from 'node:crypto';
import type { ExecutionArgs } from 'graphql';
import { rootFieldOf } from './http';
import type { Logger } from './logger';
import type { Metrics } from './metrics';

/** One open socket as observed. */
interface Observed {
  id: string;
  subject: string;
  openedAt: number;
  /** Subscriptions started over its life, by kind. */
  kinds: Record<string, number>;
  /** Ends of the subscriptions still running (called at close if graphql-ws has not). */
  running: Set<() => void>;
}

/** Watches sockets by their `ws` object; the WebSocket endpoint calls it at open, per operation and at close. */
export class SocketObserver {
  private readonly sockets = new WeakMap<object, Observed>();

  constructor(
    private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {}

  /** An authenticated socket of `subject` (a user id or `screen:<id>`) opened. */
  opened(socket: object, subject: string): void {
    const observed: Observed = { id: randomUUID(), subject, openedAt: Date.now(), kinds: {}, running: new Set() };
    this.sockets.set(socket, observed);
    this.metrics.socketOpened();
    this.log.info({ socket: observed.id, user: subject }, 'socket open');
  }

  /** The socket closed (any socket: one never opened here is ignored). */
  closed(socket: object, code: number | undefined): void {
    const observed = this.sockets.get(socket);
    if (!observed) return;
    this.sockets.delete(socket);
    for (const end of [...observed.running]) end();
    this.metrics.socketClosed(code);
    this.log.info(
      {
        socket: observed.id,
        user: observed.subject,
        code: code ?? null,
        ms: Date.now() - observed.openedAt,
        subscriptions: observed.kinds,
      },
      'socket close',
    );
  }

  /**
   * Counts a subscription's life and every result it pushes; returns `result` unchanged when it is
   * a single result (a query or mutation over the socket), else a wrapper of its iterator.
   */
  track<T>(socket: object, args: ExecutionArgs, result: T): T {
    return this.observe(socket, args, result, true)?.iterator ?? result;
  }

  /**
   * Counts a subscription's life (returns a wrapper of its iterator that notes its end) and gives
   * the counter of its pushes, for a subscription whose results do not pass through its iterator
   * (realtime/direct.ts). Null when `result` is not a subscription or the socket is not observed.
   */
  trackDirect<T>(socket: object, args: ExecutionArgs, result: T): { iterator: T; pushed: () => void } | null {
    return this.observe(socket, args, result, false);
  }

  /** The wrapper of a subscription's iterator: notes its end, and counts what `next` gives when `countNext`. */
  private observe<T>(socket: object, args: ExecutionArgs, result: T, countNext: boolean): { iterator: T; pushed: () => void } | null {
    const observed = this.sockets.get(socket);
    if (!observed || !isAsyncIterator(result)) return null;
    const source = result as AsyncIterableIterator<unknown>;
    const kind = this.metrics.subscriptionStarted(rootFieldOf(args.document, args.operationName));
    observed.kinds[kind] = (observed.kinds[kind] ?? 0) + 1;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      observed.running.delete(end);
      this.metrics.subscriptionEnded(kind);
    };
    observed.running.add(end);
    const pushed = () => this.metrics.subscriptionPushed(kind);
    const wrapped: AsyncIterableIterator<unknown> = {
      async next() {
        try {
          const step = await source.next();
          if (step.done) end();
          else if (countNext) pushed();
          return step;
        } catch (error) {
          end();
          throw error;
        }
      },
      async return(value?: unknown) {
        end();
        return source.return ? source.return(value) : { value: undefined, done: true };
      },
      async throw(error?: unknown) {
        end();
        if (source.throw) return source.throw(error);
        throw error;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    return { iterator: wrapped as T, pushed };
  }
}

function isAsyncIterator(value: unknown): boolean {
  return typeof (value as { [Symbol.asyncIterator]?: unknown } | null)?.[Symbol.asyncIterator] === 'function';
}
