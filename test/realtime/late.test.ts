import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects, type TestDatabase } from '../helpers/db';
import { login, ok } from '../helpers/gql';
import { startServer, type TestServer, templateDatabase } from '../helpers/server';
import { collect, eventually, wsClient, type TestWsClient } from '../helpers/ws';

describe.each(await testDialects())('plans turning late on %s', (dialect) => {
  let db: TestDatabase;
  let servers: TestServer[] = [];
  let ws: TestWsClient;

  beforeAll(async () => {
    db = await templateDatabase(dialect);
    // Two watchers on one database (SQLite: two instances on one file) must announce each plan once.
    servers = [
      await startServer({ dialect, database: db, demo: true, env: { PANTAU_LATE_CHECK_SECONDS: '1' } }),
      await startServer({ dialect, database: db, demo: true, env: { PANTAU_LATE_CHECK_SECONDS: '1' } }),
    ];
  });
  afterAll(async () => {
    await ws?.dispose().catch(() => {});
    for (const s of servers) await s.close();
    await db?.drop();
  });

  it('announces every late plan once, as ACTION_PLAN_LATE with its own seq, and again only after it recovered', async () => {
    const [a] = servers as [TestServer];
    const admin = await login(a.url, 'admin@pantau.demo');
    const city = (await ok<any>(a.url, '{ cities { id name } }', {}, admin)).cities.find((c: any) => c.name === 'Tanjungpinang');
    ws = wsClient(a.url, admin);
    const events = collect(ws, 'subscription ($id: ID!, $after: Int) { cityEvents(cityId: $id, afterSeq: $after) { seq kind entityId } }', {
      id: city.id,
      after: 0,
    });
    const overview = await ok<any>(
      a.url,
      'query ($id: ID!) { city(id: $id) { overview { counts { late } lateActionPlans(first: 100) { id version } } } }',
      { id: city.id },
      admin,
    );
    const late = overview.city.overview.lateActionPlans.map((p: any) => p.id).sort();
    expect(late.length).toBe(overview.city.overview.counts.late);
    const lateEvents = () => events.values.filter((v: any) => v.cityEvents.kind === 'ACTION_PLAN_LATE');
    await eventually(() => lateEvents().length >= late.length, 15_000, 'late announcements');
    await new Promise((r) => setTimeout(r, 2_500)); // two more watcher passes: nothing new
    expect(
      lateEvents()
        .map((v: any) => v.cityEvents.entityId)
        .sort(),
    ).toEqual(late);
    const seqs = events.values.map((v: any) => v.cityEvents.seq);
    expect(seqs).toEqual(seqs.map((_: number, i: number) => i + 1));
    // Finishing a late plan clears it; pulling its due date back into the past… it is late again: announced again.
    const plan = overview.city.overview.lateActionPlans[0];
    const done = await ok<any>(
      a.url,
      'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { version } }',
      { input: { actionPlanId: plan.id, percent: 100, narrative: 'Selesai', expectedVersion: plan.version } },
      admin,
    );
    await new Promise((r) => setTimeout(r, 2_500));
    await ok(
      a.url,
      'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { version } }',
      { input: { actionPlanId: plan.id, percent: 10, narrative: 'Dikoreksi', expectedVersion: done.reportProgress.version } },
      admin,
    );
    await eventually(() => lateEvents().filter((v: any) => v.cityEvents.entityId === plan.id).length === 2, 15_000, 'second announcement');
  }, 60_000);
});
