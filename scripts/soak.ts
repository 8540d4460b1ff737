// The soak (`npm run soak`, by hand, not in CI): two real server processes (node dist/server/main.js)
// on one PostgreSQL database and a private Redis, SOAK_SUBSCRIBERS sockets (default 500; half follow
// cityEvents, half citySummary, spread over both instances) and SOAK_WRITES_PER_SECOND progress
// reports (default 5) over HTTP for SOAK_MINUTES (default 10). Every SOAK_SAMPLE_SECONDS (30) it
// samples each server's RSS and heap after a full GC. At the end it checks that every event
// subscriber received every seq exactly once, in order, and every summary subscriber ended on a
// fresh overview; memory is flat when the last third of the samples after warm-up is within 10 %
// (+ a little slack) of the first third. Prints the figures and a verdict; exits 1 when it fails.
//
// Needs the local PostgreSQL (PANTAU_TEST_PG_URL, as the tests) and redis-server on the PATH.
import 'reflect-metadata';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createTestDatabase, postgresAvailable } from '../test/helpers/db';
import { gql, login, ok } from '../test/helpers/gql';
import { startServerProcess, type MemorySample, type ServerProcess } from '../test/helpers/process-server';
import { freePort, RedisProcess, redisServerAvailable } from '../test/helpers/redis-process';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const SUBSCRIBERS = Number(process.env.SOAK_SUBSCRIBERS ?? 500);
const WRITES_PER_SECOND = Number(process.env.SOAK_WRITES_PER_SECOND ?? 5);
const SAMPLE_SECONDS = Number(process.env.SOAK_SAMPLE_SECONDS ?? 30);

const SUMMARY_FIELDS = 'seq progress counts { total notStarted onTrack late done } dimensions { dimension progress }';
const REPORT = 'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { version } }';

