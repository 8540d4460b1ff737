import { policy } from '../../auth/policy';
import type { Context } from '../../context';
import { sqlRows } from '../../db/sql';
import { badInput } from '../../errors';
import { isUuid } from '../../util/ids';
import { ActionPlan } from '../action-plans/action-plan.entity';
import { check } from '../../util/validate';
import { insertRow, updateVersioned } from '../../events/rows';
import { checkForWrite, inTransaction } from '../../events/writes';
import { User } from '../users/user.entity';
import { ProgressReport, ReportStatus } from './progress-report.entity';
import { connectionType } from '../../graphql/connection';

/** A page of progress reports. */
export const ProgressReportConnection = connectionType(ProgressReport, 'ProgressReport');

/** What a reporter sends (`ReportProgressInput`). */
export interface ReportProgress {
  actionPlanId: string;
  percent: number;
  narrative: string;
  obstacles?: string | null;
  evidenceUrls?: string[] | null;
  expectedVersion: number;
}

/**
 * Appends a progress report and moves the plan's progress to it, in one transaction. The plan's
 * version guards against two reporters working from the same reading: the second gets CONFLICT
 * and its report is not saved.
 *
 * Reporting is the write every OPD makes and every screen waits for, so it skips the unit of work
 * (whose flush cost more CPU than the rest of the request: issue 9). Nothing else differs: the
 * plan is read and checked like any write's object (`checkForWrite`), and the report's insert and
 * the plan's guarded update are events/rows.ts's, audited like a flush's; `inTransaction` writes
 * the audit rows and the events.
 */
export async function reportProgress(ctx: Context, input: ReportProgress): Promise<ActionPlan> {
  const percent = check.percent('percent', input.percent);
  const narrative = check.text('narrative', input.narrative, 10_000);
  const obstacles = check.optionalText('obstacles', input.obstacles, 10_000);
  const evidenceUrls = check.urls('evidenceUrls', input.evidenceUrls);
  return inTransaction(ctx, 'ActionPlan', async (em, scope) => {
    const rows = isUuid(input.actionPlanId) ? await sqlRows(em, 'select * from action_plans where id = ?', [input.actionPlanId]) : [];
    const plan = checkForWrite(
      rows[0] ? em.map(ActionPlan, rows[0]) : null,
      'ActionPlan',
      input.expectedVersion,
      (p) => policy.assertReport(ctx.principal, p.city.id, p.ownerOpd.id, 'ActionPlan', p.id),
      'input.actionPlanId',
    );
    if (plan.archivedAt) throw badInput('input.actionPlanId', 'archived', { entity: 'ActionPlan' });
    const now = ctx.services.clock();
    const report = new ProgressReport(plan, percent, narrative);
    report.obstacles = obstacles;
    report.evidenceUrls = evidenceUrls;
    report.reportedAt = now;
    if (ctx.principal) report.reporter = em.getReference(User, ctx.principal.userId);
    if (ctx.principal && policy.canManageCity(ctx.principal, plan.city.id)) {
      // The city team's own reports need no second look.
      report.status = ReportStatus.VERIFIED;
      report.reviewedBy = report.reporter;
      report.reviewedAt = now;
    }
    await insertRow(em, report, scope);
    await updateVersioned(em, plan, scope, (p) => {
      p.progress = percent;
      p.lastReportedAt = now;
    });
    return plan;
  });
}
