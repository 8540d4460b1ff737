// The early warning (issue 24): `ActionPlan.forecast`, `City.atRiskActionPlans` and the `forecast`
// filter, checked against forecasts worked out by hand, on SQLite and PostgreSQL.
import type { EntityManager } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionPlan, ActionPlanStatus } from '../../server/modules/action-plans/action-plan.entity';
import { City } from '../../server/modules/cities/city.entity';
import { Dimension } from '../../server/modules/masterplan/dimension';
import { Masterplan, Program } from '../../server/modules/masterplan/masterplan.entity';
import { Opd } from '../../server/modules/opds/opd.entity';
import { ProgressReport, ReportStatus } from '../../server/modules/progress/progress-report.entity';
import { testDialects } from '../helpers/db';
import { buildCity } from '../helpers/factories';
import { codeOf, gql, login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';

const ADMIN = { PANTAU_ADMIN_EMAIL: 'root@pantau.test', PANTAU_ADMIN_PASSWORD: 'correct-horse-battery' };
/** The server's clock: 15 June 2026, 12:00 WIB. The city's today is 2026-06-15; the window starts on 2026-03-17. */
const NOW = new Date('2026-06-15T05:00:00Z');

/** An instant written in WIB (UTC+7), e.g. `wib('2026-02-10 10:00')`. */
const wib = (local: string) => new Date(`${local.replace(' ', 'T')}:00+07:00`);

const FORECAST =
  'forecast { verdict expectedCompletion daysLate basis { reports windowStart reportCount fromDate fromPercent toDate toPercent pacePerMonth } }';

/**
 * A city in WIB whose plans all start on 2026-01-01 (due 2026-12-31 unless noted). Reports at 10:00
 * WIB unless noted; `R` returned, `V` verified, otherwise submitted.
 * - A (due 15 Oct): 10 % a month: 10 (15 Mar), 20 (15 Apr), 30 (15 May), 40 (15 Jun, 09:00).
 * - B: one report, 30 (1 Jun).
 * - C: done, 50 (1 Apr), 100 (1 Jun).        D: archived, 20 (1 Apr), 40 (1 May).
 * - E: cancelled, 20 (1 Apr), 30 (1 May).     F: 40 (1 Apr 00:30, still 31 Mar in UTC), 70 (1 Jun).
 * - G: 20 V (15 Apr), 30 V (15 May), 35 (12 Jun), 80 R (14 Jun): its progress is 80.
 * - H: stalled, 50 (1 Apr), 50 (1 Jun).       I: 10 (5 Jun), 30 (12 Jun): a week apart.
 * - J (due 1 Jun, so LATE): 50 (1 Apr), 60 (20 May).   K: no report.
 * - L: 10 (10 Jan), 40 (16 Mar 23:00, outside), 50 (17 Mar 00:30, inside), 60 (1 Jun).
 * - N (due 30 Nov): going down, 60 (1 Apr), 45 (1 Jun).
 * - P: 40 (20 Mar), 90 (20 Apr): at that pace it would have been done in April.
 * - Q (due 28 Oct, 300 days after its start): on its straight line, 30 (1 Apr, day 90), 50 (31 May, day 150).
 */
async function buildForecastCity(em: EntityManager, name: string): Promise<{ city: City; plans: Record<string, ActionPlan> }> {
  const city = new City(name, 'Kepulauan Riau');
  const opd = new Opd(city, 'Dinas Komunikasi dan Informatika', 'Diskominfo');
  const masterplan = new Masterplan(city, 'Masterplan Smart City 2026–2030', 2026, 2030);
  const program = new Program(masterplan, 'Tata kelola digital', Dimension.GOVERNANCE);
  const rows: object[] = [city, opd, masterplan, program];
  const plans: Record<string, ActionPlan> = {};
  const plan = (title: string, reports: [number, string, ('R' | 'V')?][], due = '2026-12-31') => {
    const p = new ActionPlan(program, opd, title, '2026-01-01', due);
    p.createdAt = wib('2026-01-01 08:00');
    rows.push(p);
    for (const [percent, when, status] of reports) {
      const at = wib(when.includes(':') ? when : `${when} 10:00`);
      const r = new ProgressReport(p, percent, `Laporan ${title} ${percent} %`);
      r.reportedAt = at;
      r.createdAt = at;
      if (status === 'V') {
        r.status = ReportStatus.VERIFIED;
        r.reviewedAt = at;
      } else if (status === 'R') {
        r.status = ReportStatus.RETURNED;
        r.reviewComment = 'Bukti belum ada';
        r.reviewedAt = at;
      }
      // The plan's cached progress is its latest report's, as reportProgress leaves it.
      p.progress = percent;
      p.lastReportedAt = at;
      rows.push(r);
    }
    plans[title] = p;
    return p;
  };
  plan(
    'A',
    [
      [10, '2026-03-15'],
      [20, '2026-04-15'],
      [30, '2026-05-15'],
      [40, '2026-06-15 09:00'],
    ],
    '2026-10-15',
  );
  plan('B', [[30, '2026-06-01']]);
  plan('C', [
    [50, '2026-04-01'],
    [100, '2026-06-01'],
  ]);
  plan('D', [
    [20, '2026-04-01'],
    [40, '2026-05-01'],
  ]).archivedAt = wib('2026-05-20 10:00');
  plan('E', [
    [20, '2026-04-01'],
    [30, '2026-05-01'],
  ]).status = ActionPlanStatus.CANCELLED;
  plan('F', [
    [40, '2026-04-01 00:30'],
    [70, '2026-06-01'],
  ]);
  plan('G', [
    [20, '2026-04-15', 'V'],
    [30, '2026-05-15', 'V'],
    [35, '2026-06-12'],
    [80, '2026-06-14', 'R'],
  ]);
  plan('H', [
    [50, '2026-04-01'],
    [50, '2026-06-01'],
  ]);
  plan('I', [
    [10, '2026-06-05'],
    [30, '2026-06-12'],
  ]);
  plan(
    'J',
    [
      [50, '2026-04-01'],
      [60, '2026-05-20'],
    ],
    '2026-06-01',
  );
  plan('K', []);
  plan('L', [
    [10, '2026-01-10'],
    [40, '2026-03-16 23:00'],
    [50, '2026-03-17 00:30'],
    [60, '2026-06-01'],
  ]);
  plan(
    'N',
    [
      [60, '2026-04-01'],
      [45, '2026-06-01'],
    ],
    '2026-11-30',
  );
  plan('P', [
    [40, '2026-03-20'],
    [90, '2026-04-20'],
  ]);
  plan(
    'Q',
    [
      [30, '2026-04-01'],
      [50, '2026-05-31'],
    ],
    '2026-10-28',
  );
  em.persist(rows);
  await em.flush();
  return { city, plans };
}

const PLANS = `query ($id: ID!, $basis: ProgressBasis!) {
  city(id: $id) {
    actionPlans(first: 100, filter: { includeArchived: true }) { edges { node { title state progress ${FORECAST} verified: forecast(basis: $basis) { verdict expectedCompletion daysLate basis { reports reportCount toPercent } } } } }
  }
}`;

/** Answers given from the answer cache so far, from /metrics. */
async function cacheHits(url = ''): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/pantau_answer_cache_requests_total\{result="hit"\} (\d+)/.exec(text)?.[1] ?? 0);
}

