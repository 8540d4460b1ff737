/**
 * `npm run bench`: Pantau measured against the physical limit in the same run (issue 9). Every
 * scenario runs its own baseline and prints one line per target:
 *
 *   RESULT <scenario> <metric>=<value> baseline=<value> ratio=<r> target <op> <t> PASS|FAIL
 *
 * plus indented details; figures are medians with their spread. Everything runs on PostgreSQL (a
 * fresh database per scenario on PANTAU_TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/test)
 * and, for two instances, Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379, a key prefix of
 * its own). Each server under test runs alone in a forked process (bench/server.ts) with production
 * settings, so its CPU (process.cpuUsage) and RSS are its own; the load comes from other forked
 * processes (bench/clients.ts: WebSockets; bench/http-load.ts: autocannon; bench/writers.ts).
 *
 * Scenarios (arguments or BENCH_SCENARIOS, comma list; default all, in this order):
 *   fanout      1 000 / 3 000 / 10 000 graphql-ws subscribers to citySummary (the screen's
 *               selection) and cityEvents, one instance and two instances with Redis; time from
 *               sending reportProgress to the LAST subscriber's receipt (p50/p99 over ≥ 20 rounds)
 *               and server CPU per delivery, against a raw `ws` broadcast of the same frame (the
 *               bytes a client got from Pantau) to as many sockets from the same client processes
 *   idle        CPU and RSS per socket of 3 000 and 10 000 subscribed idle sockets vs raw `ws`
 *   http        { __typename } with a token and the dashboard query vs plain graphql-js on node:http
 *   write-path  20 concurrent writers for 10 s with 0 and 1 000 citySummary subscribers; every
 *               subscriber must end equal to a fresh snapshot
 *   replay      cityEvents(afterSeq) at the LIVE_MAX_REPLAY cap vs one event further back (refused)
 *   uploads     24 parallel 20 MiB uploads by one OPD reporter, then 16 parallel downloads of one, on
 *               PostgreSQL and SQLite: peak RSS above idle vs a plain node:http server piping the same
 *               bytes to /dev/null (bench/uploads.ts, bench/sink.ts)
 *   kiosks      100 / 1 000 real meeting-room screens (the kiosk's own LiveCity, bundled for Node,
 *               bench/kiosks.ts; BENCH_KIOSK_SIZES=10000, BENCH_KIOSK_INSTANCES=2): per report, when
 *               every screen shows it (overview, feed), the server's CPU and the screens' HTTP
 *               requests, against a raw `ws` broadcast of the same frames to as many sockets
 *   abuse       one account doing its worst (sockets, replays at the cap, expensive queries, uploads)
 *               beside 100 honest citySummary screens and an honest HTTP client: their p99 with it vs
 *               without it (≤ 2×), and the server's peak RSS above idle (< 300 MB)
 *   evidence-pack  GET /reports/evidence.zip of 200 × 1 MiB evidence files on PostgreSQL and SQLite:
 *               time and the server's peak RSS above idle (< 100 MB: flat) (bench/evidence-pack.ts)
 *   import      a masterplan workbook of 100 000 action plans imported into a new city: its time, the
 *               server's peak RSS above idle (< 200 MB), and the dashboard query's p99 during the
 *               import beside the idle server's (bench/imports.ts; BENCH_IMPORT_ROWS)
 *   desk-queue  the desk's verification queue with 500 waiting reports, rendered by the built desk in
 *               Chromium: from the last answer to the queue on screen (< 300 ms), and the OPD filter
 *               (bench/desk-queue.ts)
 * e.g. `npm run bench -- fanout idle`. Knobs (environment): BENCH_FANOUT_SIZES (1000,3000,10000),
 * BENCH_ROUNDS (20), BENCH_IDLE_SIZES (3000,10000), BENCH_IDLE_SECONDS (24), BENCH_IDLE_RAW_SECONDS (12), BENCH_HTTP_SECONDS (6),
 * BENCH_HTTP_REPEATS (3), BENCH_WRITE_SECONDS (10), BENCH_WRITE_REPEATS (2), BENCH_CLIENTS (4), BENCH_ABUSE_SCREENS (100),
 * BENCH_ABUSE_HTTP_PER_SECOND (20), BENCH_ABUSE_SOCKETS (40), BENCH_ABUSE_REPLAYS (50), BENCH_ABUSE_HTTP (4),
 * BENCH_ABUSE_UPLOADS (2), BENCH_ABUSE_UPLOAD_BYTES (5 MiB).
 *
 * Always exits 0 when it ran to the end (it is a report): the summary counts PASS and FAIL.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { createTestDatabase, type TestDatabase } from '../test/helpers/db';
import { login, ok } from '../test/helpers/gql';
import { Child, detail, format, kb, median, ms, pct, pctOfCore, perSec, result, results, sleep, spread, us, type ProcStats } from './lib';
import { evidencePackScenario } from './evidence-pack';
import { kiosksScenario } from './kiosks';
import { deskQueueScenario } from './desk-queue';
import { uploadsScenario } from './uploads';
import { importScenario } from './imports';
import { OVERVIEW } from '../dashboard/src/api/queries';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const list = (name: string, fallback: string) =>
  (process.env[name] ?? fallback)
    .split(',')
    .map(Number)
    .filter((n) => n > 0);

const FANOUT_SIZES = list('BENCH_FANOUT_SIZES', '1000,3000,10000');
const ROUNDS = num('BENCH_ROUNDS', 20);
const WARMUP = 2;
const CLIENTS = num('BENCH_CLIENTS', 4);
const IDLE_SIZES = list('BENCH_IDLE_SIZES', '3000,10000');
// Two keep-alive rounds of 12 s: a silent socket's whole cycle (pinged in one round, left alone in the next).
const IDLE_SECONDS = num('BENCH_IDLE_SECONDS', 24);
// The raw baseline has no keep-alive or any other periodic work: a shorter window reads the same.
const IDLE_RAW_SECONDS = num('BENCH_IDLE_RAW_SECONDS', 12);
const HTTP_SECONDS = num('BENCH_HTTP_SECONDS', 6);
const HTTP_REPEATS = num('BENCH_HTTP_REPEATS', 3);
const WRITE_SECONDS = num('BENCH_WRITE_SECONDS', 10);
const WRITE_REPEATS = num('BENCH_WRITE_REPEATS', 2);
const WRITERS = 20;
const WRITE_SUBSCRIBERS = 1_000;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ABUSE_SCREENS = num('BENCH_ABUSE_SCREENS', 100);
const ABUSE_HTTP_PER_SECOND = num('BENCH_ABUSE_HTTP_PER_SECOND', 20);
/** The server's default (WS_MAX_SOCKETS_PER_SUBJECT = 20) is kept: the sockets share screen tokens, 20 each. */
const SOCKETS_PER_TOKEN = 20;

