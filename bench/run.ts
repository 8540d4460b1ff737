/**
 * `npm run bench`: the speed and memory figures of the foundation, on SQLite and (when it answers)
 * PostgreSQL. Prints figures; asserts nothing (targets live here, not in timed unit tests).
 *
 * Scenarios, each on a fresh database with a large city (2 000 action plans, 60 OPDs):
 *  1. dashboard query (overview + first 100 plans): statements per request, latency p50/p95, req/s
 *  2. reportProgress, sequential: latency p50/p95
 *  3. reportProgress, 20 concurrent writers on distinct plans: throughput
 *  4. memory: RSS and heap after the run
 * then `live` (summary fan-out), `idle` (3 000 idle subscribed sockets: server CPU and RSS per socket
 * beside as many raw `ws` sockets) and `replay` (a replay at the LIVE_MAX_REPLAY cap vs one refused).
 *
 * Pick scenarios with arguments or BENCH_SCENARIOS (comma list of dashboard, live, idle, replay),
 * e.g. `node dist/bench/run.js idle replay`; default: all.
 */
import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { WebSocket, WebSocketServer } from 'ws';
import { CityEvent } from '../server/realtime/event.entity';
import { buildCity } from '../test/helpers/factories';
import { postgresAvailable } from '../test/helpers/db';
import { login, ok } from '../test/helpers/gql';
import { startServer } from '../test/helpers/server';
import { collect, wsClient, type TestWsClient } from '../test/helpers/ws';
import type { Dialect } from '../server/db/orm';

const PLANS = Number(process.env.BENCH_PLANS ?? 2_000);
const OPDS = Number(process.env.BENCH_OPDS ?? 60);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const ADMIN = { PANTAU_ADMIN_EMAIL: 'bench@pantau.test', PANTAU_ADMIN_PASSWORD: 'bench-password-123' };

const DASHBOARD = `query ($id: ID!) { city(id: $id) {
  overview { progress counts { total late } dimensions { dimension progress } quickWins { name progress } opds { id name progress } lateActionPlans { id title ownerOpd { name } } }
  actionPlans(first: 100) { totalCount edges { node { id title version progress state ownerOpd { id name } } } }
} }`;

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
const ms = (v: number) => `${v.toFixed(1)} ms`;

async function scenario(dialect: Dialect): Promise<void> {
  let statements = 0;
  const server = await startServer({ dialect, demo: false, env: ADMIN, onQuery: () => statements++ });
  try {
    const t0 = performance.now();
    const built = await buildCity(server.orm.em.fork(), { plans: PLANS, opds: OPDS });
    console.log(`\n## ${dialect}: city with ${PLANS} action plans, ${OPDS} OPDs (built in ${ms(performance.now() - t0)})`);
    const token = await login(server.url, ADMIN.PANTAU_ADMIN_EMAIL, ADMIN.PANTAU_ADMIN_PASSWORD);
    const vars = { id: built.city.id };

    await ok(server.url, DASHBOARD, vars, token); // warm-up
    statements = 0;
    await ok(server.url, DASHBOARD, vars, token);
    const perRequest = statements;
    const times: number[] = [];
    const start = performance.now();
    for (let i = 0; i < ROUNDS; i++) {
      const t = performance.now();
      await ok(server.url, DASHBOARD, vars, token);
      times.push(performance.now() - t);
    }
    const elapsed = (performance.now() - start) / 1000;
    console.log(`dashboard query: ${perRequest} SQL statements/request, p50 ${ms(pct(times, 50))}, p95 ${ms(pct(times, 95))}, ${(ROUNDS / elapsed).toFixed(0)} req/s (sequential, ${ROUNDS} requests)`);

    const q = 'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { version } }';
    const versions = new Map(built.plans.map((p) => [p.id, p.version]));
    const writeTimes: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const plan = built.plans[i % built.plans.length]!;
      const t = performance.now();
      const data = await ok<{ reportProgress: { version: number } }>(server.url, q, { input: { actionPlanId: plan.id, percent: (i * 7) % 101, narrative: `bench ${i}`, expectedVersion: versions.get(plan.id) } }, token);
      versions.set(plan.id, data.reportProgress.version);
      writeTimes.push(performance.now() - t);
    }
    console.log(`reportProgress (sequential): p50 ${ms(pct(writeTimes, 50))}, p95 ${ms(pct(writeTimes, 95))}`);

    const writers = 20;
    const perWriter = Math.max(1, Math.floor(ROUNDS / writers));
    const cStart = performance.now();
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) {
          const plan = built.plans[(w * 37 + i) % built.plans.length]!;
          // Distinct plans per writer at any moment; a rare collision would be a CONFLICT, counted below.
          const data = await ok<{ reportProgress: { version: number } }>(server.url, q, { input: { actionPlanId: plan.id, percent: 50, narrative: 'bench', expectedVersion: versions.get(plan.id) } }, token).catch(() => null);
          if (data) versions.set(plan.id, data.reportProgress.version);
        }
      }),
    );
    const cElapsed = (performance.now() - cStart) / 1000;
    console.log(`reportProgress (${writers} concurrent writers): ${((writers * perWriter) / cElapsed).toFixed(0)} writes/s`);
    const mem = process.memoryUsage();
    console.log(`memory after the run: RSS ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`);
  } finally {
    await server.close();
  }
}

