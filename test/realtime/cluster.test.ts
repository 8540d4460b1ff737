import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../helpers/db';
import { login, ok } from '../helpers/gql';
import { freePort, RedisProcess, redisServerAvailable } from '../helpers/redis-process';
import { startServer, type TestServer } from '../helpers/server';
import { collect, eventually, wsClient, type TestWsClient } from '../helpers/ws';

const ready = (await postgresAvailable()) && (await redisServerAvailable());
if (!ready) {
  if (process.env.CI === 'true') throw new Error('The cluster tests need PostgreSQL and redis-server, and CI=true');
  console.warn('\n!!! PostgreSQL or redis-server missing: the two-instance live-update tests are SKIPPED !!!\n');
}

const REPORT = 'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { version } }';
const EVENTS = 'subscription ($id: ID!) { cityEvents(cityId: $id) { seq kind } }';
const SUMMARY = 'subscription ($id: ID!) { citySummary(cityId: $id) { seq progress counts { total late done } } }';

describe.skipIf(!ready)('two instances sharing PostgreSQL and Redis', () => {
  let db: TestDatabase;
  let redis: RedisProcess;
  let a: TestServer;
  let b: TestServer;
  let admin: string;
  let reporterA: string;
  let reporterB: string;
  let cityId: string;
  const plans: { id: string; version: number }[] = [];
  const sockets: TestWsClient[] = [];

  async function report(server: TestServer, token: string, plan: { id: string; version: number }, percent: number): Promise<void> {
    const data = await ok<any>(
      server.url,
      REPORT,
      { input: { actionPlanId: plan.id, percent, narrative: `laporan ${percent}`, expectedVersion: plan.version } },
      token,
    );
    plan.version = data.reportProgress.version;
  }
  const overview = async () =>
    (
      await ok<any>(
        b.url,
        'query ($id: ID!) { city(id: $id) { overview { seq progress counts { total late done } } } }',
        { id: cityId },
        admin,
      )
    ).city.overview;

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    redis = new RedisProcess(await freePort());
    await redis.start();
    const env = { REDIS_URL: redis.url };
    const realtime = { coalesceMs: 100, pollHealthyMs: 2_000 };
    // Both start together on the empty database: one migrates and seeds, the other waits.
    [a, b] = (await Promise.all([
      startServer({ dialect: 'postgres', database: db, demo: true, env, realtime }),
      startServer({ dialect: 'postgres', database: db, demo: true, env, realtime }),
    ])) as [TestServer, TestServer];
    admin = await login(a.url, 'admin@pantau.demo');
    reporterA = await login(a.url, 'bappelitbang@tanjungpinang.demo');
    reporterB = await login(b.url, 'bappelitbang@tanjungpinang.demo');
    const cities = (await ok<any>(a.url, '{ cities { id name } }', {}, admin)).cities;
    expect(cities).toHaveLength(2);
    cityId = cities.find((c: any) => c.name === 'Tanjungpinang').id;
    const list = await ok<any>(
      a.url,
      'query ($id: ID!) { city(id: $id) { actionPlans(first: 100) { edges { node { id version status } } } } }',
      { id: cityId },
      admin,
    );
    plans.push(...list.city.actionPlans.edges.map((e: any) => e.node).filter((p: any) => p.status === 'ACTIVE'));
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) await s.dispose().catch(() => {});
    await a?.close();
    await b?.close();
    await redis?.stop();
    await db?.drop();
  });

  const open = (server: TestServer, token: string) => {
    const ws = wsClient(server.url, token);
    sockets.push(ws);
    return ws;
  };

  it('carries a report made on A to a summary subscriber on B, with the new numbers', async () => {
    const summary = collect(open(b, admin), SUMMARY, { id: cityId });
    const first = (await summary.until(() => true)).citySummary;
    await report(a, reporterA, plans[0]!, 77);
    const pushed = (await summary.until((v: any) => v.citySummary.seq > first.seq, 10_000)).citySummary;
    const truth = await overview();
    await summary.until((v: any) => v.citySummary.seq === truth.seq);
    expect(summary.values.at(-1)!.citySummary).toEqual(truth);
    expect(pushed.seq).toBeGreaterThan(first.seq);
  });

  // `npm test` sends 200 reports (400 events, interleaved from both instances); the slow run 1 000.
  it('delivers every event of 200 reports sent alternately to both instances, in seq order, with no gap or duplicate', () =>
    interleaved(200));
  it(
    'delivers every event of 1 000 reports sent alternately to both instances, in seq order, with no gap or duplicate',
    { tags: ['slow'], timeout: 180_000 },
    () => interleaved(1_000),
  );

  /** `reports` reports, half on A and half on B at once; every event reaches subscribers on both, in order. */
  async function interleaved(reports: number): Promise<void> {
    const events = 2 * reports; // a report is two changes: the report and the plan's progress
    const start = (await overview()).seq as number;
    const onB = collect(open(b, admin), EVENTS, { id: cityId });
    const onA = collect(open(a, admin), EVENTS, { id: cityId });
    await new Promise((r) => setTimeout(r, 300)); // both subscriptions registered
    const half = Math.floor(plans.length / 2);
    const worker = async (server: TestServer, token: string, mine: typeof plans, offset: number) => {
      for (let i = 0; i < reports / 2; i++) await report(server, token, mine[i % mine.length]!, (i * 7 + offset) % 100);
    };
    await Promise.all([worker(a, reporterA, plans.slice(0, half), 0), worker(b, reporterB, plans.slice(half), 3)]);
    const end = (await overview()).seq as number;
    expect(end - start).toBe(events);
    for (const sub of [onB, onA]) {
      await eventually(() => sub.values.length >= events, 30_000, 'all events');
      const seqs = sub.values.map((v: any) => v.cityEvents.seq);
      expect(seqs).toEqual(Array.from({ length: events }, (_, i) => start + 1 + i));
      expect(sub.errors).toEqual([]);
    }
  }

  it('keeps committing while Redis is down, reports the degradation, and brings subscribers back to the truth', async () => {
    const events = collect(open(b, admin), EVENTS, { id: cityId });
    const summary = collect(open(b, admin), SUMMARY, { id: cityId });
    await summary.until(() => true);
    const start = (await overview()).seq as number;
    await redis.stop();
    await eventually(async () => (await (await fetch(`${a.url}/readyz`)).json()).checks.pubsub === 'down', 10_000, 'readyz degraded');
    const ready = await (await fetch(`${a.url}/readyz`)).json();
    expect(ready).toMatchObject({ status: 'degraded', checks: { database: 'ok', pubsub: 'down' } });
    for (let i = 0; i < 10; i++) await report(i % 2 ? a : b, i % 2 ? reporterA : reporterB, plans[i]!, 11 + i);
    // Even during the outage, B's subscribers catch up from the outbox.
    await eventually(() => events.values.some((v: any) => v.cityEvents.seq === start + 20), 15_000, 'events during the outage');
    await redis.start();
    await eventually(async () => (await (await fetch(`${a.url}/readyz`)).json()).status === 'ready', 20_000, 'readyz ready');
    for (let i = 10; i < 14; i++) await report(a, reporterA, plans[i]!, 31 + i);
    const truth = await overview();
    await summary.until((v: any) => v.citySummary.seq === truth.seq, 15_000);
    expect(summary.values.at(-1)!.citySummary).toEqual(truth);
    await eventually(() => events.values.some((v: any) => v.cityEvents.seq === truth.seq), 15_000, 'all events');
    const seqs = events.values.map((v: any) => v.cityEvents.seq).filter((s: number) => s > start);
    expect(seqs).toEqual(Array.from({ length: truth.seq - start }, (_, i) => start + 1 + i));
  }, 120_000);
});
