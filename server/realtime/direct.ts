import type { ExecutionResult, FormattedExecutionResult } from 'graphql';
import { WebSocket } from 'ws';
import type { Divertible } from './channel';
import { frameCounters, nextFrame } from './frames';

/**
 * Direct delivery: a live subscription whose results are produced by Pantau's own streams (shared
 * runs, per-event streams, see shared.ts) has them written straight to its socket, as the `next`
 * frames graphql-ws would send, byte for byte.
 *
 * graphql-ws pulls each result through the operation's async iterator and frames it: per socket and
 * per result, a chain of awaited promises (the iterator wrappers, `emit.next`, `onNext`, `send`) and
 * a validation of the message. With thousands of sockets on one change that chain, not the socket
 * write, was most of the CPU. Here the producer calls the sink synchronously for every socket; the
 * operation's iterator only reports its end to graphql-ws (done, or an error it sends as usual), so
 * `complete`, `error` and the subscription's bookkeeping stay graphql-ws's.
 */

/** The socket side of a direct subscription: its `ws` socket and its pacing (see ws.ts). */
export interface DirectSocket {
  readonly socket: WebSocket;
  /** Whether its unsent bytes are over the limit (nothing more is written to it until it drains). */
  full(): boolean;
  /** Resolves once it has drained below the limit, or closed. */
  drained(): Promise<void>;
}

/** What one direct subscription needs to write its results. */
export interface DirectSubscription {
  target: DirectSocket;
  /** The graphql-ws operation id. */
  id: string;
  /** The stream it takes results from; failed when the socket falls `capacity` results behind. */
  stream: Divertible<ExecutionResult>;
  /** The payload of a result, as `onNext` formats it (run once per shared result). */
  format: (result: ExecutionResult) => FormattedExecutionResult | undefined | null;
  /** Called for every result written (metrics). */
  pushed?: () => void;
}

/**
 * Diverts `stream` to its socket. While the socket is over its buffer limit results are held in
 * order (as the stream's own buffer would hold them) and written when it drains; a subscriber that
 * falls more than `stream.capacity` behind is failed, exactly as before.
 */
export function deliverDirect({ target, id, stream, format, pushed }: DirectSubscription): void {
  const held: ExecutionResult[] = [];
  let waiting = false;
  const write = (result: ExecutionResult) => {
    const socket = target.socket;
    if (socket.readyState !== WebSocket.OPEN) return;
    // Text frames always (a spliced frame is a Buffer, which `ws` would send as binary).
    socket.send(
      nextFrame(id, result, () => format(result)),
      { binary: false },
    );
    frameCounters.direct++;
    pushed?.();
  };
  const flush = () => {
    waiting = false;
    while (held.length > 0) {
      if (target.full()) return wait();
      write(held.shift()!);
    }
  };
  const wait = () => {
    if (waiting) return;
    waiting = true;
    void target.drained().then(flush);
  };
  stream.divert((result) => {
    if (held.length === 0 && !target.full()) return write(result);
    if (held.length >= stream.capacity) {
      held.length = 0;
      stream.fail(new Error('subscriber too slow: refetch and subscribe again'));
      return;
    }
    held.push(result);
    wait();
  });
}
