import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../helpers/gql';
import { demoCity, type DemoCity } from '../helpers/demo-city';
import { startServer, type TestServer } from '../helpers/server';
import { collect, wsClient, type TestWsClient } from '../helpers/ws';
import { COALESCE_BURST } from '../../server/modules/live/live.service';

const SUMMARY = 'subscription ($id: ID!) { citySummary(cityId: $id) { seq progress counts { total late done } } }';
/** The window of the burst: a burst of reports spans a few of them. */
const WINDOW_MS = 2_000;
/** A window longer than any wait here: a push that arrives at all came on the leading edge, not at the window's end. */
const LONG_WINDOW_MS = 600_000;

describe('leading-edge coalescing of citySummary', () => {
  let server: TestServer;
  let admin: string;
  let cityId: string;
  const plans: { id: string; version: number }[] = [];
  const sockets: TestWsClient[] = [];

  let report: DemoCity['report'];
  const overview = async () =>
    (
      await ok<any>(
        server.url,
        'query ($id: ID!) { city(id: $id) { overview { seq progress counts { total late done } } } }',
        { id: cityId },
        admin,
      )
    ).city.overview;

  beforeAll(async () => {
    server = await startServer({ demo: true, realtime: { coalesceMs: WINDOW_MS } });
    const demo = await demoCity(server.url);
    ({ admin, cityId, report } = demo);
    plans.push(...demo.plans);
  });
  afterAll(async () => {
    for (const s of sockets) await s.dispose().catch(() => {});
    await server?.close();
  });

  it('pushes a lone report at once, and the next one too, long before the window ends', async () => {
    // A server of its own whose window is ten minutes: only the leading edge can push within the wait.
    const own = await startServer({ demo: true, realtime: { coalesceMs: LONG_WINDOW_MS } });
    const city = await demoCity(own.url);
    const ws = wsClient(own.url, city.admin);
    try {
      const summary = collect(ws, SUMMARY, { id: city.cityId });
      const first = (await summary.until(() => true)).citySummary;
      await city.report(city.plans[0]!, 31);
      const pushed = (await summary.until((v: any) => v.citySummary.seq > first.seq, 30_000)).citySummary;
      // A report is two changes: the push reflects the first or both (the burst below checks the trailing push).
      expect(pushed.seq).toBeGreaterThan(first.seq);
      // Someone else's report moments later does not wait for a window the first one opened.
      await city.report(city.plans[1]!, 32);
      const next = (await summary.until((v: any) => v.citySummary.seq > pushed.seq, 30_000)).citySummary;
      expect(next.seq).toBeGreaterThan(pushed.seq);
    } finally {
      await ws.dispose().catch(() => {});
      await own.close();
    }
  });

  it('still coalesces a burst: far fewer pushes than changes, the last equal to a fresh overview', async () => {
    const ws = wsClient(server.url, admin);
    sockets.push(ws);
    const summary = collect(ws, SUMMARY, { id: cityId });
    await summary.until(() => true);
    await new Promise((r) => setTimeout(r, WINDOW_MS + 200));
    const before = summary.values.length;
    const burst = 20;
    const began = Date.now();
    for (let i = 0; i < burst; i++) await report(plans[i % plans.length]!, 40 + i);
    const windows = Math.ceil((Date.now() - began) / WINDOW_MS);
    const truth = await overview();
    await summary.until((v: any) => v.citySummary.seq === truth.seq, 30_000);
    // Give a stray extra push the chance to show up before counting.
    await new Promise((r) => setTimeout(r, WINDOW_MS + 200));
    const pushes = summary.values.length - before;
    // 20 reports are 40 changes; the first COALESCE_BURST are pushed at once, then one push per
    // window, so a burst that spanned n windows (a handful; more on a slow machine) gives at most
    // COALESCE_BURST + n + 1 pushes.
    expect(pushes).toBeGreaterThanOrEqual(1);
    expect(pushes).toBeLessThanOrEqual(COALESCE_BURST + windows + 1);
    expect(pushes).toBeLessThan(burst);
    expect(summary.values.at(-1)!.citySummary).toEqual(truth);
    expect(summary.errors).toEqual([]);
  });
});
