import { describe, expect, it } from 'vitest';
import { filterGroups, groupByPlan, opdChoices, patchPlan, type QueueReport } from './queue';

const opd = (id: string) => ({ id, name: `OPD ${id}`, abbreviation: id });
const report = (id: string, plan: string, owner: string, at: string): QueueReport => ({
  id,
  reportedAt: at,
  actionPlan: { id: plan, title: `Plan ${plan}`, ownerOpd: opd(owner) },
});

describe('the verification queue', () => {
  const reports = [
    report('r1', 'p1', 'a', '2026-01-01T00:00:00Z'),
    report('r2', 'p2', 'b', '2026-01-02T00:00:00Z'),
    report('r3', 'p1', 'a', '2026-01-03T00:00:00Z'),
    report('r4', 'p3', 'a', '2026-01-04T00:00:00Z'),
    report('r5', 'p1', 'a', '2026-01-05T00:00:00Z'),
  ];

  it('groups the reports of one plan together, newest last, in the order of their oldest report', () => {
    const groups = groupByPlan(reports);
    expect(groups.map((g) => g.planId)).toEqual(['p1', 'p2', 'p3']);
    expect(groups[0]!.reports.map((r) => r.id)).toEqual(['r1', 'r3', 'r5']);
    expect(groups[0]!.newest.id).toBe('r5');
    expect(groups[1]!.newest.id).toBe('r2');
  });

  it('filters by OPD and by plan, and counts the waiting reports per OPD', () => {
    const groups = groupByPlan(reports);
    expect(filterGroups(groups, { opd: 'a', plan: '' }).map((g) => g.planId)).toEqual(['p1', 'p3']);
    expect(filterGroups(groups, { opd: 'a', plan: 'p3' }).map((g) => g.planId)).toEqual(['p3']);
    expect(filterGroups(groups, { opd: '', plan: '' })).toHaveLength(3);
    expect(opdChoices(groups)).toEqual([
      { id: 'a', name: 'OPD a', count: 4 },
      { id: 'b', name: 'OPD b', count: 1 },
    ]);
  });

  it("patches one plan's reports in place: a new report goes in by its time, a settled one leaves, the rest stay where they were", () => {
    const ids = (list: readonly QueueReport[]) => list.map((r) => r.id);
    const r6 = report('r6', 'p2', 'b', '2026-01-06T00:00:00Z');
    expect(ids(patchPlan(reports, 'p2', [reports[1]!, r6]))).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    // p1's middle report verified by someone else; p1's other two stay in place.
    expect(ids(patchPlan(reports, 'p1', [reports[0]!, reports[4]!]))).toEqual(['r1', 'r2', 'r4', 'r5']);
    // Nothing waits on p1 any more: its card leaves, the order of the others is kept.
    expect(groupByPlan(patchPlan(reports, 'p1', [])).map((g) => g.planId)).toEqual(['p2', 'p3']);
    // A report of a plan new to the queue, reported before the last one: in its place by time.
    const r0 = report('r0', 'p9', 'c', '2026-01-03T12:00:00Z');
    expect(ids(patchPlan(reports, 'p9', [r0]))).toEqual(['r1', 'r2', 'r3', 'r0', 'r4', 'r5']);
    // An updated report replaces the one it was.
    const edited = { ...reports[3]!, actionPlan: { ...reports[3]!.actionPlan, title: 'Renamed' } };
    expect(patchPlan(reports, 'p3', [edited])[3]!.actionPlan.title).toBe('Renamed');
  });
});
