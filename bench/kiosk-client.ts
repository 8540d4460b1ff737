/**
 * A process of real meeting-room screens for the `kiosks` scenario: the kiosk's own `LiveCity`
 * (dashboard/src/api/live.ts, bundled for Node by bench/kiosks.ts) run as the browser runs it, with
 * Node's `fetch`, `ws` as the browser's WebSocket, and a `localStorage` and `location` of its own.
 * It counts every HTTP request the screens send and every byte their sockets receive, and tells
 * when each screen shows a report: its overview and its feed (what the screen fetched or was pushed).
 * Times are `process.hrtime.bigint()` (CLOCK_MONOTONIC, comparable across the bench's processes).
 *
 * The raw baseline runs in the same processes: plain `ws` sockets to the raw server (bench/server.ts)
 * that receive the frames a screen received for each report, parse each one as graphql-ws's client
 * does (`JSON.parse` of the text), and note when the last one of the round arrived.
 */
import fs from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';
import { WebSocket } from 'ws';
import { procStats, serve } from './lib';

/** What the bench uses of `LiveCity` (the bundle is typed loosely: the kiosk's types need the DOM). */
interface LiveCityLike {
  start(): void;
  stop(): void;
}
interface SnapshotLike {
  overview: { seq: number; asOf?: string };
  reports: { narrative: string }[];
  plans: { id: string }[];
}
/** The bundle: the kiosk's live module, and what the bench needs to read a fresh snapshot as the kiosk reads one. */
interface Bundle {
  LiveCity: LiveCityCtor;
  SNAPSHOT_QUERY: string;
  toDetails: (raw: unknown, more?: unknown[]) => Omit<SnapshotLike, 'overview'>;
}
type LiveCityCtor = new (options: {
  cityId: string;
  token: string;
  lang: 'id' | 'en';
  onState: (state: { snapshot: SnapshotLike | null; status: string }) => void;
  onUnauthorized?: () => void;
  resyncMs?: number;
}) => LiveCityLike;

class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, String(value));
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

/** One screen: its latest state, and when it first showed each thing the bench waits for. */
interface Screen {
  live: LiveCityLike;
  status: string;
  seq: number;
  snapshot: SnapshotLike | null;
  narratives: Set<string>;
  waiters: Set<() => void>;
}

const screens: Screen[] = [];
let requests = 0;
const realFetch = globalThis.fetch.bind(globalThis);
/** Milliseconds from `t0` (an hrtime in ns, as a string) to now. */
const since = (t0: string): number => Number(process.hrtime.bigint() - BigInt(t0)) / 1e6;
/** Bytes and messages the screens' sockets received (frames' payloads: what the server sent them). */
let received = 0;
let messages = 0;
/** How the screens' sockets closed, by code (a wall that opens slowly: 4408, init timeouts; 4001, pong timeouts…). */
const closes: Record<string, number> = {};

/** The browser's WebSocket as `ws`, counting what it receives. */
class CountingWebSocket extends WebSocket {
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    this.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      const t = process.hrtime.bigint();
      messages++;
      const bytes = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? Buffer.from(data) : data;
      received += bytes.length;
      if (round) noteFrame(this, bytes, t);
    });
    this.on('close', (code: number) => (closes[code] = (closes[code] ?? 0) + 1));
  }
}

/**
 * The round under way: the `next` frames each socket received since it was armed (the last
 * receipt of one of them, and one socket's frames: what the raw baseline broadcasts).
 */
let round: {
  afterSeq: number;
  firstReceipt: bigint | null;
  lastReceipt: bigint | null;
  sample: WebSocket | null;
  frames: string[];
} | null = null;
const NEXT = /^\{"id":"[^"]*","type":"next"/;
const FRAME_SEQ = /"seq":(\d+)/;

