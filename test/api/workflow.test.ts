import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/db';
import { codeOf, gql, login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';

const REPORT =
  'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { id version progress progressReports(first: 1) { edges { node { id status version } } } } }';
const REVIEW = (m: string) =>
  `mutation ($input: ReviewProgressReportInput!) { ${m}(input: $input) { id status reviewComment reviewerName version } }`;
const AUDIT = `query ($city: ID!, $filter: AuditFilter) { auditLog(cityId: $city, filter: $filter, first: 100) {
  totalCount edges { node { action entity entityId actorName requestId changes { field before after } } } } }`;

describe.each(await testDialects())('verification and audit trail on %s', (dialect) => {
  let server: TestServer;
  let admin: string;
  let cityAdmin: string;
  let reporter: string;
  let cityId: string;
  let planId: string;
  let version: number;

  beforeAll(async () => {
    server = await startServer({ dialect, demo: true });
    [admin, cityAdmin, reporter] = (await Promise.all(
      ['admin@pantau.demo', 'bappelitbang@tanjungpinang.demo', 'dinkes@tanjungpinang.demo'].map((e) => login(server.url, e)),
    )) as [string, string, string];
    const me = await ok<any>(server.url, '{ me { cityId opdId } }', {}, reporter);
    cityId = me.me.cityId;
    const plans = await ok<any>(
      server.url,
      'query ($id: ID!, $opd: ID!) { city(id: $id) { actionPlans(first: 100, filter: { opdId: $opd }) { edges { node { id version state } } } } }',
      { id: cityId, opd: me.me.opdId },
      reporter,
    );
    const plan = plans.city.actionPlans.edges.map((e: any) => e.node).find((p: any) => p.state !== 'DONE');
    planId = plan.id;
    version = plan.version;
  });
  afterAll(async () => server?.close());

  async function verifiedProgress(): Promise<{ plan: number; city: number; all: number }> {
    const data = await ok<any>(
      server.url,
      'query ($id: ID!, $c: ID!) { actionPlan(id: $id) { verifiedProgress } city(id: $c) { v: overview(basis: VERIFIED) { progress basis } a: overview { progress basis } } }',
      { id: planId, c: cityId },
      cityAdmin,
    );
    expect(data.city.v.basis).toBe('VERIFIED');
    return { plan: data.actionPlan.verifiedProgress, city: data.city.v.progress, all: data.city.a.progress };
  }

  it('keeps an OPD report SUBMITTED, out of the verified figures, until the city team verifies it', async () => {
    const before = await verifiedProgress();
    const sent = await ok<any>(
      server.url,
      REPORT,
      { input: { actionPlanId: planId, percent: 97, narrative: 'Hampir selesai', expectedVersion: version } },
      reporter,
    );
    version = sent.reportProgress.version;
    const report = sent.reportProgress.progressReports.edges[0].node;
    expect(report.status).toBe('SUBMITTED');
    const queue = await ok<any>(
      server.url,
      'query ($id: ID!) { city(id: $id) { progressReports(status: SUBMITTED, first: 100) { edges { node { id } } } } }',
      { id: cityId },
      cityAdmin,
    );
    expect(queue.city.progressReports.edges.map((e: any) => e.node.id)).toContain(report.id);
    const pending = await verifiedProgress();
    expect(pending.plan).toBe(before.plan);
    expect(pending.city).toBe(before.city);
    expect(pending.all).not.toBe(before.all);

    expect(codeOf(await gql(server.url, REVIEW('verifyProgressReport'), { input: { id: report.id, expectedVersion: 1 } }, reporter))).toBe(
      'FORBIDDEN',
    );
    const verified = await ok<any>(
      server.url,
      REVIEW('verifyProgressReport'),
      { input: { id: report.id, expectedVersion: report.version, comment: 'Bukti lengkap' } },
      cityAdmin,
    );
    expect(verified.verifyProgressReport).toMatchObject({
      status: 'VERIFIED',
      reviewComment: 'Bukti lengkap',
      reviewerName: expect.any(String),
    });
    const after = await verifiedProgress();
    expect(after.plan).toBe(97);
    expect(after.city).toBeGreaterThan(before.city);
    // Verifying does not move the plan's version: an OPD working from it is not refused.
    const plan = await ok<any>(server.url, 'query ($id: ID!) { actionPlan(id: $id) { version } }', { id: planId }, reporter);
    expect(plan.actionPlan.version).toBe(version);
    const again = await gql(
      server.url,
      REVIEW('returnProgressReport'),
      { input: { id: report.id, expectedVersion: verified.verifyProgressReport.version, comment: 'x' } },
      cityAdmin,
    );
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.id' });
  });

  it("names each report's plan and OPD in the queue (ProgressReport.actionPlan), only within the readable city", async () => {
    const q =
      'query ($id: ID!) { city(id: $id) { progressReports(first: 50) { edges { node { actionPlanId actionPlan { id title ownerOpd { name } } } } } } }';
    const data = await ok<any>(server.url, q, { id: cityId }, cityAdmin);
    const nodes = data.city.progressReports.edges.map((e: any) => e.node);
    expect(nodes.length).toBeGreaterThan(0);
    for (const n of nodes) expect(n.actionPlan.id).toBe(n.actionPlanId);
    expect(nodes.find((n: any) => n.actionPlanId === planId).actionPlan.title).toEqual(expect.any(String));
    // Another city's admin can reach neither the city nor, through it, its reports' plans.
    const other = await login(server.url, 'bappeda@tebingtinggi.demo');
    expect(codeOf(await gql(server.url, q, { id: cityId }, other))).toBe('NOT_FOUND');
  });

  it("returns a report with a required comment, and a city admin's own report is verified at once", async () => {
    const sent = await ok<any>(
      server.url,
      REPORT,
      { input: { actionPlanId: planId, percent: 99, narrative: 'Selesai?', expectedVersion: version } },
      reporter,
    );
    version = sent.reportProgress.version;
    const report = sent.reportProgress.progressReports.edges[0].node;
    const noComment = await gql(
      server.url,
      REVIEW('returnProgressReport'),
      { input: { id: report.id, expectedVersion: report.version } },
      cityAdmin,
    );
    expect(noComment.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.comment' });
    const returned = await ok<any>(
      server.url,
      REVIEW('returnProgressReport'),
      { input: { id: report.id, expectedVersion: report.version, comment: 'Lampirkan berita acara' } },
      cityAdmin,
    );
    expect(returned.returnProgressReport).toMatchObject({ status: 'RETURNED', reviewComment: 'Lampirkan berita acara' });
    expect((await verifiedProgress()).plan).toBe(97);
    const own = await ok<any>(
      server.url,
      REPORT,
      { input: { actionPlanId: planId, percent: 100, narrative: 'Serah terima', expectedVersion: version } },
      cityAdmin,
    );
    version = own.reportProgress.version;
    expect(own.reportProgress.progressReports.edges[0].node.status).toBe('VERIFIED');
    expect((await verifiedProgress()).plan).toBe(100);
  });

  it('records every write with who, when, before/after and the request id, and nothing for refused writes', async () => {
    const requestId = `uji-${Date.now()}`;
    const before = await ok<any>(server.url, AUDIT, { city: cityId, filter: { entityId: planId } }, cityAdmin);
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${cityAdmin}`, 'x-request-id': requestId },
      body: JSON.stringify({
        query: 'mutation ($input: UpdateActionPlanInput!) { updateActionPlan(input: $input) { version } }',
        variables: { input: { id: planId, expectedVersion: version, title: 'Judul baru', weight: 3 } },
      }),
    });
    // The request's id is ours, never the client's X-Request-Id (which only the log keeps, apart).
    const ours = res.headers.get('x-request-id');
    expect(ours).toMatch(/^[0-9a-f-]{36}$/);
    const body = await res.json();
    expect(body.errors).toBeUndefined();
    // A stale write and a forbidden one leave no trace.
    expect(
      codeOf(
        await gql(
          server.url,
          'mutation ($input: UpdateActionPlanInput!) { updateActionPlan(input: $input) { version } }',
          { input: { id: planId, expectedVersion: version, title: 'Basi' } },
          cityAdmin,
        ),
      ),
    ).toBe('CONFLICT');
    expect(
      codeOf(
        await gql(
          server.url,
          'mutation ($input: UpdateActionPlanInput!) { updateActionPlan(input: $input) { version } }',
          { input: { id: planId, expectedVersion: version + 1, title: 'Dilarang' } },
          reporter,
        ),
      ),
    ).toBe('FORBIDDEN');
    const after = await ok<any>(server.url, AUDIT, { city: cityId, filter: { entityId: planId } }, cityAdmin);
    expect(after.auditLog.totalCount).toBe(before.auditLog.totalCount + 1);
    const entry = after.auditLog.edges[0].node;
    expect(entry).toMatchObject({
      action: 'UPDATE',
      entity: 'ActionPlan',
      entityId: planId,
      requestId: ours,
      actorName: expect.stringContaining('bappelitbang@tanjungpinang.demo'),
    });
    expect(JSON.stringify(after)).not.toContain(requestId);
    const fields = Object.fromEntries(entry.changes.map((c: any) => [c.field, [c.before, c.after]]));
    expect(fields.title?.[1]).toBe('Judul baru');
    expect(fields.weight?.[1]).toBe(3);
    expect(fields.title?.[0]).not.toBe('Judul baru');
    // The earlier reports and reviews are there too.
    const reports = await ok<any>(server.url, AUDIT, { city: cityId, filter: { entity: 'ProgressReport' } }, cityAdmin);
    const actions = reports.auditLog.edges.map((e: any) => e.node.action);
    expect(actions.filter((a: string) => a === 'CREATE').length).toBeGreaterThanOrEqual(3);
    expect(actions).toContain('UPDATE');
  });

  it('shows the audit log to the city team only', async () => {
    const viewer = await login(server.url, 'viewer@tanjungpinang.demo');
    expect(codeOf(await gql(server.url, AUDIT, { city: cityId }, viewer))).toBe('FORBIDDEN');
    expect(codeOf(await gql(server.url, AUDIT, { city: cityId }, reporter))).toBe('FORBIDDEN');
    const tebing = await login(server.url, 'bappeda@tebingtinggi.demo');
    expect(codeOf(await gql(server.url, AUDIT, { city: cityId }, tebing))).toBe('NOT_FOUND');
    expect((await ok<any>(server.url, AUDIT, { city: cityId }, admin)).auditLog.totalCount).toBeGreaterThan(0);
  });

  it('ends every session of a user whose password changes or who is archived', async () => {
    const created = await ok<any>(
      server.url,
      'mutation ($input: CreateUserInput!) { createUser(input: $input) { id version role } }',
      { input: { email: 'staf@tanjungpinang.test', name: 'Staf Dinkes', password: 'password-awal-123', role: 'VIEWER', cityId } },
      cityAdmin,
    );
    const user = created.createUser;
    const token = await login(server.url, 'staf@tanjungpinang.test', 'password-awal-123');
    expect((await ok<any>(server.url, '{ me { email } }', {}, token)).me.email).toBe('staf@tanjungpinang.test');
    await new Promise((r) => setTimeout(r, 1_100)); // tokens carry whole seconds
    const changed = await ok<any>(
      server.url,
      'mutation ($input: UpdateUserInput!) { updateUser(input: $input) { version } }',
      { input: { id: user.id, expectedVersion: user.version, password: 'password-baru-456' } },
      cityAdmin,
    );
    const stale = await gql(server.url, '{ me { email } }', {}, token);
    expect(stale.status).toBe(401);
    expect(codeOf(stale)).toBe('UNAUTHENTICATED');
    expect(
      codeOf(
        await gql(server.url, 'mutation { login(input: { email: "staf@tanjungpinang.test", password: "password-awal-123" }) { token } }'),
      ),
    ).toBe('UNAUTHENTICATED');
    await new Promise((r) => setTimeout(r, 1_100));
    const fresh = await login(server.url, 'staf@tanjungpinang.test', 'password-baru-456');
    expect((await ok<any>(server.url, '{ me { email } }', {}, fresh)).me.email).toBe('staf@tanjungpinang.test');
    await ok(
      server.url,
      'mutation ($input: VersionedInput!) { archiveUser(input: $input) { archivedAt } }',
      { input: { id: user.id, expectedVersion: changed.updateUser.version } },
      cityAdmin,
    );
    expect(codeOf(await gql(server.url, '{ me { email } }', {}, fresh))).toBe('UNAUTHENTICATED');
    // The audit log has the account's creation, change and archive, with the password masked.
    const log = await ok<any>(server.url, AUDIT, { city: cityId, filter: { entityId: user.id } }, cityAdmin);
    expect(log.auditLog.edges.map((e: any) => e.node.action)).toEqual(['ARCHIVE', 'UPDATE', 'CREATE']);
    expect(JSON.stringify(log)).not.toContain('argon2');
    expect(JSON.stringify(log)).toContain('***');
  });
});
