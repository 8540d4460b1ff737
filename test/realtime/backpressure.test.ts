import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildCity } from '../helpers/factories';
import { login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { eventually } from '../helpers/ws';

const ADMIN = { PANTAU_ADMIN_EMAIL: 'tekanan@pantau.test', PANTAU_ADMIN_PASSWORD: 'tekanan-password-1' };
const REPORT = 'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { version } }';
// A big message per change: every OPD and the first 100 late plans.
const HEAVY =
  'subscription ($id: ID!) { citySummary(cityId: $id) { seq progress opds { id name abbreviation progress actionPlanCount lateCount } lateActionPlans(first: 100) { id title progress state dueDate } } }';

describe('a subscriber that stops reading', () => {
  let server: TestServer;
  let token: string;
  let cityId: string;
  let plans: { id: string; version: number }[];

  beforeAll(async () => {
    // Low limits so the test is quick: 64 KiB of unsent data for more than 1 s closes the socket.
    server = await startServer({
      demo: false,
      env: { ...ADMIN, WS_MAX_BUFFERED_BYTES: '65536', WS_SLOW_CONSUMER_SECONDS: '1' },
      realtime: { coalesceMs: 10 },
    });
    const built = await buildCity(server.orm.em.fork(), { plans: 300, opds: 60 });
    cityId = built.city.id;
    plans = built.plans.map((p) => ({ id: p.id, version: p.version }));
    token = await login(server.url, ADMIN.PANTAU_ADMIN_EMAIL, ADMIN.PANTAU_ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('is fed no further than the buffer limit and is closed (1013), while the server keeps answering', async () => {
    const raw = new WebSocket(`${server.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    const received: string[] = [];
    const closed = new Promise<number>((resolve) => raw.on('close', (code) => resolve(code)));
    raw.on('message', (data) => received.push(String(data)));
    await new Promise((resolve) => raw.once('open', resolve));
    raw.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
    await eventually(() => received.some((m) => m.includes('connection_ack')), 5_000, 'ack');
    for (let i = 0; i < 40; i++)
      raw.send(JSON.stringify({ id: String(i), type: 'subscribe', payload: { query: HEAVY, variables: { id: cityId } } }));
    await eventually(() => received.filter((m) => m.includes('"next"')).length >= 40, 10_000, 'the first pushes');
    const size = received.at(-1)!.length;
    // The client stops reading its TCP socket.
    (raw as unknown as { _socket: import('node:net').Socket })._socket.pause();

    let maxBuffered = 0;
    const sampler = setInterval(() => (maxBuffered = Math.max(maxBuffered, server.webSocket?.bufferedBytes() ?? 0)), 20);
    try {
      // Far more than the kernel's socket buffers hold: 60 changes × 40 subscriptions × the message.
      for (let i = 0; i < 60; i++) {
        const plan = plans[i]!;
        const data = await ok<any>(
          server.url,
          REPORT,
          { input: { actionPlanId: plan.id, percent: 1 + i, narrative: 'tekanan', expectedVersion: plan.version } },
          token,
        );
        plan.version = data.reportProgress.version;
        await new Promise((r) => setTimeout(r, 15));
      }
      // Over the limit for more than a second: closed, and dropped a second later.
      await new Promise((r) => setTimeout(r, 3_000));
    } finally {
      clearInterval(sampler);
    }
    // At most one message per operation beyond the limit was queued when it was crossed.
    expect(maxBuffered).toBeLessThan(65_536 + 40 * size + 65_536);
    // The client, reading again, sees the connection end (the close frame, if it got out before the drop).
    (raw as unknown as { _socket: import('node:net').Socket })._socket.resume();
    const code = await Promise.race([closed, new Promise<string>((r) => setTimeout(() => r('still open'), 5_000))]);
    expect([1013, 1006]).toContain(code);
    expect(server.webSocket.sockets()).toBe(0);
    // The server is fine.
    expect((await ok<any>(server.url, '{ me { email } }', {}, token)).me.email).toBe(ADMIN.PANTAU_ADMIN_EMAIL);
  }, 60_000);
});
