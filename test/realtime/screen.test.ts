// `cityScreen` (issue 23): the whole screen pushed, computed once per change for every screen, a
// small patch per change, and patches that add up to what a fresh snapshot says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_PLAN_PAGES, MORE_PLANS_QUERY, SCREEN_SUBSCRIPTION, SNAPSHOT_QUERY } from '../../dashboard/src/api/queries';
import { frameCounters } from '../../server/realtime/frames';
import { applyState, type Json } from '../../server/realtime/state-patch';
import { testDialects } from '../helpers/db';
import { demoCity, type DemoCity } from '../helpers/demo-city';
import { login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { eventually } from '../helpers/ws';

/** A raw graphql-transport-ws socket that keeps every frame as it came (to count its bytes). */
interface RawSocket {
  frames: string[];
  subscribe(id: string, query: string, variables: Record<string, unknown>): void;
  /** The `next` frames of a subscription: their raw text and payload. */
  nexts(id: string): { raw: string; payload: any }[];
  close(): void;
}

async function rawSocket(url: string, token: string): Promise<RawSocket> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  const frames: string[] = [];
  ws.on('message', (data) => frames.push(Buffer.from(data as Buffer).toString('utf8')));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await eventually(() => frames.includes('{"type":"connection_ack"}'), 5_000, 'ack');
  return {
    frames,
    subscribe: (id, query, variables) => ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } })),
    nexts: (id) =>
      frames
        .map((raw) => ({ raw, message: JSON.parse(raw) }))
        .filter((f) => f.message.type === 'next' && f.message.id === id)
        .map((f) => ({ raw: f.raw, payload: f.message.payload })),
    close: () => ws.close(),
  };
}

/** The kiosk's state as the HTTP snapshot gives it, in the shape `cityScreen` pushes (`overview`, `city`, `plans`). */
async function httpState(url: string, token: string, cityId: string): Promise<any> {
  const data = await ok<any>(url, SNAPSHOT_QUERY, { id: cityId, basis: 'ALL' }, token);
  const { overview, actionPlans, ...city } = data.city;
  const plans = actionPlans.edges.map((e: any) => e.node);
  let info = actionPlans.pageInfo;
  for (let i = 1; i < MAX_PLAN_PAGES && info.hasNextPage; i++) {
    const more = await ok<any>(url, MORE_PLANS_QUERY, { id: cityId, after: info.endCursor }, token);
    plans.push(...more.city.actionPlans.edges.map((e: any) => e.node));
    info = more.city.actionPlans.pageInfo;
  }
  return { overview, city, plans };
}

/** The state fields of a full frame. */
const stateOf = (frame: any) => ({ overview: frame.overview, city: frame.city, plans: frame.plans });
/** Without the overview's `asOf` (when it was computed: not a number the screen shows). */
const comparable = (state: any) => ({ ...state, overview: { ...state.overview, asOf: null } });

