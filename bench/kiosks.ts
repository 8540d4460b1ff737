/**
 * The `kiosks` scenario (issue 23): the meeting-room screen people open, measured with its own code.
 * `dashboard/src/api/live.ts` is bundled for Node (esbuild) and run as N real screens
 * (`LiveCity`) spread over forked processes (bench/kiosk-client.ts), against one production-mode
 * instance (PostgreSQL, Redis) with the demo city. Then reports, one at a time, `BENCH_KIOSK_GAP_MS`
 * apart; for each, when every screen shows the new overview (the push) and the report in its feed,
 * the server's CPU, the HTTP requests the screens sent and the bytes their sockets received. The
 * baseline is the smallest wall in the same run: what a report costs the server must not grow with
 * the number of screens (target: the largest wall's CPU per report at most 2× the smallest's), after
 * its first snapshot a screen sends no HTTP request for a change (target 0 per screen per report),
 * a one-plan report costs a screen under 2 KB, and opening the wall computes the screen's state once
 * (the live path's shared runs and executions while it opens, from the server).
 *
 * Each screen has a screen token of its own, as the desk makes them (screens sharing one would share
 * its work budget).
 *
 * All the bench's screens connect from 127.0.0.1, where a real wall has one address per TV: the
 * bench's instance raises `WS_MAX_UNAUTHENTICATED_PER_ADDRESS` (default 200) to 100,000, or most of
 * a 1,000-screen wall would be refused (4430) while its sockets authenticate.
 *
 * Knobs: BENCH_KIOSK_SIZES (4,50,200), BENCH_KIOSK_ROUNDS (10), BENCH_KIOSK_GAP_MS (2000), BENCH_CLIENTS (4).
 */
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
const SIZES = list('BENCH_KIOSK_SIZES', '4,50,200');
const ROUNDS = Number(process.env.BENCH_KIOSK_ROUNDS ?? 10);
const GAP_MS = Number(process.env.BENCH_KIOSK_GAP_MS ?? 2_000);
const PROCESSES = Number(process.env.BENCH_CLIENTS ?? 4);

/** What the scenario needs from the runner (bench/run.ts). */
export interface KiosksDeps {
  database(): Promise<TestDatabase>;
  /** A production-mode instance with Redis (a key prefix of its own). */
  pantau(db: TestDatabase): Promise<Child>;
  demo(url: string): Promise<{ url: string; token: string; cityId: string; plans: { id: string; version: number }[] }>;
  screenTokens(d: { url: string; token: string; cityId: string }, count: number): Promise<string[]>;
  /** One report on the next plan, its narrative `bench <n>`; resolves with that narrative. */
  report(d: { url: string; token: string; plans: { id: string; version: number }[] }, n: number): Promise<string>;
  track(child: Promise<Child>): Promise<Child>;
  stop(...list: Child[]): Promise<void>;
}

