import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable, type TestDatabase } from '../helpers/db';
import { codeOf, gql, login, ok } from '../helpers/gql';
import { freePort, RedisProcess, redisServerAvailable } from '../helpers/redis-process';
import { startServer, type TestServer, templateDatabase } from '../helpers/server';

const ready = (await postgresAvailable()) && (await redisServerAvailable());
if (!ready) {
  if (process.env.CI === 'true') throw new Error('The principal cache tests need PostgreSQL and redis-server, and CI=true');
  console.warn('\n!!! PostgreSQL or redis-server missing: the two-instance principal cache tests are SKIPPED !!!\n');
}

const CREATE_USER = 'mutation ($input: CreateUserInput!) { createUser(input: $input) { id version } }';
const UPDATE_USER = 'mutation ($input: UpdateUserInput!) { updateUser(input: $input) { id version } }';
const ME = '{ me { id name role } }';

describe.skipIf(!ready)('tokens are verified and loaded once; a change on one instance is seen on the other at once', () => {
  let db: TestDatabase;
  let redis: RedisProcess;
  let a: TestServer;
  let b: TestServer;
  let admin: string;
  let cityId: string;
  /** SQL statements B ran (counted around one request). */
  let statementsOnB = 0;
  let n = 0;

  async function newUser(role = 'VIEWER'): Promise<{ id: string; version: number; token: string }> {
    const email = `cache-${++n}@tanjungpinang.test`;
    const created = (
      await ok<any>(a.url, CREATE_USER, { input: { email, name: `Cache ${n}`, password: 'password-cache-123', role, cityId } }, admin)
    ).createUser;
    return { ...created, token: await login(a.url, email, 'password-cache-123') };
  }
  /** The outcome of `{ me }` on B with a token: its fields, or the error code and HTTP status. */
  async function meOnB(token: string): Promise<any> {
    const r = await gql<any>(b.url, ME, {}, token);
    return r.errors ? `${r.status} ${codeOf(r)}` : r.data.me;
  }

  beforeAll(async () => {
    db = await templateDatabase('postgres');
    redis = new RedisProcess(await freePort());
    await redis.start();
    const env = { REDIS_URL: redis.url };
    // The periodic socket re-check far away: nothing here may depend on it.
    const realtime = { coalesceMs: 50, pollHealthyMs: 2_000, recheckMs: 600_000 };
    [a, b] = (await Promise.all([
      startServer({ dialect: 'postgres', database: db, demo: true, env, realtime }),
      startServer({ dialect: 'postgres', database: db, demo: true, env, realtime, onQuery: () => statementsOnB++ }),
    ])) as [TestServer, TestServer];
    admin = await login(a.url, 'admin@pantau.demo');
    cityId = (await ok<any>(a.url, '{ cities { id name } }', {}, admin)).cities.find((c: any) => c.name === 'Tanjungpinang').id;
  }, 120_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
    await db?.drop();
  });

  it('answers a request with a token seen a moment ago without touching the database', async () => {
    const user = await newUser();
    expect(await meOnB(user.token)).toMatchObject({ id: user.id, role: 'VIEWER' });
    statementsOnB = 0;
    const hits = b.services.principals!.counters.hits;
    expect(await meOnB(user.token)).toMatchObject({ id: user.id, role: 'VIEWER' });
    expect(statementsOnB).toBe(0);
    expect(b.services.principals!.counters.hits).toBe(hits + 1);
    // A forged or foreign token is never found in the cache: it is verified, and refused.
    expect(await meOnB(`${user.token.slice(0, -2)}xx`)).toBe('401 UNAUTHENTICATED');
  });

  it('refuses the old token on B right after a role change on A; the new login sees the new role', async () => {
    const user = await newUser();
    expect(await meOnB(user.token)).toMatchObject({ role: 'VIEWER' });
    await ok(a.url, UPDATE_USER, { input: { id: user.id, expectedVersion: user.version, role: 'CITY_ADMIN' } }, admin);
    expect(await meOnB(user.token)).toBe('401 UNAUTHENTICATED');
    const fresh = await login(a.url, `cache-${n}@tanjungpinang.test`, 'password-cache-123');
    expect(await meOnB(fresh)).toMatchObject({ role: 'CITY_ADMIN' });
  });

  it('refuses the old token on B right after a password change or an archive on A', async () => {
    const changed = await newUser();
    const archived = await newUser();
    expect(await meOnB(changed.token)).toMatchObject({ id: changed.id });
    expect(await meOnB(archived.token)).toMatchObject({ id: archived.id });
    await ok(a.url, UPDATE_USER, { input: { id: changed.id, expectedVersion: changed.version, password: 'password-cache-456' } }, admin);
    expect(await meOnB(changed.token)).toBe('401 UNAUTHENTICATED');
    await ok(
      a.url,
      'mutation ($input: VersionedInput!) { archiveUser(input: $input) { id } }',
      { input: { id: archived.id, expectedVersion: archived.version } },
      admin,
    );
    expect(await meOnB(archived.token)).toBe('401 UNAUTHENTICATED');
  });

  it('shows a renamed user under the new name on B at once (same session, principal reloaded)', async () => {
    const user = await newUser();
    expect(await meOnB(user.token)).toMatchObject({ name: `Cache ${n}` });
    await ok(a.url, UPDATE_USER, { input: { id: user.id, expectedVersion: user.version, name: 'Nama Baru' } }, admin);
    expect(await meOnB(user.token)).toMatchObject({ id: user.id, name: 'Nama Baru' });
  });

  it('refuses a screen token on B right after it is revoked on A, and the screen tokens of a city archived on A', async () => {
    const CREATE = 'mutation ($input: CreateScreenTokenInput!) { createScreenToken(input: $input) { token screenToken { id version } } }';
    const screenOf = async (city: string) =>
      (await ok<any>(a.url, CREATE, { input: { cityId: city, label: `Layar ${++n}` } }, admin)).createScreenToken;
    const readCity = async (token: string, city: string) => {
      const r = await gql<any>(b.url, 'query ($id: ID!) { city(id: $id) { name } }', { id: city }, token);
      return r.errors ? `${r.status} ${codeOf(r)}` : r.data.city.name;
    };
    const revoked = await screenOf(cityId);
    expect(await readCity(revoked.token, cityId)).toBe('Tanjungpinang');
    await ok(
      a.url,
      'mutation ($input: VersionedInput!) { revokeScreenToken(input: $input) { id } }',
      { input: { id: revoked.screenToken.id, expectedVersion: revoked.screenToken.version } },
      admin,
    );
    expect(await readCity(revoked.token, cityId)).toBe('401 UNAUTHENTICATED');

    const name = `Kota Cache ${++n}`;
    const city = (
      await ok<any>(
        a.url,
        'mutation ($input: CreateCityInput!) { createCity(input: $input) { id version } }',
        { input: { name, province: 'Riau' } },
        admin,
      )
    ).createCity;
    const screen = await screenOf(city.id);
    expect(await readCity(screen.token, city.id)).toBe(name);
    await ok(
      a.url,
      'mutation ($input: VersionedInput!) { archiveCity(input: $input) { id } }',
      { input: { id: city.id, expectedVersion: city.version } },
      admin,
    );
    expect(await readCity(screen.token, city.id)).toBe('401 UNAUTHENTICATED');
  });
});