describe.each(await testDialects())('cityScreen on %s', (dialect) => {
  let server: TestServer;
  let demo: DemoCity;
  let viewer: string;
  const screens: string[] = [];
  const sockets: RawSocket[] = [];
  const seqNow = async () =>
    (await ok<any>(server.url, 'query ($id: ID!) { city(id: $id) { overview { seq } } }', { id: demo.cityId }, demo.admin)).city.overview
      .seq as number;

  beforeAll(async () => {
    server = await startServer({ dialect, demo: true, realtime: { coalesceMs: 50 } });
    demo = await demoCity(server.url);
    viewer = await login(server.url, 'viewer@tanjungpinang.demo');
    for (let i = 0; i < 3; i++) {
      const created = await ok<any>(
        server.url,
        'mutation ($input: CreateScreenTokenInput!) { createScreenToken(input: $input) { token } }',
        { input: { cityId: demo.cityId, label: `Layar ${i + 1}` } },
        demo.admin,
      );
      screens.push(created.createScreenToken.token);
    }
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await server?.close();
  });

  it('N screens: one run, one execution per change; the full state first, then patches under 2 KB that add up to a fresh snapshot', async () => {
    const shared = server.services.live!.shared;
    const N = 8;
    const readers = await Promise.all(Array.from({ length: N }, (_, i) => rawSocket(server.url, screens[i % screens.length]!)));
    sockets.push(...readers);
    const before = { ...shared.counters, ...frameCounters };
    const vars = { id: demo.cityId, basis: 'ALL' };
    for (const r of readers) r.subscribe('s', SCREEN_SUBSCRIPTION, vars);
    await eventually(() => readers.every((r) => r.nexts('s').length >= 1), 15_000, 'full states');
    // One run, one execution, one serialisation greeted every screen (screen tokens read alike).
    expect(shared.counters.runs - before.runs).toBe(1);
    expect(shared.counters.executions - before.executions).toBe(1);
    expect(frameCounters.serialised - before.serialised).toBe(1);
    const fulls = readers.map((r) => r.nexts('s')[0]!.payload.data.cityScreen);
    for (const f of fulls) {
      expect(f.baseSeq).toBeNull();
      expect(f.patch).toBeNull();
      expect(f).toEqual(fulls[0]);
    }
    const first = fulls[0]!;
    expect(first.plans.length).toBeGreaterThan(0);
    expect(comparable(stateOf(first))).toEqual(comparable(await httpState(server.url, demo.admin, demo.cityId)));

    // Three one-plan reports, one at a time.
    const pushed = { ...shared.counters, ...frameCounters };
    for (const [k, plan] of demo.plans.slice(0, 3).entries()) {
      await demo.report(plan, 41 + k);
      const seq = await seqNow();
      await eventually(() => readers.every((r) => r.nexts('s').some((n) => n.payload.data.cityScreen.seq === seq)), 10_000, 'patch');
    }
    const frames = readers.map((r) => r.nexts('s').slice(1));
    const count = frames[0]!.length;
    expect(count).toBeGreaterThanOrEqual(3);
    for (const f of frames) expect(f.length).toBe(count);
    // Once per change for all N screens: the execution, the patch's serialisation.
    expect(shared.counters.runs - pushed.runs).toBe(0);
    expect(shared.counters.executions - pushed.executions).toBe(count);
    expect(frameCounters.serialised - pushed.serialised).toBe(count);
    let state: Json = stateOf(first);
    let seq = first.seq as number;
    const sizes: number[] = [];
    for (const { raw, payload } of frames[0]!) {
      const frame = payload.data.cityScreen;
      expect(frame.baseSeq).toBe(seq);
      expect(frame.overview).toBeNull();
      expect(frame.city).toBeNull();
      expect(frame.plans).toBeNull();
      sizes.push(Buffer.byteLength(raw));
      state = applyState(state, frame.patch);
      seq = frame.seq;
    }
    // Every screen got the same bytes (only the subscription id would differ).
    for (const f of frames) expect(f.map((x) => x.raw)).toEqual(frames[0]!.map((x) => x.raw));
    console.log(
      `[screen ${dialect}] full state ${Buffer.byteLength(readers[0]!.nexts('s')[0]!.raw)} B; patch frames ${sizes.join(', ')} B`,
    );
    for (const size of sizes) expect(size).toBeLessThan(2_048);
    // The patches add up to the truth: what the HTTP snapshot says now, and a new subscriber's full state.
    const truth = await httpState(server.url, demo.admin, demo.cityId);
    expect(comparable(state)).toEqual(comparable(truth));
    const late = await rawSocket(server.url, screens[0]!);
    sockets.push(late);
    const greeted = { ...shared.counters };
    late.subscribe('s', SCREEN_SUBSCRIPTION, vars);
    await eventually(() => late.nexts('s').length >= 1, 10_000, 'late full state');
    expect(shared.counters.executions - greeted.executions).toBe(0); // greeted with the run's latest state
    const fresh = late.nexts('s')[0]!.payload.data.cityScreen;
    expect(fresh.seq).toBe(seq);
    expect(stateOf(fresh)).toEqual(state);
    for (const r of [...readers, late]) r.close();
    await eventually(() => shared.size === 0, 5_000, 'run ended');
  });

  it('a person shares no run with the screens (perViewer), and reads the same state', async () => {
    const shared = server.services.live!.shared;
    const [screen, person] = await Promise.all([rawSocket(server.url, screens[0]!), rawSocket(server.url, viewer)]);
    sockets.push(screen, person);
    const before = { ...shared.counters };
    for (const r of [screen, person]) r.subscribe('s', SCREEN_SUBSCRIPTION, { id: demo.cityId });
    await eventually(() => [screen, person].every((r) => r.nexts('s').length >= 1), 10_000, 'full states');
    expect(shared.counters.runs - before.runs).toBe(2);
    expect(person.nexts('s')[0]!.payload.data.cityScreen).toEqual(screen.nexts('s')[0]!.payload.data.cityScreen);
    screen.close();
    person.close();
    await eventually(() => shared.size === 0, 5_000, 'runs ended');
  });
});