/**
 * Notes a frame received while a round is armed. Only the sampled socket's frames are decoded (the
 * screen's own graphql-ws client decodes every one): the others are told apart by their first
 * bytes, `{"id":` (a `next`, `error` or `complete`; a pong is `{"type":`), so the bench adds next
 * to nothing to the screens' work.
 */
function noteFrame(socket: WebSocket, bytes: Buffer, t: bigint): void {
  if (!round || bytes[2] !== 0x69 /* i */) return;
  if (round.sample === null || round.sample === socket) {
    const text = bytes.toString();
    if (!NEXT.test(text) || Number(FRAME_SEQ.exec(text)?.[1] ?? -1) <= round.afterSeq) return;
    round.sample = socket;
    round.frames.push(text);
  }
  if (round.lastReceipt === null || t > round.lastReceipt) round.lastReceipt = t;
  if (round.firstReceipt === null || t < round.firstReceipt) round.firstReceipt = t;
}

function install(url: string): void {
  const g = globalThis as Record<string, unknown>;
  g.WebSocket = CountingWebSocket;
  g.localStorage = new MemoryStorage();
  g.location = { href: `${url}/dashboard/` };
  g.fetch = (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    requests++;
    return realFetch(input, init);
  };
}

function onState(screen: Screen, state: { snapshot: SnapshotLike | null; status: string }): void {
  screen.status = state.status;
  if (state.snapshot) {
    screen.seq = state.snapshot.overview.seq;
    screen.snapshot = state.snapshot;
    for (const r of state.snapshot.reports) screen.narratives.add(r.narrative);
  }
  for (const w of screen.waiters) w();
}

/** Resolves with the ms (since `t0`, an hrtime) at which `done(screen)` first held, or Infinity after `timeoutMs`. */
function when(screen: Screen, t0: string, timeoutMs: number, done: (s: Screen) => boolean): Promise<number> {
  if (done(screen)) return Promise.resolve(since(t0));
  return new Promise((resolve) => {
    const check = () => {
      if (!done(screen)) return;
      finish(since(t0));
    };
    const timer = setTimeout(() => finish(Infinity), timeoutMs);
    const finish = (ms: number) => {
      clearTimeout(timer);
      screen.waiters.delete(check);
      resolve(ms);
    };
    screen.waiters.add(check);
  });
}

/** What "the same numbers" compares: the whole snapshot but the time it was computed at, the plans by id. */
function comparable(snapshot: SnapshotLike): string {
  const { asOf: _asOf, ...overview } = snapshot.overview;
  return JSON.stringify({ ...snapshot, overview, plans: [...snapshot.plans].sort((a, b) => (a.id < b.id ? -1 : 1)) });
}

/** Raw baseline sockets: frames of the current raw round (`want` of them) and when the last arrived. */
interface RawSock {
  ws: WebSocket;
  got: number;
  at: bigint | null;
}
const rawSockets: RawSock[] = [];
let rawWant = Infinity;
let rawDone = 0;
let rawWaiter: (() => void) | null = null;

function openRaw(url: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    const s: RawSock = { ws, got: 0, at: null };
    const timer = setTimeout(() => resolve(false), timeoutMs);
    ws.on('message', (data: Buffer) => {
      const t = process.hrtime.bigint();
      // What graphql-ws's client does with every message.
      JSON.parse(data.toString());
      if (++s.got === rawWant) {
        s.at = t;
        if (++rawDone === rawSockets.length) rawWaiter?.();
      }
    });
    ws.on('error', () => resolve(false));
    ws.once('open', () => {
      clearTimeout(timer);
      rawSockets.push(s);
      resolve(true);
    });
  });
}

let bundle: Bundle | null = null;

