// LiveCity against a fake graphql-ws client and a fake fetch: the full state from `cityScreen` after
// connect, patches after it with no HTTP request, a patch that does not fit resubscribes, a close
// keeps the data (offline), 4401 (or HTTP 401 while polling offline) ends in `revoked`.
// (test/realtime/screen-kiosk.test.ts runs the same LiveCity against a real server.)
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LiveState } from './live';

interface Sink {
  next(value: unknown): void;
  error(error: unknown): void;
  complete(): void;
}
interface FakeClient {
  options: {
    on: Record<string, (...args: unknown[]) => void>;
    shouldRetry(e: unknown): boolean;
    onNonLazyError: (e: unknown) => void;
    connectionParams: unknown;
  };
  subscriptions: { query: string; variables: Record<string, unknown>; sink: Sink; disposed: boolean }[];
}
const clients: FakeClient[] = [];

vi.mock('graphql-ws', () => ({
  createClient(options: FakeClient['options']) {
    const client: FakeClient = { options, subscriptions: [] };
    clients.push(client);
    return {
      subscribe(payload: { query: string; variables: Record<string, unknown> }, sink: Sink) {
        const entry = { ...payload, sink, disposed: false };
        client.subscriptions.push(entry);
        return () => (entry.disposed = true);
      },
      dispose: async () => {},
    };
  },
}));

const CITY = 'c1';
let seq = 5;
let unauthorized = false;
const queries: string[] = [];

function overview(s: number) {
  return {
    seq: s,
    asOf: '',
    today: '2026-11-30',
    progress: 70,
    daysToNextEvaluation: 3,
    counts: { done: 1, onTrack: 1, late: 1, notStarted: 1, total: 4 },
    dimensions: [],
    quickWins: [],
    opds: [],
    nextEvaluationVisit: null,
    lateActionPlans: [],
  };
}
const details = {
  reports: {
    edges: [
      { node: { id: 'r1', actionPlanId: 'p1', percent: 50, narrative: 'n', reportedAt: '2026-11-30T00:00:00Z', status: 'VERIFIED' } },
    ],
  },
  unverified: { totalCount: 0, edges: [] },
  programs: [],
  actionPlans: { pageInfo: { hasNextPage: false, endCursor: null }, edges: [] },
};