describe.each(await testDialects())('action plan forecasts on %s', (dialect) => {
  let server: TestServer;
  let token: string;
  let city: City;
  let plans: Record<string, ActionPlan>;
  let statements: string[] | null = null;

  beforeAll(async () => {
    server = await startServer({ dialect, demo: false, env: ADMIN, clock: () => NOW, onQuery: (sql) => statements?.push(sql) });
    token = await login(server.url, ADMIN.PANTAU_ADMIN_EMAIL, ADMIN.PANTAU_ADMIN_PASSWORD);
    ({ city, plans } = await buildForecastCity(server.orm.em.fork(), 'Kota Ramalan'));
    // Another city with the same history: nothing of it may leak into the first.
    await buildForecastCity(server.orm.em.fork(), 'Kota Lain');
  });
  afterAll(async () => server?.close());

  async function forecasts(basis = 'VERIFIED'): Promise<Record<string, any>> {
    const data = await ok<any>(server.url, PLANS, { id: city.id, basis }, token);
    return Object.fromEntries(data.city.actionPlans.edges.map((e: any) => [e.node.title, e.node]));
  }

  it('10 % a month with four months left and 60 % to go: at risk by about two months', async () => {
    const { A } = await forecasts();
    // In the window (from 17 March): 20 % on 15 Apr to 40 % on 15 Jun, 61 days; the 10 % of 15 March is outside.
    // 60 points to go at 20/61 a day: 60 × 61 / 20 = 183 days after 15 June = 15 December; due 15 October: 61 days late.
    expect(A.state).toBe('ON_TRACK');
    expect(A.forecast).toEqual({
      verdict: 'AT_RISK',
      expectedCompletion: '2026-12-15',
      daysLate: 61,
      basis: {
        reports: 'ALL',
        windowStart: '2026-03-17',
        reportCount: 3,
        fromDate: '2026-04-15',
        fromPercent: 20,
        toDate: '2026-06-15',
        toPercent: 40,
        pacePerMonth: 9.8, // 20 × 30 / 61
      },
    });
  });

  it('one report, none, or two a week apart: no pace; archived, cancelled or done: no forecast', async () => {
    const f = await forecasts();
    expect(f.B.forecast).toMatchObject({ verdict: 'NO_PACE', expectedCompletion: null, daysLate: null });
    expect(f.B.forecast.basis).toMatchObject({
      reportCount: 1,
      fromDate: '2026-06-01',
      toDate: '2026-06-01',
      toPercent: 30,
      pacePerMonth: null,
    });
    expect(f.K.forecast).toMatchObject({ verdict: 'NO_PACE', expectedCompletion: null, daysLate: null });
    expect(f.K.forecast.basis).toMatchObject({ reportCount: 0, fromDate: null, toDate: null, toPercent: null, pacePerMonth: null });
    expect(f.I.forecast).toMatchObject({ verdict: 'NO_PACE', basis: { reportCount: 2, fromDate: '2026-06-05', toDate: '2026-06-12' } });
    expect(f.C).toMatchObject({ state: 'DONE', forecast: null, verified: null });
    expect(f.D).toMatchObject({ progress: 40, forecast: null, verified: null });
    expect(f.E).toMatchObject({ progress: 30, forecast: null, verified: null });
  });

  it("on track, from the latest report on but not before today; dates in the city's time zone; a plan that does not move or goes down is at risk with no date", async () => {
    const f = await forecasts();
    // F: 40 % on 1 April at 00:30 WIB (31 March in UTC) to 70 % on 1 June: 61 days, 30 points.
    // 30 × 61 / 30 = 61 days after the latest report = 1 August, before 31 December.
    expect(f.F.forecast).toMatchObject({ verdict: 'ON_TRACK', expectedCompletion: '2026-08-01', daysLate: 0 });
    expect(f.F.forecast.basis).toMatchObject({ fromDate: '2026-04-01', pacePerMonth: 14.8 });
    expect(f.H.forecast).toMatchObject({ verdict: 'AT_RISK', expectedCompletion: null, daysLate: null, basis: { pacePerMonth: 0 } });
    expect(f.N.forecast).toMatchObject({ verdict: 'AT_RISK', expectedCompletion: null, daysLate: null, basis: { pacePerMonth: -7.4 } });
    // Q, exactly on its straight line: 50 to go at 20 points per 60 days = 150 days after 31 May = its due date.
    expect(f.Q.forecast).toMatchObject({ verdict: 'ON_TRACK', expectedCompletion: '2026-10-28', daysLate: 0 });
    // P: 10 to go at 50 points per 31 days, 7 days after 20 April, is past: not before today.
    expect(f.P.forecast).toMatchObject({ verdict: 'ON_TRACK', expectedCompletion: '2026-06-15', daysLate: 0 });
    // L: the report at 23:00 WIB on 16 March is outside the window, the one at 00:30 on 17 March inside:
    // 50 % to 60 % over 76 days, 40 to go: 40 × 76 / 10 = 304 days after 1 June = 1 April 2027, 91 days after 31 December.
    expect(f.L.forecast).toMatchObject({ verdict: 'AT_RISK', expectedCompletion: '2027-04-01', daysLate: 91 });
    expect(f.L.forecast.basis).toMatchObject({ reportCount: 2, fromDate: '2026-03-17', fromPercent: 50 });
    // J is late already (due 1 June): 40 × 49 / 10 = 196 days after 20 May = 2 December, 184 days late.
    expect(f.J).toMatchObject({ state: 'LATE', forecast: { verdict: 'AT_RISK', expectedCompletion: '2026-12-02', daysLate: 184 } });
  });

  it('leaves returned reports out, and with basis VERIFIED counts verified reports only', async () => {
    const { G } = await forecasts();
    // ALL: 20 (15 Apr) to 35 (12 Jun), 58 days; the returned 80 % does not count, though it is the plan's progress.
    // 65 × 58 / 15 = 251.3 → 252 days after 12 June = 19 February 2027, 50 days after 31 December.
    expect(G.progress).toBe(80);
    expect(G.forecast).toMatchObject({ verdict: 'AT_RISK', expectedCompletion: '2027-02-19', daysLate: 50 });
    expect(G.forecast.basis).toMatchObject({ reportCount: 3, toDate: '2026-06-12', toPercent: 35, pacePerMonth: 7.8 });
    // VERIFIED: 20 (15 Apr) to 30 (15 May), 30 days: 70 × 30 / 10 = 210 days after 15 May = 11 December: on track.
    expect(G.verified).toEqual({
      verdict: 'ON_TRACK',
      expectedCompletion: '2026-12-11',
      daysLate: 0,
      basis: { reports: 'VERIFIED', reportCount: 2, toPercent: 30 },
    });
    const all = await forecasts('ALL');
    expect(all.G.verified).toEqual({ ...G.forecast, basis: { reports: 'ALL', reportCount: 3, toPercent: 35 } });
  });

  it('atRiskActionPlans: not late yet, those that do not move first, then the most days late, paged', async () => {
    const query = `query ($id: ID!, $after: String) { city(id: $id) { atRiskActionPlans(first: 2, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { title forecast { daysLate } } } } } }`;
    const titles: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 3; page++) {
      const data: any = await ok<any>(server.url, query, { id: city.id, after }, token);
      const list = data.city.atRiskActionPlans;
      expect(list.totalCount).toBe(5);
      titles.push(...list.edges.map((e: any) => e.node.title));
      expect(list.pageInfo.hasNextPage).toBe(page < 2);
      after = list.pageInfo.endCursor;
    }
    // N and H do not move (N is due first); then L 91, A 61, G 50. J is late already: not here.
    expect(titles).toEqual(['N', 'H', 'L', 'A', 'G']);
  });

  it('the forecast filter of actionPlans, alone and with state', async () => {
    const query = `query ($id: ID!) { city(id: $id) {
      risk: actionPlans(first: 100, filter: { forecast: AT_RISK }) { totalCount edges { node { title } } }
      early: actionPlans(first: 100, filter: { forecast: AT_RISK, state: ON_TRACK }) { totalCount edges { node { title } } }
      noPace: actionPlans(first: 100, filter: { forecast: NO_PACE }) { edges { node { title } } }
      onTrack: actionPlans(first: 100, filter: { forecast: ON_TRACK, includeArchived: true }) { edges { node { title } } }
    } }`;
    const { city: c } = await ok<any>(server.url, query, { id: city.id }, token);
    const titles = (list: any) => list.edges.map((e: any) => e.node.title).sort();
    expect(titles(c.risk)).toEqual(['A', 'G', 'H', 'J', 'L', 'N']);
    expect(titles(c.early)).toEqual(['A', 'G', 'H', 'L', 'N']);
    expect(titles(c.noPace)).toEqual(['B', 'I', 'K']);
    expect(titles(c.onTrack)).toEqual(['F', 'P', 'Q']);
  });

  it('moves when the city team verifies a report; the kept answer is not served after it', async () => {
    const query = `query ($id: ID!) { city(id: $id) { atRiskActionPlans(first: 10, basis: VERIFIED) { edges { node { title forecast(basis: VERIFIED) { expectedCompletion daysLate } } } } } }`;
    const read = async () =>
      (await ok<any>(server.url, query, { id: city.id }, token)).city.atRiskActionPlans.edges.map((e: any) => e.node);
    const before = await read();
    const hits = await cacheHits(server.url);
    expect(await read()).toEqual(before);
    // The second answer was the kept one: the forecast reads only the city's own rows and its today.
    expect(await cacheHits(server.url)).toBe(hits + 1);
    // Only G has verified reports, and on them it is on track (11 December).
    expect(before).toEqual([]);
    const { actionPlan } = await ok<any>(
      server.url,
      'query ($id: ID!) { actionPlan(id: $id) { progressReports(status: SUBMITTED) { edges { node { id version percent } } } } }',
      { id: plans.G!.id },
      token,
    );
    const submitted = actionPlan.progressReports.edges[0].node;
    expect(submitted.percent).toBe(35);
    await ok(
      server.url,
      'mutation ($input: ReviewProgressReportInput!) { verifyProgressReport(input: $input) { status } }',
      { input: { id: submitted.id, expectedVersion: submitted.version } },
      token,
    );
    // Now the verified reports run to 35 % on 12 June, as ALL did: 19 February 2027, 50 days late.
    expect(await read()).toEqual([{ title: 'G', forecast: { expectedCompletion: '2027-02-19', daysLate: 50 } }]);
  });

  it('refuses what it should: no login, a bad basis, a bad cursor', async () => {
    const query = 'query ($id: ID!, $after: String) { city(id: $id) { atRiskActionPlans(after: $after) { totalCount } } }';
    expect(codeOf(await gql(server.url, query, { id: city.id }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await gql(server.url, query, { id: city.id, after: 'nonsense' }, token))).toBe('BAD_USER_INPUT');
    const bad = await gql(server.url, '{ cities { atRiskActionPlans(basis: SOME) { totalCount } } }', {}, token);
    expect(codeOf(bad)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('costs one SQL statement per basis whatever the number of plans', async () => {
    const plain = `query ($id: ID!) { city(id: $id) { actionPlans(first: 100) { edges { node { id state } } } } }`;
    const withForecast = `query ($id: ID!) { city(id: $id) {
      actionPlans(first: 100) { edges { node { id state ${FORECAST} } } }
      atRiskActionPlans(first: 100) { totalCount edges { node { id forecast { daysLate } } } }
      risk: actionPlans(filter: { forecast: AT_RISK }) { totalCount }
    } }`;
    const withBoth = withForecast.replace(
      'totalCount }\n    } }',
      'totalCount }\n      verified: atRiskActionPlans(basis: VERIFIED) { totalCount }\n    } }',
    );
    const count = async (query: string, id: string) => {
      statements = [];
      await ok(server.url, query, { id }, token);
      const n = statements.length;
      statements = null;
      return n;
    };
    await ok(server.url, '{ me { id } }', {}, token);
    const extra: number[] = [];
    for (const plans of [5, 200]) {
      const built = await buildCity(server.orm.em.fork(), { name: `Kota ${plans}`, plans, opds: 4, today: '2026-06-15' });
      const base = await count(plain, built.city.id);
      extra.push((await count(withForecast, built.city.id)) - base, (await count(withBoth, built.city.id)) - base);
    }
    expect(extra).toEqual([1, 2, 1, 2]);
  });
});
