import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/db';
import { login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { collect, eventually, wsClient, type TestWsClient } from '../helpers/ws';

const REPORT = 'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { version } }';
const EVENTS = 'subscription ($id: ID!, $after: Int) { cityEvents(cityId: $id, afterSeq: $after) { seq } }';

describe.each(await testDialects())('replaying city events on %s', (dialect) => {
  let server: TestServer;
  let admin: string;
  let cityId: string;
  let head: number;
  const sockets: TestWsClient[] = [];

  /** The first error or the values of a replay subscription, once it answered. */
  async function replay(afterSeq: number, count = 1) {
    const ws = wsClient(server.url, admin);
    sockets.push(ws);
    const sub = collect(ws, EVENTS, { id: cityId, after: afterSeq });
    await eventually(() => sub.errors.length > 0 || sub.values.length >= count, 10_000, 'an answer');
    return sub;
  }

  beforeAll(async () => {
    // At most 5 events replayed here (default 1 000).
    server = await startServer({ dialect, demo: true, env: { LIVE_MAX_REPLAY: '5' } });
    admin = await login(server.url, 'admin@pantau.demo');
    const cityAdmin = await login(server.url, 'bappelitbang@tanjungpinang.demo');
    cityId = (await ok<any>(server.url, '{ cities { id name } }', {}, admin)).cities.find((c: any) => c.name === 'Tanjungpinang').id;
    const plans = (
      await ok<any>(
        server.url,
        'query ($id: ID!) { city(id: $id) { actionPlans(first: 5, filter: { status: ACTIVE }) { edges { node { id version } } } } }',
        { id: cityId },
        admin,
      )
    ).city.actionPlans.edges.map((e: any) => e.node);
    for (const [i, plan] of plans.entries())
      await ok(
        server.url,
        REPORT,
        { input: { actionPlanId: plan.id, percent: 10 + i, narrative: 'replay', expectedVersion: plan.version } },
        cityAdmin,
      );
    head = (await ok<any>(server.url, 'query ($id: ID!) { city(id: $id) { overview { seq } } }', { id: cityId }, admin)).city.overview.seq;
    expect(head).toBeGreaterThanOrEqual(10);
  });
  afterAll(async () => {
    for (const s of sockets) await s.dispose().catch(() => {});
    await server?.close();
  });

  it('replays up to LIVE_MAX_REPLAY events, in order', async () => {
    const sub = await replay(head - 5, 5);
    expect(sub.values.map((v: any) => v.cityEvents.seq)).toEqual([1, 2, 3, 4, 5].map((i) => head - 5 + i));
    expect(sub.errors).toEqual([]);
  });

  it('refuses a longer replay with a typed error telling the client to refetch its snapshot', async () => {
    const sub = await replay(0);
    expect(sub.values).toEqual([]);
    expect((sub.errors[0] as any)[0]?.extensions ?? (sub.errors[0] as any).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'afterSeq',
      limit: 'replay',
      max: 5,
    });
    expect(JSON.stringify(sub.errors)).toContain('Muat ulang ringkasan kota');
  });

  it('refuses afterSeq below 0 or beyond the head (BAD_USER_INPUT, field afterSeq)', async () => {
    for (const afterSeq of [-1, head + 1, 2 ** 31 - 1]) {
      const sub = await replay(afterSeq);
      expect(sub.values).toEqual([]);
      expect(JSON.stringify(sub.errors)).toContain('"code":"BAD_USER_INPUT"');
      expect(JSON.stringify(sub.errors)).toContain('"field":"afterSeq"');
    }
  });
});
