import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../helpers/gql';
import { demoCity, type DemoCity } from '../helpers/demo-city';
import { startServer, type TestServer } from '../helpers/server';
import { collect, wsClient, type TestWsClient } from '../helpers/ws';

const SUMMARY = 'subscription ($id: ID!) { citySummary(cityId: $id) { seq progress counts { total late done } } }';
/** A long window, so that "arrived at once" cannot be the window passing by. */
const WINDOW_MS = 2_000;

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

  it('pushes a lone report at once, well before the window ends', async () => {
    const ws = wsClient(server.url, admin);
    sockets.push(ws);
    const summary = collect(ws, SUMMARY, { id: cityId });
    const first = (await summary.until(() => true)).citySummary;
    // Past any window the subscription itself may have opened.
    await new Promise((r) => setTimeout(r, WINDOW_MS + 200));
    const started = Date.now();
    await report(plans[0]!, 31);
    const pushed = (await summary.until((v: any) => v.citySummary.seq > first.seq, 5_000)).citySummary;
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(WINDOW_MS / 2);
    // A report is two changes; the push may reflect the first or both: the trailing push ends on the truth.
    const truth = await overview();
    const last = (await summary.until((v: any) => v.citySummary.seq === truth.seq, 5_000)).citySummary;
    expect(last).toEqual(truth);
    expect(pushed.seq).toBeGreaterThan(first.seq);
  });

  it('still coalesces a burst: far fewer pushes than changes, the last equal to a fresh overview', async () => {
    const ws = wsClient(server.url, admin);
    sockets.push(ws);
    const summary = collect(ws, SUMMARY, { id: cityId });
    await summary.until(() => true);
    await new Promise((r) => setTimeout(r, WINDOW_MS + 200));
    const before = summary.values.length;
    const burst = 20;
    for (let i = 0; i < burst; i++) await report(plans[i % plans.length]!, 40 + i);
    const truth = await overview();
    await summary.until((v: any) => v.citySummary.seq === truth.seq, WINDOW_MS * 3);
    // Give a stray extra push the chance to show up before counting.
    await new Promise((r) => setTimeout(r, WINDOW_MS + 200));
    const pushes = summary.values.length - before;
    // 20 reports are 40 changes; a burst shorter than a few windows gives a handful of pushes.
    expect(pushes).toBeGreaterThanOrEqual(1);
    expect(pushes).toBeLessThanOrEqual(6);
    expect(summary.values.at(-1)!.citySummary).toEqual(truth);
    expect(summary.errors).toEqual([]);
  });
});
