import type { ExecutionResult, FormattedExecutionResult } from 'graphql';

/**
 * Serialise once, send the same bytes to every socket.
 *
 * graphql-ws frames every result with its subscription id (`{"id":…,"type":"next","payload":…}`) and
 * `JSON.stringify`s the whole message per socket. A result that many sockets share (one execution
 * of a shared subscription, see shared.ts) is serialised here once instead, and each socket's frame
 * is made of two pieces: its own head (the JSON-escaped id), then the shared payload bytes with
 * the message's closing `}`.
 * Joined, the frame is byte for byte what graphql-ws would have sent (JSON.stringify is
 * compositional; the key order is graphql-ws's). direct.ts writes the pieces to each socket.
 */

/** Results produced once for many subscribers (marked by shared.ts). */
const sharedResults = new WeakSet<object>();
/**
 * How many shared payloads were serialised, how many frames were made from them, and how many
 * `next` frames were written by direct delivery (direct.ts) rather than through graphql-ws (tests, benchmark).
 */
export const frameCounters = { serialised: 0, spliced: 0, direct: 0 };

/** A shared result's serialised payload and the frame's closing `}`, made by the first socket that sends it. */
const payloads = new WeakMap<object, Buffer>();

/** Marks a result as shared by many subscribers: it is serialised once when sent. */
export function markShared<T extends object>(result: T): T {
  sharedResults.add(result);
  return result;
}

/** Whether a result was marked shared. */
export function isShared(result: unknown): boolean {
  return typeof result === 'object' && result !== null && sharedResults.has(result);
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

/**
 * The UTF-8 JSON payload of a shared result followed by the `}` that closes its frame, serialised
 * on first use (`format` is `onNext`'s formatting, run once).
 */
export function splicedPayload(result: ExecutionResult, format: () => FormattedExecutionResult | undefined | null): Buffer {
  let bytes = payloads.get(result);
  if (!bytes) {
    bytes = closed(result, format);
    payloads.set(result, bytes);
    frameCounters.serialised++;
  }
  return bytes;
}

const PAYLOAD_KEY = Buffer.from(',"type":"next","payload":');

/** The payload of `result` as JSON with the frame's closing `}`. */
function closed(result: ExecutionResult, format: () => FormattedExecutionResult | undefined | null): Buffer {
  return Buffer.from(`${JSON.stringify(nextPayload(result, format()))}}`);
}

/**
 * The two pieces of the `next` frame of `result` for a subscription whose frame head
 * (`{"id":<id>,"type":"next","payload":`, see `frameHead`) is `head`: the head, and the payload
 * with the closing brace, serialised once when the result is shared (the same buffer for every
 * socket). Joined, byte for byte what graphql-ws would send.
 */
export function nextFrameParts(head: Buffer, result: ExecutionResult, format: () => FormattedExecutionResult | undefined | null): Buffer[] {
  if (!isShared(result)) return [head, closed(result, format)];
  frameCounters.spliced++;
  return [head, splicedPayload(result, format)];
}

/** `{"id":<id as JSON>,"type":"next","payload":` of a subscription. */
export function frameHead(id: string): Buffer {
  return Buffer.concat([Buffer.from(`{"id":${JSON.stringify(id)}`), PAYLOAD_KEY]);
}