/** The meeting-room screen's own overview selection (dashboard/src/api/queries.ts), pushed or read. */
const SUMMARY = `subscription LayarSummary($id: ID!) { citySummary(cityId: $id) { ...LayarOverview } }\n${OVERVIEW}`;
const EVENTS = 'subscription LayarEvents($id: ID!, $after: Int) { cityEvents(cityId: $id, afterSeq: $after) { seq kind actionPlanId at } }';
const SNAPSHOT = `query ($id: ID!) { city(id: $id) { overview { ...LayarOverview } } }\n${OVERVIEW}`;
/** The dashboard query: the demo city's overview and its first plans. */
const DASHBOARD = `query ($id: ID!) { city(id: $id) {
  overview { progress counts { total late } dimensions { dimension progress } quickWins { name progress } opds { id name progress } lateActionPlans { id title ownerOpd { name } } }
  actionPlans(first: 100) { totalCount edges { node { id title version progress state ownerOpd { id name } } } }
} }`;
const REPORT = 'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { version } }';
const ADMIN = 'admin@pantau.demo';

// ---------------------------------------------------------------------------------------------
// Servers, clients, the demo city

const databases: TestDatabase[] = [];
const children: Child[] = [];

async function database(): Promise<TestDatabase> {
  const db = await createTestDatabase('postgres');
  databases.push(db);
  return db;
}

async function track(child: Promise<Child>): Promise<Child> {
  const c = await child;
  children.push(c);
  return c;
}

async function stop(...list: Child[]): Promise<void> {
  await Promise.all(list.map((c) => c.stop()));
  for (const c of list) children.splice(children.indexOf(c), 1);
}

/**
 * A Pantau instance as production runs it: NODE_ENV=production, PostgreSQL, the default pool,
 * coalescing, token re-check and socket limits. Two things differ, both said in the README: the
 * demo data is seeded (PANTAU_DEMO=true: the bench's city and accounts), and the late-plan watcher
 * is off (PANTAU_LATE_CHECK_SECONDS=0: its once-a-minute events would land in the middle of rounds).
 */
async function pantau(db: TestDatabase, name: string, redisPrefix?: string, extraEnv: Record<string, string> = {}): Promise<Child> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pantau-bench-'));
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: db.target.dialect === 'postgres' ? db.target.url : '',
    DATA_DIR: dataDir,
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123456789',
    PANTAU_DEMO: 'true',
    PANTAU_LATE_CHECK_SECONDS: '0',
    REDIS_URL: redisPrefix ? REDIS_URL : '',
    REDIS_KEY_PREFIX: redisPrefix ?? 'pantau:',
    ...extraEnv,
  };
  return track(Child.start(name, 'server', ['pantau'], env));
}

const wsUrl = (url: string) => `${url.replace(/^http/, 'ws')}/graphql`;

async function startClients(n = CLIENTS): Promise<Child[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => track(Child.start(`clients-${i + 1}`, 'clients'))));
}

interface Demo {
  url: string;
  token: string;
  cityId: string;
  plans: { id: string; version: number }[];
}

/** Logs the platform admin in and finds the demo city (Tanjungpinang) and its active plans. */
async function demo(url: string): Promise<Demo> {
  const token = await login(url, ADMIN);
  const { cities } = await ok<{ cities: { id: string; name: string }[] }>(url, '{ cities { id name } }', {}, token);
  const city = cities.find((c) => c.name.includes('Tanjungpinang')) ?? cities[0]!;
  const data = await ok<{ city: { actionPlans: { edges: { node: { id: string; version: number; status: string } }[] } } }>(
    url,
    'query ($id: ID!) { city(id: $id) { actionPlans(first: 100) { edges { node { id version status } } } } }',
    { id: city.id },
    token,
  );
  const plans = data.city.actionPlans.edges.map((e) => e.node).filter((p) => p.status === 'ACTIVE');
  return { url, token, cityId: city.id, plans: plans.map((p) => ({ id: p.id, version: p.version })) };
}

/** Screen tokens of the demo city (a meeting-room screen's credentials), created through the API. */
async function screenTokens(d: Demo, count: number): Promise<string[]> {
  const tokens: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < count) {
        const i = next++;
        const r = await ok<{ createScreenToken: { token: string } }>(
          d.url,
          'mutation ($input: CreateScreenTokenInput!) { createScreenToken(input: $input) { token } }',
          { input: { cityId: d.cityId, label: `Layar bench ${i + 1}` } },
          d.token,
        );
        tokens[i] = r.createScreenToken.token;
      }
    }),
  );
  return tokens;
}

/**
 * POSTs `body` on a connection of its own (no keep-alive: a pooled connection that the server closed
 * while idle between rounds would fail the request); resolves with the answer's text.
 */
