import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { frameCounters } from '../../server/realtime/frames';
import { buildCity } from '../helpers/factories';
import { login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { eventually } from '../helpers/ws';

// Direct delivery (server/realtime/direct.ts): shared results are written straight to each socket,
// not pulled through graphql-ws's per-socket iterator chain. These tests check what a client sees.

const ADMIN = { PANTAU_ADMIN_EMAIL: 'langsung@pantau.test', PANTAU_ADMIN_PASSWORD: 'langsung-password-1' };
const REPORT = 'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { version } }';
const SUMMARY = 'subscription ($id: ID!) { citySummary(cityId: $id) { seq progress counts { total late } } }';
const EVENTS = 'subscription ($id: ID!) { cityEvents(cityId: $id) { seq kind entityId } }';
// A big message per change, so that a socket that stops reading goes over the buffer limit quickly.
const HEAVY =
  'subscription ($id: ID!) { citySummary(cityId: $id) { seq opds { id name abbreviation progress actionPlanCount lateCount } lateActionPlans(first: 100) { id title progress state dueDate } } }';

interface Client {
  ws: WebSocket;
  frames: string[];
  nexts(id: string): any[];
}

async function connect(url: string, token: string): Promise<Client> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  const frames: string[] = [];
  ws.on('message', (data) => frames.push(String(data)));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await eventually(() => frames.includes('{"type":"connection_ack"}'), 5_000, 'ack');
  return {
    ws,
    frames,
    nexts: (id) =>
      frames
        .map((f) => JSON.parse(f))
        .filter((m) => m.type === 'next' && m.id === id)
        .map((m) => m.payload),
  };
}

const tcp = (client: Client) => (client.ws as unknown as { _socket: import('node:net').Socket })._socket;

