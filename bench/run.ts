/**
 * `npm run bench`: the speed and memory figures of the foundation, on SQLite and (when it answers)
 * PostgreSQL. Prints figures; asserts nothing (targets live here, not in timed unit tests).
 *
 * Scenarios, each on a fresh database with a large city (2 000 action plans, 60 OPDs):
 *  1. dashboard query (overview + first 100 plans): statements per request, latency p50/p95, req/s
 *  2. reportProgress, sequential: latency p50/p95
 *  3. reportProgress, 20 concurrent writers on distinct plans: throughput
 *  4. memory: RSS and heap after the run
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
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
  const server = await startServer({ dialect, demo: false, env: ADMIN });
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

async function main(): Promise<void> {
  console.log(`# Pantau benchmark — Node ${process.version}, ${new Date().toISOString()}`);
  await scenario('sqlite');
  if (await postgresAvailable()) await scenario('postgres');
  else console.log('\n(PostgreSQL not reachable: its figures are missing)');
  await liveScenario('sqlite');
  if (await postgresAvailable()) await liveScenario('postgres');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
