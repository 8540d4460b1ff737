import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from '../helpers/gql';
import { demoCity, type DemoCity } from '../helpers/demo-city';
import { startServer, type TestServer } from '../helpers/server';
import { collect, wsClient, type TestWsClient } from '../helpers/ws';

const FIELDS =
  'seq today progress counts { total notStarted onTrack late done } dimensions { dimension progress lateCount } quickWins { name progress } opds { id progress lateCount } lateActionPlans(first: 5) { id title } daysToNextEvaluation';
const OVERVIEW = `query ($id: ID!) { city(id: $id) { overview { ${FIELDS} } } }`;

describe('the dashboard query served from the live hub while its overview is current', () => {
  let server: TestServer;
  let admin: string;
  let cityId: string;
  let sql: string[] = [];
  const plans: { id: string; version: number }[] = [];
  const sockets: TestWsClient[] = [];

  let report: DemoCity['report'];
  /** The overview in a language (a hub runs for `id` only here) and the SQL statements it took. */
  async function overview(locale: 'id' | 'en'): Promise<{ overview: any; statements: string[] }> {
    sql = [];
    const r = await gql<any>(server.url, OVERVIEW, { id: cityId }, admin, { 'accept-language': locale });
    expect(r.errors).toBeUndefined();
    return { overview: r.data.city.overview, statements: sql };
  }
  const readsPlans = (statements: string[]) => statements.filter((s) => /action_plans/i.test(s));

  beforeAll(async () => {
    server = await startServer({ demo: true, realtime: { coalesceMs: 50 }, onQuery: (statement) => sql.push(statement) });
    const demo = await demoCity(server.url);
    ({ admin, cityId, report } = demo);
    plans.push(...demo.plans);
  });
  afterAll(async () => {
    for (const s of sockets) await s.dispose().catch(() => {});
    await server?.close();
  });

  it("recomputes without a hub, and takes the hub's overview (no plan read) once one runs and is current", async () => {
    const fresh = await overview('id');
    expect(readsPlans(fresh.statements).length).toBeGreaterThan(0);
    const ws = wsClient(server.url, admin);
    sockets.push(ws);
    const summary = collect(ws, `subscription ($id: ID!) { citySummary(cityId: $id) { ${FIELDS} } }`, { id: cityId });
    await summary.until(() => true);
    const served = await overview('id');
    // The city's seq is read (one cheap statement); the plans, programs and OPDs are not.
    expect(readsPlans(served.statements)).toEqual([]);
    expect(served.statements.some((s) => /city_sequences/i.test(s))).toBe(true);
    expect(served.overview).toEqual(fresh.overview);
    // Another language has no hub here: computed as before.
    expect(readsPlans((await overview('en')).statements).length).toBeGreaterThan(0);
  });

  it('never serves an overview older than the city: a query right after a report has the new figures', async () => {
    for (let i = 0; i < 5; i++) {
      await report(plans[i]!, 51 + i);
      // At once, before the hub may have recomputed: whatever answers must be the truth.
      const now = await overview('id');
      const truth = await overview('en');
      expect(now.overview.seq).toBe(truth.overview.seq);
      expect({ ...now.overview, dimensions: undefined }).toEqual({ ...truth.overview, dimensions: undefined });
      expect(now.overview.dimensions.map((d: any) => [d.dimension, d.progress, d.lateCount])).toEqual(
        truth.overview.dimensions.map((d: any) => [d.dimension, d.progress, d.lateCount]),
      );
    }
  });
});
