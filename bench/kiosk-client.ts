/**
 * A process of real meeting-room screens for the `kiosks` scenario: the kiosk's own `LiveCity`
 * (dashboard/src/api/live.ts, bundled for Node by bench/kiosks.ts) run as the browser runs it, with
 * Node's `fetch`, `ws` as the browser's WebSocket, and a `localStorage` and `location` of its own.
 * It counts every HTTP request the screens send and every byte their sockets receive, and tells
 * when each screen shows a report: its overview and its feed (what the screen fetched or was pushed).
 */
import { WebSocket } from 'ws';
import { procStats, serve } from './lib';

/** What the bench uses of `LiveCity` (the bundle is typed loosely: the kiosk's types need the DOM). */
interface LiveCityLike {
  start(): void;
  stop(): void;
}
interface SnapshotLike {
  overview: { seq: number };
  reports: { narrative: string }[];
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
  narratives: Set<string>;
  waiters: Set<() => void>;
}

const screens: Screen[] = [];
let requests = 0;
/** Bytes and messages the screens' sockets received (frames' payloads: what the server sent them). */
let received = 0;
let messages = 0;

/** The browser's WebSocket as `ws`, counting what it receives. */
class CountingWebSocket extends WebSocket {
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    this.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      messages++;
      received += Array.isArray(data)
        ? data.reduce((n, b) => n + b.length, 0)
        : data instanceof ArrayBuffer
          ? data.byteLength
          : data.length;
    });
  }
}

function install(url: string): void {
  const g = globalThis as Record<string, unknown>;
  g.WebSocket = CountingWebSocket;
  g.localStorage = new MemoryStorage();
  g.location = { href: `${url}/dashboard/` };
  const realFetch = globalThis.fetch.bind(globalThis);
  g.fetch = (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    requests++;
    return realFetch(input, init);
  };
}

function onState(screen: Screen, state: { snapshot: SnapshotLike | null; status: string }): void {
  screen.status = state.status;
  if (state.snapshot) {
    screen.seq = state.snapshot.overview.seq;
    for (const r of state.snapshot.reports) screen.narratives.add(r.narrative);
  }
  for (const w of screen.waiters) w();
}

/** Resolves with the ms (since `t0`) at which `done(screen)` first held, or Infinity after `timeoutMs`. */
function when(screen: Screen, t0: number, timeoutMs: number, done: (s: Screen) => boolean): Promise<number> {
  if (done(screen)) return Promise.resolve(Date.now() - t0);
  return new Promise((resolve) => {
    const check = () => {
      if (!done(screen)) return;
      finish(Date.now() - t0);
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

serve(
  {
    /** Opens `count` screens of `cityId`, screen `i` with `tokens[i]`; resolves once all are live (or `timeoutMs`). */
    open: async ({ url, bundle, cityId, tokens, count, timeoutMs }) => {
      install(url as string);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { LiveCity } = require(bundle as string) as { LiveCity: LiveCityCtor };
      const t0 = Date.now();
      const opened: Screen[] = [];
      for (let i = 0; i < (count as number); i++) {
        const screen: Screen = {
          live: null as unknown as LiveCityLike,
          status: 'connecting',
          seq: -1,
          narratives: new Set(),
          waiters: new Set(),
        };
        screen.live = new LiveCity({
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
      return { live: times.filter(Number.isFinite).length, ms: Math.max(...times) };
    },
    /** The HTTP requests sent so far, the bytes and messages received over the sockets, and this process's CPU. */
    counters: () => ({ requests, received, messages, ...procStats() }),
    /**
     * Waits until every screen shows the report with `narrative` in its feed and an overview newer
     * than `afterSeq`; the ms each took since `t0` (Infinity: not within `timeoutMs`).
     */
    round: async ({ t0, narrative, afterSeq, timeoutMs }) => {
      const overview = await Promise.all(
        screens.map((s) => when(s, t0 as number, timeoutMs as number, (x) => x.seq > (afterSeq as number))),
      );
      const feed = await Promise.all(
        screens.map((s) => when(s, t0 as number, timeoutMs as number, (x) => x.narratives.has(narrative as string))),
      );
      return { overview, feed };
    },
    /** The highest overview seq any screen shows. */
    seq: () => Math.max(-1, ...screens.map((s) => s.seq)),
    /** The lowest and highest overview seq the screens show (nothing lost: both the city's latest). */
    seqs: () => ({ min: Math.min(...screens.map((s) => s.seq)), max: Math.max(-1, ...screens.map((s) => s.seq)) }),
  },
  async () => {
    for (const s of screens.splice(0)) s.live.stop();
  },
);
process.send?.({ ready: true });
