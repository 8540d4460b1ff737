import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/db';
import { buildCity } from '../helpers/factories';
import { login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { addDays, todayIn } from '../../server/util/dates';

const ADMIN = { PANTAU_ADMIN_EMAIL: 'root@pantau.test', PANTAU_ADMIN_PASSWORD: 'correct-horse-battery' };

const DASHBOARD_QUERY = `query ($id: ID!) {
  city(id: $id) {
    name
    overview {
      progress
      counts { total late done }
      dimensions { dimension progress }
      quickWins { name year progress }
      opds { id name progress }
      lateActionPlans { id title state progress ownerOpd { id name } }
      nextEvaluationVisit { startDate }
    }
    actionPlans(first: 100) {
      totalCount
      edges { cursor node { id title version progress state ownerOpd { id name } supportingOpds { id } program { name } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

describe.each(await testDialects())('SQL statements per dashboard query on %s', (dialect) => {
  let server: TestServer;
  let token: string;
  let statements: string[] = [];

  beforeAll(async () => {
    server = await startServer({ dialect, demo: false, env: ADMIN, onQuery: (sql) => statements.push(sql) });
    token = await login(server.url, ADMIN.PANTAU_ADMIN_EMAIL, ADMIN.PANTAU_ADMIN_PASSWORD);
  });
  afterAll(async () => server?.close());

  async function countFor(plans: number, opds: number): Promise<{ count: number; data: any }> {
    const built = await buildCity(server.orm.em.fork(), { name: `Kota ${plans}`, plans, opds });
    statements = [];
    const data = await ok<any>(server.url, DASHBOARD_QUERY, { id: built.city.id }, token);
    return { count: statements.length, data };
  }

  it('is the same at 5 plans / 3 OPDs and at 200 plans / 40 OPDs', async () => {
    const small = await countFor(5, 3);
    const large = await countFor(200, 40);
    expect(small.data.city.overview.opds).toHaveLength(3);
    expect(large.data.city.overview.opds).toHaveLength(40);
    expect(large.data.city.actionPlans.totalCount).toBe(200);
    expect(large.data.city.actionPlans.edges).toHaveLength(100);
    expect(large.data.city.overview.lateActionPlans.length).toBeGreaterThan(0);
    expect(large.count).toBe(small.count);
    // A fixed, small number: principal, city, overview (4), plan list (1), OPDs/supporters/programs batched.
    expect(large.count).toBeLessThanOrEqual(12);
  });

  it('is the same for progressHistory at 5 points and at 300 (plans and reports are read once)', async () => {
    const built = await buildCity(server.orm.em.fork(), { name: 'Kota Riwayat', plans: 60, opds: 5 });
    const query = `query ($id: ID!, $from: String!, $to: String!) {
      city(id: $id) { overview { progress } progressHistory(from: $from, to: $to, interval: DAY) { points city dimensions { values } } }
    }`;
    const to = todayIn('Asia/Jakarta');
    const run = async (points: number) => {
      statements = [];
      const data = await ok<any>(server.url, query, { id: built.city.id, from: addDays(to, 1 - points), to }, token);
      return { count: statements.length, history: data.city.progressHistory, progress: data.city.overview.progress };
    };
    // Warm up (the principal's first lookups), then count.
    await run(5);
    const small = await run(5);
    const large = await run(300);
    expect(small.history.points).toHaveLength(5);
    expect(large.history.points).toHaveLength(300);
    expect(large.history.dimensions[0].values).toHaveLength(300);
    // Every plan of buildCity has one report, made now: today's value is the overview's.
    expect(large.history.city.at(-1)).toBe(large.progress);
    expect(large.progress).toBeGreaterThan(0);
    const historyOnly = small.count - (await countOverviewOnly());
    expect(large.count).toBe(small.count);
    // The history itself: one statement for the plans, one for the reports.
    expect(historyOnly).toBe(2);

    async function countOverviewOnly(): Promise<number> {
      statements = [];
      // With `me` (no statement of its own): like the history query, a query the answer cache does not
      // keep, so neither reads the city's state for it.
      await ok<any>(server.url, 'query ($id: ID!) { me { email } city(id: $id) { overview { progress } } }', { id: built.city.id }, token);
      return statements.length;
    }
  });
});
