import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable, type TestDatabase } from '../helpers/db';
import { codeOf, gql, login, ok } from '../helpers/gql';
import { freePort, RedisProcess, redisServerAvailable } from '../helpers/redis-process';
import { startServer, type TestServer, templateDatabase } from '../helpers/server';
import { TcpProxy } from '../helpers/tcp-proxy';
import { wsOnce } from '../helpers/transports';
import { collect, eventually, wsClient, type Collected, type TestWsClient } from '../helpers/ws';

const redisReady = await redisServerAvailable();
const ready = redisReady && (await postgresAvailable());
if (!ready) {
  if (process.env.CI === 'true') throw new Error('The revocation tests need PostgreSQL and redis-server, and CI=true');
  console.warn('\n!!! PostgreSQL or redis-server missing: the revocation tests without Redis are SKIPPED !!!\n');
}

/** The revocation bound the servers run with (AUTH_REVOCATION_SECONDS). */
const BOUND_SECONDS = 2;
/**
 * Waits out the bound after a change has answered: from then on no instance may answer from what
 * it knew before the change, whatever Redis does (the bound is counted from the start of the last
 * read of the revocation log, which must have begun after the commit).
 */
const pastTheBound = () => new Promise((resolve) => setTimeout(resolve, BOUND_SECONDS * 1_000 + 50));

const CREATE_USER = 'mutation ($input: CreateUserInput!) { createUser(input: $input) { id version } }';
const UPDATE_USER = 'mutation ($input: UpdateUserInput!) { updateUser(input: $input) { id version } }';
const ARCHIVE_USER = 'mutation ($input: VersionedInput!) { archiveUser(input: $input) { id } }';
const ME = '{ me { id name role } }';
const CITY = 'query ($id: ID!) { city(id: $id) { name } }';
const SUMMARY = 'subscription ($id: ID!) { citySummary(cityId: $id) { seq } }';
const UNAUTHENTICATED = '401 UNAUTHENTICATED';

/** What `{ me }` answers with a token: its fields, or the HTTP status and error code. */
async function me(server: TestServer, token: string): Promise<any> {
  const r = await gql<any>(server.url, ME, {}, token);
  return r.errors ? `${r.status} ${codeOf(r)}` : r.data.me;
}

/** What `city(id)` answers with a token: the city's name, or the error code. */
async function cityName(server: TestServer, token: string, id: string): Promise<string | undefined> {
  const r = await gql<any>(server.url, CITY, { id }, token);
  return r.errors ? codeOf(r) : r.data.city.name;
}

