/**
 * The `import` scenario (issue 21): a masterplan workbook of 100 000 action plans (20 OPDs, 60
 * programs) imported into a new, empty city on PostgreSQL through `POST /imports/masterplan`
 * (applied, NDJSON progress), by a platform admin. Figures: the time from sending the file to the
 * result; the server's peak RSS above its idle RSS (Linux `VmHWM`, reset through clear_refs; target
 * under 200 MB); and the p99 of the dashboard query (another city, one request every 100 ms from
 * its viewer) during the import beside the same query on the idle server just before. Also shown:
 * the highest RSS in each phase and the highest V8 heap used (sampled), to tell garbage from the rest.
 *
 * Knobs: BENCH_IMPORT_ROWS (100000); BENCH_IMPORT_SHARED_STRINGS=1 writes the texts in a shared-string
 * table, as Excel saves a workbook (default: inline, as Pantau's export writes them).
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { createTestDatabase, type TestDatabase } from '../test/helpers/db';
import { login, ok } from '../test/helpers/gql';
import { Child, detail, pct, result, sleep, type ProcStats } from './lib';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
/** Texts in a shared-string table, as Excel saves them, instead of inline. */
const SHARED_STRINGS = process.env.BENCH_IMPORT_SHARED_STRINGS === '1';
const MIB = 1_048_576;
const TARGET_MB = 200;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** What the scenario needs from the runner (bench/run.ts). */
export interface ImportDeps {
  pantau(db: TestDatabase, name: string, env: Record<string, string>): Promise<Child>;
  stop(...list: Child[]): Promise<void>;
  /** The dashboard query (one city id variable `$id`). */
  dashboard: string;
}

async function peak(pid: number): Promise<number> {
  const text = await fsp.readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(text)?.[1] ?? NaN) * 1_024;
}

/** The workbook, written with exceljs's streaming writer (the sheets the template has). */
async function workbook(file: string): Promise<void> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: false, useSharedStrings: SHARED_STRINGS });
  const sheet = (name: string, header: string[], rows: Iterable<unknown[]>) => {
    const ws = book.addWorksheet(name);
    ws.addRow(header).commit();
    for (const r of rows) ws.addRow(r).commit();
    ws.commit();
  };
  const dims = [
    'Tata kelola birokrasi',
    'Pemasaran daerah',
    'Perekonomian',
    'Ekosistem permukiman',
    'Lingkungan masyarakat',
    'Pemulihan lingkungan',
  ];
  sheet(
    'OPD',
    ['Kode', 'Nama', 'Singkatan'],
    Array.from({ length: 20 }, (_, i) => [`OPD${i}`, `Dinas Uji ${i}`, `DU${i}`]),
  );
  sheet(
    'Program',
    ['Kode', 'Nama', 'Dimensi'],
    Array.from({ length: 60 }, (_, i) => [`P${i}`, `Program ${i}`, dims[i % 6]]),
  );
  function* plans(): Generator<unknown[]> {
    for (let i = 0; i < ROWS; i++)
      yield [
        `RA-${String(i).padStart(6, '0')}`,
        `P${i % 60}`,
        `Rencana aksi nomor ${i} untuk uji beban impor`,
        null,
        `OPD${i % 20}`,
        i % 3 === 0 ? `OPD${(i + 1) % 20}` : null,
        new Date(Date.UTC(2025, i % 12, 1)),
        new Date(Date.UTC(2026, i % 12, 28)),
        1 + (i % 4),
        1_000_000 * (1 + (i % 50)),
        'APBD',
        'Aktif',
      ];
  }
  sheet(
    'Rencana Aksi',
    [
      'Kode',
      'Kode Program',
      'Judul',
      'Deskripsi',
      'OPD Pemilik',
      'OPD Pendukung',
      'Mulai',
      'Tenggat',
      'Bobot',
      'Anggaran (Rp)',
      'Sumber Anggaran',
      'Status',
    ],
    plans(),
  );
  await book.commit();
}

/** Runs the dashboard query every 100 ms until `until` resolves; the latencies in ms. */
async function queryLoop(url: string, token: string, query: string, cityId: string, until: Promise<unknown>): Promise<number[]> {
  let done = false;
  void until.finally(() => (done = true));
  const times: number[] = [];
  while (!done) {
    const t0 = performance.now();
    await ok(url, query, { id: cityId }, token);
    times.push(performance.now() - t0);
    await sleep(100);
  }
  return times;
}

/** The server's highest V8 heap used (garbage not yet collected included), sampled every 250 ms until `until` settles. */
async function heapSampler(server: Child, until: Promise<unknown>): Promise<number> {
  let done = false;
  void until.finally(() => (done = true)).catch(() => undefined);
  let highest = 0;
  while (!done) {
    highest = Math.max(highest, (await server.call<ProcStats>('stats')).heapUsed);
    await sleep(250);
  }
  return highest;
}

/** The server's RSS now (Linux VmRSS). */
async function rssOf(pid: number): Promise<number> {
  const text = await fsp.readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(text)?.[1] ?? NaN) * 1_024;
}