describe('direct delivery of live results', () => {
  let server: TestServer;
  let token: string;
  let cityId: string;
  let plans: { id: string; version: number }[];
  const clients: Client[] = [];

  async function report(i: number): Promise<void> {
    const plan = plans[i % plans.length]!;
    const data = await ok<any>(
      server.url,
      REPORT,
      { input: { actionPlanId: plan.id, percent: 1 + (i % 99), narrative: `langsung ${i}`, expectedVersion: plan.version } },
      token,
    );
    plan.version = data.reportProgress.version;
  }

  beforeAll(async () => {
    // 64 KiB of unsent data pauses a socket; it is closed only after 30 s over it.
    server = await startServer({
      demo: false,
      env: { ...ADMIN, WS_MAX_BUFFERED_BYTES: '65536', WS_SLOW_CONSUMER_SECONDS: '30' },
      realtime: { coalesceMs: 10 },
    });
    const built = await buildCity(server.orm.em.fork(), { plans: 300, opds: 60 });
    cityId = built.city.id;
    plans = built.plans.map((p) => ({ id: p.id, version: p.version }));
    token = await login(server.url, ADMIN.PANTAU_ADMIN_EMAIL, ADMIN.PANTAU_ADMIN_PASSWORD);
  });
  afterAll(async () => {
    for (const c of clients) c.ws.terminate();
    await server?.close();
  });

  it('writes every change once per subscription, without graphql-ws pulling it, and completes and errors as graphql-ws does', async () => {
    for (let i = 0; i < 6; i++) clients.push(await connect(server.url, token));
    for (const c of clients) {
      c.ws.send(JSON.stringify({ id: 's', type: 'subscribe', payload: { query: SUMMARY, variables: { id: cityId } } }));
      c.ws.send(JSON.stringify({ id: 'e', type: 'subscribe', payload: { query: EVENTS, variables: { id: cityId } } }));
    }
    await eventually(() => clients.every((c) => c.nexts('s').length === 1), 5_000, 'the first summaries');
    await new Promise((r) => setTimeout(r, 200)); // every cityEvents subscription live
    const before = frameCounters.direct;
    const counted = clients.map((c) => c.nexts('e').length + c.nexts('s').length);
    await report(0);
    // A report is two events (the report and the plan's new progress), and a summary at the last.
    const last = () => clients[0]!.nexts('e').at(-1)?.data.cityEvents.seq as number | undefined;
    await eventually(
      () => last() !== undefined && clients.every((c) => c.nexts('s').at(-1).data.citySummary.seq === last() && c.nexts('e').length === 2),
      5_000,
      'the change',
    );
    const seq = last()!;
    for (const c of clients) {
      expect(c.nexts('e').map((p) => p.data.cityEvents.seq)).toEqual([seq - 1, seq]);
      expect(c.nexts('e')[0].data.cityEvents).toMatchObject({ kind: 'PROGRESS_REPORTED', entityId: expect.any(String) });
    }
    // Every frame the clients got since was written directly, none through graphql-ws's pull.
    const received = clients.reduce((n, c, i) => n + c.nexts('e').length + c.nexts('s').length - counted[i]!, 0);
    expect(received).toBeGreaterThanOrEqual(clients.length * 3);
    expect(frameCounters.direct - before).toBe(received);
    // `complete` from the client ends the subscription: nothing more is written to it.
    const [first] = clients as [Client];
    first.ws.send(JSON.stringify({ id: 'e', type: 'complete' }));
    await new Promise((r) => setTimeout(r, 100));
    await report(1);
    await eventually(() => clients.slice(1).every((c) => c.nexts('e').length === 4), 5_000, 'the second change');
    await eventually(() => first.nexts('s').at(-1).data.citySummary.seq === seq + 2, 5_000, 'the summary on the first socket');
    expect(first.nexts('e')).toHaveLength(2);
    // A subscription id may be reused once completed, and then gets the new changes.
    first.ws.send(JSON.stringify({ id: 'e', type: 'subscribe', payload: { query: EVENTS, variables: { id: cityId } } }));
    await new Promise((r) => setTimeout(r, 200));
    await report(2);
    await eventually(() => first.nexts('e').length === 4, 5_000, 'the resubscribed events');
    expect(first.nexts('e').map((p) => p.data.cityEvents.seq)).toEqual([seq - 1, seq, seq + 3, seq + 4]);
    // No frame for an id the client did not subscribe.
    expect(first.frames.map((f) => JSON.parse(f)).filter((m) => m.id && m.id !== 's' && m.id !== 'e')).toEqual([]);
  }, 60_000);

  it('holds results for a socket that stops reading and writes them in order, gap-free, when it reads again', async () => {
    const slow = await connect(server.url, token);
    clients.push(slow);
    slow.ws.send(JSON.stringify({ id: 'ev', type: 'subscribe', payload: { query: EVENTS, variables: { id: cityId } } }));
    for (let i = 0; i < 40; i++)
      slow.ws.send(JSON.stringify({ id: `h${i}`, type: 'subscribe', payload: { query: HEAVY, variables: { id: cityId } } }));
    await eventually(() => slow.nexts('h39').length === 1, 5_000, 'the first heavy summaries');
    await new Promise((r) => setTimeout(r, 200));
    tcp(slow).pause();
    let maxBuffered = 0;
    const sampler = setInterval(() => (maxBuffered = Math.max(maxBuffered, server.webSocket?.bufferedBytes() ?? 0)), 10);
    const from = 10;
    try {
      for (let i = 0; i < 30; i++) await report(from + i);
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      clearInterval(sampler);
    }
    // The server held back: it wrote far less than 30 changes × 40 heavy summaries.
    const size = slow.frames.at(-1)!.length;
    expect(maxBuffered).toBeLessThan(65_536 + 41 * size + 65_536);
    expect(maxBuffered).toBeGreaterThan(65_536);
    tcp(slow).resume();
    // The ticker sees the drained socket within a second or two and writes what was held.
    await eventually(() => slow.nexts('ev').length === 60, 15_000, 'every held event (30 reports, 2 events each)');
    const seqs = slow.nexts('ev').map((p) => p.data.cityEvents.seq as number);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    // The summaries end at the last change, too.
    await eventually(() => slow.nexts('h0').at(-1)?.data.citySummary.seq === seqs.at(-1), 15_000, 'the last summary');
    expect(slow.ws.readyState).toBe(WebSocket.OPEN);
  }, 60_000);

  it('drops what it held for a subscription that ends: a reused id gets only its own results', async () => {
    const slow = await connect(server.url, token);
    clients.push(slow);
    slow.ws.send(JSON.stringify({ id: 'x', type: 'subscribe', payload: { query: EVENTS, variables: { id: cityId } } }));
    for (let i = 0; i < 40; i++)
      slow.ws.send(JSON.stringify({ id: `g${i}`, type: 'subscribe', payload: { query: HEAVY, variables: { id: cityId } } }));
    await eventually(() => slow.nexts('g39').length === 1, 5_000, 'the first heavy summaries');
    await new Promise((r) => setTimeout(r, 200));
    tcp(slow).pause();
    for (let i = 0; i < 30; i++) await report(50 + i);
    await new Promise((r) => setTimeout(r, 300));
    expect(server.webSocket.bufferedBytes()).toBeGreaterThan(65_536);
    // The client (still sending) ends `x` and starts a new `x` while its old results are held.
    const head = (await ok<any>(server.url, 'query ($id: ID!) { city(id: $id) { overview { seq } } }', { id: cityId }, token)).city.overview
      .seq as number;
    slow.ws.send(JSON.stringify({ id: 'x', type: 'complete' }));
    await new Promise((r) => setTimeout(r, 200));
    // From `head` on (a replay if it starts after the report): the new `x` gets the next events
    // however long the server takes to start it (a fixed pause was a flake on a loaded machine).
    slow.ws.send(
      JSON.stringify({
        id: 'x',
        type: 'subscribe',
        payload: {
          query: 'subscription ($id: ID!, $after: Int) { cityEvents(cityId: $id, afterSeq: $after) { seq kind entityId } }',
          variables: { id: cityId, after: head },
        },
      }),
    );
    await new Promise((r) => setTimeout(r, 200));
    await report(90);
    tcp(slow).resume();
    await eventually(() => slow.nexts('x').some((p) => p.data.cityEvents.seq === head + 2), 15_000, "the new subscription's events");
    await new Promise((r) => setTimeout(r, 1_500));
    const seqs = slow.nexts('x').map((p) => p.data.cityEvents.seq as number);
    // The old `x` got what was written before the socket filled up, not the 60 events it held...
    expect(seqs.filter((q) => q <= head).length).toBeLessThan(60);
    // ...and the new `x` exactly its own, in order, after them.
    expect(seqs.filter((q) => q > head)).toEqual([head + 1, head + 2]);
    expect(seqs.indexOf(head + 1)).toBe(seqs.length - 2);
  }, 60_000);
});
