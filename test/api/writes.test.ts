import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/db';
import { codeOf, gql, login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';

const ADMIN = { PANTAU_ADMIN_EMAIL: 'root@pantau.test', PANTAU_ADMIN_PASSWORD: 'correct-horse-battery' };

const PLAN_FIELDS =
  'id title version progress state dimension startDate dueDate ownerOpd { id name } supportingOpds { id } budget { amount source formatted }';

describe.each(await testDialects())('writes on %s', (dialect) => {
  let server: TestServer;
  let url: string;
  let admin: string;
  const ids: Record<string, string> = {};

  const run = (query: string, variables: Record<string, unknown> = {}, token = admin) => gql(url, query, variables, token);
  const create = async (name: string, input: Record<string, unknown>, fields = 'id version') => {
    const data = await ok<Record<string, { id: string; version: number }>>(
      url,
      `mutation ($input: Create${name}Input!) { create${name}(input: $input) { ${fields} } }`,
      { input },
      admin,
    );
    const row = data[`create${name}`];
    if (!row) throw new Error(`create${name} returned nothing`);
    return row;
  };

  beforeAll(async () => {
    server = await startServer({ dialect, demo: false, env: ADMIN });
    url = server.url;
    admin = await login(url, ADMIN.PANTAU_ADMIN_EMAIL, ADMIN.PANTAU_ADMIN_PASSWORD);
    ids.city = (await create('City', { name: 'Kota Uji', province: 'Kepulauan Riau', joinedYear: 2019 })).id;
    ids.otherCity = (await create('City', { name: 'Kota Lain', province: 'Sumatera Utara' })).id;
    ids.opd = (await create('Opd', { cityId: ids.city, name: 'Dinas Kesehatan', abbreviation: 'Dinkes' })).id;
    ids.opd2 = (
      await create('Opd', { cityId: ids.city, name: 'Dinas Komunikasi dan Informatika', abbreviation: 'Diskominfo', leadingSector: true })
    ).id;
    ids.otherOpd = (await create('Opd', { cityId: ids.otherCity, name: 'Dinas Kesehatan', abbreviation: 'Dinkes' })).id;
    ids.masterplan = (
      await create('Masterplan', { cityId: ids.city, title: 'Masterplan Smart City 2024–2028', startYear: 2024, endYear: 2028 })
    ).id;
    ids.program = (
      await create('Program', {
        masterplanId: ids.masterplan,
        name: 'Layanan kesehatan daring',
        dimension: 'LIVING',
        quickWin: true,
        quickWinYear: 2024,
      })
    ).id;
  });
  afterAll(async () => server?.close());

  it('creates an action plan with its dimension taken from the program, and a formatted budget', async () => {
    const plan = (await create(
      'ActionPlan',
      {
        programId: ids.program,
        ownerOpdId: ids.opd,
        supportingOpdIds: [ids.opd2],
        title: 'E-puskesmas',
        startDate: '2026-01-05',
        dueDate: '2026-12-20',
        budgetAmount: 1_250_000_000,
        budgetSource: 'APBD',
        weight: 2,
      },
      PLAN_FIELDS,
    )) as unknown as Record<string, any>;
    expect(plan).toMatchObject({
      title: 'E-puskesmas',
      version: 1,
      progress: 0,
      dimension: 'LIVING',
      ownerOpd: { id: ids.opd },
      supportingOpds: [{ id: ids.opd2 }],
    });
    expect(plan.budget).toEqual({ amount: 1_250_000_000, source: 'APBD', formatted: 'Rp\u00a01.250.000.000' });
    ids.plan = plan.id;
    // Only the new plan was written: the program and OPDs it refers to keep their versions.
    const refs = await ok<any>(
      url,
      'query ($p: ID!, $o: ID!, $c: ID!) { program(id: $p) { version } opd(id: $o) { version } city(id: $c) { version } }',
      { p: ids.program, o: ids.opd, c: ids.city },
      admin,
    );
    expect(refs).toEqual({ program: { version: 1 }, opd: { version: 1 }, city: { version: 1 } });
  });

  it.each([
    ['due before start', { dueDate: '2025-12-31' }, 'input.dueDate'],
    ['an impossible date', { startDate: '2026-02-30' }, 'input.startDate'],
    ['an OPD of another city', { ownerOpdId: 'OTHER_OPD' }, 'input.ownerOpdId'],
    ['an unknown program', { programId: '0190f0f0-0000-7000-8000-000000000000' }, 'input.programId'],
    ['a malformed id', { programId: 'not-an-id' }, 'input.programId'],
    ['a negative budget', { budgetAmount: -5 }, 'input.budgetAmount'],
    ['an empty title', { title: '   ' }, 'input.title'],
  ])('refuses %s with BAD_USER_INPUT naming the field, and saves nothing', async (_label, change, field) => {
    const input: Record<string, unknown> = {
      programId: ids.program,
      ownerOpdId: ids.opd,
      title: 'Pendaftaran rawat inap',
      startDate: '2026-01-01',
      dueDate: '2026-06-30',
      ...change,
    };
    if (input.ownerOpdId === 'OTHER_OPD') input.ownerOpdId = ids.otherOpd;
    const before = await ok<any>(url, 'query ($id: ID!) { city(id: $id) { actionPlans { totalCount } } }', { id: ids.city }, admin);
    const r = await run('mutation ($input: CreateActionPlanInput!) { createActionPlan(input: $input) { id } }', { input });
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0]?.extensions?.field).toBe(field);
    expect(r.status).toBe(200);
    const after = await ok<any>(url, 'query ($id: ID!) { city(id: $id) { actionPlans { totalCount } } }', { id: ids.city }, admin);
    expect(after.city.actionPlans.totalCount).toBe(before.city.actionPlans.totalCount);
  });

  it('answers in English when asked, Indonesian by default', async () => {
    const input = { actionPlanId: ids.plan, percent: 120, narrative: 'x', expectedVersion: 1 };
    const q = 'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { id } }';
    const id = await gql(url, q, { input }, admin);
    const en = await gql(url, q, { input }, admin, { 'accept-language': 'en-US,en;q=0.9' });
    expect(id.errors?.[0]?.message).toBe('Persentase harus antara 0 dan 100.');
    expect(en.errors?.[0]?.message).toBe('Percent must be between 0 and 100.');
    expect(en.errors?.[0]?.extensions?.field).toBe('input.percent');
  });

  it('reports progress: appends a report, moves progress and version', async () => {
    const data = await ok<any>(
      url,
      `mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { id version progress lastReportedAt progressReports(first: 5) { totalCount edges { node { percent narrative obstacles evidenceUrls reporterName } } } } }`,
      {
        input: {
          actionPlanId: ids.plan,
          percent: 35,
          narrative: 'Aplikasi diuji di dua puskesmas',
          obstacles: 'Jaringan belum stabil',
          evidenceUrls: ['https://example.go.id/bukti/1'],
          expectedVersion: 1,
        },
      },
      admin,
    );
    expect(data.reportProgress).toMatchObject({ id: ids.plan, version: 2, progress: 35 });
    expect(data.reportProgress.progressReports.totalCount).toBe(1);
    expect(data.reportProgress.progressReports.edges[0].node).toEqual({
      percent: 35,
      narrative: 'Aplikasi diuji di dua puskesmas',
      obstacles: 'Jaringan belum stabil',
      evidenceUrls: ['https://example.go.id/bukti/1'],
      reporterName: 'Administrator',
    });
  });

  it('answers a stale expectedVersion with CONFLICT and keeps nothing of it', async () => {
    const r = await run('mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { id } }', {
      input: { actionPlanId: ids.plan, percent: 50, narrative: 'basi', expectedVersion: 1 },
    });
    expect(codeOf(r)).toBe('CONFLICT');
    expect(r.errors?.[0]?.extensions).toMatchObject({ expectedVersion: 1, actualVersion: 2 });
    const plan = await ok<any>(
      url,
      'query ($id: ID!) { actionPlan(id: $id) { version progress progressReports { totalCount } } }',
      { id: ids.plan },
      admin,
    );
    expect(plan.actionPlan).toEqual({ version: 2, progress: 35, progressReports: { totalCount: 1 } });
  });

  it('lets exactly one of two concurrent reports with the same version win; the loser writes nothing', async () => {
    for (let round = 0; round < 5; round++) {
      const current = await ok<any>(
        url,
        'query ($id: ID!) { actionPlan(id: $id) { version progressReports { totalCount } } }',
        { id: ids.plan },
        admin,
      );
      const v = current.actionPlan.version as number;
      const sendAt = (percent: number) =>
        run('mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { version progress } }', {
          input: { actionPlanId: ids.plan, percent, narrative: `laporan ${percent}`, expectedVersion: v },
        });
      const results = await Promise.all([sendAt(40 + round), sendAt(60 + round)]);
      const winners = results.filter((r) => !r.errors);
      const losers = results.filter((r) => r.errors);
      expect(winners).toHaveLength(1);
      expect(losers.map(codeOf)).toEqual(['CONFLICT']);
      const after = await ok<any>(
        url,
        'query ($id: ID!) { actionPlan(id: $id) { version progress progressReports(first: 1) { totalCount edges { node { percent } } } } }',
        { id: ids.plan },
        admin,
      );
      expect(after.actionPlan.version).toBe(v + 1);
      expect(after.actionPlan.progressReports.totalCount).toBe(current.actionPlan.progressReports.totalCount + 1);
      // The plan's progress is the winner's report, and the newest report is the winner's.
      expect(after.actionPlan.progress).toBe(winners[0]?.data?.reportProgress.progress);
      expect(after.actionPlan.progressReports.edges[0].node.percent).toBe(after.actionPlan.progress);
    }
  });

  it('updates with optimistic locking and archives', async () => {
    const plan = await ok<any>(url, 'query ($id: ID!) { actionPlan(id: $id) { version } }', { id: ids.plan }, admin);
    const v = plan.actionPlan.version;
    const updated = await ok<any>(
      url,
      'mutation ($input: UpdateActionPlanInput!) { updateActionPlan(input: $input) { title version dueDate } }',
      { input: { id: ids.plan, expectedVersion: v, title: 'E-puskesmas terpadu', dueDate: '2027-03-31' } },
      admin,
    );
    expect(updated.updateActionPlan).toEqual({ title: 'E-puskesmas terpadu', version: v + 1, dueDate: '2027-03-31' });
    const stale = await run('mutation ($input: UpdateActionPlanInput!) { updateActionPlan(input: $input) { title } }', {
      input: { id: ids.plan, expectedVersion: v, title: 'lama' },
    });
    expect(codeOf(stale)).toBe('CONFLICT');
    const archived = await ok<any>(
      url,
      'mutation ($input: VersionedInput!) { archiveActionPlan(input: $input) { archivedAt version } }',
      { input: { id: ids.plan, expectedVersion: v + 1 } },
      admin,
    );
    expect(archived.archiveActionPlan.archivedAt).toBeTruthy();
    const list = await ok<any>(
      url,
      'query ($id: ID!) { city(id: $id) { actionPlans { totalCount } all: actionPlans(filter: { includeArchived: true }) { totalCount } } }',
      { id: ids.city },
      admin,
    );
    expect(list.city.actionPlans.totalCount).toBe(0);
    expect(list.city.all.totalCount).toBe(1);
    const late = await run('mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { id } }', {
      input: { actionPlanId: ids.plan, percent: 90, narrative: 'x', expectedVersion: v + 2 },
    });
    expect(codeOf(late)).toBe('BAD_USER_INPUT');
  });

  it('refuses a quick win without a year and a masterplan ending before it starts', async () => {
    const qw = await run('mutation ($input: CreateProgramInput!) { createProgram(input: $input) { id } }', {
      input: { masterplanId: ids.masterplan, name: 'x', dimension: 'ECONOMY', quickWin: true },
    });
    expect(qw.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.quickWinYear' });
    const mp = await run('mutation ($input: CreateMasterplanInput!) { createMasterplan(input: $input) { id } }', {
      input: { cityId: ids.city, title: 'x', startYear: 2026, endYear: 2020 },
    });
    expect(mp.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.endYear' });
  });

  it('needs a login for everything but login, and refuses a forged token', async () => {
    const anon = await gql(url, '{ cities { id } }');
    expect(codeOf(anon)).toBe('UNAUTHENTICATED');
    const forged = await gql(url, '{ cities { id } }', {}, `${admin.slice(0, -4)}AAAA`);
    expect(forged.status).toBe(401);
    expect(codeOf(forged)).toBe('UNAUTHENTICATED');
    const wrong = await gql(url, 'mutation { login(input: { email: "root@pantau.test", password: "salah" }) { token } }');
    expect(codeOf(wrong)).toBe('UNAUTHENTICATED');
    const me = await ok<any>(url, '{ me { email role permissions } }', {}, admin);
    expect(me.me).toMatchObject({ email: 'root@pantau.test', role: 'PLATFORM_ADMIN' });
  });
});
