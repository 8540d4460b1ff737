import { describe, expect, it } from 'vitest';
import { filterGroups, groupByPlan, opdChoices, type QueueReport } from './queue';

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
});
