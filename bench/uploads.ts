/**
 * The `uploads` scenario (issue 20 §3): N parallel uploads of distinct M MiB files by one OPD
 * reporter, then K parallel downloads of one of them, on PostgreSQL (chunk rows) and SQLite (files);
 * the figure is the server's peak RSS above its idle RSS (Linux: `VmHWM` of /proc/<pid>/status,
 * reset through /proc/<pid>/clear_refs before each phase), beside the same bytes through a plain
 * node:http server (bench/sink.ts: /dev/null in, a buffer out) in the same run. The server runs
 * with its per-user and per-instance upload limits raised to N (defaults: 3 and 16), so that all N
 * stream at once, as in the measurement; the downloads run on a fresh instance over the same
 * data, since memory an instance took for the uploads and kept would hide what the downloads take.
 *
 * Knobs: BENCH_UPLOADS (24), BENCH_DOWNLOADS (16), BENCH_UPLOAD_MIB (20), BENCH_UPLOAD_DIALECTS (postgres,sqlite).
 */
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../test/helpers/db';
import { login, ok } from '../test/helpers/gql';
import { Child, detail, result, type ProcStats } from './lib';

const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 24);
const DOWNLOADS = Number(process.env.BENCH_DOWNLOADS ?? 16);
const MIB = 1_048_576;
const SIZE = Number(process.env.BENCH_UPLOAD_MIB ?? 20) * MIB;
const DIALECTS = (process.env.BENCH_UPLOAD_DIALECTS ?? 'postgres,sqlite').split(',').filter((d) => d === 'postgres' || d === 'sqlite');
/** The target: peak RSS above idle while N uploads (or K downloads) run. */
const TARGET_MB = 300;

/** What the scenario needs from the runner (bench/run.ts). */
export interface UploadsDeps {
  /** A Pantau instance on `db` with `env` added to the production settings. */
  pantau(db: TestDatabase, name: string, env: Record<string, string>): Promise<Child>;
  track(child: Promise<Child>): Promise<Child>;
  stop(...list: Child[]): Promise<void>;
}

const mb = (bytes: number) => `${(bytes / MIB).toFixed(0)}MB`;
const filler = Buffer.alloc(MIB, 0x20);

export async function status(pid: number): Promise<{ rss: number; peak: number }> {
  const text = await fs.readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1_024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** Idle RSS after a full collection, with the peak reset to it. */
export async function idle(child: Child): Promise<number> {
  const { rss } = await child.call<ProcStats>('stats', { gc: true });
  await fs.writeFile(`/proc/${child.pid}/clear_refs`, '5');
  return rss;
}

/** POSTs `size` bytes (a unique first line, then spaces) with back-pressure; resolves with the status. */
export function upload(url: string, token: string, text: string, size: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/octet-stream', 'content-length': size, authorization: `Bearer ${token}` },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    const head = Buffer.from(`%PDF-1.7\n% ${text}\n`, 'latin1');
    let left = size - head.length;
    const pump = () => {
      while (left > 0) {
        const piece = left >= filler.length ? filler : filler.subarray(0, left);
        left -= piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      req.end();
    };
    req.write(head);
    pump();
  });
}

/** GETs `url` and counts the bytes. */
function download(url: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () => resolve(res.statusCode === 200 ? bytes : -1));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

interface Phase {
  /** Peak RSS above idle. */
  above: number;
  idle: number;
  /** RSS a collection after the phase. */
  after: number;
  ms: number;
  ok: number;
}

async function phase(child: Child, run: () => Promise<boolean[]>): Promise<Phase> {
  const rest = await idle(child);
  const t0 = performance.now();
  const outcomes = await run();
  const ms = performance.now() - t0;
  const { peak } = await status(child.pid);
  const { rss: after } = await child.call<ProcStats>('stats', { gc: true });
  return { above: peak - rest, idle: rest, after, ms, ok: outcomes.filter(Boolean).length };
}

function describe(label: string, p: Phase, count: number): void {
  detail(
    `${label}: ${p.ok}/${count} ok in ${(p.ms / 1_000).toFixed(1)} s (${((count * SIZE) / MIB / (p.ms / 1_000)).toFixed(0)} MiB/s), RSS idle ${mb(p.idle)}, peak +${mb(p.above)}, after a GC ${mb(p.after)}`,
  );
}

/** The baseline: the same requests against bench/sink.ts. */
async function baseline(deps: UploadsDeps): Promise<{ up: Phase; down: Phase }> {
  const sink = await deps.track(Child.start('sink', 'sink'));
  const url = sink.info.url as string;
  try {
    const up = await phase(sink, () =>
      Promise.all(Array.from({ length: UPLOADS }, (_, i) => upload(url, 'x', `sink ${i}`, SIZE).then((s) => s === 201))),
    );
    describe(`plain node:http to /dev/null, ${UPLOADS} × ${mb(SIZE)} in`, up, UPLOADS);
    const down = await phase(sink, () =>
      Promise.all(Array.from({ length: DOWNLOADS }, () => download(`${url}/?bytes=${SIZE}`, 'x').then((b) => b === SIZE))),
    );
    describe(`plain node:http from a buffer, ${DOWNLOADS} × ${mb(SIZE)} out`, down, DOWNLOADS);
    return { up, down };
  } finally {
    await deps.stop(sink);
  }
}