beforeEach(() => {
  clients.length = 0;
  queries.length = 0;
  seq = 5;
  unauthorized = false;
  const store = new Map<string, string>();
  vi.stubGlobal('location', { href: 'http://tv.local/dashboard/' });
  vi.stubGlobal('performance', { ...performance, clearResourceTimings: () => {} });
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => store.set(k, v),
    removeItem: (k: string) => store.delete(k),
  });
  vi.stubGlobal('fetch', async (_url: string, init: { body: string }) => {
    const { query } = JSON.parse(init.body) as { query: string };
    queries.push(/query (\w+)/.exec(query)?.[1] ?? query);
    if (unauthorized)
      return { status: 401, ok: false, json: async () => ({ errors: [{ message: 'no', extensions: { code: 'UNAUTHENTICATED' } }] }) };
    const city = query.includes('LayarSnapshot')
      ? {
          id: CITY,
          name: 'Kota Uji',
          province: 'P',
          kind: 'KOTA',
          timeZone: 'Asia/Jakarta',
          masterplans: [],
          overview: overview(seq),
          ...details,
        }
      : details;
    return { status: 200, ok: true, json: async () => ({ data: { city } }) };
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

async function started(firstPollMs = 60_000): Promise<{ states: LiveState[]; client: FakeClient; stop: () => void }> {
  const { LiveCity } = await import('./live');
  const states: LiveState[] = [];
  const live = new LiveCity({ cityId: CITY, token: 'pst_a.b', lang: 'id', onState: (s) => states.push(s), firstPollMs });
  live.start();
  return { states, client: clients[0]!, stop: () => live.stop() };
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20));
const screens = (client: FakeClient) => client.subscriptions.filter((s) => s.query.includes('cityScreen') && !s.disposed);

/** A full `cityScreen` frame at `s`. */
function full(s: number) {
  const city = {
    id: CITY,
    name: 'Kota Uji',
    province: 'P',
    kind: 'KOTA',
    timeZone: 'Asia/Jakarta',
    masterplans: [],
    reports: details.reports,
    unverified: details.unverified,
    programs: [],
  };
  return { data: { cityScreen: { seq: s, baseSeq: null, patch: null, overview: overview(s), city, plans: [] } } };
}

/** A patch frame from `base` to `s`: the city's progress and one more report in the feed. */
function patch(base: number, s: number, progress: number) {
  const report = {
    id: `r${s}`,
    actionPlanId: 'p1',
    percent: progress,
    narrative: `n${s}`,
    reportedAt: '2026-11-30T01:00:00Z',
    status: 'SUBMITTED',
  };
  return {
    data: {
      cityScreen: {
        seq: s,
        baseSeq: base,
        overview: null,
        city: null,
        plans: null,
        patch: {
          overview: { seq: s, progress },
          city: { reports: { edges: { $rows: { [`r${s}`]: { node: report } }, $order: [`r${s}`, [0, 1]] } } },
        },
      },
    },
  };
}

describe('LiveCity', () => {
  it('takes the full state from cityScreen on connect, then applies patches with no HTTP request; a patch that does not fit resubscribes', async () => {
    const { states, client, stop } = await started();
    expect(client.options.connectionParams).toEqual({ authorization: 'Bearer pst_a.b', locale: 'id' });
    client.options.on['connected']!({});
    await settle();
    const [sub] = screens(client);
    expect(sub?.variables).toEqual({ id: CITY, basis: 'ALL' });
    sub!.sink.next(full(5));
    expect(states.at(-1)?.status).toBe('live');
    expect(states.at(-1)?.snapshot?.overview.seq).toBe(5);

    sub!.sink.next(patch(5, 6, 71));
    await settle();
    expect(states.at(-1)?.snapshot?.overview).toMatchObject({ seq: 6, progress: 71 });
    expect(states.at(-1)?.snapshot?.reports.map((r) => r.id)).toEqual(['r6', 'r1']);
    expect(queries).toEqual([]);

    // A gap (the patch to 7 missing): the full state again, by resubscribing (still no HTTP request).
    sub!.sink.next(patch(7, 8, 73));
    await settle();
    expect(sub!.disposed).toBe(true);
    const [again] = screens(client);
    expect(again).toBeDefined();
    expect(states.at(-1)?.snapshot?.overview.seq).toBe(6);
    again!.sink.next(full(8));
    expect(states.at(-1)?.snapshot?.overview.seq).toBe(8);
    expect(queries).toEqual([]);
    stop();
  });

  it('keeps its data when the socket closes, resubscribes on the next connect', async () => {
    const { states, client, stop } = await started();
    client.options.on['connected']!({});
    await settle();
    screens(client)[0]!.sink.next(full(5));
    client.options.on['closed']!({ code: 1001, reason: 'Server shutting down' });
    expect(states.at(-1)?.status).toBe('offline');
    expect(states.at(-1)?.snapshot?.city.name).toBe('Kota Uji');
    expect(screens(client)).toEqual([]);
    expect(client.options.shouldRetry({ code: 1001, reason: '' })).toBe(true);

    client.options.on['connected']!({});
    await settle();
    expect(screens(client)).toHaveLength(1);
    screens(client)[0]!.sink.next(full(9));
    expect(states.at(-1)?.status).toBe('live');
    expect(states.at(-1)?.snapshot?.overview.seq).toBe(9);
    stop();
  });

  it('starts a new client when graphql-ws gives up on a fatal close (4500)', async () => {
    vi.useFakeTimers();
    try {
      const { client, stop } = await started();
      client.options.onNonLazyError({ code: 4500, reason: 'Internal server error' });
      expect(clients).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(clients).toHaveLength(2);
      stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not read the snapshot over HTTP while its first socket is still connecting; after a close it does', async () => {
    const { client, states, stop } = await started(10);
    await new Promise((r) => setTimeout(r, 60));
    expect(queries).toEqual([]);
    client.options.on['closed']!({ code: 1006, reason: '' });
    await new Promise((r) => setTimeout(r, 60));
    expect(queries).toEqual([]); // the first poll's moment has passed: the next is the regular one
    stop();
    clients.length = 0;
    const again = await started(10);
    again.client.options.on['closed']!({ code: 1006, reason: '' });
    await new Promise((r) => setTimeout(r, 60));
    expect(queries).toEqual(['LayarSnapshot']);
    expect(again.states.at(-1)?.status).toBe('offline');
    expect(states.every((s) => s.status !== 'offline')).toBe(true);
    again.stop();
  });

  it('ends in `revoked` on 4401 or 4403, and on HTTP 401', async () => {
    const first = await started();
    first.client.options.on['connected']!({});
    await settle();
    expect(first.client.options.shouldRetry({ code: 4403, reason: 'Forbidden' })).toBe(false);
    first.client.options.on['closed']!({ code: 4401, reason: 'Unauthorized' });
    expect(first.states.at(-1)?.status).toBe('revoked');

    // Offline, the snapshot is polled over HTTP: a 401 there ends it too.
    clients.length = 0;
    unauthorized = true;
    const second = await started(10);
    second.client.options.on['closed']!({ code: 1006, reason: '' });
    await new Promise((r) => setTimeout(r, 60));
    expect(second.states.at(-1)?.status).toBe('revoked');
    second.stop();
  });
});
