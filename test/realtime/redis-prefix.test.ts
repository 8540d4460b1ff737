import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../helpers/db';
import { login, ok } from '../helpers/gql';
import { freePort, RedisProcess, redisServerAvailable } from '../helpers/redis-process';
import { startServer, type TestServer } from '../helpers/server';
import { Topic } from '../../server/events/topics';
import { collect, eventually, wsClient, type TestWsClient } from '../helpers/ws';

const ready = (await postgresAvailable()) && (await redisServerAvailable());
if (!ready) {
  if (process.env.CI === 'true') throw new Error('The REDIS_KEY_PREFIX tests need PostgreSQL and redis-server, and CI=true');
  console.warn('\n!!! PostgreSQL or redis-server missing: the REDIS_KEY_PREFIX tests are SKIPPED !!!\n');
}

const REPORT = 'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { version } }';
const EVENTS = 'subscription ($id: ID!) { cityEvents(cityId: $id) { seq } }';

// Two deployments on one Redis (and, to make their city ids collide, one database): each with its
// own REDIS_KEY_PREFIX must hear only its own pub/sub messages.
describe.skipIf(!ready)('REDIS_KEY_PREFIX namespaces the pub/sub channels', () => {
  let db: TestDatabase;
  let redis: RedisProcess;
  let one: TestServer;
  let other: TestServer;
  let spy: ReturnType<typeof createClient>;
  const channels: string[] = [];
  const sockets: TestWsClient[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    redis = new RedisProcess(await freePort());
    await redis.start();
    // The outbox poll is slow here: only pub/sub could carry an event across within the test's wait.
    const realtime = { coalesceMs: 50, pollHealthyMs: 60_000, recheckMs: 60_000 };
    one = await startServer({
      dialect: 'postgres',
      database: db,
      demo: true,
      env: { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'satu:' },
      realtime,
    });
    other = await startServer({
      dialect: 'postgres',
      database: db,
      demo: true,
      env: { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'dua:' },
      realtime,
    });
    spy = createClient({ url: redis.url });
    await spy.connect();
    await spy.pSubscribe('*', (_message, channel) => channels.push(channel));
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) await s.dispose().catch(() => {});
    await spy?.close().catch(() => {});
    await one?.close();
    await other?.close();
    await redis?.stop();
    await db?.drop();
  });

  it("publishes every message under the deployment's prefix, and the other deployment hears none of them", async () => {
    const admin = await login(one.url, 'admin@pantau.demo');
    const cityAdmin = await login(one.url, 'bappelitbang@tanjungpinang.demo');
    const cityId = (await ok<any>(one.url, '{ cities { id name } }', {}, admin)).cities.find((c: any) => c.name === 'Tanjungpinang').id;
    const plan = (
      await ok<any>(
        one.url,
        'query ($id: ID!) { city(id: $id) { actionPlans(first: 1, filter: { status: ACTIVE }) { edges { node { id version } } } } }',
        { id: cityId },
        admin,
      )
    ).city.actionPlans.edges[0].node;

    const onOne = wsClient(one.url, admin);
    const onOther = wsClient(other.url, admin);
    sockets.push(onOne, onOther);
    const mine = collect(onOne, EVENTS, { id: cityId });
    const theirs = collect(onOther, EVENTS, { id: cityId });
    await new Promise((r) => setTimeout(r, 500)); // both subscribed
    await ok(
      one.url,
      REPORT,
      { input: { actionPlanId: plan.id, percent: 33, narrative: 'prefix', expectedVersion: plan.version } },
      cityAdmin,
    );
    await mine.until(() => true, 5_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(theirs.values).toEqual([]);

    // A revocation notice of one deployment is not heard on the other's channel. (Sharing the
    // database here, the other still refuses the token within AUTH_REVOCATION_SECONDS: it reads the
    // revocation log; so what is checked is its pub/sub, not its sockets.)
    const created = await ok<any>(
      one.url,
      'mutation ($input: CreateUserInput!) { createUser(input: $input) { id version } }',
      { input: { email: 'prefix@tanjungpinang.test', name: 'Prefix', password: 'password-prefix-1', role: 'VIEWER', cityId } },
      cityAdmin,
    );
    const heardOnOther: string[] = [];
    const unsubscribe = await other.services.events!.pubsub.subscribe(Topic.revocations, (message) => heardOnOther.push(message));
    const revocationsBefore = channels.length;
    await ok(
      one.url,
      'mutation ($input: UpdateUserInput!) { updateUser(input: $input) { id } }',
      { input: { id: created.createUser.id, expectedVersion: created.createUser.version, password: 'password-prefix-2' } },
      cityAdmin,
    );
    await eventually(() => channels.length > revocationsBefore, 5_000, 'the revocation notice');
    await new Promise((r) => setTimeout(r, 1_000));
    await unsubscribe();
    expect(heardOnOther).toEqual([]);

    expect(channels.length).toBeGreaterThan(0);
    expect(channels.filter((c) => !c.startsWith('satu:'))).toEqual([]);
    expect(channels).toContain('satu:revocations');
    expect(channels).toContain(`satu:city:${cityId}:events`);
  }, 60_000);
});
