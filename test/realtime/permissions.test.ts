import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable, type TestDatabase } from '../helpers/db';
import { login, ok } from '../helpers/gql';
import { freePort, RedisProcess, redisServerAvailable } from '../helpers/redis-process';
import { startServer, type TestServer, templateDatabase } from '../helpers/server';
import { collect, eventually, wsClient, type TestWsClient } from '../helpers/ws';

const ready = (await postgresAvailable()) && (await redisServerAvailable());
if (!ready) {
  if (process.env.CI === 'true') throw new Error('The permission-change tests need PostgreSQL and redis-server, and CI=true');
  console.warn('\n!!! PostgreSQL or redis-server missing: the permission-change tests are SKIPPED !!!\n');
}

const REPORT = 'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { version } }';
const EVENTS = 'subscription ($id: ID!) { cityEvents(cityId: $id) { cityId seq } }';
const SUMMARY = 'subscription ($id: ID!) { citySummary(cityId: $id) { seq } }';

describe.skipIf(!ready)("a change of a subject's permissions, on two instances sharing Redis", () => {
  let db: TestDatabase;
  let redis: RedisProcess;
  let a: TestServer;
  let b: TestServer;
  const sockets: TestWsClient[] = [];

  beforeAll(async () => {
    db = await templateDatabase('postgres');
    redis = new RedisProcess(await freePort());
    await redis.start();
    // The database re-check is ten minutes apart: only the pushed notice can end anything in time.
    const realtime = { coalesceMs: 50, pollHealthyMs: 2_000, recheckMs: 600_000 };
    a = await startServer({ dialect: 'postgres', database: db, demo: true, env: { REDIS_URL: redis.url }, realtime });
    b = await startServer({ dialect: 'postgres', database: db, demo: true, env: { REDIS_URL: redis.url }, realtime });
  }, 120_000);
  afterAll(async () => {
    for (const s of sockets) await s.dispose().catch(() => {});
    await a?.close();
    await b?.close();
    await redis?.stop();
    await db?.drop();
  });

  it("ends an evaluator's open operations on a city taken away from it (NOT_FOUND), on the other instance, and keeps the rest running", async () => {
    const admin = await login(a.url, 'admin@pantau.demo');
    const cities = (await ok<any>(a.url, '{ cities { id name } }', {}, admin)).cities;
    const tpi = cities.find((c: any) => c.name === 'Tanjungpinang').id;
    const tebing = cities.find((c: any) => c.name === 'Tebingtinggi').id;
    const created = await ok<any>(
      a.url,
      'mutation ($input: CreateUserInput!) { createUser(input: $input) { id version } }',
      {
        input: {
          email: 'penilai@kementerian.test',
          name: 'Penilai',
          password: 'password-penilai-1',
          role: 'EVALUATOR',
          evaluatorCityIds: [tpi, tebing],
        },
      },
      admin,
    );
    const evaluator = await login(b.url, 'penilai@kementerian.test', 'password-penilai-1');

    const ws = wsClient(b.url, evaluator);
    sockets.push(ws);
    const tebingEvents = collect(ws, EVENTS, { id: tebing });
    const tebingSummary = collect(ws, SUMMARY, { id: tebing });
    const tpiEvents = collect(ws, EVENTS, { id: tpi });
    await tebingSummary.until(() => true);
    // A second subscriber of the same shared summary, who keeps its access, must not be ended with it.
    const other = wsClient(b.url, admin);
    sockets.push(other);
    const adminSummary = collect(other, SUMMARY, { id: tebing });
    await adminSummary.until(() => true);

    await ok(
      a.url,
      'mutation ($input: UpdateUserInput!) { updateUser(input: $input) { id } }',
      { input: { id: created.createUser.id, expectedVersion: created.createUser.version, evaluatorCityIds: [tpi] } },
      admin,
    );
    // Within the wait, long before the re-check: the change's notice ended them.
    await eventually(() => tebingEvents.errors.length > 0 && tebingSummary.errors.length > 0, 30_000, 'the Tebingtinggi operations to end');
    for (const sub of [tebingEvents, tebingSummary]) expect(JSON.stringify(sub.errors)).toContain('"code":"NOT_FOUND"');
    expect(ws.closes).toEqual([]);
    expect(tpiEvents.errors).toEqual([]);

    // Tanjungpinang keeps flowing to the evaluator, Tebingtinggi to the admin.
    const reporter = await login(a.url, 'bappelitbang@tanjungpinang.demo');
    const plan = (
      await ok<any>(
        a.url,
        'query ($id: ID!) { city(id: $id) { actionPlans(first: 1, filter: { status: ACTIVE }) { edges { node { id version } } } } }',
        { id: tpi },
        admin,
      )
    ).city.actionPlans.edges[0].node;
    await ok(
      a.url,
      REPORT,
      { input: { actionPlanId: plan.id, percent: 12, narrative: 'masih jalan', expectedVersion: plan.version } },
      reporter,
    );
    await tpiEvents.until((v: any) => v.cityEvents.cityId === tpi, 10_000);
    const tebingAdmin = await login(a.url, 'bappeda@tebingtinggi.demo');
    const tebingPlan = (
      await ok<any>(
        a.url,
        'query ($id: ID!) { city(id: $id) { actionPlans(first: 1, filter: { status: ACTIVE }) { edges { node { id version } } } } }',
        { id: tebing },
        admin,
      )
    ).city.actionPlans.edges[0].node;
    const before = adminSummary.values.length;
    await ok(
      a.url,
      REPORT,
      { input: { actionPlanId: tebingPlan.id, percent: 13, narrative: 'tetap', expectedVersion: tebingPlan.version } },
      tebingAdmin,
    );
    await eventually(() => adminSummary.values.length > before, 10_000, "the admin's summary push");
    expect(adminSummary.errors).toEqual([]);
    // Subscribing anew to the city taken away is refused too.
    const again = collect(ws, EVENTS, { id: tebing });
    await eventually(() => again.errors.length > 0, 5_000, 'the refusal');
    expect(JSON.stringify(again.errors)).toContain('NOT_FOUND');
  }, 60_000);
});