describe.skipIf(!ready)('revocation without trusting Redis: two instances on PostgreSQL, Redis frozen or a link cut', () => {
  let db: TestDatabase;
  let redis: RedisProcess;
  /** A's and B's links to Redis, and B's to PostgreSQL. */
  let linkA: TcpProxy;
  let linkB: TcpProxy;
  let databaseB: TcpProxy;
  let a: TestServer;
  let b: TestServer;
  let admin: string;
  let tpi: string;
  let tebing: string;
  const sockets: TestWsClient[] = [];
  let n = 0;

  async function newUser(input: Record<string, unknown> = { role: 'VIEWER' }) {
    const email = `revoke-${++n}@tanjungpinang.test`;
    const password = 'password-revoke-123';
    const cityId = input.role === 'EVALUATOR' ? {} : { cityId: tpi };
    const created = (await ok<any>(a.url, CREATE_USER, { input: { email, name: `Revoke ${n}`, password, ...cityId, ...input } }, admin))
      .createUser as { id: string; version: number };
    return { ...created, token: await login(a.url, email, password) };
  }

  /** Reads `me` twice on each instance: the second answer must come from the principal cache. */
  async function cached(token: string): Promise<void> {
    for (const server of [a, b]) {
      expect(await me(server, token)).toHaveProperty('id');
      const hits = server.services.principals!.counters.hits;
      expect(await me(server, token)).toHaveProperty('id');
      expect(server.services.principals!.counters.hits).toBe(hits + 1);
    }
  }

  /** A socket on `server` following Tanjungpinang's summary (the first value has arrived). */
  async function follow(server: TestServer, token: string, cityId = tpi): Promise<{ ws: TestWsClient; summary: Collected<any> }> {
    const ws = wsClient(server.url, token);
    sockets.push(ws);
    const summary = collect(ws, SUMMARY, { id: cityId });
    await summary.until(() => true);
    return { ws, summary };
  }

  const closedWith = (ws: TestWsClient, code: number) => () => ws.closes.some((c) => c.code === code);

  beforeAll(async () => {
    db = await templateDatabase('postgres');
    redis = new RedisProcess(await freePort());
    await redis.start();
    linkA = new TcpProxy(redis.port);
    linkB = new TcpProxy(redis.port);
    const databaseUrl = new URL((db.target as { url: string }).url);
    databaseB = new TcpProxy(Number(databaseUrl.port || 5432));
    await Promise.all([linkA.start(), linkB.start(), databaseB.start()]);
    databaseUrl.port = String(databaseB.port);
    // The periodic socket re-check far away: nothing here may depend on it.
    const realtime = { coalesceMs: 50, pollHealthyMs: 2_000, recheckMs: 600_000 };
    const env = (link: TcpProxy) => ({ REDIS_URL: link.redisUrl, AUTH_REVOCATION_SECONDS: String(BOUND_SECONDS) });
    [a, b] = (await Promise.all([
      startServer({ dialect: 'postgres', database: db, demo: true, env: env(linkA), realtime }),
      startServer({
        dialect: 'postgres',
        database: db,
        demo: true,
        env: { ...env(linkB), DATABASE_URL: databaseUrl.toString() },
        realtime,
      }),
    ])) as [TestServer, TestServer];
    admin = await login(a.url, 'admin@pantau.demo');
    const cities = (await ok<any>(a.url, '{ cities { id name } }', {}, admin)).cities as { id: string; name: string }[];
    tpi = cities.find((c) => c.name === 'Tanjungpinang')!.id;
    tebing = cities.find((c) => c.name === 'Tebingtinggi')!.id;
  }, 120_000);

  afterEach(async () => {
    redis.thaw();
    linkA.heal();
    linkB.heal();
    databaseB.heal();
    for (const s of sockets.splice(0)) await s.dispose().catch(() => {});
    // Both instances hear Redis again before the next test: a fresh user is served from the cache.
    await eventually(async () => a.services.events!.healthy && b.services.events!.healthy, 10_000, 'Redis to be back');
  });

  afterAll(async () => {
    redis?.thaw();
    await a?.close();
    await b?.close();
    await linkA?.close();
    await linkB?.close();
    await databaseB?.close();
    await redis?.stop();
    await db?.drop();
  });

  it("Redis frozen: an archived user's token is refused by the archiving instance at once, by the other within the bound; its sockets close (4401) on both", async () => {
    const user = await newUser();
    await cached(user.token);
    const onA = await follow(a, user.token);
    const onB = await follow(b, user.token);

    redis.freeze();
    await ok(a.url, ARCHIVE_USER, { input: { id: user.id, expectedVersion: user.version } }, admin);
    // The instance that made the change: at once, Redis or not.
    expect(await me(a, user.token)).toBe(UNAUTHENTICATED);
    await eventually(closedWith(onA.ws, 4401), 5_000, "the archived user's socket on A to close");
    await pastTheBound();
    expect(await me(b, user.token)).toBe(UNAUTHENTICATED);
    expect(await me(a, user.token)).toBe(UNAUTHENTICATED);
    await eventually(closedWith(onB.ws, 4401), 5_000, "the archived user's socket on B to close");
    // A new socket with the token is refused on both (connection_init: 4403).
    for (const server of [a, b]) await expect(wsOnce(server.url, ME, {}, user.token)).rejects.toThrow(/4403/);
    // Somebody else's token keeps working on both.
    expect(await me(b, admin)).toMatchObject({ role: 'PLATFORM_ADMIN' });

    // Once Redis answers again the cache is trusted again: a repeated request needs no database.
    redis.thaw();
    const other = await newUser();
    await eventually(
      async () => {
        const hits = b.services.principals!.counters.hits;
        await me(b, other.token);
        return b.services.principals!.counters.hits === hits + 1;
      },
      10_000,
      'B to serve from its cache again',
    );
  });

  it('B cut off from Redis: a password change on A is refused on B within the bound; an evaluator moved to another city no longer reads the old one on B (HTTP and WebSocket)', async () => {
    const user = await newUser();
    const evaluator = await newUser({ role: 'EVALUATOR', evaluatorCityIds: [tpi, tebing] });
    await cached(user.token);
    await cached(evaluator.token);
    expect(await cityName(b, evaluator.token, tebing)).toBe('Tebingtinggi');
    const userOnB = await follow(b, user.token);
    const evaluatorOnB = await follow(b, evaluator.token, tebing);
    const keptOnB = collect(evaluatorOnB.ws, SUMMARY, { id: tpi });
    await keptOnB.until(() => true);

    linkB.cut();
    await ok(a.url, UPDATE_USER, { input: { id: user.id, expectedVersion: user.version, password: 'password-revoke-456' } }, admin);
    await ok(a.url, UPDATE_USER, { input: { id: evaluator.id, expectedVersion: evaluator.version, evaluatorCityIds: [tpi] } }, admin);
    expect(await me(a, user.token)).toBe(UNAUTHENTICATED);
    expect(await cityName(a, evaluator.token, tebing)).toBe('NOT_FOUND');
    await pastTheBound();
    expect(await me(b, user.token)).toBe(UNAUTHENTICATED);
    expect(await cityName(b, evaluator.token, tebing)).toBe('NOT_FOUND');
    expect(await cityName(b, evaluator.token, tpi)).toBe('Tanjungpinang');
    // Open sockets on B: the user's closes; the evaluator's Tebingtinggi summary ends, its socket and
    // its Tanjungpinang summary stay.
    await eventually(closedWith(userOnB.ws, 4401), 5_000, "the user's socket on B to close");
    await eventually(() => evaluatorOnB.summary.errors.length > 0, 5_000, "the evaluator's Tebingtinggi summary to end");
    expect(JSON.stringify(evaluatorOnB.summary.errors)).toContain('"code":"NOT_FOUND"');
    expect(evaluatorOnB.ws.closes).toEqual([]);
    expect(keptOnB.errors).toEqual([]);
    expect(linkB.cutOff).toBe(true);
  });

  it("A cut off from Redis (its notices never go out): an archived user's token is refused on A at once and on B within the bound", async () => {
    const user = await newUser();
    await cached(user.token);
    const onB = await follow(b, user.token);

    linkA.cut();
    await ok(a.url, ARCHIVE_USER, { input: { id: user.id, expectedVersion: user.version } }, admin);
    expect(await me(a, user.token)).toBe(UNAUTHENTICATED);
    await pastTheBound();
    expect(await me(b, user.token)).toBe(UNAUTHENTICATED);
    await eventually(closedWith(onB.ws, 4401), 5_000, "the archived user's socket on B to close");
    // B itself still hears Redis: nothing told it but the revocation log.
    expect(b.services.events!.healthy).toBe(true);
  });
  it("Redis frozen: a city archived on A: its screen tokens are refused on B within the bound, its screens' sockets close (4401) on both", async () => {
    const city = (
      await ok<any>(
        a.url,
        'mutation ($input: CreateCityInput!) { createCity(input: $input) { id version } }',
        { input: { name: `Kota Beku ${++n}`, province: 'Riau' } },
        admin,
      )
    ).createCity as { id: string; version: number };
    const screen = (
      await ok<any>(
        a.url,
        'mutation ($input: CreateScreenTokenInput!) { createScreenToken(input: $input) { token } }',
        { input: { cityId: city.id, label: 'Layar beku' } },
        admin,
      )
    ).createScreenToken.token as string;
    expect(await cityName(b, screen, city.id)).toBe(`Kota Beku ${n}`);
    const onA = await follow(a, screen, city.id);
    const onB = await follow(b, screen, city.id);

    redis.freeze();
    await ok(
      a.url,
      'mutation ($input: VersionedInput!) { archiveCity(input: $input) { id } }',
      { input: { id: city.id, expectedVersion: city.version } },
      admin,
    );
    await eventually(closedWith(onA.ws, 4401), 5_000, "the screen's socket on A to close");
    await pastTheBound();
    expect(await cityName(b, screen, city.id)).toBe('UNAUTHENTICATED');
    await eventually(closedWith(onB.ws, 4401), 5_000, "the screen's socket on B to close");
  });

  it('B cut off from Redis and from the database (it can confirm nothing): after the bound it answers nothing from its cache', async () => {
    const user = await newUser();
    await cached(user.token);

    linkB.cut();
    databaseB.cut();
    await ok(a.url, ARCHIVE_USER, { input: { id: user.id, expectedVersion: user.version } }, admin);
    await pastTheBound();
    // B cannot read the revocation log, so it no longer trusts its cache: the request waits for the
    // database (cut off), and once the links are back it is answered from there.
    const answer = me(b, user.token);
    await new Promise((resolve) => setTimeout(resolve, 300));
    databaseB.heal();
    linkB.heal();
    expect(await answer).toBe(UNAUTHENTICATED);
    expect(b.services.principals!.counters.untrusted).toBeGreaterThan(0);
  });
});

