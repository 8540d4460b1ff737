import type { ExecutionResult, FormattedExecutionResult } from 'graphql';
import { createRequire } from 'node:module';
import { WebSocket } from 'ws';
import type { Divertible } from '../events/channel';
import { frameCounters, frameHead, nextFrameParts } from './frames';

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
  /** Whether frames may be written to the TCP socket past `ws` (`directWrites`); else through `ws.send`. */
  readonly fast: boolean;
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
  // Once the subscription ends (completed, failed, its socket gone) nothing held is written: the
  // client may already reuse its id for a new subscription.
  let ended = false;
  stream.onEnd(() => {
    ended = true;
    held.length = 0;
  });
  const head = frameHead(id);
  const write = (result: ExecutionResult) => {
    const socket = target.socket;
    if (ended || socket.readyState !== WebSocket.OPEN) return;
    writeTextFrame(
      socket,
      nextFrameParts(head, result, () => format(result)),
      target.fast,
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

/**
 * The `ws` release line whose internals `writeTextFrame` reads (its `Sender`'s state and queue, its
 * TCP socket), checked at every release by the realtime tests. Another version of `ws` installed
 * (a lock file moved, a dependency deduplicated) turns the zero-copy write off: frames go through
 * `ws.send`, as the realtime tests also prove once per CI run (`WS_DIRECT_WRITES=off`).
 */
export const WS_TESTED_LINE = '8.23.';

/** The installed `ws` version. */
export const WS_VERSION: string = (createRequire(__filename)('ws/package.json') as { version: string }).version;

/**
 * Whether `writeTextFrame` may write past `ws`: asked for (`WS_DIRECT_WRITES`, default on) and the
 * installed `ws` is the release line it was written for. `warn` is told once why it is not.
 */
export function directWrites(wanted: boolean, warn: (message: string) => void): boolean {
  if (!wanted) return false;
  if (WS_VERSION.startsWith(WS_TESTED_LINE)) return true;
  warn(`ws ${WS_VERSION} is not the ${WS_TESTED_LINE}x line the zero-copy frame writes were made for: frames go through ws.send`);
  return false;
}

/** What of `ws`'s internals the zero-copy write checks (ws 8: the socket's `Sender` and its TCP socket). */
interface WsInternals {
  _socket?: { cork(): void; uncork(): void; write(chunk: Buffer): boolean; readonly writableLength: number } | null;
  _sender?: { _state?: unknown; _queue?: unknown[]; _firstFragment?: unknown } | null;
  _extensions?: Record<string, unknown>;
}

/**
 * Writes one text message made of `parts` (a shared payload among them) to a socket without
 * copying the shared payload: the WebSocket frame header (server to client: unmasked) and the
 * parts go to the TCP socket corked (see `holdUntilBurstEnds`), as one `writev`, as `ws` writes its
 * header and data.
 * Done only when asked (`fast`) and `ws`'s sender is idle between messages (no compression, nothing queued, not inside
 * a fragmented message), so the bytes can't interleave with its own; otherwise through `ws.send`.
 * `bufferedAmount` counts these bytes as usual (it reads the TCP socket's buffer).
 */
export function writeTextFrame(socket: WebSocket, parts: readonly Buffer[], fast = true): void {
  const ws = socket as unknown as WsInternals;
  const tcp = ws._socket;
  const sender = ws._sender;
  const idle =
    fast &&
    tcp &&
    sender &&
    sender._state === 0 &&
    Array.isArray(sender._queue) &&
    sender._queue.length === 0 &&
    sender._firstFragment === true &&
    ws._extensions !== undefined &&
    Object.keys(ws._extensions).length === 0;
  if (!idle) {
    // Text frames always (a Buffer, which `ws` would send as binary otherwise).
    socket.send(Buffer.concat(parts), { binary: false });
    return;
  }
  let length = 0;
  for (const part of parts) length += part.length;
  const header = frameHeader(length);
  holdUntilBurstEnds(tcp);
  // The header and the small pieces after it (a frame's head, or all of a small frame such as an
  // event's) copied into one buffer from Node's pool; a big piece (a shared summary) as it is, so
  // a frame is at most two writes, as `ws` makes them. Measured: a small frame as one buffer costs
  // about a quarter less per socket than as pieces; a 12 KB payload copied per socket, 1.7× more.
  let lead = header.length;
  let small = 0;
  while (small < parts.length && parts[small]!.length < SMALL_PIECE) lead += parts[small++]!.length;
  const first = Buffer.allocUnsafe(lead);
  let at = header.copy(first, 0);
  for (let i = 0; i < small; i++) at += parts[i]!.copy(first, at);
  tcp.write(first);
  for (let i = small; i < parts.length; i++) tcp.write(parts[i]!);
  if (tcp.writableLength >= HOLD_BYTES) release(tcp);
}

/** Below this many bytes a piece is copied (`Buffer.allocUnsafe` takes up to half of Node's 8 KiB pool from it). */
const SMALL_PIECE = Buffer.poolSize >>> 1;

/** A TCP socket as `holdUntilBurstEnds` uses it. */
interface Corkable {
  cork(): void;
  uncork(): void;
  readonly writableLength: number;
}

/** The sockets written to in the current burst (see `holdUntilBurstEnds`). */
const held = new Set<Corkable>();

/**
 * The most a socket holds back in a burst: more goes out at once. The pacing's buffer limit counts
 * held bytes as unsent, so a socket with many subscriptions must not hold a burst's worth of them
 * (40 summaries of 20 KB would put it over the limit without its peer being slow).
 */
const HOLD_BYTES = 16_384;

function release(tcp: Corkable): void {
  if (held.delete(tcp)) tcp.uncork();
}

function releaseHeld(): void {
  const sockets = [...held];
  held.clear();
  for (const tcp of sockets) tcp.uncork();
}

/**
 * Corks a socket until the current burst of deliveries ends (this tick and its microtasks, where
 * one change's events are delivered) or it holds `HOLD_BYTES`: what is written to it meanwhile
 * leaves in one system call. A progress report makes two events, so every `cityEvents` socket
 * used to cost two writes per report, and the write is most of a delivery's CPU (measured:
 * ~20 µs of ~45). Frames keep their order, `ws`'s own writes included (they wait in the same buffer).
 */
function holdUntilBurstEnds(tcp: Corkable): void {
  if (held.has(tcp)) return;
  if (held.size === 0) process.nextTick(releaseHeld);
  tcp.cork();
  held.add(tcp);
}

/** The header of an unmasked, final text frame of `length` bytes (RFC 6455 §5.2). */
function frameHeader(length: number): Buffer {
  if (length < 126) {
    const header = Buffer.allocUnsafe(2);
    header[0] = 0x81;
    header[1] = length;
    return header;
  }
  if (length < 65_536) {
    const header = Buffer.allocUnsafe(4);
    header[0] = 0x81;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
    return header;
  }
  const header = Buffer.allocUnsafe(10);
  header[0] = 0x81;
  header[1] = 127;
  header.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
  header.writeUInt32BE(length >>> 0, 6);
  return header;
}
