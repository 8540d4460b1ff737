import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/db';
import { codeOf, gql, login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { collect, eventually, wsClient, type TestWsClient } from '../helpers/ws';

/** The secret test servers sign with (test/helpers/server.ts). */
const SECRET = new TextEncoder().encode('test-secret-test-secret-test-secret-0123456789');

/** How a token fares over HTTP (`me`) and over WebSocket (`connection_init`, then a subscription). */
async function tokenWorks(server: TestServer, token: string, cityId: string): Promise<{ http: string; ws: number | 'open' }> {
  const r = await gql(server.url, '{ me { email } }', {}, token);
  const http = r.data?.me ? 'ok' : `${r.status} ${codeOf(r)}`;
  const socket: TestWsClient = wsClient(server.url, token);
  try {
    const sub = collect(socket, 'subscription ($id: ID!) { citySummary(cityId: $id) { seq } }', { id: cityId });
    await eventually(() => sub.values.length > 0 || socket.closes.length > 0, 5_000, 'a value or a close');
    return { http, ws: socket.closes[0]?.code ?? 'open' };
  } finally {
    await socket.dispose();
  }
}

describe.each(await testDialects())('sessions on %s', (dialect) => {
  let server: TestServer;
  let admin: string;
  let cityId: string;

  beforeAll(async () => {
    server = await startServer({ dialect, demo: true });
    admin = await login(server.url, 'admin@pantau.demo');
    cityId = (await ok<any>(server.url, '{ cities { id name } }', {}, admin)).cities.find((c: any) => c.name === 'Tanjungpinang').id;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('ends a token issued in the same second as the password change, over HTTP and WebSocket; a new login works', async () => {
    const created = await ok<any>(
      server.url,
      'mutation ($input: CreateUserInput!) { createUser(input: $input) { id version } }',
      { input: { email: `sesi-${dialect}@tanjungpinang.test`, name: 'Sesi', password: 'password-sesi-123', role: 'VIEWER', cityId } },
      admin,
    );
    // Start at the beginning of a second, so the login and the change fall in the same one.
    await new Promise((r) => setTimeout(r, 1_000 - (Date.now() % 1_000) + 5));
    const started = Math.floor(Date.now() / 1_000);
    const token = await login(server.url, `sesi-${dialect}@tanjungpinang.test`, 'password-sesi-123');
    await ok(
      server.url,
      'mutation ($input: UpdateUserInput!) { updateUser(input: $input) { id } }',
      { input: { id: created.createUser.id, expectedVersion: created.createUser.version, password: 'password-sesi-456' } },
      admin,
    );
    expect(Math.floor(Date.now() / 1_000), 'login and change in one second').toBe(started);
    expect(await tokenWorks(server, token, cityId)).toEqual({ http: '401 UNAUTHENTICATED', ws: 4403 });
    const fresh = await login(server.url, `sesi-${dialect}@tanjungpinang.test`, 'password-sesi-456');
    expect(await tokenWorks(server, fresh, cityId)).toEqual({ http: 'ok', ws: 'open' });
  });

  it('refuses a correctly signed token that never expires (no exp), over HTTP and WebSocket', async () => {
    const me = await ok<any>(server.url, '{ me { id } }', {}, admin);
    const claims = { gen: 0 };
    const forever = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(me.me.id)
      .setIssuer('pantau')
      .setAudience('pantau-api')
      .setIssuedAt()
      .sign(SECRET);
    expect(await tokenWorks(server, forever, cityId)).toEqual({ http: '401 UNAUTHENTICATED', ws: 4403 });
    // The same token with an expiry works: what is refused is only the missing exp.
    const expiring = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(me.me.id)
      .setIssuer('pantau')
      .setAudience('pantau-api')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(SECRET);
    expect(await tokenWorks(server, expiring, cityId)).toEqual({ http: 'ok', ws: 'open' });
  });
});
