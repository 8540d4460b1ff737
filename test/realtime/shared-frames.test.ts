import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { frameCounters } from '../../server/realtime/frames';
import { login, ok } from '../helpers/gql';
import { demoCity, type DemoCity } from '../helpers/demo-city';
import { startServer, type TestServer } from '../helpers/server';
import { eventually } from '../helpers/ws';

const SUMMARY = 'subscription ($id: ID!) { citySummary(cityId: $id) { seq progress counts { total late done } opds { name progress } } }';
const EVENTS =
  'subscription ($id: ID!, $after: Int) { cityEvents(cityId: $id, afterSeq: $after) { cityId seq kind entity entityId actionPlanId at } }';

/** A raw graphql-transport-ws socket that keeps every frame exactly as it came. */
interface RawSocket {
  frames: { text: string; binary: boolean }[];
  subscribe(id: string, query: string, variables: Record<string, unknown>): void;
  /** The `next` payloads of one subscription, with the raw text of each frame. */
  nexts(id: string): { raw: string; payload: any }[];
  close(): void;
}

async function rawSocket(url: string, token: string): Promise<RawSocket> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  const frames: RawSocket['frames'] = [];
  ws.on('message', (data, binary) => frames.push({ text: Buffer.from(data as Buffer).toString('utf8'), binary }));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await eventually(() => frames.some((f) => f.text === '{"type":"connection_ack"}'), 5_000, 'ack');
  return {
    frames,
    subscribe: (id, query, variables) => ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } })),
    nexts: (id) =>
      frames
        .map((f) => ({ raw: f.text, message: JSON.parse(f.text) }))
        .filter((f) => f.message.type === 'next' && f.message.id === id)
        .map((f) => ({ raw: f.raw, payload: f.message.payload })),
    close: () => ws.close(),
  };
}