/** Bundles the kiosk's live module for Node; the path of the bundle. */
async function bundleLiveCity(): Promise<string> {
  const root = path.resolve(__dirname, '..', '..');
  const outfile = path.join(__dirname, 'live-city.cjs');
  await build({
    entryPoints: [path.join(root, 'dashboard', 'src', 'api', 'live.ts')],
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

interface Wall {
  screens: number;
  openMs: number;
  /** Shared runs started and results executed on the server while the wall opened. */
  openRuns: number;
  openExecutions: number;
  /** HTTP requests the screens sent while the wall opened (each a snapshot, or a page of it, computed for one screen). */
  openRequests: number;
  /** While the reports were sent: subscribers that joined (a whole state each: a resubscribe), shared payloads serialised, frames made from them. */
  roundJoins: number;
  roundSerialised: number;
  roundSpliced: number;
  /** Bytes (and WebSocket messages) a screen received per report. */
  bytesPerScreenPerReport: number;
  messagesPerScreenPerReport: number;
  overview: number[];
  feed: number[];
  cpuMsPerReport: number;
  requestsPerReport: number;
  /** The lowest and highest seq the screens show once the last report is in (both the same: nothing lost). */
  endSeqs: { min: number; max: number };
}

async function wall(deps: KiosksDeps, bundle: string, size: number): Promise<Wall> {
  const server = await deps.pantau(await deps.database());
  const url = server.info.url as string;
  const d = await deps.demo(url);
  // One screen token per screen, as the desk's "Layar" page makes them: screens sharing a token
  // would share its work budget (a wall of 20 on one token is refused while it opens).
  const tokens = await deps.screenTokens(d, size);
  const procs = await Promise.all(
    Array.from({ length: Math.min(PROCESSES, size) }, (_, i) => deps.track(Child.start(`kiosks-${i + 1}`, 'kiosk-client'))),
  );
  try {
    const share = (i: number) => Math.floor(size / procs.length) + (i < size % procs.length ? 1 : 0);
    let next = 0;
    const live = async () =>
      server.call<{ runs: number; executions: number; joins: number; serialised: number; spliced: number }>('live', {});
    const count = async () =>
      (await Promise.all(procs.map((p) => p.call<{ requests: number; received: number; messages: number }>('counters')))).reduce(
        (s, c) => ({ requests: s.requests + c.requests, received: s.received + c.received, messages: s.messages + c.messages }),
        { requests: 0, received: 0, messages: 0 },
      );
    const live0 = await live();
    const requestsBeforeOpen = (await count()).requests;
    const t0 = Date.now();
    const opened = await Promise.all(
      procs.map((p, i) => {
        const mine = tokens.slice(next, (next += share(i)));
        return p.call<{ live: number; ms: number }>(
          'open',
          { url, bundle, cityId: d.cityId, tokens: mine, count: mine.length, timeoutMs: 120_000 },
          180_000,
        );
      }),
    );
    const openMs = Date.now() - t0;
    const live1 = await live();
    const openRequests = (await count()).requests - requestsBeforeOpen;
    const shown = opened.reduce((s, o) => s + o.live, 0);
    if (shown < size) throw new Error(`${size - shown} of ${size} screens never went live`);
    await sleep(1_000);
    const overview: number[] = [];
    const feed: number[] = [];
    const cpu = async () => (await server.call<ProcStats>('stats', {})).cpuUs;
    const counted0 = await count();
    const cpu0 = await cpu();
    const liveRounds0 = await live();
    for (let n = 1; n <= ROUNDS; n++) {
      const afterSeq = Math.max(...(await Promise.all(procs.map((p) => p.call<number>('seq')))));
      const started = Date.now();
      const narrative = await deps.report(d, n);
      const got = await Promise.all(
        procs.map((p) =>
          p.call<{ overview: number[]; feed: number[] }>('round', { t0: started, narrative, afterSeq, timeoutMs: 30_000 }, 60_000),
        ),
      );
      for (const g of got) {
        overview.push(...g.overview);
        feed.push(...g.feed);
      }
      await sleep(Math.max(0, GAP_MS - (Date.now() - started)));
    }
    const cpuUs = (await cpu()) - cpu0;
    const liveRounds1 = await live();
    const counted = await count();
    await sleep(1_000); // the last coalesced push
    const seqs = await Promise.all(procs.map((p) => p.call<{ min: number; max: number }>('seqs')));
    const endSeqs = { min: Math.min(...seqs.map((x) => x.min)), max: Math.max(...seqs.map((x) => x.max)) };
    const requestsPerReport = (counted.requests - counted0.requests) / ROUNDS;
    return {
      screens: size,
      openMs,
      openRuns: live1.runs - live0.runs,
      openExecutions: live1.executions - live0.executions,
      openRequests,
      roundJoins: liveRounds1.joins - liveRounds0.joins,
      roundSerialised: liveRounds1.serialised - liveRounds0.serialised,
      roundSpliced: liveRounds1.spliced - liveRounds0.spliced,
      bytesPerScreenPerReport: (counted.received - counted0.received) / size / ROUNDS,
      messagesPerScreenPerReport: (counted.messages - counted0.messages) / size / ROUNDS,
      overview,
      feed,
      cpuMsPerReport: cpuUs / 1_000 / ROUNDS,
      requestsPerReport,
      endSeqs,
    };
  } finally {
    await deps.stop(...procs, server);
  }
}

/** The scenario: one wall per size, smallest first; the smallest is the baseline. */
export async function kiosksScenario(deps: KiosksDeps): Promise<void> {
  console.log(
    `\n## kiosks: ${SIZES.join(' / ')} real screens (the kiosk's LiveCity in ${PROCESSES} Node processes), ${ROUNDS} reports ${GAP_MS} ms apart, one production instance (PostgreSQL, Redis)`,
  );
  const bundle = await bundleLiveCity();
  const walls: Wall[] = [];
  for (const size of SIZES) {
    const w = await wall(deps, bundle, size);
    walls.push(w);
    const missed = w.feed.filter((v) => !Number.isFinite(v)).length;
    detail(
      `${size} screens: opened in ${ms(w.openMs)} (${w.openRuns} shared runs, ${w.openExecutions} shared executions, ${w.openRequests} HTTP requests); bytes per screen per report ${Math.round(w.bytesPerScreenPerReport)} B in ${w.messagesPerScreenPerReport.toFixed(1)} messages; overview p50 ${ms(pct(w.overview, 50))} / p99 ${ms(pct(w.overview, 99))}; feed p50 ${ms(pct(w.feed, 50))} / p99 ${ms(pct(w.feed, 99))}${missed ? ` (${missed} never)` : ''}; server CPU per report ${ms(w.cpuMsPerReport)}; HTTP requests per report ${w.requestsPerReport.toFixed(1)} (${(w.requestsPerReport / size).toFixed(2)} per screen); ${w.roundJoins} resubscribes, ${w.roundSerialised} payloads serialised and ${w.roundSpliced} frames spliced in all; every screen ends on seq ${w.endSeqs.min === w.endSeqs.max ? w.endSeqs.max : `${w.endSeqs.min}–${w.endSeqs.max} (NOT the same)`}; load average ${os.loadavg()[0]!.toFixed(1)}`,
    );
  }
  const [small, large] = [walls[0]!, walls[walls.length - 1]!];
  result({
    scenario: 'kiosks',
    metric: `cpu-per-report@${large.screens}`,
    value: large.cpuMsPerReport,
    fmt: ms,
    baseline: small.cpuMsPerReport,
    op: '<=',
    target: 2,
    on: 'ratio',
  });
  result({
    scenario: 'kiosks',
    metric: `feed.p99@${large.screens}`,
    value: pct(large.feed, 99),
    fmt: ms,
    baseline: pct(small.feed, 99),
    op: '<=',
    target: 2,
    on: 'ratio',
  });
  result({
    scenario: 'kiosks',
    metric: `bytes-per-screen-per-report@${large.screens}`,
    value: large.bytesPerScreenPerReport,
    fmt: (v) => `${Math.round(v)} B`,
    op: '<',
    target: 2_048,
    on: 'value',
  });
  result({
    scenario: 'kiosks',
    metric: `open-snapshot-computations@${large.screens}`,
    value: large.openExecutions + large.openRequests,
    fmt: (v) => v.toFixed(0),
    op: '<=',
    target: 1,
    on: 'value',
    targetText: '1 (shared executions + HTTP requests while the wall opens)',
  });
  result({
    scenario: 'kiosks',
    metric: `http-requests-per-screen-per-report@${large.screens}`,
    value: large.requestsPerReport / large.screens,
    fmt: (v) => v.toFixed(2),
    op: '<=',
    target: 0,
    on: 'value',
  });
}
