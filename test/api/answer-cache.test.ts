import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SNAPSHOT_QUERY } from '../../dashboard/src/api/queries';
import { testDialects, type TestDatabase } from '../helpers/db';
import { demoCity, type DemoCity } from '../helpers/demo-city';
import { codeOf, gql, login, ok } from '../helpers/gql';
import { startServer, type TestServer, templateDatabase } from '../helpers/server';

/*
 * Whole answers of a city's dashboard queries are kept until the city changes (server/http/answer-cache.ts).
 * What is checked here is what a user would see: the same answer while nothing changed, the change
 * at once after a write (on this instance or another), a new day's states, one viewer's answer never
 * given to another, and queries that read more than the city's own rows never kept.
 */

const DASHBOARD = `query ($id: ID!) { city(id: $id) {
  overview { seq today progress counts { total late } dimensions { dimension label progress } opds { id name progress } lateActionPlans { id title ownerOpd { name } } }
  actionPlans(first: 100) { totalCount edges { node { id title version progress state ownerOpd { id name } } } }
} }`;

/** Hits and misses of the answer cache, from /metrics. */
async function cacheCounts(url: string): Promise<{ hit: number; miss: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const read = (result: string) =>
    Number(new RegExp(`pantau_answer_cache_requests_total\\{result="${result}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  return { hit: read('hit'), miss: read('miss') };
}

describe.each(await testDialects())('the answer cache on %s', (dialect) => {
  let server: TestServer;
  let city: DemoCity;
  let now = new Date('2026-07-01T05:00:00.000Z');

  beforeAll(async () => {
    server = await startServer({ dialect, clock: () => now });
    city = await demoCity(server.url);
  });
  afterAll(async () => server?.close());

  const dashboard = (token = city.admin, headers: Record<string, string> = {}) =>
    gql<any>(server.url, DASHBOARD, { id: city.cityId }, token, headers);

  it('answers the same query from the cache while nothing changed, and executes it again after a write', async () => {
    const first = await dashboard();
    const before = await cacheCounts(server.url);
    const second = await dashboard();
    const third = await dashboard();
    const after = await cacheCounts(server.url);
    expect(second.data).toEqual(first.data);
    expect(third.data).toEqual(first.data);
    expect(after.hit - before.hit).toBe(2);
    expect(after.miss).toBe(before.miss);

    const plan = city.plans[0]!;
    await city.report(plan, 71.5);
    const changed = await dashboard();
    expect(changed.data.city.overview.seq).toBe(first.data.city.overview.seq + 2);
    const node = changed.data.city.actionPlans.edges.find((e: any) => e.node.id === plan.id).node;
    expect(node).toMatchObject({ progress: 71.5, version: plan.version });
    expect((await cacheCounts(server.url)).miss).toBe(after.miss + 1);
  });

  it("keeps the kiosk's own snapshot (its agenda and report feed too), and its feed shows a new report at once", async () => {
    const snapshot = () => gql<any>(server.url, SNAPSHOT_QUERY, { id: city.cityId }, city.admin);
    const first = await snapshot();
    expect(first.errors).toBeUndefined();
    const before = await cacheCounts(server.url);
    expect((await snapshot()).data).toEqual(first.data);
    expect(await cacheCounts(server.url)).toEqual({ hit: before.hit + 1, miss: before.miss });
    const plan = city.plans[1]!;
    await city.report(plan, 42.5);
    const changed = await snapshot();
    expect(changed.data.city.reports.edges[0].node).toMatchObject({ actionPlanId: plan.id, percent: 42.5 });
  });

  it('computes a new day afresh: late states and the day are those of today', async () => {
    const today = (await dashboard()).data.city.overview.today;
    now = new Date(now.getTime() + 24 * 3_600_000);
    const next = await dashboard();
    expect(next.data.city.overview.today).not.toBe(today);
    expect(next.data.city.overview.today > today).toBe(true);
  });

  it("never gives one viewer's answer to another, nor to another city's user", async () => {
    const mine = await dashboard();
    const reporter = await login(server.url, 'dinkes@tanjungpinang.demo');
    const before = await cacheCounts(server.url);
    const theirs = await dashboard(reporter);
    expect(theirs.data).toEqual(mine.data);
    // The reporter's first answer was executed for the reporter, not taken from the admin's.
    expect((await cacheCounts(server.url)).miss).toBe(before.miss + 1);
    const stranger = await login(server.url, 'bappeda@tebingtinggi.demo');
    for (let i = 0; i < 2; i++) expect(codeOf(await dashboard(stranger))).toBe('NOT_FOUND');
    expect(codeOf(await dashboard(''))).toBe('UNAUTHENTICATED');
  });

  it('keeps one answer per language', async () => {
    const id = await dashboard(city.admin, { 'accept-language': 'id' });
    const en = await dashboard(city.admin, { 'accept-language': 'en' });
    const label = (r: any) => r.data.city.overview.dimensions.map((d: any) => d.label).join();
    expect(label(en)).not.toBe(label(id));
    expect(label(await dashboard(city.admin, { 'accept-language': 'en' }))).toBe(label(en));
  });

  it('never keeps a query that reads more than the city’s own rows', async () => {
    const names = `query ($id: ID!) { city(id: $id) { actionPlans(first: 5) { edges { node { id progressReports(first: 1) { edges { node { reporterName } } } } } } } }`;
    const me = `query ($id: ID!) { me { email } city(id: $id) { name } }`;
    const before = await cacheCounts(server.url);
    for (let i = 0; i < 2; i++) {
      await ok(server.url, names, { id: city.cityId }, city.admin);
      await ok(server.url, me, { id: city.cityId }, city.admin);
    }
    expect(await cacheCounts(server.url)).toEqual(before);
  });
});

describe.skipIf(!(await testDialects()).includes('postgres'))('the answer cache across instances', () => {
  let db: TestDatabase;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    db = await templateDatabase('postgres');
    a = await startServer({ dialect: 'postgres', database: db });
    b = await startServer({ dialect: 'postgres', database: db });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await db?.drop();
  });

  it('shows a write made on another instance at once', async () => {
    const city = await demoCity(a.url);
    const read = async () => (await ok<any>(a.url, DASHBOARD, { id: city.cityId }, city.admin)).city;
    const first = await read();
    expect((await read()).overview.seq).toBe(first.overview.seq);
    // The same city's report, through the second instance.
    const onB = await demoCity(b.url);
    const plan = onB.plans[0]!;
    await onB.report(plan, 12.25);
    const after = await read();
    expect(after.overview.seq).toBe(first.overview.seq + 2);
    expect(after.actionPlans.edges.find((e: any) => e.node.id === plan.id).node.progress).toBe(12.25);
  });
});

describe('the answer cache’s bounds', () => {
  let server: TestServer;
  let city: DemoCity;

  beforeAll(async () => {
    server = await startServer({ answers: { maxEntries: 2 } });
    city = await demoCity(server.url);
  });
  afterAll(async () => server?.close());

  it('keeps at most its number of answers, dropping the least recently used', async () => {
    const query = 'query ($id: ID!, $n: Int) { city(id: $id) { actionPlans(first: $n) { totalCount edges { node { id } } } } }';
    const ask = async (n: number) => {
      const before = await cacheCounts(server.url);
      const data = await ok<any>(server.url, query, { id: city.cityId, n }, city.admin);
      expect(data.city.actionPlans.edges).toHaveLength(n);
      const after = await cacheCounts(server.url);
      return after.hit > before.hit ? 'hit' : 'miss';
    };
    expect([await ask(1), await ask(2), await ask(1), await ask(3)]).toEqual(['miss', 'miss', 'hit', 'miss']);
    // 2 was the least recently used when 3 came: it went, 1 and 3 stayed.
    expect([await ask(1), await ask(3), await ask(2)]).toEqual(['hit', 'hit', 'miss']);
  });
});