/**
 * Live fan-out: SUBSCRIBERS WebSocket clients on one city's summary, then a burst of BURST reports.
 * Prints how many times the summary was computed (once per coalesced change, not per subscriber),
 * how many pushes each subscriber got, and how long until every screen showed the final numbers.
 */
async function liveScenario(dialect: Dialect): Promise<void> {
  const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 200);
  const BURST = Number(process.env.BENCH_BURST ?? 100);
  const server = await startServer({ dialect, demo: false, env: { ...ADMIN, WS_MAX_SOCKETS_PER_SUBJECT: String(SUBSCRIBERS + 10) } });
  const sockets: TestWsClient[] = [];
  try {
    const built = await buildCity(server.orm.em.fork(), { plans: 300, opds: 20 });
    const token = await login(server.url, ADMIN.PANTAU_ADMIN_EMAIL, ADMIN.PANTAU_ADMIN_PASSWORD);
    console.log(`\n## live (${dialect}): ${SUBSCRIBERS} summary subscribers, a burst of ${BURST} reports on a 300-plan city`);
    const subs = [];
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const ws = wsClient(server.url, token);
      sockets.push(ws);
      subs.push(collect(ws, 'subscription ($id: ID!) { citySummary(cityId: $id) { seq progress counts { late } } }', { id: built.city.id }));
    }
    await Promise.all(subs.map((s) => s.until(() => true, 60_000)));
    const hub = (await server.services.live!.hub(`summary:${built.city.id}:ALL:id`)) as { computations: number };
    const computationsBefore = hub.computations;
    const pushesBefore = subs.map((s) => s.values.length);
    const q = 'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { version } }';
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 10 }, async (_, w) => {
        for (let i = w; i < BURST; i += 10) {
          const plan = built.plans[i]!;
          await ok(server.url, q, { input: { actionPlanId: plan.id, percent: 50, narrative: 'bench', expectedVersion: plan.version } }, token);
        }
      }),
    );
    const writesDone = performance.now() - t0;
    const finalSeq = (await ok<any>(server.url, 'query ($id: ID!) { city(id: $id) { overview { seq } } }', { id: built.city.id }, token)).city.overview.seq;
    await Promise.all(subs.map((s) => s.until((v: any) => v.citySummary.seq === finalSeq, 60_000)));
    const allSeen = performance.now() - t0;
    const pushes = subs.map((s, i) => s.values.length - pushesBefore[i]!);
    console.log(`writes: ${BURST} reports in ${ms(writesDone)} (${((BURST / writesDone) * 1000).toFixed(0)}/s), ${finalSeq} events`);
    console.log(`summary computed ${hub.computations - computationsBefore} times for ${SUBSCRIBERS} subscribers (${BURST * 2} events); pushes per subscriber: min ${Math.min(...pushes)}, max ${Math.max(...pushes)}`);
    console.log(`every screen showed the final numbers ${ms(allSeen)} after the first write (${ms(allSeen - writesDone)} after the last)`);
    const mem = process.memoryUsage();
    console.log(`memory with ${SUBSCRIBERS} open subscriptions: RSS ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB (clients and server in one process)`);
  } finally {
    for (const s of sockets) await s.dispose().catch(() => {});
    await server.close();
  }
}