const mb = (bytes: number) => (bytes / 1_048_576).toFixed(1);
const log = (line: string) => console.log(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}`);

/** One subscriber's bookkeeping: what it received, and what went wrong. */
interface Subscriber {
  kind: 'events' | 'summary';
  client: Client;
  received: number;
  lastSeq: number;
  gaps: number;
  duplicates: number;
  errors: string[];
  closed: boolean;
  last: any;
}

async function main(): Promise<void> {
  if (!(await postgresAvailable()) || !(await redisServerAvailable()))
    throw new Error('the soak needs the local PostgreSQL and redis-server');
  const db = await createTestDatabase('postgres');
  if (db.target.dialect !== 'postgres') throw new Error('unreachable');
  const dbUrl = db.target.url;
  const redis = new RedisProcess(await freePort());
  await redis.start();
  const env = {
    DATABASE_URL: dbUrl,
    REDIS_URL: redis.url,
    JWT_SECRET: 'soak-secret-soak-secret-soak-secret-0123456789',
    PANTAU_DEMO: 'true',
    NODE_ENV: 'production',
    WS_MAX_SOCKETS_PER_SUBJECT: String(SUBSCRIBERS + 10),
    LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '1000',
  };
  const servers: ServerProcess[] = [];
  const subscribers: Subscriber[] = [];
  try {
    // One migrates and seeds, then the second starts on the ready database.
    servers.push(await startServerProcess({ env, port: await freePort(), probe: true }));
    servers.push(await startServerProcess({ env, port: await freePort(), probe: true }));
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const admin = await login(a.url, 'admin@pantau.demo');
    const writer = await login(a.url, 'bappelitbang@tanjungpinang.demo');
    const cities = (await ok<any>(a.url, '{ cities { id name } }', {}, admin)).cities;
    const cityId: string = cities.find((c: any) => c.name === 'Tanjungpinang').id;
    const list = await ok<any>(
      a.url,
      'query ($id: ID!) { city(id: $id) { actionPlans(first: 100) { edges { node { id version status } } } } }',
      { id: cityId },
      admin,
    );
    const plans: { id: string; version: number }[] = list.city.actionPlans.edges
      .map((e: any) => e.node)
      .filter((p: any) => p.status === 'ACTIVE');
    const overview = async () =>
      (await ok<any>(b.url, `query ($id: ID!) { city(id: $id) { overview { ${SUMMARY_FIELDS} } } }`, { id: cityId }, admin)).city.overview;
    const startSeq: number = (await overview()).seq;
    log(
      `PostgreSQL ${dbUrl.replace(/\/\/[^@]*@/, '//')}, Redis :${redis.port}, servers ${a.url} and ${b.url}; ${plans.length} plans; start seq ${startSeq}`,
    );
    log(`${SUBSCRIBERS} subscribers, ${WRITES_PER_SECOND} reports/s, ${MINUTES} min, a sample every ${SAMPLE_SECONDS} s`);

    // Subscribers: even ones follow cityEvents (replayed from the start seq: none can miss one), odd ones citySummary.
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const server = servers[i % 2]!;
      const client = createClient({
        url: `${server.url.replace(/^http/, 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${admin}` },
        retryAttempts: 0,
        lazy: true,
        keepAlive: 10_000,
      });
      const sub: Subscriber = {
        kind: i % 4 < 2 ? 'events' : 'summary',
        client,
        received: 0,
        lastSeq: startSeq,
        gaps: 0,
        duplicates: 0,
        errors: [],
        closed: false,
        last: null,
      };
      client.on('closed', (event) => {
        if (!stopping) {
          sub.closed = true;
          sub.errors.push(`closed ${(event as { code?: number }).code}`);
        }
      });
      const query =
        sub.kind === 'events'
          ? 'subscription ($id: ID!, $after: Int) { cityEvents(cityId: $id, afterSeq: $after) { seq kind } }'
          : `subscription ($id: ID!) { citySummary(cityId: $id) { ${SUMMARY_FIELDS} } }`;
      client.subscribe<any>(
        { query, variables: { id: cityId, after: startSeq } },
        {
          next: (message) => {
            if (message.errors) sub.errors.push(JSON.stringify(message.errors));
            const data = message.data;
            if (!data) return;
            sub.received++;
            if (sub.kind === 'events') {
              const seq = data.cityEvents.seq as number;
              if (seq <= sub.lastSeq) sub.duplicates++;
              else if (seq !== sub.lastSeq + 1) sub.gaps++;
              sub.lastSeq = Math.max(sub.lastSeq, seq);
            } else {
              sub.last = data.citySummary;
              sub.lastSeq = data.citySummary.seq;
            }
          },
          error: (error) => sub.errors.push(String((error as Error).message ?? error)),
          complete: () => {},
        },
      );
      subscribers.push(sub);
      if (i % 50 === 49) await new Promise((r) => setTimeout(r, 100));
    }
    await waitFor(
      () => subscribers.filter((s) => s.kind === 'summary').every((s) => s.last !== null),
      60_000,
      'every summary subscriber to get its first value',
    );
    log(`all ${SUBSCRIBERS} subscribed`);

    // Steady writes: one started every 1/SOAK_WRITES_PER_SECOND s whatever the previous one is
    // doing (a loaded server must not slow the load down), each on a plan no write is in flight on.
    let acked = 0;
    let failed = 0;
    let conflicts = 0;
    let skipped = 0;
    let resent = 0;
    let appliedUnacked = 0;
    let next = 0;
    const busy = new Set<string>();
    const inFlight = new Set<Promise<void>>();
    const write = async (n: number) => {
      const plan = plans.find((p, i) => i >= n % plans.length && !busy.has(p.id)) ?? plans.find((p) => !busy.has(p.id));
      if (!plan) {
        skipped++;
        return;
      }
      busy.add(plan.id);
      try {
        // A transport failure (a reset keep-alive connection on a loaded machine) is sent again, as
        // a careful client does: the same expectedVersion makes a repeat of an applied write a CONFLICT.
        for (let attempt = 0; ; attempt++) {
          const server = servers[(n + attempt) % 2]!;
          const r = await gql<any>(
            server.url,
            REPORT,
            { input: { actionPlanId: plan.id, percent: (n * 7) % 101, narrative: `soak ${n}`, expectedVersion: plan.version } },
            writer,
          ).catch((error: unknown) => ({
            errors: [
              {
                message: `${String(error)} (${String((error as { cause?: unknown }).cause ?? '')})`,
                extensions: { code: 'NETWORK' } as Record<string, any>,
              },
            ],
            data: null,
            status: 0,
          }));
          if (r.data?.reportProgress) {
            plan.version = r.data.reportProgress.version;
            acked++;
          } else if (r.errors?.[0]?.extensions?.code === 'CONFLICT') {
            if (attempt > 0) appliedUnacked++;
            else conflicts++;
            plan.version = r.errors[0].extensions.actualVersion;
          } else if (r.errors?.[0]?.extensions?.code === 'NETWORK' && attempt < 3) {
            resent++;
            if (resent <= 5) log(`write sent again after: ${r.errors[0].message}`);
            continue;
          } else {
            failed++;
            if (failed <= 5) log(`write failed: ${JSON.stringify(r.errors)}`);
          }
          break;
        }
      } finally {
        busy.delete(plan.id);
      }
    };
    const ticker = setInterval(() => {
      const p = write(next++);
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }, 1_000 / WRITES_PER_SECOND);
    const stopWrites = async () => {
      clearInterval(ticker);
      await Promise.all([...inFlight]);
    };

    // Samples.
    const started = Date.now();
    const samples: { t: number; a: MemorySample; b: MemorySample }[] = [];
    const sample = async () => {
      const t = Math.round((Date.now() - started) / 1_000);
      const [ma, mb_] = await Promise.all([a.memory(), b.memory()]);
      samples.push({ t, a: ma, b: mb_ });
      const events = subscribers.filter((s) => s.kind === 'events');
      const behind = Math.max(...events.map((s) => acked * 2 + startSeq - s.lastSeq));
      log(
        `t=${String(t).padStart(4)} s  A rss ${mb(ma.rss)} MB heap ${mb(ma.heapUsed)} MB · B rss ${mb(mb_.rss)} MB heap ${mb(mb_.heapUsed)} MB · reports ${acked} (${failed} failed, ${conflicts} conflicts, ${inFlight.size} in flight) · slowest subscriber ~${Math.max(0, behind)} events behind`,
      );
    };
    await sample();
    const totalMs = MINUTES * 60_000;
    // Ctrl-C ends the run early, still with figures and a verdict.
    process.once('SIGINT', () => (interrupted = true));
    while (Date.now() - started < totalMs && !interrupted) {
      const until = Date.now() + Math.min(SAMPLE_SECONDS * 1_000, totalMs - (Date.now() - started));
      while (Date.now() < until && !interrupted) await new Promise((r) => setTimeout(r, 250));
      await sample();
    }
    await stopWrites();

    // Convergence: every subscriber reaches the final seq.
    const truth = await overview();
    const finalSeq = truth.seq as number;
    const settle = Date.now();
    await waitFor(
      () => subscribers.every((s) => s.closed || s.lastSeq >= finalSeq),
      60_000,
      'every subscriber to reach the final seq',
    ).catch((error: unknown) => log(String(error)));
    log(`settled ${Date.now() - settle} ms after the last write`);
    stopping = true;

    const events = subscribers.filter((s) => s.kind === 'events');
    const summaries = subscribers.filter((s) => s.kind === 'summary');
    const expectedPer = finalSeq - startSeq;
    const expected = expectedPer * events.length;
    const receivedEvents = events.reduce((n, s) => n + s.received, 0);
    const lost = events.reduce((n, s) => n + Math.max(0, expectedPer - (s.received - s.duplicates)), 0);
    const gaps = events.reduce((n, s) => n + s.gaps, 0);
    const duplicates = events.reduce((n, s) => n + s.duplicates, 0);
    const staleScreens = summaries.filter((s) => JSON.stringify(s.last) !== JSON.stringify(truth)).length;
    const pushes = summaries.reduce((n, s) => n + s.received, 0);
    const errors = subscribers.flatMap((s) => s.errors);

    // Memory: after warm-up (the first minute, or a fifth of a shorter run), the last third against the first third.
    const warm = Math.min(60, (MINUTES * 60) / 5);
    const steady = samples.filter((s) => s.t >= warm);
    const third = Math.max(1, Math.floor(steady.length / 3));
    const mean = (list: typeof steady, pick: (s: (typeof steady)[number]) => number) => list.reduce((n, s) => n + pick(s), 0) / list.length;
    const verdicts: string[] = [];
    let memoryFlat = true;
    for (const [name, pick] of [
      ['A heap', (s: (typeof steady)[number]) => s.a.heapUsed],
      ['B heap', (s: (typeof steady)[number]) => s.b.heapUsed],
      ['A rss', (s: (typeof steady)[number]) => s.a.rss],
      ['B rss', (s: (typeof steady)[number]) => s.b.rss],
    ] as const) {
      const first = mean(steady.slice(0, third), pick);
      const last = mean(steady.slice(-third), pick);
      const slack = name.endsWith('heap') ? 5 * 1_048_576 : 20 * 1_048_576;
      const flat = last <= first * 1.1 + slack;
      memoryFlat &&= flat;
      verdicts.push(
        `${name}: first third ${mb(first)} MB, last third ${mb(last)} MB (${(((last - first) / first) * 100).toFixed(1)} %) ${flat ? 'flat' : 'GROWING'}`,
      );
    }

    console.log('\n== Soak figures');
    console.log(
      `duration ${((Date.now() - started) / 60_000).toFixed(1)} min; ${SUBSCRIBERS} subscribers (${events.length} cityEvents, ${summaries.length} citySummary) on 2 instances`,
    );
    console.log(
      `reports acknowledged ${acked} (${(acked / ((Date.now() - started) / 1_000)).toFixed(2)}/s), failed ${failed}, conflicts ${conflicts}, not started (every plan busy) ${skipped}; seq ${startSeq} → ${finalSeq} (${expectedPer} events)`,
    );
    console.log(
      `writes sent again after a transport error ${resent}; applied but answered CONFLICT on the repeat ${appliedUnacked}; seq moved ${expectedPer} = 2 × ${acked + appliedUnacked} applied reports: ${expectedPer === 2 * (acked + appliedUnacked) ? 'yes' : 'NO'}`,
    );
    console.log(`events expected ${expected}, received ${receivedEvents}, lost ${lost}, gaps ${gaps}, duplicates ${duplicates}`);
    console.log(
      `summary pushes received ${pushes} (${(pushes / Math.max(1, summaries.length)).toFixed(0)} per screen); screens not equal to a fresh overview at the end: ${staleScreens}`,
    );
    console.log(`subscriber errors or unexpected closes: ${errors.length}${errors.length ? ` (first: ${errors[0]})` : ''}`);
    console.log(`memory samples (${samples.length}, warm-up ${warm} s):`);
    for (const v of verdicts) console.log(`  ${v}`);
    const pass =
      expectedPer === 2 * (acked + appliedUnacked) &&
      memoryFlat &&
      lost === 0 &&
      gaps === 0 &&
      duplicates === 0 &&
      staleScreens === 0 &&
      errors.length === 0 &&
      failed === 0;
    console.log(
      `\nVERDICT: ${pass ? 'PASS' : 'FAIL'} — memory ${memoryFlat ? 'flat' : 'growing'}, ${lost} events lost, ${staleScreens} stale screens, ${failed} failed writes`,
    );
    process.exitCode = pass ? 0 : 1;
  } finally {
    stopping = true;
    await Promise.all(subscribers.map(async (s) => s.client.dispose()));
    await Promise.all(servers.map((s) => s.stop('SIGTERM')));
    await redis.stop();
    await db.drop();
  }
}

let stopping = false;
let interrupted = false;

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
