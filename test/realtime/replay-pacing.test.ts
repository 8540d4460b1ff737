import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { City } from '../../server/modules/cities/city.entity';
import { REPLAY_CHUNK } from '../../server/modules/live/live.resolver';
import { CityEvent } from '../../server/events/event.entity';
import { frameCounters } from '../../server/realtime/frames';
import { login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { collect, eventually, wsClient, type TestWsClient } from '../helpers/ws';

const EVENTS = 'subscription ($id: ID!, $after: Int) { cityEvents(cityId: $id, afterSeq: $after) { seq } }';
const COUNT = 1_000;

/**
 * Issue 20 §1: a replay must not hold the event loop. The server runs in this process, so the
 * frames it writes can be counted between two turns of the event loop: a replay of 1 000 events
 * hands them over `REPLAY_CHUNK` at a time, other work running in between.
 */
describe('pacing a replay', () => {
  let server: TestServer;
  let admin: string;
  let cityId: string;
  const sockets: TestWsClient[] = [];

  beforeAll(async () => {
    server = await startServer({ dialect: 'sqlite', demo: true });
    admin = await login(server.url, 'admin@pantau.demo');
    cityId = (await ok<any>(server.url, '{ cities { id name } }', {}, admin)).cities.find((c: any) => c.name === 'Tanjungpinang').id;
    // 1 000 outbox rows straight into the database (the replay reads them; how they were written does not matter).
    const em = server.orm.em.fork();
    const city = await em.findOneOrFail(City, { id: cityId });
    for (let seq = 1; seq <= COUNT; seq++) {
      const event = new CityEvent();
      event.city = city;
      event.seq = seq;
      event.kind = 'PROGRESS_REPORTED';
      event.entity = 'ProgressReport';
      event.entityId = city.id;
      event.actionPlanId = null;
      em.persist(event);
    }
    await em.flush();
    await em.getConnection().execute('insert into city_sequences (city_id, seq) values (?, ?)', [cityId, COUNT]);
  });
  afterAll(async () => {
    for (const s of sockets) await s.dispose().catch(() => {});
    await server?.close();
  });

  it(`hands a replay of ${COUNT} events over ${REPLAY_CHUNK} at a time, the event loop turning in between`, async () => {
    const ws = wsClient(server.url, admin);
    sockets.push(ws);
    // Every turn of the event loop (check phase), the frames written since the last turn.
    const perTurn: number[] = [];
    let seen = frameCounters.direct;
    let watching = true;
    const watch = () => {
      perTurn.push(frameCounters.direct - seen);
      seen = frameCounters.direct;
      if (watching) setImmediate(watch);
    };
    setImmediate(watch);
    const sub = collect(ws, EVENTS, { id: cityId, after: 0 });
    await eventually(() => sub.values.length >= COUNT || sub.errors.length > 0, 20_000, 'the whole replay');
    watching = false;
    expect(sub.errors).toEqual([]);
    expect(sub.values.map((v: any) => v.cityEvents.seq)).toEqual(Array.from({ length: COUNT }, (_, i) => i + 1));
    expect(perTurn.reduce((a, b) => a + b, 0)).toBe(COUNT);
    expect(Math.max(...perTurn)).toBeLessThanOrEqual(REPLAY_CHUNK);
    expect(perTurn.filter((n) => n > 0).length).toBeGreaterThanOrEqual(Math.ceil(COUNT / REPLAY_CHUNK));
  });
});
