import { describe, expect, it } from 'vitest';
import { applyState, diffState, PatchMismatch, type Json } from '../../server/realtime/state-patch';

const report = (id: string, percent = 10): Json => ({ node: { id, percent, narrative: `laporan ${id}`, status: 'SUBMITTED' } });
const plan = (id: string, progress = 0): Json => ({ id, title: `Rencana ${id}`, progress, ownerOpd: { id: 'o1', abbreviation: 'DKS' } });

/** Applies the diff of `a` → `b` to `a` and checks it gives `b`; the patch. */
function roundTrip(a: Json, b: Json): Json | undefined {
  const patch = diffState(a, b);
  expect(applyState(a, patch === undefined ? {} : JSON.parse(JSON.stringify(patch)))).toEqual(b);
  return patch;
}

describe('state patches', () => {
  it('round-trip: objects, keyed rows (edges too), index-wise lists, scalars, null ↔ object', () => {
    const ids = Array.from({ length: 50 }, (_, i) => `r${i}`);
    const a: Json = {
      overview: {
        seq: 5,
        progress: 40.5,
        counts: { done: 1, late: 2 },
        dimensions: [
          { dimension: 'A', progress: 1 },
          { dimension: 'B', progress: 2 },
        ],
      },
      city: {
        reports: { edges: ids.slice(0, 8).map((id) => report(id)) },
        unverified: { totalCount: 50, edges: ids.map((id) => report(id)) },
      },
      plans: ids.map((id) => plan(id)),
      visit: null,
      tags: ['x', 'y'],
    };
    const b: Json = {
      overview: {
        seq: 6,
        progress: 41,
        counts: { done: 1, late: 2 },
        dimensions: [
          { dimension: 'A', progress: 1 },
          { dimension: 'B', progress: 3 },
        ],
      },
      // A new report on top (the feed keeps 8, the queue 50: the last ones drop off).
      city: {
        reports: { edges: [report('new', 55), ...ids.slice(0, 7).map((id) => report(id))] },
        unverified: { totalCount: 51, edges: [report('new', 55), ...ids.slice(0, 49).map((id) => report(id))] },
      },
      plans: ids.map((id) => plan(id, id === 'r7' ? 55 : 0)),
      visit: { startDate: '2026-12-01' },
      tags: ['x'],
    };
    const patch = roundTrip(a, b) as any;
    // Only what changed, and the new order as runs of the old one.
    expect(patch.plans).toEqual({ $rows: { r7: { progress: 55 } } });
    expect(patch.city.reports.edges.$order).toEqual(['new', [0, 7]]);
    expect(patch.city.unverified.edges.$order).toEqual(['new', [0, 49]]);
    expect(patch.overview.dimensions).toEqual({ $at: { '1': { progress: 3 } } });
    expect(patch.overview.counts).toBeUndefined();
    expect(JSON.stringify(patch).length).toBeLessThan(600);
    // And back, and moves, removals, emptied lists.
    roundTrip(b, a);
    roundTrip({ l: [plan('a'), plan('b'), plan('c'), plan('d')] }, { l: [plan('c'), plan('a'), plan('d', 9)] });
    roundTrip({ l: [plan('a')] }, { l: [] });
    roundTrip({ l: [] }, { l: [plan('a')] });
    roundTrip({ o: { x: 1 } }, { o: null });
    expect(diffState(a, JSON.parse(JSON.stringify(a)))).toBeUndefined();
  });

  it('refuses a patch that does not fit (the screen refetches its state)', () => {
    const a: Json = { l: [plan('a'), plan('b')] };
    const b: Json = { l: [plan('b'), plan('c')] };
    const patch = diffState(a, b)!;
    expect(() => applyState({ l: [plan('x')] }, patch)).toThrow(PatchMismatch);
    expect(() => applyState({ l: [] }, { l: { $at: { '3': 1 } } })).toThrow(PatchMismatch);
  });
});
