import { describe, expect, it } from 'vitest';
import { buildSchema, parse, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Principal } from '../../server/auth/policy';
import { Role } from '../../server/modules/users/user.entity';
import { Channel } from '../../server/events/channel';
import { frameCounters, splicedPayload } from '../../server/realtime/frames';
import { SharedSubscriptions } from '../../server/realtime/shared';
import { liveField } from '../../server/graphql/live-fields';

const CITY = 'city-1';
const QUERY = 'subscription Room($id: ID!) { citySummary(cityId: $id) { seq progress } }';

/** A screen of the city (a read-only viewer that is no user), as `screenPrincipalOf` makes it. */
const screen = (i: number): Principal => ({
  userId: `screen:${i}`,
  email: '',
  name: `Layar ${i}`,
  role: Role.VIEWER,
  cityId: CITY,
  cityIds: [CITY],
  opdId: null,
  isScreen: true,
});
const viewer: Principal = { userId: 'u-1', email: 'v@x', name: 'V', role: Role.VIEWER, cityId: CITY, cityIds: [CITY], opdId: null };
const admin: Principal = { userId: 'u-2', email: 'a@x', name: 'A', role: Role.PLATFORM_ADMIN, cityId: null, cityIds: [], opdId: null };

/**
 * A `citySummary` whose source takes a while to start (as the real one does: it reads the city and
 * joins the hub, over the database), fed by `feed`; counts the sources started and the executions.
 */
function fixture() {
  const counts = { sources: 0, executions: 0 };
  const sources: Channel<unknown>[] = [];
  const schema = buildSchema(`
    type Query { ok: Boolean }
    type Summary { seq: Int progress: Float }
    type Subscription { citySummary(cityId: ID!): Summary }
  `);
  const field = schema.getSubscriptionType()!.getFields()['citySummary']!;
  // What `@Extensions(liveField(…))` declares on the real field.
  Object.assign(field, { extensions: liveField({ share: 'city' }) });
  field.subscribe = async () => {
    counts.sources++;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const channel = new Channel<unknown>(() => {}, 100);
    sources.push(channel);
    return channel;
  };
  field.resolve = (overview: unknown) => {
    counts.executions++;
    return overview;
  };
  const feed = (value: unknown) => {
    for (const s of sources) s.push(value);
  };
  return { schema, counts, feed };
}

describe('shared subscriptions', () => {
  it('a room of screens subscribing at once (several screen tokens, roles) shares one run: one execution and one serialisation per change', async () => {
    const { schema, counts, feed } = fixture();
    const shared = new SharedSubscriptions();
    // 6 screen tokens × 5 sockets, a viewer and a platform admin; each operation parsed on its own.
    const principals = [...Array.from({ length: 30 }, (_, i) => screen(Math.floor(i / 5))), viewer, admin];
    const args = (principal: Principal): ExecutionArgs => ({
      schema,
      document: parse(QUERY),
      variableValues: { id: CITY },
      operationName: 'Room',
      contextValue: { principal, locale: 'id' },
    });
    // All in the same tick: none has started when the others arrive.
    const subscribed = await Promise.all(principals.map((p) => shared.subscribe(args(p))));
    const channels = subscribed.map((s) => {
      expect(s).toBeInstanceOf(Channel);
      return s as Channel<ExecutionResult>;
    });
    expect(counts.sources).toBe(1);
    expect(shared.counters.runs).toBe(1);
    // Every subscriber joined it (each one counted: the benchmark's resubscribes).
    expect(shared.counters.joins).toBe(principals.length);
    expect(shared.size).toBe(1);

    const before = { ...frameCounters };
    for (const change of [1, 2, 3]) {
      feed({ seq: change, progress: change / 10 });
      const results = await Promise.all(channels.map((c) => c.next()));
      // One execution for everybody: the same result object, serialised once for every socket.
      expect(new Set(results.map((r) => r.value)).size).toBe(1);
      expect(counts.executions).toBe(change);
      expect(shared.counters.executions).toBe(change);
      for (const r of results) splicedPayload(r.value as ExecutionResult, () => undefined);
      expect(frameCounters.serialised - before.serialised).toBe(change);
    }

    // The run ends with its last subscriber; the next one starts a new run.
    await Promise.all(channels.map((c) => c.return()));
    expect(shared.size).toBe(0);
    const again = await shared.subscribe(args(screen(0)));
    expect(again).toBeInstanceOf(Channel);
    expect(shared.counters.runs).toBe(2);
    expect(shared.counters.joins).toBe(principals.length + 1);
    await (again as Channel<ExecutionResult>).return();
  });

  it('refuses a principal of another city on its own, and shares nothing with it', async () => {
    const { schema, counts } = fixture();
    const shared = new SharedSubscriptions();
    const other: Principal = { ...viewer, userId: 'u-3', cityId: 'city-2', cityIds: ['city-2'] };
    const refused = await shared.subscribe({
      schema,
      document: parse(QUERY),
      variableValues: { id: CITY },
      contextValue: { principal: other, locale: 'id' },
    });
    expect(refused).not.toBeInstanceOf(Channel);
    expect((refused as ExecutionResult).errors?.[0]?.extensions['code']).toBe('NOT_FOUND');
    expect(counts.sources).toBe(0);
    expect(shared.size).toBe(0);
  });
});

describe('per-event shared subscriptions', () => {
  it('give every subscriber its results in event order, whichever execution settles first', async () => {
    // Executions that settle out of order: the first event's takes longer than the second's.
    const schema = buildSchema(`
      type Query { ok: Boolean }
      type Event { seq: Int }
      type Subscription { cityEvents(cityId: ID!, afterSeq: Int): Event }
    `);
    const sources: Channel<unknown>[] = [];
    const field = schema.getSubscriptionType()!.getFields()['cityEvents']!;
    Object.assign(field, { extensions: liveField({ share: 'event', replayArg: 'afterSeq' }) });
    field.subscribe = () => {
      const channel = new Channel<unknown>(() => {}, 100);
      sources.push(channel);
      return channel;
    };
    field.resolve = (event: { seq: number; delayMs: number }) =>
      new Promise((resolve) => setTimeout(() => resolve({ seq: event.seq }), event.delayMs));
    const shared = new SharedSubscriptions();
    const subscribe = async () => {
      const stream = (await shared.subscribe({
        schema,
        document: parse('subscription ($id: ID!, $after: Int) { cityEvents(cityId: $id, afterSeq: $after) { seq } }'),
        variableValues: { id: CITY, after: null },
        contextValue: { principal: viewer, locale: 'id' },
      })) as unknown as { divert(sink: (r: ExecutionResult) => void): void };
      const got: number[] = [];
      stream.divert((r) => got.push((r.data as { cityEvents: { seq: number } }).cityEvents.seq));
      return got;
    };
    const early = await subscribe();
    const first = { seq: 1, delayMs: 40 };
    sources[0]!.push(first);
    // A subscriber that joins between the two events waits for the second one's execution only.
    const late = await subscribe();
    const second = { seq: 2, delayMs: 5 };
    for (const source of sources) source.push(second);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(late).toEqual([2]);
    expect(early).toEqual([1, 2]);
  });
});
