import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { testDialects } from '../helpers/db';
import { gql, login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { collect, eventually, wsClient, type TestWsClient } from '../helpers/ws';

const REPORT = 'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { version progress } }';

describe.each(await testDialects())('live updates over WebSocket on %s', (dialect) => {
  let server: TestServer;
  let admin: string;
  let reporter: string;
  let tebingAdmin: string;
  let tpi: string;
  let tebing: string;
  const plans: { id: string; version: number }[] = [];
  const sockets: TestWsClient[] = [];
  const open = (token?: string) => {
    const ws = wsClient(server.url, token);
    sockets.push(ws);
    return ws;
  };

  async function report(percent: number, i = 0): Promise<void> {
    const plan = plans[i % plans.length]!;
    const data = await ok<any>(
      server.url,
      REPORT,
      { input: { actionPlanId: plan.id, percent, narrative: `laporan ${percent}`, expectedVersion: plan.version } },
      reporter,
    );
    plan.version = data.reportProgress.version;
  }

  beforeAll(async () => {
    // The periodic token re-check is ten minutes apart here: closing on revocation cannot depend on it.
    server = await startServer({ dialect, demo: true, realtime: { coalesceMs: 150, recheckMs: 600_000 } });
    [admin, reporter, tebingAdmin] = (await Promise.all(
      ['admin@pantau.demo', 'dinkes@tanjungpinang.demo', 'bappeda@tebingtinggi.demo'].map((e) => login(server.url, e)),
    )) as [string, string, string];
    const cities = (await ok<any>(server.url, '{ cities { id name } }', {}, admin)).cities;
    tpi = cities.find((c: any) => c.name === 'Tanjungpinang').id;
    tebing = cities.find((c: any) => c.name === 'Tebingtinggi').id;
    const me = await ok<any>(server.url, '{ me { opdId } }', {}, reporter);
    const list = await ok<any>(
      server.url,
      'query ($c: ID!, $o: ID!) { city(id: $c) { actionPlans(first: 100, filter: { opdId: $o }) { edges { node { id version } } } } }',
      { c: tpi, o: me.me.opdId },
      reporter,
    );
    plans.push(...list.city.actionPlans.edges.map((e: any) => e.node));
  });
  afterAll(async () => {
    for (const s of sockets) await s.dispose().catch(() => {});
    await server?.close();
  });

  it('closes a socket that does not authenticate within 3 s, and refuses a bad token', async () => {
    const raw = new WebSocket(`${server.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    const closed = await new Promise<number>((resolve) => raw.on('close', (code) => resolve(code)));
    expect(closed).toBe(4408);
    const bad = open('not-a-token');
    const sub = collect(bad, 'subscription ($id: ID!) { citySummary(cityId: $id) { progress } }', { id: tpi });
    await eventually(() => bad.closes.length > 0, 5_000, 'close');
    expect(bad.closes[0]?.code).toBe(4403);
    expect(sub.values).toEqual([]);
  });

  it('pushes events in seq order, the summary with the new numbers, and the plan itself', async () => {
    const ws = open(admin);
    const events = collect(ws, 'subscription ($id: ID!) { cityEvents(cityId: $id) { cityId seq kind entity entityId actionPlanId } }', {
      id: tpi,
    });
    const summary = collect(
      ws,
      'subscription ($id: ID!) { citySummary(cityId: $id) { progress seq counts { total } quickWins { name progress } } }',
      { id: tpi },
    );
    const plan = collect(ws, 'subscription ($id: ID!) { actionPlan(id: $id) { id version progress state } }', { id: plans[0]!.id });
    const first = (await summary.until(() => true)).citySummary;
    await plan.until(() => true);
    await report(42);
    const pushed = (await summary.until((s: any) => s.citySummary.seq > first.seq)).citySummary;
    const snapshot = await ok<any>(server.url, 'query ($id: ID!) { city(id: $id) { overview { progress seq } } }', { id: tpi }, admin);
    expect(pushed).toMatchObject({ progress: snapshot.city.overview.progress, seq: snapshot.city.overview.seq });
    const planNow = await plan.until((p: any) => p.actionPlan.progress === 42);
    expect(planNow.actionPlan.version).toBe(plans[0]!.version);
    await events.until((e: any) => e.cityEvents.kind === 'ACTION_PLAN_UPDATED');
    const kinds = events.values.map((e: any) => e.cityEvents.kind);
    expect(kinds).toEqual(expect.arrayContaining(['PROGRESS_REPORTED', 'ACTION_PLAN_UPDATED']));
    const seqs = events.values.map((e: any) => e.cityEvents.seq);
    expect(seqs).toEqual(seqs.map((_: number, i: number) => seqs[0] + i));
    expect(seqs.at(-1)).toBe(snapshot.city.overview.seq);
  });

  it('replays missed events from afterSeq, then continues live without gap or duplicate', async () => {
    const { city } = await ok<any>(server.url, 'query ($id: ID!) { city(id: $id) { overview { seq } } }', { id: tpi }, admin);
    const from = city.overview.seq as number;
    await report(43);
    await report(44, 1);
    const ws = open(admin);
    const events = collect(ws, 'subscription ($id: ID!, $after: Int) { cityEvents(cityId: $id, afterSeq: $after) { seq kind } }', {
      id: tpi,
      after: from,
    });
    await events.until((e: any) => e.cityEvents.seq === from + 4);
    await report(45, 2);
    await events.until((e: any) => e.cityEvents.seq === from + 6);
    expect(events.values.map((e: any) => e.cityEvents.seq)).toEqual([1, 2, 3, 4, 5, 6].map((i) => from + i));
  });

  it('sends a Tebingtinggi subscriber nothing from Tanjungpinang, and refuses it Tanjungpinang streams', async () => {
    const ws = open(tebingAdmin);
    const own = collect(ws, 'subscription ($id: ID!) { cityEvents(cityId: $id) { cityId seq } }', { id: tebing });
    const foreign = collect(ws, 'subscription ($id: ID!) { cityEvents(cityId: $id) { cityId seq } }', { id: tpi });
    const foreignSummary = collect(ws, 'subscription ($id: ID!) { citySummary(cityId: $id) { progress } }', { id: tpi });
    await eventually(() => foreign.errors.length > 0 && foreignSummary.errors.length > 0, 5_000, 'refusals');
    expect(JSON.stringify(foreign.errors)).toContain('NOT_FOUND');
    for (let i = 0; i < 5; i++) await report(50 + i, i);
    await new Promise((r) => setTimeout(r, 500));
    expect(own.values).toEqual([]);
    expect(foreign.values).toEqual([]);
    expect(foreignSummary.values).toEqual([]);
  });

  it('coalesces a burst of changes into a bounded number of summary pushes, computed once for all subscribers', async () => {
    const runsBefore = server.services.live!.shared.size;
    const subscribers = Array.from({ length: 5 }, () =>
      collect(open(admin), 'subscription ($id: ID!) { citySummary(cityId: $id) { seq progress } }', { id: tpi }),
    );
    for (const s of subscribers) await s.until(() => true);
    const hub = (await server.services.live!.hub(`summary:${tpi}:ALL:id`)) as { computations: number };
    const before = hub.computations;
    const pushedBefore = subscribers.map((s) => s.values.length);
    const burst = 40;
    await Promise.all(Array.from({ length: burst }, (_, i) => report(60 + (i % 30), i)).map((p) => p.catch(() => null)));
    const { city } = await ok<any>(server.url, 'query ($id: ID!) { city(id: $id) { overview { seq progress } } }', { id: tpi }, admin);
    for (const s of subscribers) await s.until((v: any) => v.citySummary.seq === city.overview.seq);
    const computations = hub.computations - before;
    const pushes = subscribers[0]!.values.length - pushedBefore[0]!;
    // 40 writes (80+ events) gave a handful of computations, shared by the five subscribers.
    expect(computations).toBeLessThanOrEqual(15);
    expect(pushes).toBe(computations);
    for (const s of subscribers) expect(s.values.at(-1)).toEqual(subscribers[0]!.values.at(-1));
    // The five identical subscriptions ran as one shared execution.
    expect(server.services.live!.shared.size).toBe(runsBefore + 1);
  });

  it('rejects a depth-20 subscription before it executes, and keeps answering', async () => {
    let nested = 'id';
    for (let i = 0; i < 10; i++) nested = `program { masterplan { id } actionPlans(first: 1) { edges { node { ${nested} } } } }`;
    const ws = open(admin);
    const deep = collect(ws, `subscription ($id: ID!) { actionPlan(id: $id) { ${nested} } }`, { id: plans[0]!.id });
    await eventually(() => deep.errors.length > 0, 5_000, 'rejection');
    expect(JSON.stringify(deep.errors)).toMatch(/depth|dalam/i);
    expect(deep.values).toEqual([]);
    const alive = await gql(server.url, '{ me { email } }', {}, admin);
    expect(alive.data?.me.email).toBe('admin@pantau.demo');
    const still = collect(ws, 'subscription ($id: ID!) { citySummary(cityId: $id) { seq } }', { id: tpi });
    await still.until(() => true);
  });

  it('closes the socket of a user who is archived while it is open, at once (not at the periodic re-check)', async () => {
    const cityAdmin = await login(server.url, 'bappelitbang@tanjungpinang.demo');
    const created = await ok<any>(
      server.url,
      'mutation ($input: CreateUserInput!) { createUser(input: $input) { id version } }',
      { input: { email: 'layar@tanjungpinang.test', name: 'Staf', password: 'password-staf-123', role: 'VIEWER', cityId: tpi } },
      cityAdmin,
    );
    const token = await login(server.url, 'layar@tanjungpinang.test', 'password-staf-123');
    const ws = open(token);
    const summary = collect(ws, 'subscription ($id: ID!) { citySummary(cityId: $id) { seq } }', { id: tpi });
    await summary.until(() => true);
    await ok(
      server.url,
      'mutation ($input: VersionedInput!) { archiveUser(input: $input) { archivedAt } }',
      { input: { id: created.createUser.id, expectedVersion: created.createUser.version } },
      cityAdmin,
    );
    // Pushed: the periodic re-check is ten minutes away, so a close within the wait is the archive's notice.
    await eventually(() => ws.closes.length > 0, 30_000, 'socket closed');
    expect(ws.closes[0]?.code).toBe(4401);
  });

  it('caps the operations one connection may run at once (50), and the connection stays usable', async () => {
    const ws = open(admin);
    const subs = Array.from({ length: 51 }, () => collect(ws, 'subscription ($id: ID!) { cityEvents(cityId: $id) { seq } }', { id: tpi }));
    await eventually(() => subs.some((s) => s.errors.length > 0), 10_000, 'refusal of the 51st');
    expect(subs.filter((s) => s.errors.length > 0)).toHaveLength(1);
    expect(JSON.stringify(subs.find((s) => s.errors.length > 0)!.errors)).toContain('"limit":"operations"');
    subs[0]!.stop();
    await new Promise((r) => setTimeout(r, 200));
    const again = collect(ws, 'subscription ($id: ID!) { citySummary(cityId: $id) { seq } }', { id: tpi });
    await again.until(() => true);
  });

  it('applies the same authorisation to queries and mutations over WebSocket as over HTTP', async () => {
    const viewer = await login(server.url, 'viewer@tanjungpinang.demo');
    const ws = open(viewer);
    const result = await new Promise<any>((resolve) => {
      const values: any[] = [];
      ws.client.subscribe(
        {
          query: 'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { id } }',
          variables: { input: { actionPlanId: plans[0]!.id, percent: 1, narrative: 'x', expectedVersion: plans[0]!.version } },
        },
        {
          next: (v) => values.push(v),
          error: (e) => resolve({ error: e }),
          complete: () => resolve(values[0]),
        },
      );
    });
    expect(JSON.stringify(result)).toContain('FORBIDDEN');
  });
});
