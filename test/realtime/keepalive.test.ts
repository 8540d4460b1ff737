import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { login } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { eventually } from '../helpers/ws';

// The instance's one ticker visits every socket once per keep-alive round: a socket heard from since
// the last round is left alone, a silent one is pinged, and one still silent a round after its ping
// is dropped (a peer gone without a FIN: a laptop closed, a cut cable).

const SUMMARY = 'subscription ($id: ID!) { citySummary(cityId: $id) { seq progress } }';

async function open(url: string, token: string, cityId: string, autoPong: boolean) {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', { autoPong });
  const state = { pings: 0, closed: false, nexts: 0 };
  ws.on('ping', () => state.pings++);
  ws.on('close', () => (state.closed = true));
  ws.on('message', (data) => {
    const m = JSON.parse(String(data));
    if (m.type === 'connection_ack')
      ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUMMARY, variables: { id: cityId } } }));
    if (m.type === 'next') state.nexts++;
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await eventually(() => state.nexts > 0, 5_000, 'the first summary');
  return { ws, state };
}

/** An admin's token on `server` and the id of its demo city Tanjungpinang. */
async function cityOf(server: TestServer): Promise<[string, string]> {
  const token = await login(server.url, 'admin@pantau.demo');
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ cities { id name } }' }),
  });
  const cities = ((await res.json()) as { data: { cities: { id: string; name: string }[] } }).data.cities;
  return [token, cities.find((c) => c.name === 'Tanjungpinang')!.id];
}

describe('keep-alive', () => {
  let server: TestServer;
  let token: string;
  let cityId: string;
  beforeAll(async () => {
    server = await startServer({ demo: true, realtime: { keepAliveMs: 1_000 } });
    [token, cityId] = await cityOf(server);
  });
  afterAll(async () => server?.close());

  it('pings silent sockets every other round and drops one that stops answering; a client that pings is never pinged', async () => {
    const alive = await open(server.url, token, cityId, true);
    const dead = await open(server.url, token, cityId, false);
    // Like the dashboard's graphql-ws client: a `ping` message every 500 ms, and no answer to WebSocket pings.
    const talker = await open(server.url, token, cityId, false);
    const pongs: string[] = [];
    talker.ws.on('message', (data) => String(data).includes('"pong"') && pongs.push(String(data)));
    const chatter = setInterval(() => talker.ws.send('{"type":"ping"}'), 500);
    try {
      expect(server.webSocket.sockets()).toBe(3);
      // Rounds of 1 s: the silent socket is pinged in the first round that finds it silent and dropped in the next.
      await eventually(() => dead.state.closed, 8_000, 'the silent socket dropped');
      expect(dead.state.pings).toBe(1);
      await new Promise((r) => setTimeout(r, 3_000));
      expect(alive.state.closed).toBe(false);
      expect(alive.state.pings).toBeGreaterThanOrEqual(2);
      expect(talker.state.closed).toBe(false);
      expect(talker.state.pings).toBe(0);
      expect(pongs.length).toBeGreaterThan(5);
      expect(server.webSocket.sockets()).toBe(2);
    } finally {
      clearInterval(chatter);
      alive.ws.close();
      talker.ws.close();
    }
  }, 30_000);

  it("spreads a round's pings over its seconds, each socket pinged once a round at most", async () => {
    const spread = await startServer({ demo: true, realtime: { keepAliveMs: 4_000 } });
    const sockets: Awaited<ReturnType<typeof open>>[] = [];
    try {
      const [mine, city] = await cityOf(spread);
      const times: number[][] = [];
      for (let i = 0; i < 8; i++) {
        const s = await open(spread.url, mine, city, true);
        const pings: number[] = [];
        s.ws.on('ping', () => pings.push(Date.now()));
        times.push(pings);
        sockets.push(s);
      }
      // Rounds of 4 s: each silent socket is visited (its first visit finds it just heard from),
      // then pinged at its next visit, a round later; 8 sockets are 2 a second.
      await eventually(() => times.every((t) => t.length >= 1), 15_000, 'every socket pinged');
      const firsts = times.map((t) => t[0]!);
      expect(Math.max(...firsts) - Math.min(...firsts)).toBeGreaterThanOrEqual(1_500);
      await new Promise((r) => setTimeout(r, 2_000));
      // Pinged, answered: the next visit leaves it alone, so no socket has a second ping within a round.
      for (const t of times) expect(t.length).toBe(1);
      expect(sockets.every((s) => !s.state.closed)).toBe(true);
    } finally {
      for (const s of sockets) s.ws.close();
      await spread.close();
    }
  }, 40_000);
});