/** Forks the idle client; resolves once its sockets are open (and subscribed). */
function idleClient(args: string[]): Promise<{ child: ChildProcess; ready: number; failed: number }> {
  const child = fork(path.join(__dirname, 'idle-client.js'), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { ready: number; failed: number }) => resolve({ child, ...m }));
    child.once('exit', (code) => reject(new Error(`idle client exited (${code})`)));
  });
}

/** Tells the idle client to close its sockets and waits (5 s at most) for it to exit. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  if (child.connected) child.send('close');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** Server CPU (% of one core) over `seconds`, from process.cpuUsage deltas of this (the server's) process. */
async function cpuOver(seconds: number): Promise<number> {
  const before = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1_000));
  const used = process.cpuUsage(before);
  return ((used.user + used.system) / 1_000 / (performance.now() - t0)) * 100;
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/**
 * Idle sockets: IDLE_SOCKETS authenticated sockets, each with a live citySummary subscription, held
 * idle by a separate client process; the server's CPU over IDLE_SECONDS and its RSS per socket,
 * beside the same number of raw `ws` sockets on a bare WebSocketServer in this same process.
 */
async function idleScenario(): Promise<void> {
  const COUNT = Number(process.env.BENCH_IDLE_SOCKETS ?? 3_000);
  const SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 10);
  console.log(`\n## idle sockets: ${COUNT} held by a separate process for ${SECONDS} s (server CPU from process.cpuUsage; RSS after minus before)`);

  // Baseline: raw ws sockets on a bare server.
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const rawUrl = `ws://127.0.0.1:${(wss.address() as { port: number }).port}`;
  let rssBefore = process.memoryUsage().rss;
  const raw = await idleClient([rawUrl, String(COUNT), 'raw']);
  await new Promise((r) => setTimeout(r, 1_000));
  const rawRss = process.memoryUsage().rss - rssBefore;
  const rawCpu = await cpuOver(SECONDS);
  await stopChild(raw.child);
  for (const c of wss.clients) c.terminate();
  await new Promise((r) => wss.close(r));
  console.log(`raw ws (baseline): ${raw.ready} sockets, server CPU ${rawCpu.toFixed(2)} % of a core, RSS +${mib(rawRss)} (${((rawRss / Math.max(1, raw.ready)) / 1_024).toFixed(1)} KiB/socket)`);

  const server = await startServer({ dialect: 'sqlite', demo: false, env: { ...ADMIN, WS_MAX_SOCKETS_PER_SUBJECT: String(COUNT + 10) } });
  try {
    const built = await buildCity(server.orm.em.fork(), { plans: 50, opds: 5 });
    const token = await login(server.url, ADMIN.PANTAU_ADMIN_EMAIL, ADMIN.PANTAU_ADMIN_PASSWORD);
    await new Promise((r) => setTimeout(r, 500));
    rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    const pantau = await idleClient([`${server.url.replace(/^http/, 'ws')}/graphql`, String(COUNT), 'pantau', token, built.city.id]);
    const openMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 1_000));
    const rss = process.memoryUsage().rss - rssBefore;
    const cpu = await cpuOver(SECONDS);
    console.log(`Pantau: ${pantau.ready} sockets authenticated and subscribed in ${ms(openMs)} (${pantau.failed} failed), server CPU while idle ${cpu.toFixed(2)} % of a core, RSS +${mib(rss)} (${((rss / Math.max(1, pantau.ready)) / 1_024).toFixed(1)} KiB/socket)`);
    console.log(`beside the baseline: CPU +${(cpu - rawCpu).toFixed(2)} points, RSS +${((rss - rawRss) / Math.max(1, pantau.ready) / 1_024).toFixed(1)} KiB/socket (target: under 2 % of a core at 3 000; RSS deltas are rough: the heap grows in steps)`);
    await stopChild(pantau.child);
  } finally {
    await server.close();
  }
}

