import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/db';
import { codeOf, gql, login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';

const OVERVIEW = `query ($id: ID!) {
  city(id: $id) {
    id name
    overview {
      progress today
      counts { total notStarted onTrack late done }
      dimensions { dimension label progress actionPlanCount }
      quickWins { id name year progress }
      opds { id name progress actionPlanCount }
      lateActionPlans { id title progress state dueDate ownerOpd { id name } }
      nextEvaluationVisit { startDate endDate evaluator }
      daysToNextEvaluation
    }
  }
}`;

describe.each(await testDialects())('the demo on %s', (dialect) => {
  let server: TestServer;
  let admin: string;
  let cities: { id: string; name: string }[];
  const cityId = (name: string) => cities.find((c) => c.name === name)?.id ?? '';

  beforeAll(async () => {
    server = await startServer({ dialect, demo: true });
    admin = await login(server.url, 'admin@pantau.demo');
    cities = (await ok<any>(server.url, '{ cities { id name } }', {}, admin)).cities;
  });
  afterAll(async () => server?.close());

  it('lists both cities for the platform admin', () => {
    expect(cities.map((c) => c.name)).toEqual(['Tanjungpinang', 'Tebingtinggi']);
  });

  it("shows Tanjungpinang's overview: six dimensions, the three 2019 quick wins, OPDs and late plans", async () => {
    const { city } = await ok<any>(server.url, OVERVIEW, { id: cityId('Tanjungpinang') }, admin);
    const o = city.overview;
    expect(o.dimensions.map((d: any) => d.dimension)).toEqual(['GOVERNANCE', 'BRANDING', 'ECONOMY', 'LIVING', 'SOCIETY', 'ENVIRONMENT']);
    expect(o.dimensions.map((d: any) => d.label)).toContain('Tata kelola birokrasi');
    expect(o.quickWins.filter((q: any) => q.year === 2019)).toHaveLength(3);
    expect(o.opds.length).toBeGreaterThanOrEqual(8);
    expect(o.opds.map((x: any) => x.name)).toEqual(
      expect.arrayContaining([expect.stringMatching(/Kesehatan/), expect.stringMatching(/Komunikasi dan Informatika/)]),
    );
    expect(o.lateActionPlans.length).toBeGreaterThan(0);
    for (const plan of o.lateActionPlans) expect(plan.state).toBe('LATE');
    expect(o.counts.total).toBeGreaterThanOrEqual(30);
    expect(o.counts.late).toBe(o.lateActionPlans.length);
    expect(o.counts.notStarted + o.counts.onTrack + o.counts.late + o.counts.done).toBe(o.counts.total);
    expect(o.progress).toBeGreaterThan(0);
    expect(o.progress).toBeLessThan(100);
    expect(o.nextEvaluationVisit).not.toBeNull();
    expect(o.daysToNextEvaluation).toBeGreaterThanOrEqual(0);
  });

  it('derives roll-ups from the plans: the city progress is the weighted mean of its plans', async () => {
    const id = cityId('Tebingtinggi');
    const all = await ok<any>(
      server.url,
      'query ($id: ID!) { city(id: $id) { overview { progress } actionPlans(first: 100) { edges { node { progress weight status } } } } }',
      { id },
      admin,
    );
    const plans = all.city.actionPlans.edges.map((e: any) => e.node).filter((p: any) => p.status !== 'CANCELLED');
    const weighted =
      plans.reduce((s: number, p: any) => s + p.progress * p.weight, 0) / plans.reduce((s: number, p: any) => s + p.weight, 0);
    expect(all.city.overview.progress).toBeCloseTo(Math.round(weighted * 10) / 10, 5);
  });

  it('pages action plans with cursors and filters them', async () => {
    const id = cityId('Tanjungpinang');
    const q =
      'query ($id: ID!, $after: String, $filter: ActionPlanFilter) { city(id: $id) { actionPlans(first: 7, after: $after, filter: $filter) { totalCount edges { cursor node { id dueDate state dimension ownerOpd { id } } } pageInfo { hasNextPage endCursor } } } }';
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (let i = 0; i < 20; i++) {
      const data: any = await ok<any>(server.url, q, { id, after }, admin);
      const conn: any = data.city.actionPlans;
      total = conn.totalCount;
      seen.push(...conn.edges.map((e: any) => e.node.id));
      const dates = conn.edges.map((e: any) => e.node.dueDate);
      expect([...dates].sort()).toEqual(dates);
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    const late = await ok<any>(server.url, q, { id, filter: { state: 'LATE' } }, admin);
    expect(late.city.actionPlans.totalCount).toBeGreaterThan(0);
    for (const e of late.city.actionPlans.edges) expect(e.node.state).toBe('LATE');
    const living = await ok<any>(server.url, q, { id, filter: { dimension: 'LIVING', quickWin: true, year: 2019 } }, admin);
    for (const e of living.city.actionPlans.edges) expect(e.node.dimension).toBe('LIVING');
    const tooMany = await gql(server.url, 'query ($id: ID!) { city(id: $id) { actionPlans(first: 101) { totalCount } } }', { id }, admin);
    expect(codeOf(tooMany)).toBe('BAD_USER_INPUT');
  });

  it('keeps a viewer in its own city, and another city is NOT_FOUND', async () => {
    const viewer = await login(server.url, 'viewer@tanjungpinang.demo');
    const mine = await ok<any>(server.url, '{ cities { name } }', {}, viewer);
    expect(mine.cities).toEqual([{ name: 'Tanjungpinang' }]);
    const other = await gql(server.url, 'query ($id: ID!) { city(id: $id) { name } }', { id: cityId('Tebingtinggi') }, viewer);
    expect(codeOf(other)).toBe('NOT_FOUND');
    expect(other.data).toBeNull();
    const tebing = await login(server.url, 'bappeda@tebingtinggi.demo');
    const plan = await ok<any>(
      server.url,
      'query ($id: ID!) { city(id: $id) { actionPlans(first: 1) { edges { node { id } } } } }',
      { id: cityId('Tanjungpinang') },
      admin,
    );
    const planId = plan.city.actionPlans.edges[0].node.id;
    const leak = await gql(server.url, 'query ($id: ID!) { actionPlan(id: $id) { title } }', { id: planId }, tebing);
    expect(codeOf(leak)).toBe('NOT_FOUND');
  });

  it('lets the Dinkes reporter report on its own plans only', async () => {
    const reporter = await login(server.url, 'dinkes@tanjungpinang.demo');
    const me = await ok<any>(server.url, '{ me { role opdId } }', {}, reporter);
    const id = cityId('Tanjungpinang');
    const plans = await ok<any>(
      server.url,
      'query ($id: ID!) { city(id: $id) { actionPlans(first: 100) { edges { node { id version state ownerOpd { id } } } } } }',
      { id },
      reporter,
    );
    const nodes = plans.city.actionPlans.edges.map((e: any) => e.node);
    const own = nodes.find((p: any) => p.ownerOpd.id === me.me.opdId && p.state !== 'DONE');
    const foreign = nodes.find((p: any) => p.ownerOpd.id !== me.me.opdId);
    const q = 'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { id version progress } }';
    const input = (p: any) => ({ actionPlanId: p.id, percent: 99, narrative: 'Uji coba layanan berjalan', expectedVersion: p.version });
    const okRes = await gql(server.url, q, { input: input(own) }, reporter);
    expect(okRes.errors).toBeUndefined();
    expect(okRes.data?.reportProgress).toMatchObject({ id: own.id, version: own.version + 1, progress: 99 });
    const denied = await gql(server.url, q, { input: input(foreign) }, reporter);
    expect(codeOf(denied)).toBe('FORBIDDEN');
    const viewer = await login(server.url, 'viewer@tanjungpinang.demo');
    expect(codeOf(await gql(server.url, q, { input: { ...input(own), expectedVersion: own.version + 1 } }, viewer))).toBe('FORBIDDEN');
  });

  it('serves the council, team, activities and evaluation visits of the programme', async () => {
    const { city } = await ok<any>(
      server.url,
      `query ($id: ID!) { city(id: $id) {
      councils { name members(first: 100) { totalCount edges { node { name category } } } }
      teams { name members { name role opd { abbreviation } } }
      activities(first: 50) { edges { node { kind title startDate endDate place phase } } }
      evaluationVisits { startDate endDate year }
      masterplans { startYear endYear vision programs { name quickWin quickWinYear } }
    } }`,
      { id: cityId('Tanjungpinang') },
      admin,
    );
    expect(city.councils[0].members.totalCount).toBeGreaterThan(10);
    expect(new Set(city.councils[0].members.edges.map((e: any) => e.node.category)).size).toBe(5);
    expect(city.teams[0].members[0].role).toBe('LEADER');
    const starts = city.activities.edges.map((e: any) => e.node.startDate);
    expect(starts).toEqual(expect.arrayContaining(['2019-09-09', '2022-09-16']));
    expect(city.evaluationVisits).toEqual(
      expect.arrayContaining([expect.objectContaining({ startDate: '2022-10-03', endDate: '2022-10-08', year: 2022 })]),
    );
  });
});