describe.skipIf(!redisReady)('revocation on SQLite with Redis frozen: the instance that made the change', () => {
  let redis: RedisProcess;
  let server: TestServer;

  beforeAll(async () => {
    redis = new RedisProcess(await freePort());
    await redis.start();
    server = await startServer({
      dialect: 'sqlite',
      demo: true,
      env: { REDIS_URL: redis.url, AUTH_REVOCATION_SECONDS: String(BOUND_SECONDS) },
      realtime: { coalesceMs: 50, recheckMs: 600_000 },
    });
  }, 120_000);

  afterAll(async () => {
    redis?.thaw();
    await server?.close();
    await redis?.stop();
  });

  it('refuses an archived user at once over HTTP and closes its socket (4401), without hearing Redis', async () => {
    const admin = await login(server.url, 'admin@pantau.demo');
    const cityId = (await ok<any>(server.url, '{ cities { id name } }', {}, admin)).cities.find((c: any) => c.name === 'Tanjungpinang').id;
    const user = (
      await ok<any>(
        server.url,
        CREATE_USER,
        { input: { email: 'beku@tanjungpinang.test', name: 'Beku', password: 'password-beku-123', role: 'VIEWER', cityId } },
        admin,
      )
    ).createUser;
    const token = await login(server.url, 'beku@tanjungpinang.test', 'password-beku-123');
    expect(await me(server, token)).toMatchObject({ id: user.id });
    const hits = server.services.principals!.counters.hits;
    expect(await me(server, token)).toMatchObject({ id: user.id });
    expect(server.services.principals!.counters.hits).toBe(hits + 1);
    const ws = wsClient(server.url, token);
    try {
      await collect(ws, SUMMARY, { id: cityId }).until(() => true);
      redis.freeze();
      await ok(server.url, ARCHIVE_USER, { input: { id: user.id, expectedVersion: user.version } }, admin);
      expect(await me(server, token)).toBe(UNAUTHENTICATED);
      await eventually(() => ws.closes.some((c) => c.code === 4401), 5_000, 'the socket to close');
    } finally {
      redis.thaw();
      await ws.dispose();
    }
  });
});
