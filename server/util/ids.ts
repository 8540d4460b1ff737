import { randomBytes } from 'node:crypto';

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits.
 * Ids sort by creation time, so `ORDER BY id` is a stable creation order for cursors.
 */
export function uuidv7(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  let ms = now;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70; // version 7
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a string has the shape of a UUID (our ids); anything else can never match a row. */
export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

/** A class whose instances are `T` (entity classes take required fields in their constructors). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Ctor<T> = abstract new (...args: any[]) => T;

/**
 * The row key a spreadsheet names an object by when nobody gave it one: `prefix` and the last eight
 * hex digits of its id (random bits of a UUIDv7), e.g. `OPD-3F9A1C2B`. The migration that added the
 * `code` columns backfilled existing rows the same way.
 */
export function autoCode(prefix: string, id: string): string {
  return `${prefix}-${id.slice(-8).toUpperCase()}`;
}
