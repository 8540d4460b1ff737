import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { eventually } from '../helpers/ws';

// A shared citySummary run executes the screen's selection once per change for all its sockets.
// Nested fields read through the execution's context (its entity manager, loaders and memo): each
// change must be executed against that change's data, never against what an earlier one loaded.

const SUMMARY =
  'subscription ($id: ID!) { citySummary(cityId: $id) { seq lateActionPlans(first: 50) { id ownerOpd { id name abbreviation } } } }';

describe('shared summary runs read each change afresh', () => {
  let server: TestServer;
  let admin: string;
  let cityId: string;

  beforeAll(async () => {
    server = await startServer({ demo: true, realtime: { coalesceMs: 20 } });
    admin = await login(server.url, 'admin@pantau.demo');
    const cities = (await ok<any>(server.url, '{ cities { id name } }', {}, admin)).cities;
    cityId = cities.find((c: any) => c.name === 'Tanjungpinang').id;
  });
  afterAll(async () => server?.close());

  it("a renamed OPD shows its new name in lateActionPlans' ownerOpd on the next push", async () => {
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    const nexts: any[] = [];
    ws.on('message', (data) => {
      const m = JSON.parse(String(data));
      if (m.type === 'connection_ack')
        ws.send(JSON.stringify({ id: 's', type: 'subscribe', payload: { query: SUMMARY, variables: { id: cityId } } }));
      if (m.type === 'next') nexts.push(m.payload.data.citySummary);
      if (m.type === 'error') nexts.push({ error: m.payload });
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${admin}` } }));
    try {
      await eventually(() => nexts.length >= 1, 5_000, 'the first summary');
      const late = nexts[0].lateActionPlans as { id: string; ownerOpd: { id: string; name: string } }[];
      expect(late.length).toBeGreaterThan(0);
      const opdId = late[0]!.ownerOpd.id;
      const before = late[0]!.ownerOpd.name;
      const { opd } = await ok<any>(server.url, 'query ($id: ID!) { opd(id: $id) { version } }', { id: opdId }, admin);
      const renamed = `${before} (baru)`;
      await ok<any>(
        server.url,
        'mutation ($input: UpdateOpdInput!) { updateOpd(input: $input) { version } }',
        { input: { id: opdId, name: renamed, expectedVersion: opd.version } },
        admin,
      );
      await eventually(() => nexts.length >= 2, 5_000, 'the push after the rename');
      const last = nexts.at(-1);
      expect(last.error).toBeUndefined();
      const names = (last.lateActionPlans as { ownerOpd: { id: string; name: string } }[])
        .filter((p) => p.ownerOpd.id === opdId)
        .map((p) => p.ownerOpd.name);
      expect(names.length).toBeGreaterThan(0);
      expect(new Set(names)).toEqual(new Set([renamed]));

      // A progress report changes plans only: the next push reads the plans again but keeps the city,
      // programs and OPDs of the last full read (the renamed OPD included), and its figures move.
      const hubs = [...((server.services.live as any).running as Map<string, any>).values()].filter((h) => 'reads' in h);
      expect(hubs).toHaveLength(1);
      const reads = hubs[0].reads as number;
      const plan = (
        await ok<any>(server.url, 'query ($id: ID!) { actionPlan(id: $id) { id version progress } }', { id: late[0]!.id }, admin)
      ).actionPlan;
      const pushes = nexts.length;
      await ok<any>(
        server.url,
        'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { version } }',
        { input: { actionPlanId: plan.id, percent: 100, narrative: 'selesai', expectedVersion: plan.version } },
        admin,
      );
      await eventually(
        () => nexts.length > pushes && !nexts.at(-1).lateActionPlans.some((p: any) => p.id === plan.id),
        5_000,
        'the push after the report',
      );
      expect(hubs[0].reads).toBe(reads);
      const after = nexts.at(-1);
      expect(after.seq).toBeGreaterThan(last.seq);
      for (const p of after.lateActionPlans as { ownerOpd: { id: string; name: string } }[])
        if (p.ownerOpd.id === opdId) expect(p.ownerOpd.name).toBe(renamed);
      // And the figures equal a fresh query's.
      const fresh = await ok<any>(
        server.url,
        'query ($id: ID!) { city(id: $id) { overview { seq lateActionPlans(first: 50) { id ownerOpd { id name abbreviation } } } } }',
        { id: cityId },
        admin,
      );
      expect(after).toEqual(fresh.city.overview);
    } finally {
      ws.close();
    }
  });
});
