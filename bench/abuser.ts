/**
 * One account doing its worst (forked by bench/run.ts, `abuse` scenario; issue 20): with one token
 * it keeps, at once,
 *  - `sockets` graphql-ws sockets open, reopening every one the server closes (beyond the cap of
 *    20 per user they are refused with 4430), half of them never reading what they are sent;
 *  - `replays` `cityEvents` replays at the LIVE_MAX_REPLAY cap in flight on every socket (each
 *    completed and started again once it has arrived or was refused);
 *  - `httpConnections` HTTP connections sending, back to back, the most expensive query the cost
 *    limit lets through (aliased city snapshots);
 *  - `uploads` uploads of `uploadBytes` each, back to back, through `POST /uploads`.
 * Commands (IPC): `start` (returns at once), `stop` (stops and answers what it got), `stats`.
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { procStats, serve } from './lib';

interface Options {
  url: string;
  token: string;
  cityId: string;
  /** LIVE_MAX_REPLAY: each replay starts this many events (less 100, for the reports meanwhile) before the head at the start. */
  maxReplay: number;
  sockets: number;
  replays: number;
  httpConnections: number;
  uploads: number;
  uploadBytes: number;
}

const EVENTS =
  'subscription Abuse($id: ID!, $after: Int) { cityEvents(cityId: $id, afterSeq: $after) { seq kind entity entityId actionPlanId at } }';

/** An expensive query under the cost limit (20 000): two aliased snapshots of the city's plans (about 15 000). */
const HEAVY = `query Heavy($id: ID!) { ${[1, 2]
  .map(
    (i) =>
      `c${i}: city(id: $id) { actionPlans(first: 100) { edges { node { id title code description progress expectedProgress state dueDate ownerOpd { id name abbreviation } program { id name } milestones { title dueDate doneDate } } } } }`,
  )
  .join(' ')} }`;

const counters = {
  socketsOpened: 0,
  closes: {} as Record<string, number>,
  replayEvents: 0,
  replaysDone: 0,
  rateLimited: { ws: 0, http: 0, uploads: 0 },
  otherErrors: 0,
  firstOtherError: '',
  http: { ok: 0, other: 0 },
  uploads: { stored: 0, other: 0 },
};
let running = false;
let started = { cpu: process.cpuUsage(), at: performance.now() };
const open = new Set<WebSocket>();
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function note(error: string): void {
  counters.otherErrors++;
  counters.firstOtherError ||= error.slice(0, 300);
}

/** Where the replays start, and how many events each brings. */
const replay = { afterSeq: 0, events: 0 };

/** One socket: replays in flight, each started again when done; reopened when the server closes it. */
function socketLoop(o: Options, index: number): void {
  if (!running) return;
  const ws = new WebSocket(`${o.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  const reading = index % 2 === 0;
  let next = 0;
  const received = new Map<string, number>();
  const subscribe = () => {
    const id = `r${next++}`;
    received.set(id, 0);
    ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query: EVENTS, variables: { id: o.cityId, after: replay.afterSeq } } }));
  };
  const restart = (id: string) => {
    received.delete(id);
    ws.send(JSON.stringify({ id, type: 'complete' }));
    counters.replaysDone++;
    if (running && ws.readyState === WebSocket.OPEN) subscribe();
  };
  ws.on('open', () => {
    open.add(ws);
    ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${o.token}` } }));
  });
  ws.on('message', (data) => {
    const text = String(data);
    const message = JSON.parse(text) as { id?: string; type: string; payload?: any };
    if (message.type === 'connection_ack') {
      counters.socketsOpened++;
      // A socket that never reads: nothing more is taken off the wire after the ack.
      if (!reading) (ws as unknown as { _socket?: { pause(): void } })._socket?.pause();
      for (let i = 0; i < o.replays; i++) subscribe();
    } else if (message.type === 'ping') {
      ws.send('{"type":"pong"}');
    } else if (message.id && (message.type === 'next' || message.type === 'error')) {
      const errors = message.type === 'error' ? message.payload : message.payload?.errors;
      if (errors) {
        const code = errors[0]?.extensions?.code;
        if (code === 'RATE_LIMITED') counters.rateLimited.ws++;
        else note(JSON.stringify(errors[0]));
        // Refused: try again at once (the worst a client can do).
        if (received.has(message.id)) restart(message.id);
        return;
      }
      counters.replayEvents++;
      const got = (received.get(message.id) ?? 0) + 1;
      received.set(message.id, got);
      if (got >= replay.events) restart(message.id);
    } else if (message.type === 'complete' && message.id && received.has(message.id)) {
      restart(message.id);
    }
  });
  ws.on('error', () => {});
  ws.on('close', (code) => {
    open.delete(ws);
    counters.closes[code] = (counters.closes[code] ?? 0) + 1;
    // Reopened at once: a reconnect storm.
    if (running) setTimeout(() => socketLoop(o, index), 50);
  });
}