function post(url: string, body: string, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(Buffer.concat(chunks).toString('utf8'))
            : reject(new Error(`HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}`)),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** One progress report on the next plan (round robin), keeping the versions; throws on an error. */
function reporter(d: Demo): () => Promise<void> {
  let i = 0;
  return async () => {
    const plan = d.plans[i % d.plans.length]!;
    const percent = ((i * 37) % 89) + 5;
    i++;
    const text = await post(
      `${d.url}/graphql`,
      JSON.stringify({
        query: REPORT,
        variables: { input: { actionPlanId: plan.id, percent, narrative: `bench ${i}`, expectedVersion: plan.version } },
      }),
      { authorization: `Bearer ${d.token}` },
    );
    const body = JSON.parse(text) as { data?: { reportProgress?: { version: number } }; errors?: unknown[] };
    if (!body.data?.reportProgress) throw new Error(`reportProgress: ${JSON.stringify(body.errors).slice(0, 300)}`);
    plan.version = body.data.reportProgress.version;
  };
}

/**
 * Opens `count` more sockets spread over the client processes and the `urls` (instances), graphql-ws
 * sockets taking screen tokens `SOCKETS_PER_TOKEN` at a time from `tokens`, starting at socket `from`.
 */
async function openSockets(
  clients: Child[],
  urls: string[],
  mode: 'raw' | 'gql',
  from: number,
  count: number,
  tokens: string[] = [],
  query = '',
  variables: Record<string, unknown> = {},
): Promise<{ opened: number; failed: number; ms: number; closes: Record<string, number>; firstError: string }> {
  const t0 = Date.now();
  const jobs: Promise<{ opened: number; failed: number; closes: Record<string, number>; firstError: string }>[] = [];
  let index = from;
  const parts = clients.length * urls.length;
  let k = 0;
  for (const client of clients) {
    for (const url of urls) {
      const share = Math.floor(count / parts) + (k < count % parts ? 1 : 0);
      k++;
      const mine = mode === 'gql' ? Array.from({ length: share }, (_, i) => tokens[Math.floor((index + i) / SOCKETS_PER_TOKEN)]!) : [];
      index += share;
      if (share > 0)
        jobs.push(
          client.call(
            'open',
            {
              url: mode === 'gql' ? wsUrl(url) : url.replace(/^http/, 'ws'),
              mode,
              count: share,
              tokens: mine,
              query,
              variables,
              waitFirst: true,
              concurrency: Number(process.env.BENCH_CONNECT_CONCURRENCY ?? 25),
            },
            600_000,
          ),
        );
    }
  }
  const done = await Promise.all(jobs);
  const closes: Record<string, number> = {};
  for (const d of done) for (const [code, n] of Object.entries(d.closes)) closes[code] = (closes[code] ?? 0) + n;
  return {
    opened: done.reduce((s, d) => s + d.opened, 0),
    failed: done.reduce((s, d) => s + d.failed, 0),
    ms: Date.now() - t0,
    closes,
    firstError: done.map((d) => d.firstError).find(Boolean) ?? '',
  };
}

async function closeAll(clients: Child[], servers: Child[] = []): Promise<void> {
  await Promise.all(clients.map((c) => c.call('closeAll')));
  // Until every server has forgotten them (the per-token socket limit counts open sockets).
  const end = Date.now() + 15_000;
  while (Date.now() < end) {
    const stats = await Promise.all(servers.map((s) => s.call<ProcStats>('stats')));
    if (stats.every((s) => !s.sockets)) break;
    await sleep(200);
  }
}

async function stats(servers: Child[], gc = false): Promise<{ cpuUs: number; rss: number }> {
  const all = await Promise.all(servers.map((s) => s.call<ProcStats>('stats', { gc })));
  return { cpuUs: all.reduce((s, x) => s + x.cpuUs, 0), rss: all.reduce((s, x) => s + x.rss, 0) };
}

async function sum(clients: Child[], cmd: string, args: Record<string, unknown> = {}): Promise<any[]> {
  return Promise.all(clients.map((c) => c.call(cmd, args)));
}

async function headSeq(clients: Child[]): Promise<number> {
  const seqs = await sum(clients, 'seqs');
  return Math.max(...seqs.map((s: { max: number | null }) => s.max ?? -1));
}

// ---------------------------------------------------------------------------------------------
// Fan-out rounds

interface Rounds {
  /** Sending the change → the last subscriber's receipt, per measured round (Infinity: not everyone got it). */
  latencies: number[];
  /** The first subscriber's receipt. */
  firsts: number[];
  expected: number;
  missing: number;
  rounds: number;
  cpuPerDeliveryUs: number;
  /** The client processes' CPU per delivery (they share the machine's cores with the server). */
  clientCpuPerDeliveryUs: number;
  deliveries: number;
  frameBytes: number;
  /** The text of a value frame a client received (the raw baseline sends the same bytes). */
  frameText: string;
  errors: number;
  firstError: string;
}

/**
 * Runs WARMUP + ROUNDS rounds: arm every client (the first frame with a seq above the settled head
 * counts), note the time, `trigger()` (the mutation, or the raw broadcast), wait for every
 * subscriber, then let the stream settle (`gapMs`) before the next round. Stops early when
 * `budgetMs` is spent or three rounds in a row miss subscribers (a collapse).
 */
async function rounds(
  label: string,
  clients: Child[],
  servers: Child[],
  trigger: () => Promise<void>,
  gapMs: number,
  timeoutMs: number,
  budgetMs: number,
): Promise<Rounds> {
  const out: Rounds = {
    latencies: [],
    firsts: [],
    expected: 0,
    missing: 0,
    rounds: 0,
    cpuPerDeliveryUs: NaN,
    clientCpuPerDeliveryUs: NaN,
    deliveries: 0,
    frameBytes: 0,
    frameText: '',
    errors: 0,
    firstError: '',
  };
  let head = await headSeq(clients);
  let before = { cpuUs: 0, rss: 0 };
  let clientCpuBefore = 0;
  let start = 0;
  let misses = 0;
  const trigMs: number[] = [];
  for (let r = 0; r < WARMUP + ROUNDS; r++) {
    if (r === WARMUP) {
      clientCpuBefore = (await sum(clients, 'counters', { reset: true })).reduce((s: number, c: { cpuUs: number }) => s + c.cpuUs, 0);
      before = await stats(servers);
      start = Date.now();
    }
    const armed = await sum(clients, 'arm', { minSeq: head });
    const expected = armed.reduce((s: number, a: { expected: number }) => s + a.expected, 0);
    const t0 = process.hrtime.bigint();
    try {
      await trigger();
    } catch (error) {
      out.errors++;
      out.firstError ||= String(error).slice(0, 300);
    }
    trigMs.push(Math.round(Number(process.hrtime.bigint() - t0) / 1e6));
    const waits = await Promise.all(
      clients.map((c) => c.call<{ received: number; first: string | null; last: string | null }>('wait', { timeoutMs })),
    );
    const received = waits.reduce((s, w) => s + w.received, 0);
    const lasts = waits
      .map((w) => w.last)
      .filter((x): x is string => x !== null)
      .map(BigInt);
    const firsts = waits
      .map((w) => w.first)
      .filter((x): x is string => x !== null)
      .map(BigInt);
    const last = lasts.length ? lasts.reduce((a, b) => (b > a ? b : a)) : null;
    const first = firsts.length ? firsts.reduce((a, b) => (b < a ? b : a)) : null;
    if (r >= WARMUP) {
      out.rounds++;
      out.expected += expected;
      out.missing += expected - received;
      out.latencies.push(received < expected || last === null ? Infinity : Number(last - t0) / 1e6);
      out.firsts.push(first === null ? Infinity : Number(first - t0) / 1e6);
      misses = received < expected ? misses + 1 : 0;
    }
    await sleep(gapMs);
    head = Math.max(head, await headSeq(clients));
    if (r >= WARMUP && (Date.now() - start > budgetMs || misses >= 3)) break;
  }
  const after = await stats(servers);
  const counters = await sum(clients, 'counters', { sample: true });
  out.frameText = counters.map((c: { frame?: string }) => c.frame ?? '').find(Boolean) ?? '';
  out.deliveries = counters.reduce((s: number, c: { frames: number }) => s + c.frames, 0);
  out.frameBytes = Math.max(...counters.map((c: { lastFrameBytes: number }) => c.lastFrameBytes));
  const errorFrames = counters.reduce((s: number, c: { errorFrames: number }) => s + c.errorFrames, 0);
  if (errorFrames > 0) {
    out.errors += errorFrames;
    out.firstError ||= counters.map((c: { firstError: string }) => c.firstError).find(Boolean) ?? '';
  }
  out.cpuPerDeliveryUs = (after.cpuUs - before.cpuUs) / Math.max(1, out.deliveries);
  out.clientCpuPerDeliveryUs =
    (counters.reduce((s: number, c: { cpuUs: number }) => s + c.cpuUs, 0) - clientCpuBefore) / Math.max(1, out.deliveries);
  const finite = out.latencies.filter(Number.isFinite);
  // BENCH_ROUND_DETAIL=1: every round's first and last receipt and the mutation's own answer (ms).
  if (process.env.BENCH_ROUND_DETAIL)
    detail(
      `rounds (first/last receipt, answer): ${out.latencies.map((l, i) => `${Math.round(out.firsts[i]!)}/${Math.round(l)} (${trigMs[WARMUP + i] ?? '-'})`).join(' ')}`,
    );
  detail(
    `${label}: last subscriber p50 ${ms(pct(out.latencies, 50))} (p25–p75 ${ms(pct(out.latencies, 25))}–${ms(pct(out.latencies, 75))}), p99 ${ms(pct(out.latencies, 99))}; first subscriber p50 ${ms(pct(out.firsts, 50))}; ` +
      `${out.rounds} rounds, ${out.missing} of ${out.expected} receipts missing; ${out.deliveries} deliveries of ${out.frameBytes} B, server CPU ${us(out.cpuPerDeliveryUs)}/delivery (clients ${us(out.clientCpuPerDeliveryUs)})` +
      (out.errors ? `; ${out.errors} errors, first: ${out.firstError}` : '') +
      (finite.length < out.latencies.length ? ` (${out.latencies.length - finite.length} rounds timed out after ${ms(timeoutMs)})` : ''),
  );
  return out;
}

async function fanout(): Promise<void> {
  console.log(
    `\n## fanout: ${FANOUT_SIZES.join(' / ')} subscribers, ${ROUNDS} rounds each (after ${WARMUP} warm-up rounds), ${CLIENTS} client processes`,
  );
  const clients = await startClients();
  const db = await database();
  const maxN = Math.max(...FANOUT_SIZES);
  const timeoutFor = (n: number) => Math.max(5_000, n);
  const budget = num('BENCH_FANOUT_BUDGET_MS', 30_000);
  type Figures = { summary: Rounds; events: Rounds };
  const one = new Map<number, Figures>();
  const two = new Map<number, Figures>();
  const raw = new Map<number, Figures>();

  // Pantau, one instance (no Redis: one instance needs none), then two instances sharing Redis.
  for (const mode of ['one', 'two'] as const) {
    const servers =
      mode === 'one'
        ? [await pantau(db, 'pantau-A')]
        : await (async () => {
            const prefix = `bench${randomBytes(4).toString('hex')}:`;
            const a = await pantau(db, 'pantau-A', prefix);
            return [a, await pantau(db, 'pantau-B', prefix)];
          })();
    const urls = servers.map((s) => s.info.url as string);
    const d = await demo(urls[0]!);
    const tokens = await screenTokens(d, Math.ceil(maxN / SOCKETS_PER_TOKEN));
    const report = reporter(d);
    const vars = { id: d.cityId };
    let open = 0;
    detail(
      `${mode === 'one' ? 'one instance' : 'two instances with Redis (subscribers split across both, the mutation sent to the first)'}: demo city with ${d.plans.length} active plans; ${tokens.length} screen tokens, ${SOCKETS_PER_TOKEN} sockets each (WS_MAX_SOCKETS_PER_SUBJECT default 20)`,
    );
    for (const n of FANOUT_SIZES) {
      const o = await openSockets(clients, urls, 'gql', open, n - open, tokens, SUMMARY, vars);
      open = n;
      detail(
        `${n} sockets (graphql-ws, citySummary): +${o.opened} opened in ${ms(o.ms)}, ${o.failed} failed${Object.keys(o.closes).length ? `, closes ${JSON.stringify(o.closes)}` : ''}${o.firstError ? `, first error ${o.firstError}` : ''}`,
      );
      // A single change per round: the next report comes after the coalescing window (250 ms from
      // the push, which came before the last receipt) has passed.
      const summary = await rounds(`${mode}: citySummary × ${n}`, clients, servers, report, 300, timeoutFor(n), budget);
      await sum(clients, 'resubscribe', { query: EVENTS, variables: vars, waitFirst: false });
      await sleep(1_000);
      const events = await rounds(`${mode}: cityEvents × ${n}`, clients, servers, report, 150, timeoutFor(n), budget);
      (mode === 'one' ? one : two).set(n, { summary, events });
      await sum(clients, 'resubscribe', { query: SUMMARY, variables: vars, waitFirst: true, timeoutMs: 60_000 });
    }
    await closeAll(clients, servers);
    await stop(...servers);
  }

  // The baseline: a raw `ws` broadcast of the same frames to as many sockets, same clients.
  const rawServer = await track(Child.start('raw', 'server', ['raw']));
  const rawUrl = rawServer.info.url as string;
  let open = 0;
  for (const n of FANOUT_SIZES) {
    const o = await openSockets(clients, [rawUrl], 'raw', open, n - open);
    open = n;
    detail(`${n} raw sockets: +${o.opened} opened in ${ms(o.ms)}, ${o.failed} failed`);
    const fig = one.get(n)!;
    // The very frame Pantau sent (its seq renumbered), so that the clients, which share the cores
    // with the server, do the same work per frame: the demo data's one non-ASCII character makes a
    // frame a two-byte string to decode and keep in a JS client, about twice the work of ASCII filler.
    const broadcast = (r: Rounds) => async () => {
      await post(`${rawUrl}/broadcast?bytes=${r.frameBytes}`, JSON.stringify({ frame: r.frameText }));
    };
    const summary = await rounds(
      `raw ws: citySummary's frame (${fig.summary.frameBytes} B) × ${n}`,
      clients,
      [rawServer],
      broadcast(fig.summary),
      150,
      timeoutFor(n),
      budget,
    );
    const events = await rounds(
      `raw ws: cityEvents' frame (${fig.events.frameBytes} B) × ${n}`,
      clients,
      [rawServer],
      broadcast(fig.events),
      150,
      timeoutFor(n),
      budget,
    );
    raw.set(n, { summary, events });
  }
  await closeAll(clients, [rawServer]);
  await stop(rawServer, ...clients);

  const p99 = (r: Rounds) => pct(r.latencies, 99);
  for (const n of FANOUT_SIZES) {
    const o = one.get(n)!;
    const b = raw.get(n)!;
    for (const kind of ['summary', 'events'] as const) {
      const name = kind === 'summary' ? 'citySummary' : 'cityEvents';
      // Up to 3,000: p99 within 2× raw; at 10,000: every push arrives, p99 under 1 s. CPU per delivery ≤ 2× raw at every size.
      const large = n > 3_000;
      if (large) {
        result({
          scenario: 'fanout',
          metric: `${name}@${n}.missing`,
          value: o[kind].missing,
          fmt: String,
          baseline: b[kind].missing,
          op: '=',
          target: 0,
          on: 'value',
        });
      }
      result({
        scenario: 'fanout',
        metric: `${name}@${n}.p99`,
        value: p99(o[kind]),
        fmt: ms,
        baseline: p99(b[kind]),
        ...(large ? { op: '<' as const, target: 1_000, on: 'value' as const } : { op: '<=' as const, target: 2, on: 'ratio' as const }),
      });
      result({
        scenario: 'fanout',
        metric: `${name}@${n}.cpu/delivery`,
        value: o[kind].cpuPerDeliveryUs,
        fmt: us,
        baseline: b[kind].cpuPerDeliveryUs,
        op: '<=',
        target: 2,
        on: 'ratio',
      });
      detail(`${name} × ${n}: p50 ${ms(pct(o[kind].latencies, 50))} vs raw ${ms(pct(b[kind].latencies, 50))}`);
    }
  }
  for (const n of FANOUT_SIZES) {
    const t = two.get(n)!;
    const b = raw.get(n)!;
    for (const kind of ['summary', 'events'] as const) {
      const name = kind === 'summary' ? 'citySummary' : 'cityEvents';
      detail(
        `two instances + Redis, ${name} × ${n}: p50 ${ms(pct(t[kind].latencies, 50))}, p99 ${ms(p99(t[kind]))} (${(p99(t[kind]) / p99(b[kind])).toFixed(2)}× one raw ws process), ${t[kind].missing} missing, CPU ${us(t[kind].cpuPerDeliveryUs)}/delivery over both (${(t[kind].cpuPerDeliveryUs / b[kind].cpuPerDeliveryUs).toFixed(2)}× raw)`,
      );
      if (n === Math.max(...FANOUT_SIZES))
        result({
          scenario: 'fanout',
          metric: `two-instances.${name}@${n}.missing`,
          value: t[kind].missing,
          fmt: String,
          op: '=',
          target: 0,
          on: 'value',
        });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Idle sockets

/** CPU of `servers` as % of one core over `seconds`, in windows of `window` s: the whole and the windows' spread. */
async function cpuOver(servers: Child[], seconds: number, window = 3): Promise<{ total: number; windows: number[] }> {
  const windows: number[] = [];
  const first = await stats(servers);
  const t0 = performance.now();
  let prev = first;
  let tPrev = t0;
  for (let i = 0; i < Math.max(1, Math.round(seconds / window)); i++) {
    await sleep(window * 1_000);
    const now = await stats(servers);
    const t = performance.now();
    windows.push(((now.cpuUs - prev.cpuUs) / 1_000 / (t - tPrev)) * 100);
    prev = now;
    tPrev = t;
  }
  return { total: ((prev.cpuUs - first.cpuUs) / 1_000 / (tPrev - t0)) * 100, windows };
}

async function idle(): Promise<void> {
  console.log(
    `\n## idle: ${IDLE_SIZES.join(' / ')} subscribed idle sockets held by ${CLIENTS} client processes, server CPU over ${IDLE_SECONDS} s (two keep-alive rounds: a silent socket's ping cycle) and RSS per socket (after a GC, minus before the sockets)`,
  );
  const clients = await startClients();
  const figures = new Map<string, { cpu: number; windows: number[]; rssPerSocket: number; opened: number }>();
  for (const kind of ['pantau', 'raw'] as const) {
    const server = kind === 'pantau' ? await pantau(await database(), 'pantau') : await track(Child.start('raw', 'server', ['raw']));
    const url = server.info.url as string;
    const d = kind === 'pantau' ? await demo(url) : null;
    const tokens = d ? await screenTokens(d, Math.ceil(Math.max(...IDLE_SIZES) / SOCKETS_PER_TOKEN)) : [];
    await sleep(1_000);
    const base = await stats([server], true);
    let open = 0;
    for (const n of IDLE_SIZES) {
      const o = await openSockets(
        clients,
        [url],
        kind === 'pantau' ? 'gql' : 'raw',
        open,
        n - open,
        tokens,
        SUMMARY,
        d ? { id: d.cityId } : {},
      );
      open = n;
      await sleep(2_000);
      const mem = await stats([server], true);
      const seconds = kind === 'pantau' ? IDLE_SECONDS : IDLE_RAW_SECONDS;
      const cpu = await cpuOver([server], seconds);
      const opened = (await sum(clients, 'counters')).reduce((s: number, c: { open: number }) => s + c.open, 0);
      const rssPerSocket = (mem.rss - base.rss) / n;
      figures.set(`${kind}@${n}`, { cpu: cpu.total, windows: cpu.windows, rssPerSocket, opened });
      detail(
        `${kind === 'pantau' ? 'Pantau (citySummary each)' : 'raw ws'} × ${n}: ${o.opened} opened in ${ms(o.ms)} (${o.failed} failed, ${opened} still open after ${seconds} s), CPU ${pctOfCore(cpu.total)} of a core (${seconds} s; 3 s windows ${spread(cpu.windows, pctOfCore)}), RSS +${((mem.rss - base.rss) / 2 ** 20).toFixed(1)} MiB = ${kb(rssPerSocket)}/socket`,
      );
    }
    await closeAll(clients, [server]);
    await stop(server);
  }
  await stop(...clients);
  for (const n of IDLE_SIZES) {
    const p = figures.get(`pantau@${n}`)!;
    const r = figures.get(`raw@${n}`)!;
    if (n === Math.max(...IDLE_SIZES)) {
      result({
        scenario: 'idle',
        metric: `cpu@${n}`,
        value: p.cpu,
        fmt: pctOfCore,
        baseline: r.cpu,
        op: '<',
        target: 2,
        on: 'value',
        targetText: '2.00% of a core',
      });
      result({
        scenario: 'idle',
        metric: `rss/socket@${n}`,
        value: p.rssPerSocket,
        fmt: kb,
        baseline: r.rssPerSocket,
        op: '<=',
        target: 20 * 1_024,
        on: 'value',
      });
    } else {
      detail(
        `idle × ${n}: CPU ${pctOfCore(p.cpu)} (raw ${pctOfCore(r.cpu)}), RSS ${kb(p.rssPerSocket)}/socket (raw ${kb(r.rssPerSocket)}, ${(p.rssPerSocket / r.rssPerSocket).toFixed(1)}×)`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP

async function httpScenario(): Promise<void> {
  console.log(`\n## http: autocannon from a separate process, 50 connections, ${HTTP_REPEATS} × ${HTTP_SECONDS} s per target, interleaved`);
  // With Redis, as production runs (replicas): revocations reach every instance, so the principal cache is on (AUTH_CACHE_SECONDS).
  // One token sends everything here, thousands of requests a second: far past its work budget, so the
  // budget is raised out of the way (it is still spent and checked on every request, which is what costs).
  const server = await pantau(await database(), 'pantau', `bench${randomBytes(4).toString('hex')}:`, {
    WORK_BUDGET_UNITS: '1000000000',
    WORK_BUDGET_UNITS_PER_SECOND: '1000000000',
  });
  detail(
    'Pantau with REDIS_URL (production shape): the principal cache is on; the work budget raised to 10^9 units (one token sends all the load)',
  );
  const plain = await track(Child.start('plain', 'server', ['plain']));
  const loader = await track(Child.start('autocannon', 'http-load'));
  const url = server.info.url as string;
  const d = await demo(url);
  // Each answers correctly before it is loaded.
  await ok(url, '{ __typename }', {}, d.token);
  await ok(url, DASHBOARD, { id: d.cityId }, d.token);
  const plainCheck = (await (
    await fetch(plain.info.url as string, { method: 'POST', body: JSON.stringify({ query: '{ __typename }' }) })
  ).json()) as { data?: unknown };
  if (!plainCheck.data) throw new Error('plain graphql-js server did not answer');
  const targets = [
    { key: 'plain', server: plain, url: plain.info.url as string, body: JSON.stringify({ query: '{ __typename }' }), headers: {} },
    {
      key: 'typename',
      server,
      url: `${url}/graphql`,
      body: JSON.stringify({ query: '{ __typename }' }),
      headers: { authorization: `Bearer ${d.token}` },
    },
    {
      key: 'dashboard',
      server,
      url: `${url}/graphql`,
      body: JSON.stringify({ query: DASHBOARD, variables: { id: d.cityId } }),
      headers: { authorization: `Bearer ${d.token}` },
    },
  ];
  for (const t of targets) await loader.call('load', { url: t.url, body: t.body, headers: t.headers, connections: 50, seconds: 2 }); // warm-up
  const runs = new Map<string, { rps: number; p50: number; cpuPerRequestUs: number; failures: number }[]>();
  for (let rep = 0; rep < HTTP_REPEATS; rep++) {
    for (const t of targets) {
      const before = await stats([t.server]);
      const r = await loader.call<{ rps: number; ok: number; non2xx: number; errors: number; p50: number }>('load', {
        url: t.url,
        body: t.body,
        headers: t.headers,
        connections: 50,
        seconds: HTTP_SECONDS,
      });
      const after = await stats([t.server]);
      const list = runs.get(t.key) ?? [];
      list.push({
        rps: r.rps,
        p50: r.p50,
        cpuPerRequestUs: (after.cpuUs - before.cpuUs) / Math.max(1, r.ok),
        failures: r.non2xx + r.errors,
      });
      runs.set(t.key, list);
    }
  }
  const labels: Record<string, string> = {
    plain: 'plain graphql-js on node:http, { __typename }',
    typename: 'Pantau { __typename } with a token',
    dashboard: 'Pantau dashboard query (demo city overview + first 100 plans)',
  };
  for (const t of targets) {
    const list = runs.get(t.key)!;
    detail(
      `${labels[t.key]}: ${spread(
        list.map((x) => x.rps),
        perSec,
      )} requests, latency p50 ${spread(
        list.map((x) => x.p50),
        ms,
      )}, server CPU ${spread(
        list.map((x) => x.cpuPerRequestUs),
        us,
      )}/request, ${list.reduce((s, x) => s + x.failures, 0)} failures`,
    );
  }
  const med = (key: string) => median(runs.get(key)!.map((x) => x.rps));
  result({
    scenario: 'http',
    metric: 'typename-with-token',
    value: med('typename'),
    fmt: perSec,
    baseline: med('plain'),
    op: '>=',
    target: 0.8,
    on: 'ratio',
  });
  result({
    scenario: 'http',
    metric: 'dashboard-query',
    value: med('dashboard'),
    fmt: perSec,
    baseline: med('plain'),
    op: '>=',
    target: 0.3,
    on: 'ratio',
  });
  await stop(loader, plain, server);
}

// ---------------------------------------------------------------------------------------------
// Write path

async function writePath(): Promise<void> {
  console.log(
    `\n## write-path: ${WRITERS} concurrent writers (reportProgress on distinct plans) for ${WRITE_SECONDS} s, with 0 and with ${WRITE_SUBSCRIBERS} citySummary subscribers, ${WRITE_REPEATS} repeats`,
  );
  // The 20 writers stand for 20 people but share one token: its operations at once are raised to
  // theirs (WORK_MAX_CONCURRENT, 8 by default), so that they all write at once as 20 accounts would.
  const server = await pantau(await database(), 'pantau', undefined, { WORK_MAX_CONCURRENT: String(WRITERS) });
  const clients = await startClients(2);
  const writers = await track(Child.start('writers', 'writers'));
  const url = server.info.url as string;
  const d = await demo(url);
  if (d.plans.length < WRITERS) detail(`(only ${d.plans.length} active plans: some writers share a plan and may see CONFLICT)`);
  let plans = Array.from({ length: WRITERS }, (_, i) => d.plans[i % d.plans.length]!);
  const tokens = await screenTokens(d, Math.ceil(WRITE_SUBSCRIBERS / SOCKETS_PER_TOKEN));
  const rates: Record<'without' | 'with', number[]> = { without: [], with: [] };
  let missed = 0;
  let checked = 0;
  let round = 0;
  for (let rep = 0; rep < WRITE_REPEATS; rep++) {
    for (const withSubs of [false, true]) {
      if (withSubs) {
        const o = await openSockets(clients, [url], 'gql', 0, WRITE_SUBSCRIBERS, tokens, SUMMARY, { id: d.cityId });
        detail(`${o.opened} subscribers opened in ${ms(o.ms)} (${o.failed} failed)`);
      }
      const w = await writers.call<{
        ok: number;
        failed: number;
        firstError: string;
        perSecond: number;
        p50: number;
        plans: { id: string; version: number }[];
      }>('write', { url, token: d.token, plans, seconds: WRITE_SECONDS, round: round++ });
      plans = w.plans;
      rates[withSubs ? 'with' : 'without'].push(w.perSecond);
      detail(
        `${withSubs ? `with ${WRITE_SUBSCRIBERS}` : 'without'} subscribers: ${w.ok} reports, ${perSec(w.perSecond)}, p50 ${ms(w.p50)}, ${w.failed} failed${w.firstError ? ` (first: ${w.firstError})` : ''}`,
      );
      if (withSubs) {
        // Every subscriber must end on the latest state: wait for the last push, then compare with a fresh snapshot.
        const fresh = await ok<{ city: { overview: Record<string, unknown> & { seq: number } } }>(url, SNAPSHOT, { id: d.cityId }, d.token);
        const end = Date.now() + 30_000;
        let behind: number;
        while (Date.now() < end) {
          const seqs = await sum(clients, 'seqs');
          const min = Math.min(...seqs.map((s: { min: number | null }) => s.min ?? -1));
          behind = min < fresh.city.overview.seq ? 1 : 0;
          if (!behind) break;
          await sleep(200);
        }
        const overview = { ...fresh.city.overview };
        delete overview.asOf;
        const compared = await sum(clients, 'compare', { expected: JSON.stringify(overview), field: 'citySummary' });
        const equal = compared.reduce((s: number, c: { equal: number }) => s + c.equal, 0);
        const differ = compared.reduce((s: number, c: { differ: number }) => s + c.differ, 0);
        missed += differ + (WRITE_SUBSCRIBERS - equal - differ);
        checked += WRITE_SUBSCRIBERS;
        detail(
          `after the writes: ${equal} of ${WRITE_SUBSCRIBERS} subscribers equal a fresh snapshot (seq ${fresh.city.overview.seq}, asOf aside), ${differ} differ${differ ? `, e.g. ${compared.map((c: { sample: string }) => c.sample).find(Boolean)}` : ''}`,
        );
        await closeAll(clients, [server]);
      }
    }
  }
  result({
    scenario: 'write-path',
    metric: `throughput@${WRITE_SUBSCRIBERS}-subscribers`,
    value: median(rates.with),
    fmt: perSec,
    baseline: median(rates.without),
    op: '>=',
    target: 0.8,
    on: 'ratio',
  });
  detail(`reports/s without subscribers ${spread(rates.without, perSec)}, with ${spread(rates.with, perSec)}`);
  result({
    scenario: 'write-path',
    metric: 'missed',
    value: missed,
    fmt: String,
    op: '=',
    target: 0,
    on: 'value',
    targetText: `0 (of ${checked} subscribers checked)`,
  });
  await stop(writers, ...clients, server);
}

// ---------------------------------------------------------------------------------------------
// Replay

async function replay(): Promise<void> {
  const server = await pantau(await database(), 'pantau');
  const url = server.info.url as string;
  const d = await demo(url);
  const seeded = await server.call<{ head: number; maxReplay: number }>('seedEvents', {
    cityId: d.cityId,
    planIds: d.plans.map((p) => p.id),
    count: 1_500,
  });
  const max = seeded.maxReplay;
  const head = seeded.head;
  console.log(`\n## replay: cityEvents(afterSeq) on a city with ${head} events, LIVE_MAX_REPLAY ${max}`);
  const outcomes: { events: number; refused: boolean }[] = [];
  for (const [label, afterSeq, expect] of [
    ['at the cap', head - max, max],
    ['one further back', head - max - 1, 0],
  ] as const) {
    const ws = new WebSocket(wsUrl(url), 'graphql-transport-ws');
    let bytes = 0;
    let events = 0;
    let refused = false;
    const t0 = performance.now();
    const outcome = await new Promise<string>((resolve) => {
      const timer = setTimeout(() => resolve('timeout'), 60_000);
      ws.on('message', (data) => {
        const text = String(data);
        const message = JSON.parse(text) as { type: string; payload?: unknown };
        bytes += text.length;
        if (message.type === 'connection_ack') {
          ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: EVENTS, variables: { id: d.cityId, after: afterSeq } } }));
        } else if (message.type === 'next' && (message.payload as { errors?: unknown[] }).errors) {
          // A refusal at subscribe time comes as one `next` with errors, then `complete`.
          clearTimeout(timer);
          const ext = (message.payload as { errors: { extensions?: { limit?: string } }[] }).errors[0]?.extensions;
          refused = ext?.limit === 'replay';
          resolve(`refused: ${JSON.stringify(ext)}`);
        } else if (message.type === 'next') {
          events++;
          if (events === expect) {
            clearTimeout(timer);
            resolve('replayed');
          }
        } else if (message.type === 'error') {
          clearTimeout(timer);
          const ext = (message.payload as { extensions?: { limit?: string } }[])[0]?.extensions;
          refused = ext?.limit === 'replay';
          resolve(`refused: ${JSON.stringify(ext)}`);
        }
      });
      ws.once('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${d.token}` } })));
    });
    const elapsed = performance.now() - t0;
    ws.terminate();
    outcomes.push({ events, refused });
    detail(
      `${label} (afterSeq ${afterSeq}): ${outcome}, ${events} events, ${(bytes / 1_024).toFixed(0)} KiB, ${ms(elapsed)} from connect to the last message`,
    );
  }
  result({
    scenario: 'replay',
    metric: 'events-at-cap',
    value: outcomes[0]!.events,
    fmt: String,
    op: '=',
    target: max,
    on: 'value',
    targetText: `${max} (LIVE_MAX_REPLAY)`,
  });
  result({
    scenario: 'replay',
    metric: 'refused-beyond-cap',
    value: outcomes[1]!.refused && outcomes[1]!.events === 0 ? 1 : 0,
    fmt: (v) => (v ? 'yes' : 'no'),
    op: '=',
    target: 1,
    on: 'value',
    targetText: 'yes',
  });
  await stop(server);
}

// ---------------------------------------------------------------------------------------------
// Abuse

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)}MiB`;

/**
 * One account doing its worst (bench/abuser.ts) beside honest screens and an honest HTTP client
 * (issue 20): the same rounds of one report each, first without the abuser (the baseline), then
 * with it. The honest screens' time to the last receipt and the honest client's `{ __typename }`
 * latency, p99 with the abuser against without; the server's peak RSS above its idle RSS.
 */
async function abuse(): Promise<void> {
  console.log(
    `\n## abuse: one account (sockets, replays at the cap, expensive queries, uploads) beside ${ABUSE_SCREENS} honest citySummary screens and an honest HTTP client (${ABUSE_HTTP_PER_SECOND} { __typename } a second), ${ROUNDS} rounds without it and ${ROUNDS} with it`,
  );
  // With Redis, as production runs: the socket caps count across instances through it.
  const server = await pantau(await database(), 'pantau', `bench${randomBytes(4).toString('hex')}:`);
  const url = server.info.url as string;
  const d = await demo(url);
  const seeded = await server.call<{ head: number; maxReplay: number }>('seedEvents', {
    cityId: d.cityId,
    planIds: d.plans.map((p) => p.id),
    count: 1_500,
  });
  const tokens = await screenTokens(d, Math.ceil(ABUSE_SCREENS / SOCKETS_PER_TOKEN));
  const honest = await login(url, 'bappelitbang@tanjungpinang.demo');
  const abuserToken = await login(url, 'dinkes@tanjungpinang.demo');
  const clients = await startClients();
  const loader = await track(Child.start('honest-http', 'http-load'));
  const abuser = await track(Child.start('abuser', 'abuser'));
  await sleep(2_000);
  const idleRss = (await stats([server], true)).rss;
  const o = await openSockets(clients, [url], 'gql', 0, ABUSE_SCREENS, tokens, SUMMARY, { id: d.cityId });
  detail(
    `${o.opened} honest screens opened (${o.failed} failed), ${tokens.length} screen tokens of ${SOCKETS_PER_TOKEN}; outbox of ${seeded.head} events (replays at LIVE_MAX_REPLAY ${seeded.maxReplay}); idle RSS ${mib(idleRss)} after a GC`,
  );
  const attack = {
    url,
    token: abuserToken,
    cityId: d.cityId,
    maxReplay: seeded.maxReplay,
    sockets: num('BENCH_ABUSE_SOCKETS', 40),
    replays: num('BENCH_ABUSE_REPLAYS', 50),
    httpConnections: num('BENCH_ABUSE_HTTP', 4),
    uploads: num('BENCH_ABUSE_UPLOADS', 2),
    uploadBytes: num('BENCH_ABUSE_UPLOAD_BYTES', 5 * 2 ** 20),
  };
  const report = reporter(d);
  const phase = async (withAbuser: boolean) => {
    await server.call('rssPeak', { reset: true });
    if (withAbuser) {
      await abuser.call('start', attack);
      // Its bursts spent: what is measured is the abuser at its steady worst.
      await sleep(3_000);
    }
    await loader.call('probeStart', {
      url: `${url}/graphql`,
      body: JSON.stringify({ query: '{ __typename }' }),
      headers: { authorization: `Bearer ${honest}` },
      perSecond: ABUSE_HTTP_PER_SECOND,
    });
    const before = await stats([server]);
    const t0 = Date.now();
    const screens = await rounds(
      withAbuser ? 'honest screens, with the abuser' : 'honest screens, alone',
      clients,
      [server],
      report,
      300,
      10_000,
      60_000,
    );
    const httpProbe = await loader.call<{ count: number; p50: number; p99: number; max: number; failures: number; firstFailure: string }>(
      'probeStop',
    );
    const cpu = ((await stats([server])).cpuUs - before.cpuUs) / 1_000 / (Date.now() - t0);
    const abused = withAbuser ? await abuser.call<Record<string, any>>('stop') : null;
    const { peak, loopDelay } = await server.call<{ peak: number; loopDelay: { p99: number; max: number } }>('rssPeak');
    detail(
      `${withAbuser ? 'with the abuser' : 'alone'}: honest { __typename } p50 ${ms(httpProbe.p50)}, p99 ${ms(httpProbe.p99)}, max ${ms(httpProbe.max)} over ${httpProbe.count} requests, ${httpProbe.failures} failed${httpProbe.firstFailure ? ` (first: ${httpProbe.firstFailure})` : ''}; server CPU ${pct100(cpu)} of a core (this machine's load average ${os.loadavg()[0]!.toFixed(1)}), its event loop delayed ${ms(loopDelay.p99)} at p99 (${ms(loopDelay.max)} at most); peak RSS ${mib(peak)} (${mib(peak - idleRss)} above idle)`,
    );
    if (abused) {
      detail(
        `the abuser (${attack.sockets} sockets, ${attack.replays} replays each, ${attack.httpConnections} HTTP connections of a ~15 000-cost query, ${attack.uploads} uploads of ${mib(attack.uploadBytes)} at a time): ${abused.socketsOpened} sockets accepted, closes ${JSON.stringify(abused.closes)}; ${abused.replayEvents} replayed events received (${abused.replaysDone} replays done or refused); RATE_LIMITED ${JSON.stringify(abused.rateLimited)}; expensive queries answered ${abused.http.ok} (other ${abused.http.other}); uploads stored ${abused.uploads.stored} (other ${abused.uploads.other}); other errors ${abused.otherErrors}${abused.firstOtherError ? ` (first: ${abused.firstOtherError})` : ''}; its own CPU ${pct100(abused.cpuShare)} of a core`,
      );
    }
    return { screens, http: httpProbe, peak };
  };
  const alone = await phase(false);
  await sleep(2_000);
  const attacked = await phase(true);
  const p99 = (r: Rounds) => pct(r.latencies, 99);
  result({
    scenario: 'abuse',
    metric: 'screens.p99',
    value: p99(attacked.screens),
    fmt: ms,
    baseline: p99(alone.screens),
    op: '<=',
    target: 2,
    on: 'ratio',
  });
  result({
    scenario: 'abuse',
    metric: 'http.p99',
    value: attacked.http.p99,
    fmt: ms,
    baseline: alone.http.p99,
    op: '<=',
    target: 2,
    on: 'ratio',
  });
  result({
    scenario: 'abuse',
    metric: 'peak-rss-above-idle',
    value: Math.max(alone.peak, attacked.peak) - idleRss,
    fmt: mib,
    op: '<',
    target: 300 * 2 ** 20,
    on: 'value',
  });
  await closeAll(clients, [server]);
  await stop(abuser, loader, ...clients, server);
}

const pct100 = (fraction: number) => `${(fraction * 100).toFixed(0)}%`;

// ---------------------------------------------------------------------------------------------

const SCENARIOS: Record<string, () => Promise<void>> = {
  fanout,
  idle,
  http: httpScenario,
  'write-path': writePath,
  replay,
  uploads: () => uploadsScenario({ pantau: (db, name, env) => pantau(db, name, undefined, env), track, stop }),
  abuse,
  'evidence-pack': () => evidencePackScenario({ pantau: (db, name, env) => pantau(db, name, undefined, env), track, stop }),
  kiosks: () =>
    kiosksScenario({
      database,
      // Every bench screen connects from 127.0.0.1; a real wall has an address per TV. The cap on
      // sockets not yet authenticated per address (default 200) would refuse (4430) most of a
      // 1,000-screen wall while it opens, so the bench's instance raises it.
      pantau: (db, name, prefix) => pantau(db, name, prefix, { WS_MAX_UNAUTHENTICATED_PER_ADDRESS: '100000' }),
      raw: () => track(Child.start('raw', 'server', ['raw'])),
      post: (url, body) => post(url, body),
      demo,
      screenTokens: (d, count) => screenTokens(d as Demo, count),
      report: async (d, n) => {
        let next = reporters.get(d);
        if (!next) reporters.set(d, (next = reporter(d as Demo)));
        await next();
        return `bench ${n}`;
      },
      track,
      stop,
    }),
  import: () => importScenario({ pantau: (db, name, env) => pantau(db, name, undefined, env), stop, dashboard: DASHBOARD }),
  'desk-queue': () => deskQueueScenario({ pantau: (db, name, env) => pantau(db, name, undefined, env), stop }),
};
/** One reporter per demo city of a run: its n-th report says `bench <n>`. */
const reporters = new WeakMap<object, () => Promise<void>>();

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const chosen = (args.length > 0 ? args : (process.env.BENCH_SCENARIOS ?? Object.keys(SCENARIOS).join(',')).split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = chosen.filter((s) => !SCENARIOS[s]);
  if (unknown.length) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; choose from ${Object.keys(SCENARIOS).join(', ')}`);
  const t0 = Date.now();
  console.log(
    `# Pantau benchmark — Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, ${new Date().toISOString()} — ${chosen.join(', ')}`,
  );
  const failed: string[] = [];
  for (const name of chosen) {
    const s0 = Date.now();
    try {
      await SCENARIOS[name]!();
    } catch (error) {
      failed.push(name);
      console.log(`!! scenario ${name} failed: ${(error as Error).stack ?? String(error)}`);
    } finally {
      for (const c of [...children]) await stop(c).catch(() => {});
      for (const db of databases.splice(0)) await db.drop().catch(() => {});
    }
    detail(`(${name} took ${((Date.now() - s0) / 1_000).toFixed(0)} s)`);
  }
  const pass = results.filter((r) => r.pass).length;
  console.log(
    `\n## summary (${((Date.now() - t0) / 1_000).toFixed(0)} s, Node ${process.version}, load average now ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})`,
  );
  const rows = [
    ['scenario', 'metric', 'value', 'baseline', 'ratio', 'target', ''],
    ...results.map((r) => [
      r.scenario,
      r.metric,
      r.value,
      r.baseline,
      r.ratio === null ? '-' : Number.isFinite(r.ratio) ? r.ratio.toFixed(2) : 'inf',
      `${r.op} ${r.target}`,
      r.pass ? 'PASS' : 'FAIL',
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) console.log(`| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`);
  console.log('');
  for (const r of results) console.log(format(r));
  console.log(
    `${pass} PASS, ${results.length - pass} FAIL${failed.length ? `; scenario(s) that did not finish: ${failed.join(', ')}` : ''}`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
