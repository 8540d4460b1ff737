// The kiosk's own LiveCity (dashboard/src/api/live.ts) run in Node against a real server, as the
// browser runs it (`fetch`, a WebSocket, `localStorage`, `location`): after its first state a report
// costs it no HTTP request; a lost patch (a frame dropped on its socket) is a gap it repairs by
// resubscribing, still without HTTP; and what it shows is what a fresh snapshot says.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { LiveCity, type LiveStats } from '../../dashboard/src/api/live';
import { MAX_PLAN_PAGES, MORE_PLANS_QUERY, SNAPSHOT_QUERY, toDetails } from '../../dashboard/src/api/queries';
import { testDialects } from '../helpers/db';
import { demoCity, type DemoCity } from '../helpers/demo-city';
import { ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { eventually } from '../helpers/ws';

/** Drops the next patch frame (`"baseSeq":<n>`) it receives when asked: a frame lost on the way. */
const loss = { dropNext: false, dropped: 0 };
class LossyWebSocket extends WebSocket {
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    // graphql-ws listens with `onmessage`: ws's own accessor, given a handler that may drop a frame.
    const own = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage')!;
    Object.defineProperty(this, 'onmessage', {
      get: () => own.get!.call(this) as unknown,
      set: (handler: ((event: WebSocket.MessageEvent) => void) | null) =>
        own.set!.call(
          this,
          handler &&
            ((event: WebSocket.MessageEvent) => {
              if (loss.dropNext && /"baseSeq":\d/.test(String(event.data))) {
                loss.dropNext = false;
                loss.dropped++;
                return;
              }
              handler(event);
            }),
        ),
    });
  }
}

class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem = (key: string): string | null => this.items.get(key) ?? null;
  setItem = (key: string, value: string): void => void this.items.set(key, String(value));
  removeItem = (key: string): void => void this.items.delete(key);
}

describe.each(await testDialects())("the kiosk's LiveCity in Node on %s", (dialect) => {
  let server: TestServer;
  let demo: DemoCity;
  let token: string;
  /** The kiosk's HTTP requests (its operations are named Layar…). */
  const kiosk: string[] = [];
  const realFetch = globalThis.fetch;

  beforeAll(async () => {
    server = await startServer({ dialect, demo: true, realtime: { coalesceMs: 50 } });
    demo = await demoCity(server.url);
    token = (
      await ok<any>(
        server.url,
        'mutation ($input: CreateScreenTokenInput!) { createScreenToken(input: $input) { token } }',
        { input: { cityId: demo.cityId, label: 'Layar Node' } },
        demo.admin,
      )
    ).createScreenToken.token;
    vi.stubGlobal('location', { href: `${server.url}/dashboard/` });
    vi.stubGlobal('localStorage', new MemoryStorage());
    vi.stubGlobal('WebSocket', LossyWebSocket);
    vi.stubGlobal('fetch', (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
      const name = /(?:query|mutation) (Layar\w+)/.exec(String(init?.body ?? ''))?.[1];
      if (name) kiosk.push(name);
      return realFetch(input, init);
    });
  });
  afterAll(async () => {
    vi.unstubAllGlobals();
    await server?.close();
  });

  /** What a fresh HTTP snapshot says (the kiosk's own queries, as a reader other than the kiosk). */
  async function fresh() {
    const data = await ok<any>(server.url, SNAPSHOT_QUERY.replace('LayarSnapshot', 'Truth'), { id: demo.cityId }, demo.admin);
    const more: any[] = [];
    let info = data.city.actionPlans.pageInfo;
    for (let i = 1; i < MAX_PLAN_PAGES && info.hasNextPage; i++) {
      const page = await ok<any>(
        server.url,
        MORE_PLANS_QUERY.replace('LayarPlans', 'TruthPlans'),
        { id: demo.cityId, after: info.endCursor },
        demo.admin,
      );
      more.push(...page.city.actionPlans.edges.map((e: any) => e.node));
      info = page.city.actionPlans.pageInfo;
    }
    return { overview: { ...data.city.overview, asOf: null }, ...toDetails(data.city, more) };
  }

  it('a report costs it no HTTP request; a lost patch is repaired by resubscribing; it ends on the numbers of a fresh snapshot', async () => {
    const stats: LiveStats = { events: 0, gaps: 0, snapshots: 0, connects: 0 };
    const city = new LiveCity({ cityId: demo.cityId, token, lang: 'id', stats, onState: () => {}, firstPollMs: 600_000, pollMs: 600_000 });
    city.start();
    try {
      await eventually(() => city.current.status === 'live' && stats.snapshots === 1, 15_000, 'first state');
      // Even the first state came over the socket.
      expect(kiosk).toEqual([]);
      const shows = (seq: number, narrative: string) =>
        city.current.snapshot?.overview.seq === seq && city.current.snapshot.reports.some((r) => r.narrative === narrative);
      const seqNow = async () =>
        (await ok<any>(server.url, 'query ($id: ID!) { city(id: $id) { overview { seq } } }', { id: demo.cityId }, demo.admin)).city
          .overview.seq as number;

      const [a, b, c] = demo.plans;
      await demo.report(a!, 61);
      await eventually(async () => shows(await seqNow(), 'laporan 61'), 10_000, 'report shown');
      expect(kiosk).toEqual([]);
      expect(stats.gaps).toBe(0);

      // The next patch is lost on the way; the one after it does not fit: the full state again.
      loss.dropNext = true;
      await demo.report(b!, 62);
      await eventually(() => loss.dropped === 1, 10_000, 'a patch dropped');
      await demo.report(c!, 63);
      await eventually(async () => shows(await seqNow(), 'laporan 63'), 10_000, 'state repaired');
      expect(stats.gaps).toBe(1);
      expect(stats.snapshots).toBe(2);
      expect(kiosk).toEqual([]);

      const shown = city.current.snapshot!;
      const { city: _info, ...rest } = shown;
      expect({ ...rest, overview: { ...rest.overview, asOf: null } }).toEqual(await fresh());
    } finally {
      city.stop();
    }
  });
});