/** POSTs and resolves with the status; an answer other than 200, 201 or 429 is noted. */
function request(url: string, headers: Record<string, string>, body: Buffer | string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString('utf8');
          if (status !== 200 && status !== 201 && status !== 429) note(`HTTP ${status} ${text}`);
          else if (status === 200 && text.includes('"errors"')) note(`HTTP 200 ${text}`);
          resolve(status);
        });
        res.on('error', () => resolve(0));
      },
    );
    req.on('error', (error) => {
      note(String(error));
      resolve(0);
    });
    req.end(body);
  });
}

async function httpLoop(o: Options): Promise<void> {
  const body = JSON.stringify({ query: HEAVY, variables: { id: o.cityId } });
  while (running) {
    const status = await request(`${o.url}/graphql`, { 'content-type': 'application/json', authorization: `Bearer ${o.token}` }, body);
    if (status === 200) counters.http.ok++;
    else if (status === 429) counters.rateLimited.http++;
    else counters.http.other++;
  }
}

async function uploadLoop(o: Options): Promise<void> {
  let i = 0;
  while (running) {
    // Text of its own each time (nothing deduplicated): a new file to hash, sniff and store.
    const file = Buffer.concat([Buffer.from(`${randomBytes(16).toString('hex')}\n`), Buffer.alloc(o.uploadBytes, 'a')]);
    const status = await request(
      `${o.url}/uploads?cityId=${o.cityId}&name=abuse-${i++}.txt`,
      { 'content-type': 'application/octet-stream', authorization: `Bearer ${o.token}` },
      file,
    );
    if (status === 201) counters.uploads.stored++;
    else if (status === 429) counters.rateLimited.uploads++;
    else counters.uploads.other++;
  }
}

serve(
  {
    start: async (o: Options) => {
      const res = await fetch(`${o.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${o.token}` },
        body: JSON.stringify({ query: 'query ($id: ID!) { city(id: $id) { overview { seq } } }', variables: { id: o.cityId } }),
      });
      const head = ((await res.json()) as { data: { city: { overview: { seq: number } } } }).data.city.overview.seq;
      replay.events = o.maxReplay - 100;
      replay.afterSeq = head - replay.events;
      started = { cpu: process.cpuUsage(), at: performance.now() };
      running = true;
      for (let i = 0; i < o.sockets; i++) socketLoop(o, i);
      for (let i = 0; i < o.httpConnections; i++) void httpLoop(o);
      for (let i = 0; i < o.uploads; i++) void uploadLoop(o);
      return { started: true };
    },
    stats: () => ({ ...counters, open: open.size, ...procStats() }),
    stop: () => {
      running = false;
      for (const ws of open) ws.terminate();
      open.clear();
      const cpu = process.cpuUsage(started.cpu);
      // Its own CPU, as a share of a core: it shares the machine with the server it attacks.
      return { ...counters, cpuShare: (cpu.user + cpu.system) / 1_000 / (performance.now() - started.at) };
    },
  },
  async () => {
    running = false;
    for (const ws of open) ws.terminate();
  },
);
process.send?.({ ready: true });
