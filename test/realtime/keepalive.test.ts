import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { login } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { eventually } from '../helpers/ws';

// The instance's one ticker pings every socket once per keep-alive round and drops a socket that
// did not answer the previous ping (a peer gone without a FIN: a laptop closed, a cut cable).

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

describe('keep-alive', () => {
  let server: TestServer;
  let token: string;
  let cityId: string;
  beforeAll(async () => {
    server = await startServer({ demo: true, realtime: { keepAliveMs: 1_000 } });
    token = await login(server.url, 'admin@pantau.demo');
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ cities { id name } }' }),
    });
    cityId = ((await res.json()) as { data: { cities: { id: string; name: string }[] } }).data.cities.find(
      (c) => c.name === 'Tanjungpinang',
    )!.id;
  });
  afterAll(async () => server?.close());

  it('pings every socket each round; one that stops answering is dropped, one that answers stays', async () => {
    const alive = await open(server.url, token, cityId, true);
    const dead = await open(server.url, token, cityId, false);
    expect(server.webSocket.sockets()).toBe(2);
    // Round 1 pings both; round 2 finds the silent one unanswered and drops it.
    await eventually(() => dead.state.closed, 6_000, 'the silent socket dropped');
    expect(dead.state.pings).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(alive.state.closed).toBe(false);
    expect(alive.state.pings).toBeGreaterThanOrEqual(3);
    expect(server.webSocket.sockets()).toBe(1);
    alive.ws.close();
  }, 20_000);
});