/** A Pantau instance on `db` and `dataDir`, warmed by one small upload and its download; its demo reporter. */
async function startWarm(
  deps: UploadsDeps,
  db: TestDatabase,
  dataDir: string,
  name: string,
): Promise<{ server: Child; url: string; token: string; cityId: string }> {
  const limits = String(Math.max(UPLOADS, DOWNLOADS));
  const server = await deps.pantau(db, name, {
    DATA_DIR: dataDir,
    UPLOAD_MAX_CONCURRENT_PER_USER: limits,
    UPLOAD_MAX_CONCURRENT: limits,
    UPLOAD_MAX_BYTES: String(Math.max(SIZE, 20 * MIB)),
  });
  const url = server.info.url as string;
  const token = await login(url, 'dinkes@tanjungpinang.demo');
  const cityId = (await ok<{ me: { cityId: string } }>(url, '{ me { cityId } }', {}, token)).me.cityId;
  const warm = await new Promise<string>((resolve, reject) => {
    const req = http.request(`${url}/uploads?cityId=${cityId}&name=warm.pdf`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${token}` },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve((JSON.parse(text) as { id: string }).id));
    });
    req.on('error', reject);
    req.end(`%PDF-1.7\n% warm ${Date.now()}\n`);
  });
  await download(`${url}/uploads/${warm}`, token);
  return { server, url, token, cityId };
}

/**
 * Pantau on one dialect: the uploads on one instance, the downloads on a fresh one over the same
 * data (memory an instance once took and kept would hide what the downloads take).
 */
async function pantauRun(deps: UploadsDeps, dialect: 'postgres' | 'sqlite', base: { up: Phase; down: Phase }): Promise<void> {
  const db = await createTestDatabase(dialect);
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pantau-bench-uploads-'));
  try {
    let p = await startWarm(deps, db, dataDir, `pantau-${dialect}`);
    const target = (name: string) => `${p.url}/uploads?cityId=${p.cityId}&name=${encodeURIComponent(name)}`;
    const up = await phase(p.server, () =>
      Promise.all(
        Array.from({ length: UPLOADS }, (_, i) =>
          upload(target(`bukti-${i}.pdf`), p.token, `${dialect} ${i}`, SIZE).then((s) => s === 201),
        ),
      ),
    );
    describe(`Pantau on ${dialect}, ${UPLOADS} × ${mb(SIZE)} POST /uploads`, up, UPLOADS);
    await deps.stop(p.server);
    p = await startWarm(deps, db, dataDir, `pantau-${dialect}-2`);
    const listed = await ok<{ city: { evidence: { edges: { node: { id: string; size: number | null } }[] } } }>(
      p.url,
      'query ($id: ID!) { city(id: $id) { evidence(first: 5) { edges { node { id size } } } } }',
      { id: p.cityId },
      p.token,
    );
    const big = listed.city.evidence.edges.map((e) => e.node).find((n) => n.size === SIZE);
    if (!big) throw new Error('no uploaded file to download');
    const down = await phase(p.server, () =>
      Promise.all(Array.from({ length: DOWNLOADS }, () => download(`${p.url}/uploads/${big.id}`, p.token).then((b) => b === SIZE))),
    );
    describe(`Pantau on ${dialect} (a fresh instance), ${DOWNLOADS} × ${mb(SIZE)} GET /uploads/:id`, down, DOWNLOADS);
    await deps.stop(p.server);
    for (const [what, ph, b, count] of [
      ['upload', up, base.up, UPLOADS],
      ['download', down, base.down, DOWNLOADS],
    ] as const) {
      result({
        scenario: 'uploads',
        metric: `${what}-peak-rss-above-idle-${dialect}`,
        value: ph.above / MIB,
        fmt: (v) => `${v.toFixed(0)}MB`,
        baseline: b.above / MIB,
        op: '<=',
        target: TARGET_MB,
        on: 'value',
      });
      result({ scenario: 'uploads', metric: `${what}s-ok-${dialect}`, value: ph.ok, fmt: String, op: '=', target: count, on: 'value' });
    }
  } finally {
    await db.drop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

/** The scenario: the baseline once, then Pantau on each dialect. */
export async function uploadsScenario(deps: UploadsDeps): Promise<void> {
  const base = await baseline(deps);
  for (const dialect of DIALECTS) await pantauRun(deps, dialect as 'postgres' | 'sqlite', base);
}
