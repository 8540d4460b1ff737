import { describe, expect, it } from 'vitest';
import {
  indicatorAttainment,
  isYmd,
  milestoneState,
  narrowsPlans,
  pageOf,
  parseNumber,
  planMatches,
  readNdjson,
  rollupState,
  weightedProgress,
  weightSum,
} from './pure';

describe('the setup pages without the DOM', () => {
  it('reads numbers as people type them: decimal comma or dot, rupiah with thousands dots', () => {
    expect(parseNumber('')).toBeNull();
    expect(parseNumber(' 12 ')).toBe(12);
    expect(parseNumber('1,5')).toBe(1.5);
    expect(parseNumber('2.25')).toBe(2.25);
    expect(Number.isNaN(parseNumber('dua'))).toBe(true);
    expect(parseNumber('1.250.000.000', { grouped: true })).toBe(1_250_000_000);
    expect(parseNumber('1,250,000', { grouped: true })).toBe(1_250_000);
    expect(parseNumber('350000', { grouped: true })).toBe(350_000);
    expect(Number.isNaN(parseNumber('Rp 5.000', { grouped: true }))).toBe(true);
  });

  it('rolls a group of plans up into one state, in the plans’ own words', () => {
    expect(rollupState([])).toBe('NOT_STARTED');
    expect(rollupState(['NOT_STARTED', 'NOT_STARTED'])).toBe('NOT_STARTED');
    expect(rollupState(['DONE', 'DONE'])).toBe('DONE');
    expect(rollupState(['DONE', 'ON_TRACK', 'LATE'])).toBe('LATE');
    expect(rollupState(['DONE', 'NOT_STARTED'])).toBe('ON_TRACK');
    expect(weightedProgress([])).toBe(0);
    expect(
      weightedProgress([
        { progress: 100, weight: 3 },
        { progress: 0, weight: 1 },
      ]),
    ).toBe(75);
  });

  it('sums a program’s weights with what is being typed, and says when a box is not a weight yet', () => {
    const plans = [
      { id: 'a', weight: 2 },
      { id: 'b', weight: 1 },
    ];
    expect(weightSum(plans, {})).toEqual({ sum: 3, invalid: false, typing: false });
    expect(weightSum(plans, { a: '2' })).toEqual({ sum: 3, invalid: false, typing: false });
    expect(weightSum(plans, { a: '5' })).toEqual({ sum: 6, invalid: false, typing: true });
    expect(weightSum(plans, { b: '0,5' })).toEqual({ sum: 2.5, invalid: false, typing: true });
    // An empty, zero or wrong box counts as the stored weight.
    expect(weightSum(plans, { a: '' })).toEqual({ sum: 3, invalid: true, typing: false });
    expect(weightSum(plans, { a: '0' })).toEqual({ sum: 3, invalid: true, typing: false });
    expect(weightSum(plans, { a: 'x', b: '4' })).toEqual({ sum: 6, invalid: true, typing: true });
    expect(weightSum([{ id: 'a', weight: 0.1 }], { a: '0.2' }).sum).toBe(0.2);
  });

  it('filters plans by OPD, dimension, tag and state (every condition given must hold)', () => {
    const plan = { ownerOpdId: 'o1', dimension: 'GOVERNANCE', tagIds: ['t1', 't2'], state: 'LATE' as const };
    const none = { opd: '', dimension: '', tag: '', state: '' };
    expect(planMatches(plan, none)).toBe(true);
    expect(planMatches(plan, { ...none, opd: 'o1', tag: 't2' })).toBe(true);
    expect(planMatches(plan, { ...none, opd: 'o2' })).toBe(false);
    expect(planMatches(plan, { ...none, dimension: 'SOCIETY' })).toBe(false);
    expect(planMatches(plan, { ...none, tag: 't3' })).toBe(false);
    expect(planMatches(plan, { ...none, state: 'DONE' })).toBe(false);
    expect(narrowsPlans({ ...none, dimension: 'GOVERNANCE' })).toBe(false);
    expect(narrowsPlans({ ...none, state: 'LATE' })).toBe(true);
  });

  it('says dates, indicators and milestones as the tree shows them', () => {
    expect(isYmd('2024-02-29')).toBe(true);
    expect(isYmd('2023-02-29')).toBe(false);
    expect(isYmd('2024-2-1')).toBe(false);
    expect(indicatorAttainment({ baseline: 0, target: 250, latest: null })).toBeNull();
    expect(indicatorAttainment({ baseline: 0, target: 250, latest: 125 })).toBe(50);
    expect(indicatorAttainment({ baseline: 40, target: 10, latest: 25 })).toBe(50);
    expect(indicatorAttainment({ baseline: 0, target: 10, latest: 20 })).toBe(100);
    expect(indicatorAttainment({ baseline: 5, target: 5, latest: 5 })).toBe(100);
    expect(milestoneState({ dueDate: '2024-10-01', doneDate: '2024-11-01' }, '2025-01-01')).toBe('DONE');
    expect(milestoneState({ dueDate: '2024-10-01', doneDate: null }, '2024-10-02')).toBe('LATE');
    expect(milestoneState({ dueDate: '2024-10-01', doneDate: null }, '2024-10-01')).toBe('ON_TRACK');
  });

  it('pages a long error list, keeping the page in range', () => {
    const rows = Array.from({ length: 1_000 }, (_, i) => i);
    expect(pageOf(rows, 0, 50)).toMatchObject({ pages: 20, page: 0 });
    expect(pageOf(rows, 0, 50).rows).toHaveLength(50);
    expect(pageOf(rows, 19, 50).rows[49]).toBe(999);
    expect(pageOf(rows, 99, 50).page).toBe(19);
    expect(pageOf([], 3, 50)).toEqual({ rows: [], pages: 1, page: 0 });
  });

  it('reads NDJSON as it arrives, a line split across chunks included', async () => {
    const encoder = new TextEncoder();
    const chunks = [
      '{"progress":{"phase":"read","done":0,"total":null}}\n{"progress":{"ph',
      'ase":"check","done":500,"total":1000}}\n',
      'not json\n',
      '{"result":{"dryRun":true,"errors":[]}}',
    ];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const c of chunks) controller.enqueue(encoder.encode(c));
        controller.close();
      },
    });
    const lines: unknown[] = [];
    await readNdjson(body, (l) => lines.push(l));
    expect(lines).toEqual([
      { progress: { phase: 'read', done: 0, total: null } },
      { progress: { phase: 'check', done: 500, total: 1000 } },
      { result: { dryRun: true, errors: [] } },
    ]);
  });
});
