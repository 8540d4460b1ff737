// Issue 11 §8: the national view — the cities a viewer may read side by side, the same figures as
// each city's overview, sortable by every column, and a fixed number of SQL statements whatever
// the number of cities. On both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sortRows, NationalSortKey, SortDirection, type NationalCityRow } from '../../server/modules/national/national';
import { testDialects } from '../helpers/db';
import { buildCity } from '../helpers/factories';
import { codeOf, gql, login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';

const NATIONAL = `query ($sort: NationalSort) { nationalOverview(sort: $sort) {
  cityId name province progress verifiedProgress actionPlanCount lateCount doneCount unverifiedCount daysToNextEvaluation nextEvaluationVisit { startDate }
  evaluationYear index indexScaleMax readinessGaps
} }`;

const COLUMN: Record<NationalSortKey, string> = {
  NAME: 'name',
  PROVINCE: 'province',
  PROGRESS: 'progress',
  VERIFIED_PROGRESS: 'verifiedProgress',
  LATE: 'lateCount',
  UNVERIFIED: 'unverifiedCount',
  DAYS_TO_VISIT: 'daysToNextEvaluation',
  INDEX: 'index',
  GAPS: 'readinessGaps',
};

describe('national sort (pure)', () => {
  const row = (name: string, progress: number, days: number | null): NationalCityRow =>
    ({
      cityId: name,
      name,
      province: 'P',
      progress,
      verifiedProgress: 0,
      actionPlanCount: 0,
      lateCount: 0,
      doneCount: 0,
      unverifiedCount: 0,
      daysToNextEvaluation: days,
      nextEvaluationVisit: null,
    }) as unknown as NationalCityRow;
  const rows = [row('Binjai', 50, null), row('Ambon', 50, 10), row('Cirebon', 70, 3)];
  it('sorts by a column either way, ties by name, cities without a visit last both ways', () => {
    expect(sortRows(rows, { by: NationalSortKey.PROGRESS, direction: SortDirection.ASC }).map((r) => r.name)).toEqual([
      'Ambon',
      'Binjai',
      'Cirebon',
    ]);
    expect(sortRows(rows, { by: NationalSortKey.PROGRESS, direction: SortDirection.DESC }).map((r) => r.name)).toEqual([
      'Cirebon',
      'Ambon',
      'Binjai',
    ]);
    expect(sortRows(rows, { by: NationalSortKey.DAYS_TO_VISIT, direction: SortDirection.ASC }).map((r) => r.name)).toEqual([
      'Cirebon',
      'Ambon',
      'Binjai',
    ]);
    expect(sortRows(rows, { by: NationalSortKey.DAYS_TO_VISIT, direction: SortDirection.DESC }).map((r) => r.name)).toEqual([
      'Ambon',
      'Cirebon',
      'Binjai',
    ]);
  });
});

describe.each(await testDialects())('national view on %s', (dialect) => {
  let server: TestServer;
  let admin: string;
  let tpiAdmin: string;
  let cities: { id: string; name: string }[];

  beforeAll(async () => {
    server = await startServer({ dialect, demo: true });
    admin = await login(server.url, 'admin@pantau.demo');
    tpiAdmin = await login(server.url, 'bappelitbang@tanjungpinang.demo');
    cities = (await ok<any>(server.url, '{ cities { id name } }', {}, admin)).cities;
  });
  afterAll(async () => server?.close());

  it("shows every city to a platform admin with each city's own overview figures", async () => {
    // An OPD's report waits for verification.
    const dinkes = await login(server.url, 'dinkes@tanjungpinang.demo');
    const { me } = await ok<any>(server.url, '{ me { cityId opdId } }', {}, dinkes);
    const { city: own } = await ok<any>(
      server.url,
      'query ($id: ID!, $opd: ID) { city(id: $id) { actionPlans(first: 1, filter: { opdId: $opd, state: ON_TRACK }) { edges { node { id version progress } } } } }',
      { id: me.cityId, opd: me.opdId },
      dinkes,
    );
    const plan = own.actionPlans.edges[0].node;
    await ok(
      server.url,
      'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { id } }',
      {
        input: {
          actionPlanId: plan.id,
          percent: Math.min(100, plan.progress + 1),
          narrative: 'Uji laporan',
          expectedVersion: plan.version,
        },
      },
      dinkes,
    );
    const { nationalOverview: rows } = await ok<any>(server.url, NATIONAL, {}, admin);
    expect(rows.map((r: any) => r.name)).toEqual(['Tanjungpinang', 'Tebingtinggi']);
    for (const r of rows) {
      const { city } = await ok<any>(
        server.url,
        `query ($id: ID!) { city(id: $id) {
        overview { progress counts { total late done } daysToNextEvaluation nextEvaluationVisit { startDate } }
        verified: overview(basis: VERIFIED) { progress }
        progressReports(status: SUBMITTED) { totalCount }
      } }`,
        { id: r.cityId },
        admin,
      );
      expect(r).toMatchObject({
        progress: city.overview.progress,
        verifiedProgress: city.verified.progress,
        actionPlanCount: city.overview.counts.total,
        lateCount: city.overview.counts.late,
        doneCount: city.overview.counts.done,
        unverifiedCount: city.progressReports.totalCount,
        daysToNextEvaluation: city.overview.daysToNextEvaluation,
        nextEvaluationVisit: city.overview.nextEvaluationVisit,
      });
      // The index and the gaps are the city's readiness for the year of its today.
      const { city: ready } = await ok<any>(
        server.url,
        'query ($id: ID!, $year: Int!) { city(id: $id) { readiness(year: $year) { frameworkId assessmentId index scaleMax gaps { total } } } }',
        { id: r.cityId, year: r.evaluationYear },
        admin,
      );
      expect(r).toMatchObject({
        index: ready.readiness.assessmentId ? ready.readiness.index : null,
        indexScaleMax: ready.readiness.frameworkId ? ready.readiness.scaleMax : null,
        readinessGaps: ready.readiness.gaps.total,
      });
      expect(r.lateCount).toBeGreaterThan(0);
      expect(r.daysToNextEvaluation).toBeGreaterThan(0);
    }
    expect(rows.find((r: any) => r.cityId === me.cityId).unverifiedCount).toBeGreaterThan(0);
  });

  it('sorts by every column, both ways', async () => {
    for (const by of Object.values(NationalSortKey)) {
      for (const direction of ['ASC', 'DESC']) {
        const rows = (await ok<any>(server.url, NATIONAL, { sort: { by, direction } }, admin)).nationalOverview;
        const values = rows.map((r: any) => r[COLUMN[by]]);
        // Nulls (no visit, no self-assessment) go last both ways.
        const sorted = values
          .filter((v: unknown) => v !== null)
          .sort((a: any, b: any) => (typeof a === 'number' ? a - b : String(a).localeCompare(String(b), 'id')));
        if (direction === 'DESC') sorted.reverse();
        sorted.push(...values.filter((v: unknown) => v === null));
        // Equal values keep name order, so compare the values only.
        expect(values, `${by} ${direction}`).toEqual(sorted);
      }
    }
    const r = await gql(server.url, NATIONAL, { sort: { by: 'SCORE', direction: 'ASC' } }, admin);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
  });

  it('an evaluator sees its assigned cities only, a city admin its one city; no token, nothing', async () => {
    const tpi = cities.find((c) => c.name === 'Tanjungpinang')!.id;
    const tebing = cities.find((c) => c.name === 'Tebingtinggi')!.id;
    await ok(
      server.url,
      'mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }',
      {
        input: {
          email: 'penilai@kominfo.test',
          name: 'Tim Penilai',
          password: 'penilai-password-1',
          role: 'EVALUATOR',
          evaluatorCityIds: [tebing],
        },
      },
      admin,
    );
    const evaluator = await login(server.url, 'penilai@kominfo.test', 'penilai-password-1');
    expect((await ok<any>(server.url, NATIONAL, {}, evaluator)).nationalOverview.map((r: any) => r.cityId)).toEqual([tebing]);
    expect((await ok<any>(server.url, NATIONAL, {}, tpiAdmin)).nationalOverview.map((r: any) => r.cityId)).toEqual([tpi]);
    expect(codeOf(await gql(server.url, NATIONAL, {}))).toBe('UNAUTHENTICATED');
    // Nested fields stay scoped: the row's city is the evaluator's.
    const nested = await ok<any>(server.url, '{ nationalOverview { city { id name overview { progress } } } }', {}, evaluator);
    expect(nested.nationalOverview).toEqual([{ city: expect.objectContaining({ id: tebing, name: 'Tebingtinggi' }) }]);
  });
});

describe.each(await testDialects())('national view statements on %s', (dialect) => {
  let server: TestServer;
  let token: string;
  let statements: string[] = [];
  const ADMIN = { PANTAU_ADMIN_EMAIL: 'root@pantau.test', PANTAU_ADMIN_PASSWORD: 'correct-horse-battery' };

  beforeAll(async () => {
    server = await startServer({ dialect, demo: false, env: ADMIN, onQuery: (sql) => statements.push(sql) });
    token = await login(server.url, ADMIN.PANTAU_ADMIN_EMAIL, ADMIN.PANTAU_ADMIN_PASSWORD);
  });
  afterAll(async () => server?.close());

  async function count(): Promise<{ count: number; rows: any[] }> {
    statements = [];
    const data = await ok<any>(
      server.url,
      `{ nationalOverview(sort: { by: PROGRESS, direction: DESC }) { name progress lateCount unverifiedCount daysToNextEvaluation city { name overview { progress } } } }`,
      {},
      token,
    );
    return { count: statements.length, rows: data.nationalOverview };
  }

  it('costs the same statements for 2 cities as for 10 (batched, not one overview per city)', async () => {
    for (let i = 0; i < 2; i++) await buildCity(server.orm.em.fork(), { name: `Kota ${i}`, plans: 30, opds: 4 });
    await count();
    const two = await count();
    for (let i = 2; i < 10; i++) await buildCity(server.orm.em.fork(), { name: `Kota ${i}`, plans: 30, opds: 4 });
    const ten = await count();
    expect(two.rows).toHaveLength(2);
    expect(ten.rows).toHaveLength(10);
    // The nested overview is the one the batch computed.
    for (const r of ten.rows) expect(r.city.overview.progress).toBe(r.progress);
    expect(ten.count).toBe(two.count);
    // Principal, cities, then sequences, plans, programs, OPDs, visits, verified and unverified reports.
    expect(ten.count).toBeLessThanOrEqual(10);
    console.log(`[national view on ${dialect}] ${two.count} SQL statements for 2 cities, ${ten.count} for 10`);
  });
});
