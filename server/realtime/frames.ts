import type { ExecutionResult, FormattedExecutionResult } from 'graphql';

/**
 * Serialise once, send the same bytes to every socket.
 *
 * graphql-ws frames every result with its subscription id (`{"id":…,"type":"next","payload":…}`) and
 * `JSON.stringify`s the whole message per socket. A result that many sockets share (one execution
 * of a shared subscription, see shared.ts) is serialised here once instead, and each socket's frame
 * is spliced: the JSON-escaped id, then the shared payload bytes. The frame is byte for byte what
 * graphql-ws would have sent (JSON.stringify is compositional; the key order is graphql-ws's).
 *
 * How it hooks into graphql-ws without forking it: `onNext` returns a `SplicedPayload` for a shared
 * result; graphql-ws validates the message and calls `JSON.stringify(message, frameReplacer)`, whose
 * first call (the message itself) notes the splice and returns `0`, so nothing more is serialised;
 * graphql-ws then calls the socket adapter's `send` synchronously, which takes the noted frame
 * (`takeFrame`) and writes it instead of the `"0"` it was given.
 */

/** Results produced once for many subscribers (marked by shared.ts). */
const sharedResults = new WeakSet<object>();
/**
 * How many shared payloads were serialised, how many frames were spliced from them, and how many
 * `next` frames were written by direct delivery (direct.ts) rather than through graphql-ws (tests, benchmark).
 */
export const frameCounters = { serialised: 0, spliced: 0, direct: 0 };

/** A shared result's serialised payload, made by the first socket that sends it. */
const payloads = new WeakMap<object, SplicedPayload>();

/** Marks a result as shared by many subscribers: it is serialised once when sent. */
export function markShared<T extends object>(result: T): T {
  sharedResults.add(result);
  return result;
}

/** Whether a result was marked shared. */
export function isShared(result: unknown): boolean {
  return typeof result === 'object' && result !== null && sharedResults.has(result);
}

/** A `next` payload serialised once, to be spliced into each socket's frame. */
export class SplicedPayload {
  constructor(
    /** The UTF-8 JSON of the payload. */
    readonly bytes: Buffer,
  ) {}
}

/**
 * The payload graphql-ws sends for `result`: `formatted` (what `onNext` would return) or, without
 * one, graphql-ws's own default (the result with its errors as JSON). Exactly graphql-ws 6's rule.
 */
function nextPayload(result: ExecutionResult, formatted: FormattedExecutionResult | undefined | null): unknown {
  if (formatted) return formatted;
  const { errors, ...rest } = result;
  return { ...rest, ...(errors ? { errors: errors.map((e) => e.toJSON()) } : {}) };
}

/** The spliced payload of a shared result, serialised on first use (`format` is `onNext`'s formatting, run once). */
export function splicedPayload(result: ExecutionResult, format: () => FormattedExecutionResult | undefined | null): SplicedPayload {
  let spliced = payloads.get(result);
  if (!spliced) {
    spliced = new SplicedPayload(Buffer.from(JSON.stringify(nextPayload(result, format()))));
    payloads.set(result, spliced);
    frameCounters.serialised++;
  }
  return spliced;
}

/** The frame noted by `frameReplacer`, taken by the very next `send`. */
let pending: { id: string; payload: SplicedPayload } | null = null;

/** graphql-ws's `jsonMessageReplacer`: a `next` message with a spliced payload is not serialised (see the top of this file). */
export function frameReplacer(this: unknown, key: string, value: unknown): unknown {
  if (key === '' && typeof value === 'object' && value !== null) {
    const message = value as { id?: unknown; type?: unknown; payload?: unknown };
    if (message.payload instanceof SplicedPayload && message.type === 'next' && typeof message.id === 'string') {
      pending = { id: message.id, payload: message.payload };
      return 0;
    }
  }
  return value;
}

const PAYLOAD_KEY = Buffer.from(',"type":"next","payload":');
const CLOSE = Buffer.from('}');

/**
 * What a socket adapter's `send(data)` writes: the spliced frame noted while `data` was serialised,
 * or `data` itself.
 */
export function takeFrame(data: string): string | Buffer {
  const noted = pending;
  pending = null;
  if (!noted || data !== '0') return data;
  frameCounters.spliced++;
  return spliceFrame(noted.id, noted.payload.bytes);
}

/**
 * The pieces of the `next` frame of `result` for a subscription whose frame head
 * (`{"id":<id>,"type":"next","payload":`, see `frameHead`) is `head`: the head, the payload
 * serialised once when the result is shared (the same buffer for every socket), and the closing
 * brace. Concatenated, byte for byte what graphql-ws would send.
 */
export function nextFrameParts(head: Buffer, result: ExecutionResult, format: () => FormattedExecutionResult | undefined | null): Buffer[] {
  if (!isShared(result)) return [head, Buffer.from(JSON.stringify(nextPayload(result, format()))), CLOSE];
  frameCounters.spliced++;
  return [head, splicedPayload(result, format).bytes, CLOSE];
}

/** `{"id":<id as JSON>,"type":"next","payload":` of a subscription. */
export function frameHead(id: string): Buffer {
  return Buffer.concat([Buffer.from(`{"id":${JSON.stringify(id)}`), PAYLOAD_KEY]);
}

/** `{"id":<id as JSON>,"type":"next","payload":<payload>}` as one buffer. */
export function spliceFrame(id: string, payload: Buffer): Buffer {
  const head = `{"id":${JSON.stringify(id)}`;
  const headLength = Buffer.byteLength(head);
  const frame = Buffer.allocUnsafe(headLength + PAYLOAD_KEY.length + payload.length + CLOSE.length);
  let at = frame.write(head, 0);
  at += PAYLOAD_KEY.copy(frame, at);
  at += payload.copy(frame, at);
  CLOSE.copy(frame, at);
  return frame;
}
