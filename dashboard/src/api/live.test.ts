// LiveCity against a fake graphql-ws client and a fake fetch: snapshot after connect, events after
// its seq, a gap refetches, a close keeps the data (offline), 4401 ends in `revoked`.
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

async function started(): Promise<{ states: LiveState[]; client: FakeClient; stop: () => void }> {
  const { LiveCity } = await import('./live');
  const states: LiveState[] = [];
  const live = new LiveCity({ cityId: CITY, token: 'pst_a.b', lang: 'id', onState: (s) => states.push(s), firstPollMs: 60_000 });
  live.start();
  return { states, client: clients[0]!, stop: () => live.stop() };
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20));
const events = (client: FakeClient) => client.subscriptions.filter((s) => s.query.includes('cityEvents') && !s.disposed);

describe('LiveCity', () => {
  it('fetches the snapshot on connect, then follows events after its seq', async () => {
    const { states, client, stop } = await started();
    expect(client.options.connectionParams).toEqual({ authorization: 'Bearer pst_a.b', locale: 'id' });
    client.options.on['connected']!({});
    await settle();
    expect(states.at(-1)?.status).toBe('live');
    expect(states.at(-1)?.snapshot?.overview.seq).toBe(5);
    const [sub] = events(client);
    expect(sub?.variables).toEqual({ id: CITY, after: 5 });

    queries.length = 0;
    sub!.sink.next({ data: { cityEvents: { seq: 6, kind: 'PROGRESS_REPORTED', actionPlanId: 'p1', at: '' } } });
    sub!.sink.next({ data: { cityEvents: { seq: 6, kind: 'PROGRESS_REPORTED', actionPlanId: 'p1', at: '' } } });
    await settle();
    expect(queries).toEqual(['LayarDetails']);

    // A gap (7 missing): the whole snapshot again.
    queries.length = 0;
    seq = 8;
    sub!.sink.next({ data: { cityEvents: { seq: 8, kind: 'PROGRESS_REPORTED', actionPlanId: 'p1', at: '' } } });
    await settle();
    expect(queries).toEqual(['LayarSnapshot']);
    expect(states.at(-1)?.snapshot?.overview.seq).toBe(8);
    stop();
  });

  it('keeps its data when the socket closes, resubscribes after the next snapshot', async () => {
    const { states, client, stop } = await started();
    client.options.on['connected']!({});
    await settle();
    client.options.on['closed']!({ code: 1001, reason: 'Server shutting down' });
    expect(states.at(-1)?.status).toBe('offline');
    expect(states.at(-1)?.snapshot?.city.name).toBe('Kota Uji');
    expect(events(client)).toEqual([]);
    expect(client.options.shouldRetry({ code: 1001, reason: '' })).toBe(true);

    seq = 9;
    client.options.on['connected']!({});
    await settle();
    expect(states.at(-1)?.status).toBe('live');
    expect(events(client).map((s) => s.variables['after'])).toEqual([9]);
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

  it('ends in `revoked` on 4401 or 4403, and on HTTP 401', async () => {
    const first = await started();
    first.client.options.on['connected']!({});
    await settle();
    expect(first.client.options.shouldRetry({ code: 4403, reason: 'Forbidden' })).toBe(false);
    first.client.options.on['closed']!({ code: 4401, reason: 'Unauthorized' });
    expect(first.states.at(-1)?.status).toBe('revoked');

    clients.length = 0;
    unauthorized = true;
    const second = await started();
    second.client.options.on['connected']!({});
    await settle();
    expect(second.states.at(-1)?.status).toBe('revoked');
    second.stop();
  });
});