/** POSTs the file with NDJSON progress; resolves with the result line and the server's highest RSS in each phase. */
async function importFile(
  url: string,
  token: string,
  cityId: string,
  file: string,
  pid: number,
): Promise<{ result: any; progressLines: number; phases: Map<string, number> }> {
  const res = await fetch(`${url}/imports/masterplan?cityId=${cityId}&dryRun=false`, {
    method: 'POST',
    headers: { 'content-type': XLSX, accept: 'application/x-ndjson', authorization: `Bearer ${token}` },
    body: fs.readFileSync(file),
  });
  const phases = new Map<string, number>();
  let text = '';
  let seen = 0;
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    text += decoder.decode(chunk, { stream: true });
    const lines = text.split('\n');
    for (const line of lines.slice(seen, -1)) {
      const phase = (JSON.parse(line) as { progress?: { phase: string } }).progress?.phase;
      if (phase) phases.set(phase, Math.max(phases.get(phase) ?? 0, await rssOf(pid)));
    }
    seen = Math.max(seen, lines.length - 1);
  }
  const lines = text.trim().split('\n');
  if (res.status !== 200) throw new Error(`import answered ${res.status}: ${lines.join(' ')}`);
  const last = JSON.parse(lines.at(-1)!) as { result?: unknown };
  if (!last.result) throw new Error(`no result: ${lines.at(-1)}`);
  return { result: last.result, progressLines: lines.length - 1, phases };
}

export async function importScenario(deps: ImportDeps): Promise<void> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pantau-bench-import-'));
  const db = await createTestDatabase('postgres');
  try {
    const file = path.join(dir, 'masterplan.xlsx');
    const w0 = performance.now();
    await workbook(file);
    const size = (await fsp.stat(file)).size;
    detail(
      `workbook of ${ROWS} action plans${SHARED_STRINGS ? ' (shared strings)' : ''}: ${(size / MIB).toFixed(1)} MiB, written in ${((performance.now() - w0) / 1_000).toFixed(1)} s`,
    );
    const server = await deps.pantau(db, 'pantau-import', { UPLOAD_MAX_BYTES: String(100 * MIB) });
    const url = server.info.url as string;
    const admin = await login(url, 'admin@pantau.demo');
    const viewer = await login(url, 'viewer@tanjungpinang.demo');
    const demoCity = (await ok<{ me: { cityId: string } }>(url, '{ me { cityId } }', {}, viewer)).me.cityId;
    const target = (
      await ok<{ createCity: { id: string } }>(
        url,
        'mutation ($input: CreateCityInput!) { createCity(input: $input) { id } }',
        { input: { name: 'Kota Uji Beban', province: 'Kepulauan Riau' } },
        admin,
      )
    ).createCity.id;
    // Warm: the query, and the import path on a small file.
    for (let i = 0; i < 20; i++) await ok(url, deps.dashboard, { id: demoCity }, viewer);
    const idleTimes = await queryLoop(url, viewer, deps.dashboard, demoCity, sleep(15_000));
    const { rss: idleRss, heapUsed: idleHeap } = await server.call<ProcStats>('stats', { gc: true });
    await fsp.writeFile(`/proc/${server.pid}/clear_refs`, '5');
    const t0 = performance.now();
    const running = importFile(url, admin, target, file, server.pid);
    const heapPeak = heapSampler(server, running);
    const busyTimes = await queryLoop(url, viewer, deps.dashboard, demoCity, running);
    const { result: answer, progressLines, phases } = await running;
    const seconds = (performance.now() - t0) / 1_000;
    const above = (await peak(server.pid)) - idleRss;
    const after = await server.call<ProcStats>('stats', { gc: true });
    detail(
      `after the import and a full collection: RSS ${(after.rss / MIB).toFixed(0)} MB, heap used ${(after.heapUsed / MIB).toFixed(0)} MB (idle: RSS ${(idleRss / MIB).toFixed(0)} MB, heap ${(idleHeap / MIB).toFixed(0)} MB)`,
    );
    const created = Object.values(answer.created as Record<string, number>).reduce((s, n) => s + n, 0);
    for (const e of (answer.errors as unknown[]).slice(0, 3)) detail(`problem: ${JSON.stringify(e)}`);
    detail(
      `highest V8 heap used seen (every 250 ms, garbage included): ${((await heapPeak) / MIB).toFixed(0)} MB (idle, after a full collection: ${(idleHeap / MIB).toFixed(0)} MB)`,
    );
    detail(`highest RSS seen in each phase: ${[...phases].map(([p, b]) => `${p} ${(b / MIB).toFixed(0)} MB`).join(', ')}`);
    detail(
      `import of ${ROWS} plans: ${seconds.toFixed(1)} s, ${created} rows created, ${answer.errors.length} problems, ${progressLines} progress lines; RSS idle ${(idleRss / MIB).toFixed(0)} MB, peak +${(above / MIB).toFixed(0)} MB`,
    );
    detail(
      `dashboard query p50/p99: idle ${pct(idleTimes, 50).toFixed(0)}/${pct(idleTimes, 99).toFixed(0)} ms (${idleTimes.length}), during the import ${pct(busyTimes, 50).toFixed(0)}/${pct(busyTimes, 99).toFixed(0)} ms (${busyTimes.length})`,
    );
    result({ scenario: 'import', metric: 'rows-created', value: created, fmt: String, op: '=', target: ROWS + 80, on: 'value' });
    result({ scenario: 'import', metric: 'seconds', value: seconds, fmt: (v) => `${v.toFixed(1)}s`, op: '<=', target: 600, on: 'value' });
    result({
      scenario: 'import',
      metric: 'peak-rss-above-idle',
      value: above / MIB,
      fmt: (v) => `${v.toFixed(0)}MB`,
      op: '<',
      target: TARGET_MB,
      on: 'value',
    });
    result({
      scenario: 'import',
      metric: 'dashboard-p99-during-import',
      value: pct(busyTimes, 99),
      fmt: (v) => `${v.toFixed(0)}ms`,
      baseline: pct(idleTimes, 99),
      op: '<=',
      target: 5,
      on: 'ratio',
    });
    await deps.stop(server);
  } finally {
    await db.drop();
    await fsp.rm(dir, { recursive: true, force: true });
  }
}
