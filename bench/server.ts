/**
 * A server under test, alone in its process (forked by bench/run.ts), so that its CPU time
 * (process.cpuUsage) and RSS are its own. argv[2] is the kind:
 *  - `pantau`: the real server (server/server.ts startServer) with the settings in the environment
 *    (the parent passes production settings: NODE_ENV=production, DATABASE_URL, REDIS_URL…);
 *  - `raw`: the baseline for fan-out and idle sockets, a bare `ws` WebSocketServer on node:http; a
 *    `POST /broadcast` with `{"frame": <text of a frame Pantau sent>}` sends that frame, its first
 *    `seq` renumbered, to every socket, serialised once (`{"frames": [...]}`: each in turn, as a
 *    kiosk received a report's frames): the physical limit of a broadcast (without
 *    a frame, `?bytes=N` sends a filler frame of N bytes shaped like a graphql-ws `next` message);
 *  - `plain`: the baseline for HTTP, graphql-js 16 on node:http with a tiny schema (`{ __typename }`).
 * Commands (IPC): `stats` (CPU, RSS, sockets; `gc: true` collects first), `seedEvents` (pantau:
 * outbox rows for the replay and abuse scenarios), `rssPeak` (pantau: the highest RSS since the last
 * reset, sampled every 50 ms, and the event loop's delay p99 and max meanwhile), `close`.
 */
import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildSchema, graphql } from 'graphql';
import { WebSocketServer, type WebSocket } from 'ws';
import { procStats, serve } from './lib';

const kind = process.argv[2] ?? 'pantau';

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const SEQ = /"seq":\d+/;

async function raw(): Promise<void> {
  let seq = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'POST' && url.pathname === '/broadcast') {
      void readBody(req).then((body) => {
        const bytes = Number(url.searchParams.get('bytes') ?? 200);
        const given = body ? (JSON.parse(body) as { frame?: string; frames?: string[] }) : {};
        const samples = given.frames ?? (given.frame ? [given.frame] : []);
        const frames: Buffer[] = [];
        for (const sample of samples.length ? samples : [undefined]) {
          seq++;
          if (sample && SEQ.test(sample)) {
            // The bytes a server under test sent, with this broadcast's seq.
            frames.push(Buffer.from(sample.replace(SEQ, `"seq":${seq}`)));
          } else {
            const head = `{"id":"1","type":"next","payload":{"data":{"raw":{"seq":${seq},"pad":"`;
            const tail = '"}}}}';
            frames.push(Buffer.from(head + 'x'.repeat(Math.max(0, bytes - head.length - tail.length)) + tail));
          }
        }
        for (const frame of frames) for (const socket of wss.clients) socket.send(frame);
        res.writeHead(200, { 'content-type': 'application/json' }).end(`{"seq":${seq}}`);
      });
      return;
    }
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket: WebSocket) => socket.on('error', () => {}));
  const url = await listen(server);
  serve({ stats: (a: { gc?: boolean }) => procStats(a.gc, wss.clients.size) }, async () => {
    for (const c of wss.clients) c.terminate();
    server.close();
  });
  process.send?.({ ready: true, url });
}

async function plain(): Promise<void> {
  const schema = buildSchema('type Query { hello: String }');
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(404).end();
      return;
    }
    void readBody(req).then(async (text) => {
      try {
        const body = JSON.parse(text) as { query: string; variables?: Record<string, unknown> };
        const out = await graphql({ schema, source: body.query, variableValues: body.variables ?? null, rootValue: { hello: 'world' } });
        const json = JSON.stringify(out);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) }).end(json);
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  server.keepAliveTimeout = 5_000;
  const url = await listen(server);
  serve({ stats: (a: { gc?: boolean }) => procStats(a.gc) }, async () => void server.close());
  process.send?.({ ready: true, url });
}

async function pantau(): Promise<void> {
  const { loadSettings } = await import('../server/env');
  const { startServer } = await import('../server/server');
  const settings = loadSettings(process.env);
  const server = await startServer(settings, { quiet: true });
  const sockets = (): number | null => {
    const ws = (server as { webSocket?: { sockets?: () => number } }).webSocket;
    return typeof ws?.sockets === 'function' ? ws.sockets() : null;
  };
  // The peak RSS since the last `rssPeak` with `reset` (sampled every 50 ms), and the event loop's
  // delay over the same time (the abuse scenario).
  let peak = process.memoryUsage.rss();
  setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50).unref();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  serve(
    {
      stats: (a: { gc?: boolean }) => procStats(a.gc, sockets()),
      /** The live path's counters: shared runs started, executions of their results (the kiosks scenario). */
      live: async () => {
        const shared = (server.services.live as { shared?: { counters: { runs: number; executions: number; joins?: number } } } | undefined)
          ?.shared;
        const { frameCounters } = await import('../server/realtime/frames');
        return {
          runs: shared?.counters.runs ?? 0,
          executions: shared?.counters.executions ?? 0,
          joins: shared?.counters.joins ?? 0,
          serialised: frameCounters.serialised,
          spliced: frameCounters.spliced,
        };
      },
      rssPeak: (a: { reset?: boolean }) => {
        const seen = Math.max(peak, process.memoryUsage.rss());
        const delay = { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 };
        if (a.reset) {
          peak = process.memoryUsage.rss();
          loop.reset();
        }
        return { peak: seen, loopDelay: delay };
      },
      /** Outbox rows straight into the database for the replay scenario (it measures the replay, not the writes). */
      seedEvents: async (a: { cityId: string; planIds: string[]; count: number }) => {
        // Numbered and written by the outbox itself (events/sequence.ts owns the numbering), unpublished.
        const { appendEvents } = await import('../server/events/outbox');
        const drafts = Array.from({ length: a.count }, (_, i) => {
          const planId = a.planIds[(i + 1) % a.planIds.length]!;
          return { kind: 'PROGRESS_REPORTED', entity: 'ProgressReport', entityId: planId, actionPlanId: planId };
        });
        const written = await server.orm.em.fork().transactional((em) => appendEvents(em, a.cityId, drafts, new Date()));
        return { head: written.at(-1)?.seq ?? 0, maxReplay: settings.live.maxReplay };
      },
    },
    () => server.close(),
  );
  process.send?.({ ready: true, url: server.url });
}

const start = kind === 'raw' ? raw : kind === 'plain' ? plain : pantau;
start().catch((error: unknown) => {
  process.send?.({ error: (error as Error).stack ?? String(error) });
  process.exit(1);
});
