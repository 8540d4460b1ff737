/**
 * A load-client process (forked by bench/run.ts, several at once): holds many WebSockets, either
 * raw (`ws` to the baseline server) or graphql-ws spoken by hand (connection_init with a token, one
 * subscription) to Pantau, and timestamps every frame on arrival with process.hrtime.bigint()
 * (CLOCK_MONOTONIC: comparable across the processes of one Linux machine), before parsing it.
 * Both kinds of socket read frames the same way (a `seq` out of a graphql-ws `next` message), so
 * the client work is the same for the server and its baseline.
 *
 * Commands (IPC): `open`, `resubscribe`, `arm` / `wait` (one round: the first frame with a `seq`
 * above `minSeq` on every socket), `counters`, `seqs`, `compare` (write path: each socket's last
 * state against a fresh snapshot), `closeAll`.
 */
import WebSocket from 'ws';
import { serve } from './lib';

interface Sock {
  ws: WebSocket;
  /** Subscribed (gql: first value or subscribe sent; raw: open). */
  ready: boolean;
  closed: boolean;
  op: number;
  lastSeq: number;
  /** Arrival of the first frame of the current round (null: not yet). */
  got: bigint | null;
  lastText: string | null;
}

const sockets: Sock[] = [];
let frames = 0;
let bytes = 0;
let lastFrameBytes = 0;
/** The last value frame received (the raw baseline broadcasts these very bytes). */
let lastFrame = '';
let errorFrames = 0;
let firstError = '';
const closeCodes: Record<string, number> = {};

let minSeq = Infinity;
let expected = 0;
let received = 0;
let roundDone: (() => void) | null = null;

const HEAD = /^\{"id":"[^"]*","type":"(\w+)"/;
const SEQ = /"seq":(\d+)/;

function onFrame(s: Sock, data: WebSocket.RawData): void {
  const t = process.hrtime.bigint();
  const text = data.toString();
  let type = HEAD.exec(text)?.[1];
  if (type === undefined) {
    try {
      type = (JSON.parse(text) as { type?: string }).type;
    } catch {
      type = 'unknown';
    }
  }
  if (type === 'next') {
    // A delivery is a value; a `next` with errors (e.g. the time budget ran out) is counted apart.
    if (text.includes('"errors"')) {
      errorFrames++;
      firstError ||= text.slice(0, 300);
    } else {
      frames++;
      bytes += text.length;
      lastFrameBytes = text.length;
      lastFrame = text;
    }
    const seq = Number(SEQ.exec(text)?.[1] ?? NaN);
    s.lastText = text;
    if (Number.isFinite(seq)) {
      if (seq > s.lastSeq) s.lastSeq = seq;
      if (seq > minSeq && s.got === null && s.ready) {
        s.got = t;
        received++;
        if (received >= expected) roundDone?.();
      }
    }
    s.ready = true;
    pendingFirst.get(s)?.();
  } else if (type === 'connection_ack') {
    const init = pendingAck.get(s);
    init?.();
  } else if (type === 'error') {
    errorFrames++;
    firstError ||= text.slice(0, 300);
    pendingFirst.get(s)?.();
  } else if (type === 'ping') {
    s.ws.send('{"type":"pong"}');
  }
}

const pendingAck = new Map<Sock, () => void>();
const pendingFirst = new Map<Sock, () => void>();

function subscribe(s: Sock, query: string, variables: Record<string, unknown>): void {
  s.op++;
  s.ws.send(JSON.stringify({ id: `s${s.op}`, type: 'subscribe', payload: { query, variables } }));
}

/** Opens one socket; resolves true once it is ready (see `Sock.ready`). */
function openOne(
  url: string,
  mode: 'raw' | 'gql',
  token: string | undefined,
  query: string,
  variables: Record<string, unknown>,
  waitFirst: boolean,
  timeoutMs: number,
): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = mode === 'raw' ? new WebSocket(url) : new WebSocket(url, 'graphql-transport-ws');
    const s: Sock = { ws, ready: false, closed: false, op: 0, lastSeq: -1, got: null, lastText: null };
    sockets.push(s);
    let settled = false;
    const done = (ok: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      pendingAck.delete(s);
      pendingFirst.delete(s);
      if (ok && mode === 'gql') s.ready = true;
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    ws.on('message', (data) => onFrame(s, data));
    ws.on('error', () => done(false));
    ws.on('close', (code) => {
      s.closed = true;
      s.ready = false;
      closeCodes[code] = (closeCodes[code] ?? 0) + 1;
      done(false);
    });
    ws.once('open', () => {
      if (mode === 'raw') {
        s.ready = true;
        return done(true);
      }
      pendingAck.set(s, () => {
        pendingAck.delete(s);
        if (waitFirst) pendingFirst.set(s, () => done(!s.closed && s.lastText !== null && !s.lastText.includes('"errors"')));
        subscribe(s, query, variables);
        if (!waitFirst) done(true);
      });
      ws.send(JSON.stringify({ type: 'connection_init', payload: token ? { authorization: `Bearer ${token}` } : {} }));
    });
  });
}

