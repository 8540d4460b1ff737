import type { EntityManager } from '@mikro-orm/core';
import { ActionPlan } from '../../server/modules/action-plans/action-plan.entity';
import { City } from '../../server/modules/cities/city.entity';
import { DIMENSIONS } from '../../server/modules/masterplan/dimension';
import { Masterplan, Program } from '../../server/modules/masterplan/masterplan.entity';
import { Opd } from '../../server/modules/opds/opd.entity';
import { ProgressReport } from '../../server/modules/progress/progress-report.entity';
import { addDays } from '../../server/util/dates';

/** What `buildCity` made. */
export interface BuiltCity {
  city: City;
  opds: Opd[];
  programs: Program[];
  plans: ActionPlan[];
}

/**
 * Writes a city straight through the ORM (fast, for tests that need volume): `opds` OPDs, one
 * program per dimension (the first two quick wins), `plans` action plans spread over them with
 * schedules around `today` and one progress report each.
 */
export async function buildCity(
  em: EntityManager,
  { name = 'Kota Uji', opds = 3, plans = 5, today = '2026-11-23' } = {},
): Promise<BuiltCity> {
  const city = new City(name, 'Provinsi Uji');
  const opdRows = Array.from({ length: opds }, (_, i) => new Opd(city, `Dinas ${i + 1}`, `D${i + 1}`));
  const masterplan = new Masterplan(city, 'Masterplan uji', 2024, 2028);
  const programs = DIMENSIONS.map((d, i) => {
    const p = new Program(masterplan, `Program ${d}`, d);
    if (i < 2) {
      p.quickWin = true;
      p.quickWinYear = 2024;
    }
    return p;
  });
  const planRows: ActionPlan[] = [];
  const reports: ProgressReport[] = [];
  for (let i = 0; i < plans; i++) {
    const plan = new ActionPlan(
      programs[i % programs.length]!,
      opdRows[i % opdRows.length]!,
      `Rencana aksi ${i + 1}`,
      addDays(today, -200 + (i % 50)),
      addDays(today, -30 + (i % 120)),
    );
    plan.weight = 1 + (i % 3);
    const report = new ProgressReport(plan, (i * 17) % 101, `Laporan ${i + 1}`);
    plan.progress = report.percent;
    plan.lastReportedAt = report.reportedAt;
    planRows.push(plan);
    reports.push(report);
  }
  em.persist([city, ...opdRows, masterplan, ...programs, ...planRows, ...reports]);
  await em.flush();
  return { city, opds: opdRows, programs, plans: planRows };
}
