/**
 * The `kiosks` scenario (issue 23): the meeting-room screen people open, measured with its own code.
 * `dashboard/src/api/live.ts` is bundled for Node (esbuild) and run as N real screens
 * (`LiveCity`) spread over forked processes (bench/kiosk-client.ts), against a production-mode
 * instance (PostgreSQL, Redis) with the demo city — or two sharing them (`BENCH_KIOSK_INSTANCES=2`:
 * the screens split over both, the reports sent to the first). Then reports, one at a time,
 * `BENCH_KIOSK_GAP_MS` apart; for each, from sending the mutation until every screen shows the new
 * overview (the push) and the report in its feed, the server's CPU, the HTTP requests the screens
 * sent and the bytes their sockets received. At the end every screen must show the same `seq` and
 * the same numbers as a fresh snapshot read over HTTP.
 *
 * The baseline, in the same run and the same client processes: a raw `ws` server (bench/server.ts)
 * broadcasting, for each report, the very frames a screen received for it (the `cityScreen` patch,
 * its seq renumbered) to as many sockets, timed the same way (from the broadcast's POST until the
 * last socket has received and parsed the last frame), with its own CPU per report.
 *
 * Each screen has a screen token of its own, as the desk makes them (screens sharing one would share
 * its work budget).
 *
 * All the bench's screens connect from 127.0.0.1, where a real wall has one address per TV: the
 * bench's instance raises `WS_MAX_UNAUTHENTICATED_PER_ADDRESS` (default 200) to 100,000, or most of
 * a 1,000-screen wall would be refused (4430) while its sockets authenticate.
 *
 * Knobs: BENCH_KIOSK_SIZES (100,1000; 10000 documented), BENCH_KIOSK_INSTANCES (1 or 2),
 * BENCH_KIOSK_OPEN_PER_SECOND (0, all at once, up to 1,000 screens; 500 beyond),
 * BENCH_KIOSK_ROUNDS (10), BENCH_KIOSK_GAP_MS (2000), BENCH_CLIENTS (4).
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import type { TestDatabase } from '../test/helpers/db';
import { Child, detail, ms, pct, result, sleep, type ProcStats } from './lib';

const list = (name: string, fallback: string) =>
  (process.env[name] ?? fallback)
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
const SIZES = list('BENCH_KIOSK_SIZES', '100,1000');
const INSTANCES = Math.min(2, Math.max(1, Number(process.env.BENCH_KIOSK_INSTANCES ?? 1)));
const ROUNDS = Number(process.env.BENCH_KIOSK_ROUNDS ?? 10);
/** Reports before the measured ones (the server's and the screens' code warms up). */
const WARMUP = 1;
const GAP_MS = Number(process.env.BENCH_KIOSK_GAP_MS ?? 2_000);
/** The raw server has no coalescing window to wait out. */
const RAW_GAP_MS = 300;
/** The server's CPU with the wall open and nothing happening is measured over this long (after the reports), and taken off the reports'. */
const IDLE_MS = 4_000;
const PROCESSES = Math.max(INSTANCES, Number(process.env.BENCH_CLIENTS ?? 4));
/**
 * Screens started per second over all processes (0: all at once). A wall of up to 1,000 opens at
 * once (a target); a larger one comes up at 500 a second by default: 10,000 at once on this
 * machine's two cores never settled (half live after 215 s: the screens' processes, 2,500 screens
 * each, were too busy with full states to hear their pongs within 5 s, and reconnected).
 */
const openPerSecond = (size: number) => Number(process.env.BENCH_KIOSK_OPEN_PER_SECOND ?? (size > 1_000 ? 500 : 0));

/** What the scenario needs from the runner (bench/run.ts). */
export interface KiosksDeps {
  database(): Promise<TestDatabase>;
  /** A production-mode instance with Redis under `redisPrefix` (two instances of a wall share it). */
  pantau(db: TestDatabase, name: string, redisPrefix: string): Promise<Child>;
  /** The raw `ws` baseline server (bench/server.ts `raw`). */
  raw(): Promise<Child>;
  /** POSTs a body on a connection of its own; the answer's text. */
  post(url: string, body: string): Promise<string>;
  demo(url: string): Promise<{ url: string; token: string; cityId: string; plans: { id: string; version: number }[] }>;
  screenTokens(d: { url: string; token: string; cityId: string }, count: number): Promise<string[]>;
  /** One report on the next plan, its narrative `bench <n>`; resolves with that narrative. */
  report(d: { url: string; token: string; plans: { id: string; version: number }[] }, n: number): Promise<string>;
  track(child: Promise<Child>): Promise<Child>;
  stop(...list: Child[]): Promise<void>;
}