async function inWaves<T>(items: T[], concurrency: number, run: (item: T) => Promise<boolean>): Promise<number> {
  let ok = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        if (await run(item)) ok++;
      }
    }),
  );
  return ok;
}

const live = () => sockets.filter((s) => !s.closed);

serve(
  {
    /** Opens `count` more sockets to `url`; gql sockets take `tokens[i]` and subscribe to `query`. */
    open: async (a: {
      url: string;
      mode: 'raw' | 'gql';
      count: number;
      tokens?: string[];
      query?: string;
      variables?: Record<string, unknown>;
      waitFirst?: boolean;
      concurrency?: number;
      timeoutMs?: number;
    }) => {
      const before = { ...closeCodes };
      const t0 = Date.now();
      firstError = '';
      const ok = await inWaves(
        Array.from({ length: a.count }, (_, i) => i),
        a.concurrency ?? 50,
        (i) => openOne(a.url, a.mode, a.tokens?.[i], a.query ?? '', a.variables ?? {}, a.waitFirst ?? true, a.timeoutMs ?? 60_000),
      );
      const newCloses: Record<string, number> = {};
      for (const [code, n] of Object.entries(closeCodes)) if (n !== before[code]) newCloses[code] = n - (before[code] ?? 0);
      return { opened: ok, failed: a.count - ok, ms: Date.now() - t0, closes: newCloses, firstError };
    },
    /** Ends each socket's subscription and starts `query` instead (same sockets, no new handshake). */
    resubscribe: async (a: { query: string; variables: Record<string, unknown>; waitFirst: boolean; timeoutMs?: number }) => {
      const targets = live();
      let ok = 0;
      await inWaves(
        targets,
        200,
        (s) =>
          new Promise<boolean>((resolve) => {
            s.ws.send(JSON.stringify({ id: `s${s.op}`, type: 'complete' }));
            if (!a.waitFirst) {
              subscribe(s, a.query, a.variables);
              ok++;
              return resolve(true);
            }
            const timer = setTimeout(() => {
              pendingFirst.delete(s);
              resolve(false);
            }, a.timeoutMs ?? 30_000);
            const seen = s.lastText;
            pendingFirst.set(s, () => {
              if (s.lastText === seen) return;
              clearTimeout(timer);
              pendingFirst.delete(s);
              ok++;
              resolve(true);
            });
            subscribe(s, a.query, a.variables);
          }),
      );
      return { ready: ok, failed: targets.length - ok };
    },
    /** Starts a round: every open socket's first frame with `seq > minSeq` counts. */
    arm: (a: { minSeq: number }) => {
      minSeq = a.minSeq;
      received = 0;
      expected = 0;
      for (const s of sockets) {
        s.got = null;
        if (s.ready && !s.closed) expected++;
      }
      return { expected };
    },
    /** Waits (at most `timeoutMs`) for the round; answers the first and last arrival (hrtime ns, as strings). */
    wait: async (a: { timeoutMs: number }) => {
      if (received < expected) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, a.timeoutMs);
          roundDone = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        roundDone = null;
      }
      let first: bigint | null = null;
      let last: bigint | null = null;
      for (const s of sockets) {
        if (s.got === null) continue;
        if (first === null || s.got < first) first = s.got;
        if (last === null || s.got > last) last = s.got;
      }
      minSeq = Infinity;
      return { expected, received, first: first?.toString() ?? null, last: last?.toString() ?? null };
    },
    counters: (a: { reset?: boolean; sample?: boolean }) => {
      const cpu = process.cpuUsage();
      const out = {
        frames,
        bytes,
        lastFrameBytes,
        errorFrames,
        firstError,
        open: live().length,
        closes: { ...closeCodes },
        cpuUs: cpu.user + cpu.system,
        ...(a.sample ? { frame: lastFrame } : {}),
      };
      if (a.reset) {
        firstError = '';
        frames = 0;
        bytes = 0;
        errorFrames = 0;
      }
      return out;
    },
    seqs: () => {
      const seqs = live().map((s) => s.lastSeq);
      return { min: seqs.length ? Math.min(...seqs) : null, max: seqs.length ? Math.max(...seqs) : null, count: seqs.length };
    },
    /**
     * Write path: how many sockets' last `citySummary` equals `expected` (the fresh snapshot's
     * overview as JSON), `asOf` (when it was computed) left out of both.
     */
    compare: (a: { expected: string; field: string }) => {
      let equal = 0;
      let differ = 0;
      let sample = '';
      for (const s of live()) {
        let mine: string;
        try {
          const value = (JSON.parse(s.lastText ?? 'null') as { payload?: { data?: Record<string, Record<string, unknown>> } })?.payload
            ?.data?.[a.field];
          if (value) delete value.asOf;
          mine = JSON.stringify(value);
        } catch {
          mine = '';
        }
        if (mine === a.expected) equal++;
        else {
          differ++;
          sample ||= mine.slice(0, 300);
        }
      }
      return { equal, differ, sample };
    },
    closeAll: async () => {
      const n = sockets.length;
      for (const s of sockets) s.ws.terminate();
      sockets.length = 0;
      return { closed: n };
    },
  },
  async () => {
    for (const s of sockets) s.ws.terminate();
  },
);
process.send?.({ ready: true });
