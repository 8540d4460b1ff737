/**
 * Patches of a pushed state (the `patch` of a `cityScreen` frame): what changed between two JSON
 * values of the same GraphQL selection, small enough to send every screen on every change, and the
 * function that applies one. Pure and dependency-free: the server computes patches (patched.ts) and
 * the kiosk (dashboard/src/api/live.ts) applies them with this same code.
 *
 * The format (a patch is itself JSON; GraphQL response keys never start with `$`):
 * - no key: the value did not change;
 * - an object where both values are objects: a patch of each changed key;
 * - `{ "$rows": { <id>: patch }, "$order"?: [...] }` where both values are lists of rows keyed by
 *   `id` (or `node.id`, a connection's edges): the changed rows (a new row in full, a changed one as
 *   a patch); `$order` only when the list's ids changed, as runs of the old list (`[start, length]`)
 *   and ids of rows not in it (`"id"`), so a row added on top of a list of 50 costs a few bytes;
 * - `{ "$at": { <index>: patch } }` where both are lists of the same length without keys;
 * - anything else (a scalar, a list, null): the new value, in full.
 */

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

type Obj = { [key: string]: Json };
/** A run of the old list's rows (`[start, length]`) or the id of a row that was not in it. */
type OrderPart = string | [number, number];

const isObject = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A row's key: its `id`, or its `node.id` (an edge). */
function keyOf(row: Json): string | null {
  if (!isObject(row)) return null;
  if (typeof row.id === 'string') return row.id;
  const node = row.node;
  return isObject(node) && typeof node.id === 'string' ? node.id : null;
}

/** The keys of a list of rows, or null when it is not one (a row without a key, or a key twice). */
function keysOf(list: Json[]): string[] | null {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const row of list) {
    const key = keyOf(row);
    if (key === null || seen.has(key)) return null;
    seen.add(key);
    keys.push(key);
  }
  return keys;
}

/** The patch that turns `before` into `after`; undefined when they are equal. */
export function diffState(before: Json | undefined, after: Json): Json | undefined {
  if (before === after) return undefined;
  if (isObject(before) && isObject(after)) {
    const patch: Obj = {};
    let changed = false;
    for (const key of Object.keys(after)) {
      const p = diffState(before[key], after[key]!);
      if (p !== undefined) {
        patch[key] = p;
        changed = true;
      }
    }
    return changed ? patch : undefined;
  }
  if (Array.isArray(before) && Array.isArray(after)) return diffList(before, after);
  if (before !== undefined && sameJson(before, after)) return undefined;
  return after;
}

function diffList(before: Json[], after: Json[]): Json | undefined {
  const oldKeys = before.length > 0 ? keysOf(before) : [];
  const newKeys = after.length > 0 ? keysOf(after) : [];
  if (oldKeys && newKeys && (before.length > 0 || after.length > 0)) {
    const index = new Map(oldKeys.map((k, i) => [k, i]));
    const rows: Obj = {};
    let changed = false;
    for (const [i, key] of newKeys.entries()) {
      const at = index.get(key);
      const p = diffState(at === undefined ? undefined : before[at], after[i]!);
      if (p !== undefined) {
        rows[key] = p;
        changed = true;
      }
    }
    const sameOrder = oldKeys.length === newKeys.length && oldKeys.every((k, i) => k === newKeys[i]);
    if (sameOrder && !changed) return undefined;
    const patch: Obj = { $rows: rows };
    if (!sameOrder) patch.$order = orderOf(index, newKeys);
    return patch;
  }
  if (before.length === after.length) {
    const at: Obj = {};
    let changed = false;
    for (let i = 0; i < after.length; i++) {
      const p = diffState(before[i], after[i]!);
      if (p !== undefined) {
        at[String(i)] = p;
        changed = true;
      }
    }
    return changed ? { $at: at } : undefined;
  }
  return after;
}

/** The new list's ids as runs of the old list and new ids. */
function orderOf(index: Map<string, number>, keys: string[]): OrderPart[] {
  const parts: OrderPart[] = [];
  let run: [number, number] | null = null;
  for (const key of keys) {
    const at = index.get(key);
    if (at === undefined) {
      run = null;
      parts.push(key);
    } else if (run && run[0] + run[1] === at) {
      run[1]++;
    } else {
      run = [at, 1];
      parts.push(run);
    }
  }
  return parts;
}

/** Whether two JSON values are equal (scalars, or a list and a value of another kind). */
function sameJson(a: Json, b: Json): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Thrown when a patch does not fit the state it is applied to (the client refetches its snapshot). */
export class PatchMismatch extends Error {}

/** `before` with `patch` applied (a new value; `before` is not modified). */
export function applyState(before: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return patch;
  if (Array.isArray(before)) {
    if (isObject(patch.$rows)) return applyRows(before, patch.$rows, patch.$order);
    if (isObject(patch.$at)) {
      const list = before.slice();
      for (const [i, p] of Object.entries(patch.$at)) {
        const n = Number(i);
        if (!Number.isInteger(n) || n < 0 || n >= list.length) throw new PatchMismatch(`no row ${i}`);
        list[n] = applyState(list[n], p);
      }
      return list;
    }
    throw new PatchMismatch('a list patched as an object');
  }
  if (!isObject(before)) return patch; // null (or absent) before: the patch is the whole new value
  const after: Obj = { ...before };
  for (const [key, p] of Object.entries(patch)) after[key] = applyState(before[key], p);
  return after;
}

function applyRows(before: Json[], rows: Obj, order: Json | undefined): Json[] {
  const keys = keysOf(before);
  if (!keys) throw new PatchMismatch('rows without keys');
  let newKeys = keys;
  if (order !== undefined) {
    if (!Array.isArray(order)) throw new PatchMismatch('bad $order');
    newKeys = [];
    for (const part of order) {
      if (typeof part === 'string') newKeys.push(part);
      else if (Array.isArray(part) && typeof part[0] === 'number' && typeof part[1] === 'number') {
        if (part[0] < 0 || part[0] + part[1] > keys.length) throw new PatchMismatch('a run beyond the list');
        newKeys.push(...keys.slice(part[0], part[0] + part[1]));
      } else throw new PatchMismatch('bad $order part');
    }
  }
  const byKey = new Map(keys.map((k, i) => [k, before[i]!]));
  return newKeys.map((key) => {
    const p = rows[key];
    const row = byKey.get(key);
    if (p === undefined) {
      if (row === undefined) throw new PatchMismatch(`row ${key} missing`);
      return row;
    }
    return applyState(row, p);
  });
}