/** Replay: `cityEvents(afterSeq)` at the cap (LIVE_MAX_REPLAY events) vs one event further back (refused). */
async function replayScenario(): Promise<void> {
  const server = await startServer({ dialect: 'sqlite', demo: false, env: ADMIN });
  try {
    const built = await buildCity(server.orm.em.fork(), { plans: 20, opds: 3 });
    const max = server.services.live!.maxReplay;
    const head = max + 500;
    // Outbox rows straight into the database: the scenario measures the replay, not the writes.
    const em = server.orm.em.fork();
    for (let seq = 1; seq <= head; seq++) {
      const event = new CityEvent();
      event.city = built.city;
      event.seq = seq;
      event.kind = 'PROGRESS_REPORTED';
      event.entity = 'ProgressReport';
      event.entityId = built.plans[seq % built.plans.length]!.id;
      event.actionPlanId = built.plans[seq % built.plans.length]!.id;
      em.persist(event);
    }
    await em.flush();
    await em.getConnection().execute('insert into city_sequences (city_id, seq) values (?, ?)', [built.city.id, head]);
    const token = await login(server.url, ADMIN.PANTAU_ADMIN_EMAIL, ADMIN.PANTAU_ADMIN_PASSWORD);
    console.log(`\n## replay (sqlite): cityEvents(afterSeq) on a city with ${head} events, LIVE_MAX_REPLAY ${max}`);
    for (const [label, afterSeq, expect] of [['at the cap', head - max, max], ['refused (one further back)', head - max - 1, 0]] as const) {
      const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
      let bytes = 0;
      let events = 0;
      const t0 = performance.now();
      const done = new Promise<string>((resolve) => {
        ws.on('message', (data) => {
          const text = String(data);
          const message = JSON.parse(text) as { type: string; payload?: unknown };
          if (message.type === 'connection_ack') {
            ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription ($id: ID!, $after: Int) { cityEvents(cityId: $id, afterSeq: $after) { seq kind entity entityId actionPlanId at } }', variables: { id: built.city.id, after: afterSeq } } }));
            return;
          }
          bytes += Buffer.byteLength(text);
          const errors = (message.payload as { errors?: { extensions?: unknown }[] } | undefined)?.errors;
          if (errors) resolve(`refused: ${JSON.stringify(errors[0]?.extensions)}`);
          else if (message.type === 'next') {
            events++;
            if (events === expect) resolve('replayed');
          } else if (message.type === 'error') resolve(`refused: ${JSON.stringify((message.payload as { extensions?: unknown }[])[0]?.extensions)}`);
        });
      });
      ws.once('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
      const outcome = await done;
      const elapsed = performance.now() - t0;
      ws.terminate();
      console.log(`${label}: ${outcome}, ${events} events, ${(bytes / 1_024).toFixed(0)} KiB sent, ${ms(elapsed)} from connect to the last message`);
    }
  } finally {
    await server.close();
  }
}

async function main(): Promise<void> {
  const chosen = new Set((process.argv.slice(2).length > 0 ? process.argv.slice(2) : (process.env.BENCH_SCENARIOS ?? 'dashboard,live,idle,replay').split(',')).map((s) => s.trim()));
  console.log(`# Pantau benchmark — Node ${process.version}, ${new Date().toISOString()} — scenarios: ${[...chosen].join(', ')}`);
  const pg = chosen.has('dashboard') || chosen.has('live') ? await postgresAvailable() : false;
  // First, while the process is fresh: its RSS figures are deltas of this process's memory.
  if (chosen.has('idle')) await idleScenario();
  if (chosen.has('dashboard')) {
    await scenario('sqlite');
    if (pg) await scenario('postgres');
    else console.log('\n(PostgreSQL not reachable: its figures are missing)');
  }
  if (chosen.has('live')) {
    await liveScenario('sqlite');
    if (pg) await liveScenario('postgres');
  }
  if (chosen.has('replay')) await replayScenario();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