/** BENCH_PROFILE_CLIENTS=<dir>: a V8 CPU profile of the screens' process, from their opening until they close. */
const profiling = process.env.BENCH_PROFILE_CLIENTS ? new Session() : null;
if (profiling) {
  profiling.connect();
  profiling.post('Profiler.enable', () => profiling.post('Profiler.start'));
}
function writeProfile(): Promise<void> {
  if (!profiling) return Promise.resolve();
  return new Promise((resolve) =>
    profiling.post('Profiler.stop', (error, result) => {
      if (!error)
        fs.writeFileSync(
          path.join(process.env.BENCH_PROFILE_CLIENTS!, `kiosk-client-${process.pid}.cpuprofile`),
          JSON.stringify(result.profile),
        );
      resolve();
    }),
  );
}

serve(
  {
    /** Opens `count` screens of `cityId`, screen `i` with `tokens[i]`; resolves once all are live (or `timeoutMs`). */
    open: async ({ url, bundle: file, cityId, tokens, count, timeoutMs, perSecond }) => {
      install(url as string);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      bundle = require(file as string) as Bundle;
      const t0 = process.hrtime.bigint().toString();
      const opened: Screen[] = [];
      for (let i = 0; i < (count as number); i++) {
        // `perSecond` > 0: the screens come up at that pace (TVs of a large wall do not all boot in the same second).
        const pace = perSecond as number;
        if (pace > 0 && i > 0 && i % Math.max(1, Math.round(pace / 10)) === 0) await new Promise((r) => setTimeout(r, 100));
        const screen: Screen = {
          live: null as unknown as LiveCityLike,
          status: 'connecting',
          seq: -1,
          snapshot: null,
          narratives: new Set(),
          waiters: new Set(),
        };
        screen.live = new bundle.LiveCity({
          cityId: cityId as string,
          token: (tokens as string[])[i]!,
          lang: 'id',
          // The periodic resync (10 min) stays out of the rounds.
          resyncMs: 3_600_000,
          onState: (state) => onState(screen, state),
        });
        screen.live.start();
        opened.push(screen);
        screens.push(screen);
      }
      const times = await Promise.all(opened.map((s) => when(s, t0, timeoutMs as number, (x) => x.status === 'live' && x.seq >= 0)));
      const statuses: Record<string, number> = {};
      for (const s of opened) if (!(s.status === 'live' && s.seq >= 0)) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
      return {
        live: times.filter(Number.isFinite).length,
        ms: Math.max(...times.filter(Number.isFinite)),
        notLive: statuses,
        closes: { ...closes },
        heapMiB: process.memoryUsage().heapUsed / 2 ** 20,
      };
    },
    /** The HTTP requests sent so far, the bytes and messages received over the sockets, and this process's CPU and memory. */
    counters: () => ({
      requests,
      received,
      messages,
      closes: { ...closes },
      ...procStats(),
      heapMiB: process.memoryUsage().heapUsed / 2 ** 20,
    }),
    /** Starts a round: the `next` frames with a seq above `afterSeq` are noted from now on. */
    arm: ({ afterSeq }) => {
      round = { afterSeq: afterSeq as number, firstReceipt: null, lastReceipt: null, sample: null, frames: [] };
    },
    /**
     * Waits until every screen shows the report with `narrative` in its feed and an overview newer
     * than `afterSeq`; the ms each took since `t0` (Infinity: not within `timeoutMs`), the last
     * receipt of a frame of the round (ms since `t0`), and one socket's frames of the round.
     */
    round: async ({ t0, narrative, afterSeq, timeoutMs }) => {
      const overview = await Promise.all(
        screens.map((s) => when(s, t0 as string, timeoutMs as number, (x) => x.seq > (afterSeq as number))),
      );
      const feed = await Promise.all(
        screens.map((s) => when(s, t0 as string, timeoutMs as number, (x) => x.narratives.has(narrative as string))),
      );
      const r = round;
      round = null;
      const at = (t: bigint | null | undefined) => (t == null ? Infinity : Number(t - BigInt(t0 as string)) / 1e6);
      return { overview, feed, firstReceipt: at(r?.firstReceipt), lastReceipt: at(r?.lastReceipt), frames: r?.frames ?? [] };
    },
    /** The highest overview seq any screen shows. */
    seq: () => Math.max(-1, ...screens.map((s) => s.seq)),
    /** The lowest and highest overview seq the screens show (nothing lost: both the city's latest). */
    seqs: () => ({ min: Math.min(...screens.map((s) => s.seq)), max: Math.max(-1, ...screens.map((s) => s.seq)) }),
    /**
     * A fresh snapshot over HTTP (not counted as a screen's request), read as the kiosk reads one
     * while its socket is down (`SNAPSHOT_QUERY`, flattened by its own `toDetails`), for `compare`.
     */
    fresh: async ({ url, token, cityId }) => {
      if (!bundle) throw new Error('no screens opened yet');
      const res = await realFetch(`${url as string}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token as string}`, 'accept-language': 'id' },
        body: JSON.stringify({ query: bundle.SNAPSHOT_QUERY, variables: { id: cityId, basis: 'ALL' } }),
      });
      const body = (await res.json()) as {
        data?: { city: Record<string, unknown> & { overview: SnapshotLike['overview'] } };
        errors?: unknown;
      };
      if (!body.data) throw new Error(`fresh snapshot: ${JSON.stringify(body.errors).slice(0, 300)}`);
      const { overview, id, name, province, kind, timeZone, masterplans } = body.data.city;
      return comparable({
        city: { id, name, province, kind, timeZone, masterplans },
        overview,
        ...bundle.toDetails(body.data.city),
      } as SnapshotLike);
    },
    /** How many screens show exactly `expected` (a `fresh` snapshot), and the first difference of one that does not. */
    compare: ({ expected }) => {
      let same = 0;
      let sample = '';
      for (const s of screens) {
        const mine = s.snapshot ? comparable(s.snapshot) : '';
        if (mine === expected) same++;
        else if (!sample) {
          const e = expected as string;
          let at = 0;
          while (at < mine.length && mine[at] === e[at]) at++;
          sample = `at ${at}: screen ${mine.slice(Math.max(0, at - 60), at + 60)} / fresh ${e.slice(Math.max(0, at - 60), at + 60)}`;
        }
      }
      return { same, differ: screens.length - same, sample };
    },
    /** Stops every screen (their sockets close). */
    closeScreens: async () => {
      await writeProfile();
      for (const s of screens.splice(0)) s.live.stop();
      return null;
    },
    /** Opens `count` raw sockets to `url` (the raw baseline), `concurrency` at a time. */
    openRaw: async ({ url, count, concurrency }) => {
      let ok = 0;
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(concurrency as number, count as number) }, async () => {
          while (next++ < (count as number)) if (await openRaw(url as string, 60_000)) ok++;
        }),
      );
      return { opened: ok };
    },
    /** Starts a raw round: a socket is done at its `frames`-th frame from now. */
    armRaw: ({ frames }) => {
      rawWant = frames as number;
      rawDone = 0;
      for (const s of rawSockets) {
        s.got = 0;
        s.at = null;
      }
    },
    /** Waits (at most `timeoutMs`) until every raw socket is done; the last one's time since `t0`, and how many are done. */
    roundRaw: async ({ t0, timeoutMs }) => {
      if (rawDone < rawSockets.length)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, timeoutMs as number);
          rawWaiter = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      rawWaiter = null;
      let last: bigint | null = null;
      for (const s of rawSockets) if (s.at !== null && (last === null || s.at > last)) last = s.at;
      const done = rawDone;
      rawWant = Infinity;
      return { done, expected: rawSockets.length, last: last === null ? Infinity : Number(last - BigInt(t0 as string)) / 1e6 };
    },
    closeRaw: () => {
      for (const s of rawSockets.splice(0)) s.ws.terminate();
      return null;
    },
  },
  async () => {
    for (const s of screens.splice(0)) s.live.stop();
    for (const s of rawSockets.splice(0)) s.ws.terminate();
  },
);
process.send?.({ ready: true });
