import type { EntityManager, EntityMetadata } from '@mikro-orm/core';
import { policy } from '../../auth/policy';
import type { Context } from '../../context';
import { sqlRows, valuesList } from '../../db/sql';
import { badInput, conflict } from '../../errors';
import { isUuid } from '../../util/ids';
import { ActionPlan } from '../action-plans/action-plan.entity';
import { recordChange, type AuditScope } from '../audit/audit.subscriber';
import { check } from '../../util/validate';
import { checkForWrite, inTransaction } from '../../events/writes';
import { User } from '../users/user.entity';
import { ProgressReport, ReportStatus } from './progress-report.entity';

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
 * plan is read and checked like any write's object (`checkForWrite`), the rows are MikroORM's
 * prepared values of the same entities, and the audit entries are made from them by the same
 * `recordChange` the flush subscriber uses; `inTransaction` writes them and the events.
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
    await moveProgress(em, plan, percent, now, scope);
    return plan;
  });
}

/** Inserts a new entity's row (its prepared values) and keeps its audit entry (CREATE). */
async function insertRow(em: EntityManager, entity: object, scope: AuditScope): Promise<void> {
  const meta = metaOf(em, entity);
  const data = em.getComparator().prepareEntity(entity) as Record<string, unknown>;
  const fields = Object.keys(data);
  await sqlRows(
    em,
    `insert into ${meta.tableName} (${fields.map((f) => columnOf(meta, f)).join(', ')}) values ${valuesList(1, fields.length)}`,
    fields.map((f) => data[f]),
  );
  recordChange(scope, entity, meta, data, null);
}

/**
 * Moves the (managed, just read) plan to the report: an update guarded by the plan's version (0
 * rows: someone else wrote it since it was read, CONFLICT), the audit entry of what changed, and
 * the plan left clean in the entity manager with its new version (nothing for the flush to do).
 */
async function moveProgress(em: EntityManager, plan: ActionPlan, percent: number, now: Date, scope: AuditScope): Promise<void> {
  // `updatedAt` is the real time of the write, as the entity's onUpdate makes it; `now` is the clock's.
  const updatedAt = new Date();
  const meta = metaOf(em, plan);
  const comparator = em.getComparator();
  const before = comparator.prepareEntity(plan) as Record<string, unknown>;
  plan.progress = percent;
  plan.lastReportedAt = now;
  const changed = comparator.getEntityComparator('ActionPlan')(before, comparator.prepareEntity(plan)) as Record<string, unknown>;
  const fields = Object.keys(changed);
  const updated = await sqlRows(
    em,
    // The same percent at the same instant (a pinned clock) changes no field: the version still moves.
    `update action_plans set ${fields.map((f) => `${columnOf(meta, f)} = ?, `).join('')}updated_at = ?, version = version + 1 where id = ? and version = ? returning version`,
    [...fields.map((f) => changed[f]), updatedAt, plan.id, plan.version],
  );
  if (updated.length === 0) throw conflict('ActionPlan');
  plan.version = Number(updated[0]!.version);
  plan.updatedAt = updatedAt;
  em.getUnitOfWork().register(plan, comparator.prepareEntity(plan), { refresh: true });
  recordChange(scope, plan, meta, changed, before);
}

function metaOf(em: EntityManager, entity: object): EntityMetadata {
  return em.getMetadata().get(entity.constructor.name);
}

/** The column of a (scalar or many-to-one) property. */
function columnOf(meta: EntityMetadata, field: string): string {
  const column = meta.properties[field as never]?.fieldNames?.[0];
  if (!column) throw new Error(`${meta.className}.${field} has no column`);
  return column;
}