describe('execute once, serialise once, the same bytes to every socket', () => {
  let server: TestServer;
  let admin: string;
  let viewer: string;
  let cityId: string;
  const plans: { id: string; version: number }[] = [];
  const sockets: RawSocket[] = [];

  let report: DemoCity['report'];
  const seqNow = async () =>
    (await ok<any>(server.url, 'query ($id: ID!) { city(id: $id) { overview { seq } } }', { id: cityId }, admin)).city.overview
      .seq as number;

  beforeAll(async () => {
    server = await startServer({ demo: true, realtime: { coalesceMs: 50 } });
    const demo = await demoCity(server.url);
    ({ admin, cityId, report } = demo);
    plans.push(...demo.plans);
    viewer = await login(server.url, 'viewer@tanjungpinang.demo');
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await server?.close();
  });

  // Client-chosen ids that need escaping in JSON.
  const IDS = ['plain', 'quote"d', 'back\\slash', 'ünï 😀', 'nl\nx'];

  it('citySummary: one serialisation per push, spliced into every frame; frames are text and canonical', async () => {
    const readers = await Promise.all(IDS.map((_, i) => rawSocket(server.url, i % 2 ? viewer : admin)));
    sockets.push(...readers);
    readers.forEach((r, i) => r.subscribe(IDS[i]!, SUMMARY, { id: cityId }));
    await eventually(() => readers.every((r, i) => r.nexts(IDS[i]!).length >= 1), 10_000, 'first summaries');
    const before = { ...frameCounters };
    const firsts = readers.map((r) => r.frames.length);
    await report(plans[0]!, 23);
    const seq = await seqNow();
    await eventually(
      () => readers.every((r, i) => r.nexts(IDS[i]!).some((n) => n.payload.data.citySummary.seq === seq)),
      10_000,
      'the pushed summary',
    );
    // Every socket got the same pushes (no stray frame), each the same payload bytes, only the id differs.
    const pushes = readers.map((r) => r.frames.slice(firsts[readers.indexOf(r)]));
    expect(new Set(pushes.map((p) => p.length)).size).toBe(1);
    for (const [i, frames] of pushes.entries()) {
      for (const [k, frame] of frames.entries()) {
        expect(frame.binary).toBe(false);
        const prefix = `{"id":${JSON.stringify(IDS[i])},"type":"next","payload":`;
        expect(frame.text.startsWith(prefix)).toBe(true);
        // What graphql-ws's own JSON.stringify would give for this message, byte for byte.
        expect(frame.text).toBe(JSON.stringify(JSON.parse(frame.text)));
        expect(frame.text.slice(prefix.length)).toBe(
          pushes[0]![k]!.text.slice(`{"id":${JSON.stringify(IDS[0])},"type":"next","payload":`.length),
        );
      }
    }
    const count = pushes[0]!.length;
    expect(frameCounters.serialised - before.serialised).toBe(count);
    expect(frameCounters.spliced - before.spliced).toBe(count * IDS.length);
    // And the content is the truth.
    const truth = (
      await ok<any>(
        server.url,
        'query ($id: ID!) { city(id: $id) { overview { seq progress counts { total late done } opds { name progress } } } }',
        { id: cityId },
        admin,
      )
    ).city.overview;
    expect(readers[0]!.nexts(IDS[0]!).at(-1)!.payload.data.citySummary).toEqual(truth);
    for (const r of readers) r.close();
    await eventually(() => server.webSocket.sockets() === 0, 5_000, 'sockets closed');
  });

  it('citySummary: a room of screens subscribing at once (several screen tokens) starts one shared run; one execution and one serialisation per change', async () => {
    // A selection of its own, so no shared run of it exists yet: every subscriber races to start one.
    const query =
      'subscription Room($id: ID!) { citySummary(cityId: $id) { seq progress counts { total late } lateActionPlans(first: 5) { id title ownerOpd { abbreviation } } } }';
    const shared = server.services.live!.shared;
    const screens: string[] = [];
    for (let i = 0; i < 4; i++) {
      const created = await ok<any>(
        server.url,
        'mutation ($input: CreateScreenTokenInput!) { createScreenToken(input: $input) { token } }',
        { input: { cityId, label: `Layar ruang rapat ${i + 1}` } },
        admin,
      );
      screens.push(created.createScreenToken.token);
    }
    // 4 screen tokens × 6 sockets, and a user's and an admin's, all connected before any subscribes.
    const tokens = [...screens.flatMap((t) => Array.from({ length: 6 }, () => t)), viewer, admin];
    const readers = await Promise.all(tokens.map((t) => rawSocket(server.url, t)));
    sockets.push(...readers);
    const before = { ...frameCounters, ...shared.counters };
    for (const r of readers) r.subscribe('room', query, { id: cityId });
    await eventually(() => readers.every((r) => r.nexts('room').length >= 1), 10_000, 'first summaries');
    // Every subscriber joined the one run: one execution and one serialisation greeted them all.
    expect(shared.counters.runs - before.runs).toBe(1);
    expect(shared.counters.executions - before.executions).toBe(1);
    expect(frameCounters.serialised - before.serialised).toBe(1);
    expect(frameCounters.spliced - before.spliced).toBe(readers.length);

    const pushed = { ...frameCounters, ...shared.counters };
    const firsts = readers.map((r) => r.nexts('room').length);
    await report(plans[4]!, 27);
    const seq = await seqNow();
    await eventually(
      () => readers.every((r) => r.nexts('room').some((n) => n.payload.data.citySummary.seq === seq)),
      10_000,
      'the pushed summary',
    );
    const pushes = readers[0]!.nexts('room').length - firsts[0]!;
    for (const [i, r] of readers.entries()) expect(r.nexts('room').length - firsts[i]!).toBe(pushes);
    expect(shared.counters.runs - pushed.runs).toBe(0);
    expect(shared.counters.executions - pushed.executions).toBe(pushes);
    expect(frameCounters.serialised - pushed.serialised).toBe(pushes);
    expect(frameCounters.spliced - pushed.spliced).toBe(pushes * readers.length);
    for (const r of readers) r.close();
    await eventually(() => server.webSocket.sockets() === 0 && shared.size === 0, 5_000, 'sockets closed, run ended');
  });

  it('cityEvents: each subscriber replays from its own afterSeq, then shares the execution and bytes of every live event', async () => {
    const start = await seqNow();
    await report(plans[1]!, 24); // two changes to replay: start+1, start+2
    // Subscribers at three replay points (and one live only), on sockets of different roles.
    const afters = [start, start + 1, start + 2, null, start];
    const readers = await Promise.all(afters.map((_, i) => rawSocket(server.url, i % 2 ? viewer : admin)));
    sockets.push(...readers);
    readers.forEach((r, i) => r.subscribe(IDS[i]!, EVENTS, { id: cityId, after: afters[i] }));
    await eventually(
      () =>
        readers.every(
          (r, i) =>
            afters[i] === null || afters[i] === start + 2 || r.nexts(IDS[i]!).some((n) => n.payload.data.cityEvents.seq === start + 2),
        ),
      10_000,
      'replays',
    );
    await new Promise((r) => setTimeout(r, 200)); // every subscription live
    const before = { ...frameCounters };
    await report(plans[2]!, 25);
    await report(plans[3]!, 26);
    const end = start + 6;
    await eventually(
      () => readers.every((r, i) => r.nexts(IDS[i]!).some((n) => n.payload.data.cityEvents.seq === end)),
      10_000,
      'live events',
    );
    for (const [i, r] of readers.entries()) {
      const seqs = r.nexts(IDS[i]!).map((n) => n.payload.data.cityEvents.seq);
      const from = (afters[i] ?? start + 2) + 1;
      expect(seqs).toEqual(Array.from({ length: end - from + 1 }, (_, k) => from + k));
      for (const frame of r.frames) expect(frame.binary).toBe(false);
    }
    // The four live events: serialised once each, spliced for all five sockets.
    expect(frameCounters.serialised - before.serialised).toBe(4);
    expect(frameCounters.spliced - before.spliced).toBe(4 * readers.length);
    // Same bytes for the same live event on every socket.
    const tail = (i: number) =>
      readers[i]!.nexts(IDS[i]!)
        .slice(-4)
        .map((n) => n.raw.slice(`{"id":${JSON.stringify(IDS[i])},"type":"next","payload":`.length));
    for (let i = 1; i < readers.length; i++) expect(tail(i)).toEqual(tail(0));
    expect(readers[0]!.nexts(IDS[0]!).at(-1)!.payload.data.cityEvents).toMatchObject({ cityId, seq: end, kind: expect.any(String) });
  });
});
