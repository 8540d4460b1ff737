import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionPlan, ActionPlanStatus } from '../../server/modules/action-plans/action-plan.entity';
import { City } from '../../server/modules/cities/city.entity';
import { Dimension } from '../../server/modules/masterplan/dimension';
import { Masterplan, Program } from '../../server/modules/masterplan/masterplan.entity';
import { Opd } from '../../server/modules/opds/opd.entity';
import { ProgressReport, ReportStatus } from '../../server/modules/progress/progress-report.entity';
import { testDialects } from '../helpers/db';
import { codeOf, gql, login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';

const ADMIN = { PANTAU_ADMIN_EMAIL: 'root@pantau.test', PANTAU_ADMIN_PASSWORD: 'correct-horse-battery' };
/** The server's clock: 15 June 2026, 12:00 WIB — the city's today is 2026-06-15. */
const NOW = new Date('2026-06-15T05:00:00Z');

/** An instant written in WIB (UTC+7), e.g. `wib('2026-02-10 10:00')`. */
const wib = (local: string) => new Date(`${local.replace(' ', 'T')}:00+07:00`);

const HISTORY = `query ($id: ID!, $from: String, $to: String, $interval: HistoryInterval, $basis: ProgressBasis) {
  city(id: $id) {
    progressHistory(from: $from, to: $to, interval: $interval, basis: $basis) {
      cityId basis interval from to points city dimensions { dimension label values }
    }
  }
}`;

/**
 * A small city in WIB with a 2026 masterplan and, all created on 1 January unless noted:
 * - A: GOVERNANCE, weight 2. 20 % reported 10 Feb (verified 12 Feb); 50 % reported 10 Mar at 00:30 WIB
 *   (still 9 March in UTC), never verified.
 * - B: GOVERNANCE, weight 1. 40 % reported 20 Feb, verified 5 Mar.
 * - C: ECONOMY, weight 1, created 1 April. 100 % reported and verified 15 Apr (by a city admin).
 * - D: ECONOMY, weight 3, CANCELLED. 80 % on 1 Feb: never counts.
 * - E: LIVING, weight 1, archived 1 May. 80 % reported and verified 1 Feb.
 */
async function buildHistoryCity(em: EntityManager, name: string): Promise<City> {
  const city = new City(name, 'Kepulauan Riau');
  const opd = new Opd(city, 'Dinas Komunikasi dan Informatika', 'Diskominfo');
  const masterplan = new Masterplan(city, 'Masterplan Smart City 2026–2030', 2026, 2030);
  const program = (d: Dimension) => new Program(masterplan, `Program ${d}`, d);
  const gov = program(Dimension.GOVERNANCE);
  const eco = program(Dimension.ECONOMY);
  const liv = program(Dimension.LIVING);
  const jan1 = wib('2026-01-01 00:00');
  const plan = (p: Program, title: string, weight: number, createdAt = jan1) => {
    const row = new ActionPlan(p, opd, title, '2026-01-01', '2026-12-31');
    row.weight = weight;
    row.createdAt = createdAt;
    return row;
  };
  const a = plan(gov, 'A', 2);
  const b = plan(gov, 'B', 1);
  const c = plan(eco, 'C', 1, wib('2026-04-01 09:00'));
  const d = plan(eco, 'D', 3);
  d.status = ActionPlanStatus.CANCELLED;
  const e = plan(liv, 'E', 1);
  e.archivedAt = wib('2026-05-01 10:00');
  const report = (p: ActionPlan, percent: number, at: Date, verifiedAt: Date | null) => {
    const r = new ProgressReport(p, percent, `Laporan ${p.title} ${percent} %`);
    r.reportedAt = at;
    r.createdAt = at;
    if (verifiedAt) {
      r.status = ReportStatus.VERIFIED;
      r.reviewedAt = verifiedAt;
    }
    // The plan's cached progress is its latest report's, as reportProgress leaves it.
    p.progress = percent;
    p.lastReportedAt = at;
    return r;
  };
  const reports = [
    report(e, 80, wib('2026-02-01 10:00'), wib('2026-02-01 10:00')),
    report(d, 80, wib('2026-02-01 11:00'), wib('2026-02-01 11:00')),
    report(a, 20, wib('2026-02-10 10:00'), wib('2026-02-12 10:00')),
    report(b, 40, wib('2026-02-20 10:00'), wib('2026-03-05 10:00')),
    report(a, 50, wib('2026-03-10 00:30'), null),
    report(c, 100, wib('2026-04-15 10:00'), wib('2026-04-15 10:00')),
  ];
  em.persist([city, opd, masterplan, gov, eco, liv, a, b, c, d, e, ...reports]);
  await em.flush();
  return city;
}

describe.each(await testDialects())('City.progressHistory on %s', (dialect) => {
  let server: TestServer;
  let token: string;
  let city: City;
  let other: City;

  beforeAll(async () => {
    server = await startServer({ dialect, demo: false, env: ADMIN, clock: () => NOW });
    token = await login(server.url, ADMIN.PANTAU_ADMIN_EMAIL, ADMIN.PANTAU_ADMIN_PASSWORD);
    city = await buildHistoryCity(server.orm.em.fork(), 'Kota Sejarah');
    other = await buildHistoryCity(server.orm.em.fork(), 'Kota Lain');
  });
  afterAll(async () => server?.close());

  async function history(vars: Record<string, unknown>, as = token): Promise<any> {
    const data = await ok<any>(server.url, HISTORY, { id: city.id, ...vars }, as);
    return data.city.progressHistory;
  }
  const dim = (h: any, d: Dimension): number[] => h.dimensions.find((x: any) => x.dimension === d).values;

  it('gives the weighted progress as of single days: 0 before any report, between reports, a plan created later, an archived one', async () => {
    // Worked out by hand from the plans above (weights A 2, B 1, C 1, E 1; D cancelled).
    const expected: Record<string, number> = {
      '2026-01-31': 0, // no report yet: A, B, E count with 0
      '2026-02-01': 20, // E 80: 80 / 4
      '2026-02-09': 20,
      '2026-02-10': 30, // A 20: (2·20 + 80) / 4
      '2026-02-20': 40, // B 40: (40 + 40 + 80) / 4
      '2026-03-09': 40, // A's 50 % came at 00:30 WIB on 10 March (still 9 March in UTC)
      '2026-03-10': 55, // (2·50 + 40 + 80) / 4
      '2026-03-31': 55,
      '2026-04-01': 44, // C created with nothing: (100 + 40 + 0 + 80) / 5
      '2026-04-15': 64, // C 100: (100 + 40 + 100 + 80) / 5
      '2026-04-30': 64,
      '2026-05-01': 60, // E archived that day: (100 + 40 + 100) / 4
      '2026-06-15': 60,
    };
    for (const [date, value] of Object.entries(expected)) {
      const h = await history({ from: date, to: date, interval: 'DAY' });
      expect({ date, points: h.points, city: h.city }).toEqual({ date, points: [date], city: [value] });
    }
    const march9 = await history({ from: '2026-03-09', to: '2026-03-10', interval: 'DAY' });
    // GOVERNANCE: (2·20 + 40) / 3 = 26.7, then (2·50 + 40) / 3 = 46.7; LIVING: E alone.
    expect(dim(march9, Dimension.GOVERNANCE)).toEqual([26.7, 46.7]);
    expect(dim(march9, Dimension.LIVING)).toEqual([80, 80]);
    expect(dim(march9, Dimension.ECONOMY)).toEqual([0, 0]); // D is cancelled, C not created yet
  });

  it('steps by DAY, WEEK and MONTH from `from`, always ending on `to`, with all six dimensions in programme order', async () => {
    const days = await history({ from: '2026-01-31', to: '2026-02-02', interval: 'DAY' });
    expect(days).toMatchObject({ cityId: city.id, basis: 'ALL', interval: 'DAY', from: '2026-01-31', to: '2026-02-02' });
    expect(days.points).toEqual(['2026-01-31', '2026-02-01', '2026-02-02']);
    expect(days.city).toEqual([0, 20, 20]);

    const weeks = await history({ from: '2026-02-01', to: '2026-02-20', interval: 'WEEK' });
    expect(weeks.points).toEqual(['2026-02-01', '2026-02-08', '2026-02-15', '2026-02-20']);
    expect(weeks.city).toEqual([20, 20, 30, 40]);

    const months = await history({ from: '2026-01-31', to: '2026-05-15', interval: 'MONTH' });
    expect(months.points).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-15']);
    expect(months.city).toEqual([0, 40, 55, 64, 60]);
    expect(months.dimensions.map((d: any) => d.dimension)).toEqual([
      'GOVERNANCE',
      'BRANDING',
      'ECONOMY',
      'LIVING',
      'SOCIETY',
      'ENVIRONMENT',
    ]);
    expect(months.dimensions[0].label).toBe('Tata kelola birokrasi');
    expect(dim(months, Dimension.GOVERNANCE)).toEqual([0, 26.7, 46.7, 46.7, 46.7]);
    expect(dim(months, Dimension.ECONOMY)).toEqual([0, 0, 0, 100, 100]);
    expect(dim(months, Dimension.LIVING)).toEqual([0, 80, 80, 80, 0]);
    expect(dim(months, Dimension.BRANDING)).toEqual([0, 0, 0, 0, 0]);
  });

  it('counts, with basis VERIFIED, only the reports verified by the end of each day', async () => {
    const h = await history({ from: '2026-02-11', to: '2026-03-05', interval: 'DAY', basis: 'VERIFIED' });
    const at = (date: string) => h.city[h.points.indexOf(date)];
    expect(h.basis).toBe('VERIFIED');
    expect(at('2026-02-11')).toBe(20); // A's 20 % reported on 10 Feb, verified only on 12 Feb
    expect(at('2026-02-12')).toBe(30);
    expect(at('2026-03-04')).toBe(30); // B's 40 % reported 20 Feb, not verified yet
    expect(at('2026-03-05')).toBe(40);
    const all = await history({ from: '2026-02-11', to: '2026-02-11', interval: 'DAY' });
    expect(all.city).toEqual([30]); // the same day with every report
    // Today: A 20 (its 50 % is unverified), B 40, C 100: (40 + 40 + 100) / 4.
    expect((await history({ to: '2026-06-15', from: '2026-06-15', basis: 'VERIFIED' })).city).toEqual([45]);
  });

  it("counts this period's plans only with plans PERIOD, and says at each point how many plans joined", async () => {
    // Kota Sejarah's plans and one of the previous period: O, GOVERNANCE, weight 1, 1 Jan – 31 Dec 2025, 100 % on 1 Dec 2025.
    const em = server.orm.em.fork();
    const periodCity = await buildHistoryCity(em, 'Kota Periode');
    const program = await em.findOneOrFail(Program, { city: periodCity.id, dimension: Dimension.GOVERNANCE });
    const opd = await em.findOneOrFail(Opd, { city: periodCity.id });
    const old = new ActionPlan(program, opd, 'O', '2025-01-01', '2025-12-31');
    old.createdAt = wib('2025-01-01 00:00');
    old.progress = 100;
    const done = new ProgressReport(old, 100, 'Laporan O 100 %');
    done.reportedAt = done.createdAt = wib('2025-12-01 10:00');
    done.status = ReportStatus.VERIFIED;
    done.reviewedAt = done.reportedAt;
    em.persist([old, done]);
    await em.flush();
    const query = `query ($id: ID!, $plans: HistoryPlans) { city(id: $id) {
      progressHistory(from: "2025-12-31", to: "2026-04-01", interval: DAY, plans: $plans) { plans periodFrom points city joined }
    } }`;
    const read = async (plans?: string) => (await ok<any>(server.url, query, { id: periodCity.id, plans }, token)).city.progressHistory;
    const all = await read();
    const period = await read('PERIOD');
    const at = (h: any, date: string) => ({ city: h.city[h.points.indexOf(date)], joined: h.joined[h.points.indexOf(date)] });
    expect(all).toMatchObject({ plans: 'ALL', periodFrom: null });
    expect(period).toMatchObject({ plans: 'PERIOD', periodFrom: '2026-01-01' });
    // Every plan: O's 100 % holds the line up, then the new plans join with nothing.
    expect(at(all, '2025-12-31')).toEqual({ city: 100, joined: 0 });
    expect(at(all, '2026-01-01')).toEqual({ city: 20, joined: 3 }); // A (weight 2), B, E join (D is cancelled): 100 / 5
    expect(at(all, '2026-04-01')).toEqual({ city: 53.3, joined: 1 }); // C joins: (2·50 + 40 + 0 + 80 + 100) / 6
    // This period's plans: O (due in 2025) is left out; the same joins.
    expect(at(period, '2025-12-31')).toEqual({ city: 0, joined: 0 });
    expect(at(period, '2026-01-01')).toEqual({ city: 0, joined: 3 });
    expect(at(period, '2026-04-01')).toEqual({ city: 44, joined: 1 });
    expect(period.joined.reduce((a: number, b: number) => a + b, 0)).toBe(4);
    expect(all.joined.reduce((a: number, b: number) => a + b, 0)).toBe(4);
  });

  it("defaults to the city's today and to 12 months back, but not before its masterplan; today's value is the overview's", async () => {
    const h = await history({});
    expect(h.interval).toBe('WEEK');
    // Explicit nulls mean the defaults too (the arguments are nullable, with defaults).
    expect(await history({ interval: null, basis: null })).toEqual(h);
    expect(h.from).toBe('2026-01-01'); // the masterplan starts in 2026, later than 2025-06-15
    expect(h.to).toBe('2026-06-15');
    expect(h.points[0]).toBe('2026-01-01');
    expect(h.points.at(-1)).toBe('2026-06-15');
    expect(h.points.at(-2)).toBe('2026-06-11'); // 23 weeks after 1 January
    expect(h.points).toHaveLength(25);
    expect(h.city).toHaveLength(25);
    for (const d of h.dimensions) expect(d.values).toHaveLength(25);
    const data = await ok<any>(
      server.url,
      `query ($id: ID!) { city(id: $id) { all: overview { progress } verified: overview(basis: VERIFIED) { progress } } }`,
      { id: city.id },
      token,
    );
    expect(h.city.at(-1)).toBe(data.city.all.progress);
    expect(data.city.all.progress).toBe(60);
    expect((await history({ basis: 'VERIFIED' })).city.at(-1)).toBe(data.city.verified.progress);
    // Only `to` given: 12 months before it, the masterplan being later.
    const early = await history({ to: '2026-03-01', interval: 'MONTH' });
    expect(early.points).toEqual(['2026-01-01', '2026-02-01', '2026-03-01']);
    expect(early.city).toEqual([0, 20, 40]);
  });

  it('answers bad dates, `from` after `to` and too many points with BAD_USER_INPUT on the field, in Indonesian or English', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ from: '2026-1-5' }, 'from'],
      [{ to: '2026-02-30' }, 'to'],
      [{ from: '2026-03-01', to: '2026-02-01' }, 'from'],
      [{ from: '2024-01-01', to: '2026-01-01', interval: 'DAY' }, 'interval'],
    ];
    for (const [vars, field] of cases) {
      const r = await gql(server.url, HISTORY, { id: city.id, ...vars }, token);
      expect({ vars, code: codeOf(r), field: r.errors?.[0]?.extensions?.field }).toEqual({ vars, code: 'BAD_USER_INPUT', field });
    }
    const id = await gql(server.url, HISTORY, { id: city.id, from: '2024-01-01', to: '2026-01-01', interval: 'DAY' }, token);
    expect(id.errors?.[0]?.message).toBe(
      'Terlalu banyak titik: 732, maksimal 400. Pilih interval yang lebih panjang atau rentang tanggal yang lebih pendek.',
    );
    const en = await gql(server.url, HISTORY, { id: city.id, from: '2026-03-01', to: '2026-02-01' }, token, { 'accept-language': 'en' });
    expect(en.errors?.[0]?.message).toBe('The `from` date cannot be after the `to` date.');
    // 400 points are fine.
    expect((await history({ from: '2025-05-12', to: '2026-06-15', interval: 'DAY' })).points).toHaveLength(400);
  });

  it("lets the city's screen token read it, and answers another city's id exactly like an unknown one", async () => {
    const created = await ok<any>(
      server.url,
      'mutation ($input: CreateScreenTokenInput!) { createScreenToken(input: $input) { token } }',
      { input: { cityId: city.id, label: 'Ruang rapat' } },
      token,
    );
    const screen: string = created.createScreenToken.token;
    expect(screen.startsWith('pst_')).toBe(true);
    expect((await history({ from: '2026-03-10', to: '2026-03-10' }, screen)).city).toEqual([55]);
    const foreign = await gql(server.url, HISTORY, { id: other.id }, screen);
    const unknown = await gql(server.url, HISTORY, { id: randomUUID() }, screen);
    expect(codeOf(foreign)).toBe('NOT_FOUND');
    expect(codeOf(unknown)).toBe('NOT_FOUND');
    expect(foreign.errors?.[0]?.message).toBe(unknown.errors?.[0]?.message);
    expect(foreign.data).toEqual(unknown.data);
  });
});
