import { ReferenceKind } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProgressReport } from '../../server/modules/progress/progress-report.entity';
import { testDialects } from '../helpers/db';
import { codeOf, gql, login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';

/*
 * reportProgress writes its rows without MikroORM's unit of work (issue 9). What it writes must be
 * what the unit of work would have written: the report row, the plan's new progress and version,
 * one audit entry per object with every field, and the events in order.
 */

const AUDIT = `query ($city: ID!, $filter: AuditFilter) { auditLog(cityId: $city, filter: $filter, first: 10) {
  totalCount edges { node { action entity entityId actorName requestId changes { field before after } } } } }`;
const NOW = new Date('2026-03-02T03:04:05.000Z');

describe.each(await testDialects())('reportProgress rows on %s', (dialect) => {
  let server: TestServer;
  let reporter: string;
  let cityAdmin: string;
  let cityId: string;
  let plan: { id: string; version: number; progress: number };

  beforeAll(async () => {
    server = await startServer({ dialect, clock: () => NOW });
    [reporter, cityAdmin] = await Promise.all([
      login(server.url, 'dinkes@tanjungpinang.demo'),
      login(server.url, 'bappelitbang@tanjungpinang.demo'),
    ]);
    cityId = (await ok<any>(server.url, '{ me { cityId } }', {}, reporter)).me.cityId;
    const plans = await ok<any>(
      server.url,
      'query ($id: ID!) { city(id: $id) { actionPlans(first: 100) { edges { node { id version progress status ownerOpd { abbreviation } } } } } }',
      { id: cityId },
      reporter,
    );
    plan = plans.city.actionPlans.edges
      .map((e: any) => e.node)
      .find((p: any) => p.status === 'ACTIVE' && p.ownerOpd.abbreviation === 'Dinkes');
  });
  afterAll(async () => server?.close());

  it('writes the report, moves the plan and audits both objects field by field', async () => {
    const seqBefore = (await ok<any>(server.url, 'query ($id: ID!) { city(id: $id) { overview { seq } } }', { id: cityId }, cityAdmin)).city
      .overview.seq as number;
    const data = await ok<any>(
      server.url,
      'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { id version progress lastReportedAt } }',
      {
        input: {
          actionPlanId: plan.id,
          percent: 63.25,
          narrative: 'Aplikasi diuji di 3 puskesmas',
          obstacles: 'Jaringan lambat',
          evidenceUrls: ['https://contoh.go.id/bukti.pdf'],
          expectedVersion: plan.version,
        },
      },
      reporter,
    );
    expect(data.reportProgress).toEqual({ id: plan.id, version: plan.version + 1, progress: 63.25, lastReportedAt: NOW.toISOString() });

    // The rows, read back through the ORM.
    const em = server.orm.em.fork();
    const report = await em.findOneOrFail(ProgressReport, { actionPlan: plan.id }, { orderBy: { id: 'desc' } });
    expect(report).toMatchObject({
      percent: 63.25,
      narrative: 'Aplikasi diuji di 3 puskesmas',
      obstacles: 'Jaringan lambat',
      evidenceUrls: ['https://contoh.go.id/bukti.pdf'],
      status: 'SUBMITTED',
      reviewedBy: null,
      reviewedAt: null,
      version: 1,
      archivedAt: null,
    });
    expect(report.reportedAt.toISOString()).toBe(NOW.toISOString());
    expect(report.city.id).toBe(cityId);
    expect(report.reporter?.id).toBeTruthy();

    // One audit entry per object; the report's names every persisted field but the bookkeeping ones.
    const reportAudit = await ok<any>(server.url, AUDIT, { city: cityId, filter: { entityId: report.id } }, cityAdmin);
    expect(reportAudit.auditLog.totalCount).toBe(1);
    const created = reportAudit.auditLog.edges[0].node;
    expect(created).toMatchObject({
      action: 'CREATE',
      entity: 'ProgressReport',
      actorName: expect.stringContaining('dinkes@tanjungpinang.demo'),
    });
    const persisted = server.orm
      .getMetadata()
      .get('ProgressReport')
      .props.filter(
        (p) =>
          p.persist !== false &&
          [ReferenceKind.SCALAR, ReferenceKind.MANY_TO_ONE].includes(p.kind) &&
          !['updatedAt', 'version'].includes(p.name),
      )
      .map((p) => p.name);
    const fields = Object.fromEntries(created.changes.map((c: any) => [c.field, c]));
    expect(Object.keys(fields).sort()).toEqual([...persisted].sort());
    expect(fields.percent).toEqual({ field: 'percent', before: null, after: 63.25 });
    expect(fields.actionPlan.after).toBe(plan.id);
    expect(fields.reporter.after).toBe(report.reporter?.id);
    expect(fields.status.after).toBe('SUBMITTED');

    const planAudit = await ok<any>(server.url, AUDIT, { city: cityId, filter: { entityId: plan.id } }, cityAdmin);
    const moved = planAudit.auditLog.edges[0].node;
    expect(moved).toMatchObject({ action: 'UPDATE', entity: 'ActionPlan', requestId: created.requestId });
    expect(moved.changes.map((c: any) => c.field).sort()).toEqual(['lastReportedAt', 'progress']);
    expect(moved.changes.find((c: any) => c.field === 'progress')).toEqual({ field: 'progress', before: plan.progress, after: 63.25 });

    // The events, numbered in order: the report, then the plan.
    const events = await ok<any>(server.url, 'query ($id: ID!) { city(id: $id) { overview { seq } } }', { id: cityId }, cityAdmin);
    expect(events.city.overview.seq).toBe(seqBefore + 2);
    const rows = (await em
      .getConnection()
      .execute('select seq, kind, entity_id from city_events where city_id = ? and seq > ? order by seq', [cityId, seqBefore])) as any[];
    expect(rows.map((r) => [Number(r.seq), r.kind, r.entity_id])).toEqual([
      [seqBefore + 1, 'PROGRESS_REPORTED', report.id],
      [seqBefore + 2, 'ACTION_PLAN_UPDATED', plan.id],
    ]);
  });

  it('leaves the plan as the unit of work knows it: the next ORM write starts from the new version and audits only its own change', async () => {
    const current = await ok<any>(server.url, 'query ($id: ID!) { actionPlan(id: $id) { version title } }', { id: plan.id }, cityAdmin);
    expect(current.actionPlan.version).toBe(plan.version + 1);
    await ok<any>(
      server.url,
      'mutation ($input: UpdateActionPlanInput!) { updateActionPlan(input: $input) { version } }',
      { input: { id: plan.id, expectedVersion: current.actionPlan.version, title: `${current.actionPlan.title} (revisi)` } },
      cityAdmin,
    );
    const audit = await ok<any>(server.url, AUDIT, { city: cityId, filter: { entityId: plan.id } }, cityAdmin);
    expect(audit.auditLog.edges[0].node.changes.map((c: any) => c.field)).toEqual(['title']);
  });

  it('moves the version of a report that changes nothing else (the same percent at the same instant)', async () => {
    const REPORT = 'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { version progress } }';
    const current = await ok<any>(server.url, 'query ($id: ID!) { actionPlan(id: $id) { version progress } }', { id: plan.id }, cityAdmin);
    const input = {
      actionPlanId: plan.id,
      percent: current.actionPlan.progress,
      narrative: 'Tidak ada perubahan',
      expectedVersion: current.actionPlan.version,
    };
    // The clock is pinned: the progress and lastReportedAt this report sets are the ones the plan has.
    const again = await ok<any>(server.url, REPORT, { input }, reporter);
    expect(again.reportProgress).toEqual({ version: current.actionPlan.version + 1, progress: current.actionPlan.progress });
    const stale = await gql(server.url, REPORT, { input }, reporter);
    expect(codeOf(stale)).toBe('CONFLICT');
  });
});
