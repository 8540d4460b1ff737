import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/db';
import { login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { collect, eventually, wsClient, type TestWsClient } from '../helpers/ws';

const SECRET = new TextEncoder().encode('test-secret-test-secret-test-secret-0123456789');
const SUMMARY = 'subscription ($id: ID!) { citySummary(cityId: $id) { seq } }';

describe.each(await testDialects())('the lifecycle of sockets on %s', (dialect) => {
  let server: TestServer;
  let admin: string;
  let cityId: string;
  let statements = 0;
  const sockets: TestWsClient[] = [];
  const open = (token: string) => {
    const ws = wsClient(server.url, token);
    sockets.push(ws);
    return ws;
  };
  /** A socket that has authenticated and runs a summary subscription. */
  const subscribed = async (token: string) => {
    const ws = open(token);
    const sub = collect(ws, SUMMARY, { id: cityId });
    await eventually(() => sub.values.length > 0 || ws.closes.length > 0, 10_000, 'a value or a close');
    return ws;
  };

  beforeAll(async () => {
    // The database re-check runs every second here, so a per-socket re-check would show in the statement count.
    server = await startServer({
      dialect,
      demo: true,
      env: { WS_MAX_SOCKETS_PER_SUBJECT: '30' },
      onQuery: () => statements++,
      realtime: { recheckMs: 1_000 },
    });
    admin = await login(server.url, 'admin@pantau.demo');
    cityId = (await ok<any>(server.url, '{ cities { id name } }', {}, admin)).cities.find((c: any) => c.name === 'Tanjungpinang').id;
  });
  afterAll(async () => {
    for (const s of sockets) await s.dispose().catch(() => {});
    await server?.close();
  });

  it('re-checks idle sockets against the database in one batch per round, not one query per socket', async () => {
    const idle = await Promise.all(Array.from({ length: 30 }, () => subscribed(admin)));
    expect(idle.every((ws) => ws.closes.length === 0)).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    statements = 0;
    await new Promise((r) => setTimeout(r, 3_200));
    // About three rounds of one query each (30 sockets of one user); one query per socket per round would be 90.
    expect(statements).toBeGreaterThanOrEqual(1);
    expect(statements).toBeLessThanOrEqual(6);
    for (const ws of idle) await ws.dispose();
  });

  it('keeps re-checking after the database failed a round, and then closes a socket whose session ended without a notice', async () => {
    const cityAdmin = await login(server.url, 'bappelitbang@tanjungpinang.demo');
    await ok(
      server.url,
      'mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }',
      { input: { email: `hilang-${dialect}@tanjungpinang.test`, name: 'Hilang', password: 'password-hilang-1', role: 'VIEWER', cityId } },
      cityAdmin,
    );
    const token = await login(server.url, `hilang-${dialect}@tanjungpinang.test`, 'password-hilang-1');
    const ws = await subscribed(token);
    const connection = server.orm.em.getConnection();
    // The users table is gone for a few rounds: every re-check fails.
    await connection.execute('alter table users rename to users_away');
    await new Promise((r) => setTimeout(r, 2_500));
    await connection.execute('alter table users_away rename to users');
    expect(ws.closes).toEqual([]);
    // Sessions ended behind the server's back (no pub/sub notice): the next round notices.
    await connection.execute('update users set session_generation = session_generation + 1 where email = ?', [
      `hilang-${dialect}@tanjungpinang.test`,
    ]);
    await eventually(() => ws.closes.length > 0, 5_000, 'the close');
    expect(ws.closes[0]?.code).toBe(4401);
  });

  it('closes a socket when its token expires (4401), from the token itself, without waiting for a database re-check', async () => {
    // A server whose database re-check is a minute apart: only the local expiry check can close in time.
    const slow = await startServer({ dialect, demo: true, realtime: { recheckMs: 60_000 } });
    try {
      const slowAdmin = await login(slow.url, 'admin@pantau.demo');
      const id = (await ok<any>(slow.url, '{ me { id } }', {}, slowAdmin)).me.id;
      const city = (await ok<any>(slow.url, '{ cities { id } }', {}, slowAdmin)).cities[0].id;
      const soon = await new SignJWT({ gen: 0 })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(id)
        .setIssuer('pantau')
        .setAudience('pantau-api')
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1_000) + 2)
        .sign(SECRET);
      const ws = wsClient(slow.url, soon);
      sockets.push(ws);
      const sub = collect(ws, SUMMARY, { id: city });
      await sub.until(() => true);
      expect(ws.closes).toEqual([]);
      await eventually(() => ws.closes.length > 0, 5_000, 'the close');
      expect(ws.closes[0]?.code).toBe(4401);
      await ws.dispose();
    } finally {
      await slow.close();
    }
  });

  it('caps the open sockets of one user (WS_MAX_SOCKETS_PER_SUBJECT) with 4430; a closed one frees its place', async () => {
    const viewer = await login(server.url, 'viewer@tanjungpinang.demo');
    const allowed = await Promise.all(Array.from({ length: 30 }, () => subscribed(viewer)));
    expect(allowed.filter((ws) => ws.closes.length > 0)).toEqual([]);
    const extra = await subscribed(viewer);
    expect(extra.closes[0]?.code).toBe(4430);
    // Another user is not affected.
    expect((await subscribed(admin)).closes).toEqual([]);
    await allowed[0]!.dispose();
    await new Promise((r) => setTimeout(r, 200));
    expect((await subscribed(viewer)).closes).toEqual([]);
    for (const ws of allowed) await ws.dispose();
  });

  it('caps the open sockets of one screen token the same way', async () => {
    const created = await ok<any>(
      server.url,
      'mutation ($input: CreateScreenTokenInput!) { createScreenToken(input: $input) { token } }',
      { input: { cityId, label: `Layar ${dialect}` } },
      admin,
    );
    const screens = await Promise.all(Array.from({ length: 30 }, () => subscribed(created.createScreenToken.token)));
    expect(screens.filter((ws) => ws.closes.length > 0)).toEqual([]);
    expect((await subscribed(created.createScreenToken.token)).closes[0]?.code).toBe(4430);
    for (const ws of screens) await ws.dispose();
  });
});