/** Bundles the kiosk's live module for Node, with the snapshot query it reads over HTTP; the path of the bundle. */
async function bundleLiveCity(): Promise<string> {
  const root = path.resolve(__dirname, '..', '..');
  const api = path.join(root, 'dashboard', 'src', 'api');
  const outfile = path.join(__dirname, 'live-city.cjs');
  await build({
    stdin: {
      contents: "export { LiveCity } from './live'; export { SNAPSHOT_QUERY, toDetails } from './queries';",
      resolveDir: api,
      sourcefile: 'kiosk-bench-entry.ts',
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    logLevel: 'warning',
    tsconfig: path.join(root, 'dashboard', 'tsconfig.json'),
  });
  return outfile;
}

/** The raw broadcast of the same frames: per report, the last socket's receipt and the server's CPU. */
interface RawFigures {
  last: number[];
  missing: number;
  cpuMsPerReport: number;
  framesPerReport: number;
  bytesPerReport: number;
}

interface Wall {
  screens: number;
  openMs: number;
  /** Shared runs started and results executed on the server(s) while the wall opened. */
  openRuns: number;
  openExecutions: number;
  /** HTTP requests the screens sent while the wall opened (each a snapshot, or a page of it, computed for one screen). */
  openRequests: number;
  /** Bytes a screen's sockets received while the wall opened (its full state, once if nothing went wrong). */
  openBytesPerScreen: number;
  /** While the reports were sent: subscribers that joined (a whole state each: a resubscribe), shared payloads serialised, frames made from them. */
  roundJoins: number;
  roundSerialised: number;
  roundSpliced: number;
  /** Bytes (and WebSocket messages) a screen received per report. */
  bytesPerScreenPerReport: number;
  messagesPerScreenPerReport: number;
  overview: number[];
  feed: number[];
  /** Per report, the last receipt of one of its frames by any screen's socket (before the screen parsed it). */
  delivered: number[];
  /** Per report, the first receipt of one of its frames, and the mutation's answer. */
  firsts: number[];
  answers: number[];
  /** The server's CPU per report, and with its idle CPU (keep-alive, the screens' pings) over the same time taken off. */
  cpuMsPerReport: number;
  netCpuMsPerReport: number;
  idleCpuPct: number;
  requestsPerReport: number;
  /** The lowest and highest seq the screens show once the last report is in (both the same: nothing lost). */
  endSeqs: { min: number; max: number };
  /** Screens showing exactly a fresh snapshot read over HTTP at the end (`asOf` aside), and the first difference. */
  sameAsFresh: number;
  freshDiff: string;
  clientHeapMiB: number;
  raw: RawFigures;
}

const finite = (v: number | null): number => (v === null ? Infinity : v);

async function wall(deps: KiosksDeps, bundle: string, size: number): Promise<Wall> {
  const db = await deps.database();
  const prefix = `bench${randomBytes(4).toString('hex')}:`;
  const servers: Child[] = [];
  for (let i = 0; i < INSTANCES; i++) servers.push(await deps.pantau(db, `pantau-${'AB'[i]}`, prefix));
  const urls = servers.map((s) => s.info.url as string);
  const d = await deps.demo(urls[0]!);
  // One screen token per screen, as the desk's "Layar" page makes them: screens sharing a token
  // would share its work budget (a wall of 20 on one token is refused while it opens).
  const tokens = await deps.screenTokens(d, size);
  const procs = await Promise.all(
    Array.from({ length: Math.min(PROCESSES, size) }, (_, i) => deps.track(Child.start(`kiosks-${i + 1}`, 'kiosk-client'))),
  );
  let rawServer: Child | null = null;
  const timeoutMs = Math.max(30_000, size * 3);
  try {
    const share = (i: number) => Math.floor(size / procs.length) + (i < size % procs.length ? 1 : 0);
    const live = async () => {
      const all = await Promise.all(
        servers.map((s) => s.call<{ runs: number; executions: number; joins: number; serialised: number; spliced: number }>('live', {})),
      );
      return all.reduce((a, b) => ({
        runs: a.runs + b.runs,
        executions: a.executions + b.executions,
        joins: a.joins + b.joins,
        serialised: a.serialised + b.serialised,
        spliced: a.spliced + b.spliced,
      }));
    };
    const count = async () =>
      (
        await Promise.all(procs.map((p) => p.call<{ requests: number; received: number; messages: number; heapMiB: number }>('counters')))
      ).reduce(
        (s, c) => ({
          requests: s.requests + c.requests,
          received: s.received + c.received,
          messages: s.messages + c.messages,
          heapMiB: Math.max(s.heapMiB, c.heapMiB),
        }),
        { requests: 0, received: 0, messages: 0, heapMiB: 0 },
      );
    const cpu = async () => (await Promise.all(servers.map((s) => s.call<ProcStats>('stats', {})))).reduce((s, x) => s + x.cpuUs, 0);
    const live0 = await live();
    const beforeOpen = await count();
    const requestsBeforeOpen = beforeOpen.requests;
    const t0 = Date.now();
    let next = 0;
    const opened = await Promise.all(
      procs.map((p, i) => {
        const mine = tokens.slice(next, (next += share(i)));
        // Process i's screens open on instance i mod INSTANCES (a process has one `location`).
        const url = urls[i % urls.length]!;
        return p.call<{ live: number; ms: number; notLive: Record<string, number>; closes: Record<string, number> }>(
          'open',
          {
            url,
            bundle,
            cityId: d.cityId,
            tokens: mine,
            count: mine.length,
            timeoutMs: Math.max(120_000, size * 20),
            perSecond: openPerSecond(size) / procs.length,
          },
          Math.max(180_000, size * 30),
        );
      }),
    );
    const openMs = Date.now() - t0;
    const live1 = await live();
    const afterOpen = await count();
    const openRequests = afterOpen.requests - requestsBeforeOpen;
    const openBytesPerScreen = (afterOpen.received - beforeOpen.received) / size;
    const shown = opened.reduce((s, o) => s + o.live, 0);
    const merge = (all: Record<string, number>[]) => {
      const out: Record<string, number> = {};
      for (const m of all) for (const [k, v] of Object.entries(m)) out[k] = (out[k] ?? 0) + v;
      return out;
    };
    const openCloses = merge(opened.map((o) => o.closes));
    if (shown < size || Object.keys(openCloses).length > 0)
      detail(
        `${size} screens: ${shown} live after ${ms(openMs)}; not live ${JSON.stringify(merge(opened.map((o) => o.notLive)))}; sockets closed while opening, by code ${JSON.stringify(openCloses)}`,
      );
    if (shown < size * 0.5) throw new Error(`${size - shown} of ${size} screens never went live`);
    await sleep(1_000);

    const overview: number[] = [];
    const feed: number[] = [];
    const delivered: number[] = [];
    const firsts: number[] = [];
    const answers: number[] = [];
    /** Per report, the frames one screen's socket received for it (the raw baseline sends these). */
    const frames: string[][] = [];
    let counted0 = await count();
    let cpu0 = await cpu();
    let roundsT0 = performance.now();
    let liveRounds0 = await live();
    for (let n = 1; n <= WARMUP + ROUNDS; n++) {
      if (n === WARMUP + 1) {
        counted0 = await count();
        cpu0 = await cpu();
        roundsT0 = performance.now();
        liveRounds0 = await live();
      }
      const afterSeq = Math.max(...(await Promise.all(procs.map((p) => p.call<number>('seq')))));
      await Promise.all(procs.map((p) => p.call('arm', { afterSeq })));
      const started = Date.now();
      const t0 = process.hrtime.bigint().toString();
      const narrative = await deps.report(d, n);
      const answered = Number(process.hrtime.bigint() - BigInt(t0)) / 1e6;
      const got = await Promise.all(
        procs.map((p) =>
          p.call<{
            overview: (number | null)[];
            feed: (number | null)[];
            firstReceipt: number | null;
            lastReceipt: number | null;
            frames: string[];
          }>('round', { t0, narrative, afterSeq, timeoutMs }, timeoutMs * 2),
        ),
      );
      if (n > WARMUP) {
        for (const g of got) {
          overview.push(...g.overview.map(finite));
          feed.push(...g.feed.map(finite));
        }
        delivered.push(Math.max(...got.map((g) => finite(g.lastReceipt))));
        firsts.push(Math.min(...got.map((g) => finite(g.firstReceipt))));
        answers.push(answered);
        frames.push(got.find((g) => g.frames.length > 0)?.frames ?? frames[frames.length - 1] ?? []);
      }
      await sleep(Math.max(0, GAP_MS - (Date.now() - started)));
    }
    if (process.env.BENCH_ROUND_DETAIL)
      detail(
        `rounds (answer / first receipt / last receipt / last overview shown, ms): ${answers.map((a, i) => `${Math.round(a)}/${Math.round(firsts[i]!)}/${Math.round(delivered[i]!)}/${Math.round(Math.max(...overview.slice(i * size, (i + 1) * size)))}`).join(' ')}`,
      );
    const cpuUs = (await cpu()) - cpu0;
    const roundsMs = performance.now() - roundsT0;
    const liveRounds1 = await live();
    const counted = await count();
    await sleep(1_000); // the last coalesced push
    // The server's CPU with the wall open and nothing happening (keep-alive, the screens' pings), after the reports.
    const idle0 = await cpu();
    const idleT0 = performance.now();
    await sleep(IDLE_MS);
    const idleCpuPct = ((await cpu()) - idle0) / 1_000 / (performance.now() - idleT0);
    const seqs = await Promise.all(procs.map((p) => p.call<{ min: number; max: number }>('seqs')));
    const endSeqs = { min: Math.min(...seqs.map((x) => x.min)), max: Math.max(...seqs.map((x) => x.max)) };
    // Nothing lost: every screen shows what a fresh snapshot over HTTP says (asOf aside).
    const expected = await procs[0]!.call<string>('fresh', { url: urls[0], token: d.token, cityId: d.cityId });
    const compared = await Promise.all(procs.map((p) => p.call<{ same: number; differ: number; sample: string }>('compare', { expected })));
    const requestsPerReport = (counted.requests - counted0.requests) / ROUNDS;
    const cpuMsPerReport = cpuUs / 1_000 / ROUNDS;

    // The baseline: the same frames broadcast by a raw `ws` server to as many sockets in the same processes.
    await Promise.all(procs.map((p) => p.call('closeScreens')));
    await deps.stop(...servers);
    servers.length = 0;
    rawServer = await deps.raw();
    const rawUrl = rawServer.info.url as string;
    const rawOpened = await Promise.all(
      procs.map((p, i) =>
        p.call<{ opened: number }>('openRaw', { url: rawUrl.replace(/^http/, 'ws'), count: share(i), concurrency: 50 }, 300_000),
      ),
    );
    const rawOpen = rawOpened.reduce((s, o) => s + o.opened, 0);
    if (rawOpen < size) throw new Error(`raw baseline: ${size - rawOpen} of ${size} sockets did not open`);
    await sleep(500);
    const raw = await rawRounds(deps, procs, rawServer, frames, timeoutMs);

    return {
      screens: size,
      openMs,
      openRuns: live1.runs - live0.runs,
      openExecutions: live1.executions - live0.executions,
      openRequests,
      openBytesPerScreen,
      roundJoins: liveRounds1.joins - liveRounds0.joins,
      roundSerialised: liveRounds1.serialised - liveRounds0.serialised,
      roundSpliced: liveRounds1.spliced - liveRounds0.spliced,
      bytesPerScreenPerReport: (counted.received - counted0.received) / size / ROUNDS,
      messagesPerScreenPerReport: (counted.messages - counted0.messages) / size / ROUNDS,
      overview,
      feed,
      delivered,
      firsts,
      answers,
      cpuMsPerReport,
      netCpuMsPerReport: Math.max(0, cpuUs / 1_000 - idleCpuPct * roundsMs) / ROUNDS,
      idleCpuPct: idleCpuPct * 100,
      requestsPerReport,
      endSeqs,
      sameAsFresh: compared.reduce((s, c) => s + c.same, 0),
      freshDiff: compared.map((c) => c.sample).find(Boolean) ?? '',
      clientHeapMiB: counted.heapMiB,
      raw,
    };
  } finally {
    await deps.stop(...procs, ...servers, ...(rawServer ? [rawServer] : []));
  }
}

/** Broadcasts each report's frames once, as the screens got them; from the POST to the last socket's receipt. */
async function rawRounds(deps: KiosksDeps, procs: Child[], server: Child, frames: string[][], timeoutMs: number): Promise<RawFigures> {
  const cpu = async () => (await server.call<ProcStats>('stats', {})).cpuUs;
  const last: number[] = [];
  let missing = 0;
  // One warm-up broadcast of the first report's frames.
  const all = [frames[0] ?? [], ...frames];
  let cpu0 = 0;
  for (let r = 0; r < all.length; r++) {
    if (r === 1) cpu0 = await cpu();
    const these = all[r]!;
    await Promise.all(procs.map((p) => p.call('armRaw', { frames: these.length })));
    const t0 = process.hrtime.bigint().toString();
    await deps.post(`${server.info.url as string}/broadcast`, JSON.stringify({ frames: these }));
    const got = await Promise.all(
      procs.map((p) => p.call<{ done: number; expected: number; last: number | null }>('roundRaw', { t0, timeoutMs }, timeoutMs * 2)),
    );
    if (r > 0) {
      const done = got.reduce((s, g) => s + g.done, 0);
      const expected = got.reduce((s, g) => s + g.expected, 0);
      missing += expected - done;
      last.push(done < expected ? Infinity : Math.max(...got.map((g) => finite(g.last))));
    }
    await sleep(RAW_GAP_MS);
  }
  const cpuUs = (await cpu()) - cpu0;
  return {
    last,
    missing,
    cpuMsPerReport: cpuUs / 1_000 / frames.length,
    framesPerReport: frames.reduce((s, f) => s + f.length, 0) / Math.max(1, frames.length),
    bytesPerReport: frames.reduce((s, f) => s + f.reduce((b, x) => b + Buffer.byteLength(x), 0), 0) / Math.max(1, frames.length),
  };
}

/** The scenario: one wall per size, smallest first, each with its raw baseline. */
export async function kiosksScenario(deps: KiosksDeps): Promise<void> {
  const where =
    INSTANCES === 2
      ? 'two production instances sharing PostgreSQL and Redis (the screens split over both, the reports sent to the first)'
      : 'one production instance (PostgreSQL, Redis)';
  console.log(
    `\n## kiosks: ${SIZES.join(' / ')} real screens (the kiosk's LiveCity in ${PROCESSES} Node processes), ${ROUNDS} reports ${GAP_MS} ms apart (after ${WARMUP} warm-up), ${where}; baseline: a raw ws broadcast of the same frames to as many sockets in the same processes`,
  );
  const bundle = await bundleLiveCity();
  const scenario = INSTANCES === 2 ? 'kiosks-two-instances' : 'kiosks';
  for (const size of SIZES) {
    const w = await wall(deps, bundle, size);
    const load = os.loadavg()[0]!.toFixed(1);
    const never = (v: number[]) => v.filter((x) => !Number.isFinite(x)).length;
    const lost = never(w.overview) + never(w.feed);
    detail(
      `${size} screens: opened in ${ms(w.openMs)}${openPerSecond(size) ? ` (started ${openPerSecond(size)} a second)` : ' (all at once)'} (${w.openRuns} shared runs, ${w.openExecutions} shared executions, ${w.openRequests} HTTP requests, ${Math.round(w.openBytesPerScreen)} B received per screen); bytes per screen per report ${Math.round(w.bytesPerScreenPerReport)} B in ${w.messagesPerScreenPerReport.toFixed(1)} messages; overview p50 ${ms(pct(w.overview, 50))} / p99 ${ms(pct(w.overview, 99))}; feed p50 ${ms(pct(w.feed, 50))} / p99 ${ms(pct(w.feed, 99))}${lost ? ` (${lost} never)` : ''}; the mutation's answer p50 ${ms(pct(w.answers, 50))}, first frame received p50 ${ms(pct(w.firsts, 50))}, last p50 ${ms(pct(w.delivered, 50))} / p99 ${ms(pct(w.delivered, 99))}; server CPU per report ${ms(w.cpuMsPerReport)} (${ms(w.netCpuMsPerReport)} without its idle ${w.idleCpuPct.toFixed(1)}% of a core: keep-alive, the screens' pings); HTTP requests per report ${w.requestsPerReport.toFixed(1)}; ${w.roundJoins} resubscribes, ${w.roundSerialised} payloads serialised and ${w.roundSpliced} frames spliced in all; every screen ends on seq ${w.endSeqs.min === w.endSeqs.max ? w.endSeqs.max : `${w.endSeqs.min}–${w.endSeqs.max} (NOT the same)`}, ${w.sameAsFresh} of ${size} equal to a fresh snapshot${w.freshDiff ? ` (first difference ${w.freshDiff})` : ''}; client heap ≤ ${w.clientHeapMiB.toFixed(0)} MiB per process; load average ${load}`,
    );
    detail(
      `raw ws × ${size}: the same ${w.raw.framesPerReport.toFixed(1)} frame(s) per report (${Math.round(w.raw.bytesPerReport)} B): last receipt p50 ${ms(pct(w.raw.last, 50))} / p99 ${ms(pct(w.raw.last, 99))}${w.raw.missing ? ` (${w.raw.missing} missing)` : ''}; server CPU per report ${ms(w.raw.cpuMsPerReport)}`,
    );
    const rawP99 = pct(w.raw.last, 99);
    const big = size >= 10_000;
    if (size >= 1_000) {
      for (const [name, values] of [
        ['overview', w.overview],
        ['feed', w.feed],
      ] as const) {
        result({
          scenario,
          metric: `${name}.p99@${size}`,
          value: pct(values, 99),
          fmt: ms,
          baseline: rawP99,
          ...(big ? { op: '<' as const, target: 2_000, on: 'value' as const } : { op: '<=' as const, target: 1.5, on: 'ratio' as const }),
        });
      }
      result({
        scenario,
        metric: `cpu-per-report@${size}`,
        value: w.netCpuMsPerReport,
        fmt: ms,
        baseline: w.raw.cpuMsPerReport,
        op: '<=',
        target: 2,
        on: 'ratio',
      });
    }
    if (size >= 1_000 && !big) result({ scenario, metric: `open@${size}`, value: w.openMs, fmt: ms, op: '<', target: 10_000, on: 'value' });
    result({
      scenario,
      metric: `open-snapshot-computations@${size}`,
      value: w.openExecutions + w.openRequests,
      fmt: (v) => v.toFixed(0),
      op: '<=',
      target: INSTANCES,
      on: 'value',
      targetText: `${INSTANCES} (one per instance: shared executions + HTTP requests while the wall opens)`,
    });
    result({
      scenario,
      metric: `http-requests-per-report@${size}`,
      value: w.requestsPerReport,
      fmt: (v) => v.toFixed(1),
      op: '<=',
      target: 0,
      on: 'value',
    });
    result({
      scenario,
      metric: `bytes-per-screen-per-report@${size}`,
      value: w.bytesPerScreenPerReport,
      fmt: (v) => `${Math.round(v)} B`,
      op: '<',
      target: 2_048,
      on: 'value',
    });
    // Nothing lost: a report every screen showed, the same end seq on all, the same numbers as a fresh snapshot.
    result({
      scenario,
      metric: `lost@${size}`,
      value: lost + (w.endSeqs.min === w.endSeqs.max ? 0 : 1) + (size - w.sameAsFresh),
      fmt: (v) => v.toFixed(0),
      op: '=',
      target: 0,
      on: 'value',
      targetText: '0 (reports never shown + screens unlike a fresh snapshot + 1 if the end seqs differ)',
    });
  }
}
