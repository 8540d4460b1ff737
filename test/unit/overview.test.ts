import { describe, expect, it } from 'vitest';
import { ActionPlanStatus } from '../../server/modules/action-plans/action-plan.entity';
import { filterPlans } from '../../server/modules/action-plans/action-plan.service';
import type { PlanRecord } from '../../server/modules/action-plans/plan-record';
import { ActionPlanState } from '../../server/modules/action-plans/state';
import { City } from '../../server/modules/cities/city.entity';
import { computeOverview } from '../../server/modules/overview/overview';
import { Dimension } from '../../server/modules/masterplan/dimension';
import { Masterplan, Program } from '../../server/modules/masterplan/masterplan.entity';
import { Opd } from '../../server/modules/opds/opd.entity';

const city = new City('Kota Uji', 'Provinsi');
const masterplan = new Masterplan(city, 'MP', 2024, 2028);
const quickWin = Object.assign(new Program(masterplan, 'Kesehatan', Dimension.LIVING), { quickWin: true, quickWinYear: 2019 });
const other = new Program(masterplan, 'Tata kelola', Dimension.GOVERNANCE);
const dinkes = new Opd(city, 'Dinas Kesehatan', 'Dinkes');
const kominfo = new Opd(city, 'Dinas Kominfo', 'Diskominfo');
const now = new Date('2026-07-01T03:00:00Z'); // 1 July 2026 in Jakarta

let n = 0;
const row = (over: Partial<PlanRecord>): PlanRecord => ({
  id: `p${++n}`,
  createdAt: now,
  updatedAt: now,
  version: 1,
  city: { id: city.id },
  program: { id: quickWin.id },
  ownerOpd: { id: dinkes.id },
  description: null,
  budgetAmount: null,
  budgetSource: null,
  lastReportedAt: null,
  dimension: Dimension.LIVING,
  status: ActionPlanStatus.ACTIVE,
  weight: 1,
  progress: 0,
  startDate: '2026-01-01',
  dueDate: '2026-12-31',
  archivedAt: null,
  title: `Rencana ${n}`,
  code: null,
  ...over,
});

const plans = [
  row({ progress: 100, weight: 3 }), // done
  row({ progress: 60 }), // on track (expected ~50)
  row({ progress: 10, dueDate: '2026-03-31' }), // late: past due
  row({ progress: 0, startDate: '2026-09-01' }), // not started
  row({
    progress: 20,
    program: { id: other.id },
    dimension: Dimension.GOVERNANCE,
    ownerOpd: { id: kominfo.id },
    title: 'Portal data terpadu',
    code: 'GOV-01',
  }), // late: behind
  row({ progress: 90, status: ActionPlanStatus.CANCELLED }), // left out
  row({ progress: 90, archivedAt: new Date() }), // left out
];

describe('city overview roll-ups', () => {
  const o = computeOverview(city, { seq: 7, plans, programs: [quickWin, other], opds: [dinkes, kominfo], nextVisit: null }, now, 'id');

  it('counts states and leaves out cancelled and archived plans', () => {
    expect(o.counts).toMatchObject({ total: 5, done: 1, onTrack: 1, late: 2, notStarted: 1 });
    expect(o.today).toBe('2026-07-01');
  });

  it('weights the city, dimension, quick win and OPD progress', () => {
    // (100·3 + 60 + 10 + 0 + 20) / 7
    expect(o.progress).toBe(55.7);
    expect(o.dimensions.find((d) => d.dimension === Dimension.LIVING)).toMatchObject({ progress: 61.7, actionPlanCount: 4, lateCount: 1 });
    expect(o.dimensions.find((d) => d.dimension === Dimension.ECONOMY)).toMatchObject({ progress: 0, actionPlanCount: 0 });
    expect(o.dimensions).toHaveLength(6);
    expect(o.quickWins).toEqual([expect.objectContaining({ name: 'Kesehatan', year: 2019, progress: 61.7, actionPlanCount: 4 })]);
    expect(o.opds.map((x) => [x.abbreviation, x.progress, x.lateCount])).toEqual([
      ['Dinkes', 61.7, 1],
      ['Diskominfo', 20, 1],
    ]);
    expect(o.lateIds).toEqual([plans[2]!.id, plans[4]!.id]);
  });

  it('filters plan rows by stored columns and by derived state', () => {
    const programs = new Map([
      [quickWin.id, quickWin],
      [other.id, other],
    ]);
    const ids = (f: Parameters<typeof filterPlans>[2]) => filterPlans(plans, programs, f, '2026-07-01').map((p) => p.id);
    expect(ids({ state: ActionPlanState.LATE })).toEqual([plans[2]!.id, plans[4]!.id]);
    expect(ids({ quickWin: false })).toEqual([plans[4]!.id]);
    expect(ids({ search: 'portal' })).toEqual([plans[4]!.id]);
    expect(ids({ search: 'gov-01' })).toEqual([plans[4]!.id]);
    expect(ids({ opdId: kominfo.id })).toEqual([plans[4]!.id]);
    expect(ids({ year: 2025 })).toEqual([]);
    expect(ids({})).toHaveLength(6);
    expect(ids({ includeArchived: true })).toHaveLength(7);
  });
});
