/**
 * The `evidence-pack` scenario (issue 24 §2): GET /reports/evidence.zip of a year with many files
 * (BENCH_PACK_FILES × BENCH_PACK_MIB MiB, default 200 × 1 MiB, attached round-robin to the items of
 * the demo's self-assessment of this year) on PostgreSQL (chunk rows) and SQLite (files): the time
 * to stream it to a client that reads as fast as it can, and the server's peak RSS above its idle
 * RSS (Linux `VmHWM`, reset before the phase), on a fresh instance over the same data. The target:
 * memory flat whatever the pack's size (under 100 MB above idle for a pack of hundreds of MiB).
 *
 * Knobs: BENCH_PACK_FILES (200), BENCH_PACK_MIB (1), BENCH_PACK_DIALECTS (postgres,sqlite).
 */
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase } from '../test/helpers/db';
import { login, ok } from '../test/helpers/gql';
import { Child, detail, result, type ProcStats } from './lib';
import { idle, status, upload, type UploadsDeps } from './uploads';

const FILES = Number(process.env.BENCH_PACK_FILES ?? 200);
const MIB = 1_048_576;
const SIZE = Number(process.env.BENCH_PACK_MIB ?? 1) * MIB;
const DIALECTS = (process.env.BENCH_PACK_DIALECTS ?? 'postgres,sqlite').split(',').filter((d) => d === 'postgres' || d === 'sqlite');
const PARALLEL = 8;
const TARGET_MB = 100;

/** GETs `url` reading as fast as it comes; the bytes (-1 unless 200). */
function fetchAll(url: string, token: string): Promise<number> {
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

/** The settings of both instances: limits raised so the setup's uploads and attachments are not refused. */
function settings(dataDir: string): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    UPLOAD_MAX_CONCURRENT_PER_USER: String(PARALLEL),
    UPLOAD_MAX_CONCURRENT: String(PARALLEL),
    UPLOAD_MAX_BYTES: String(Math.max(SIZE, 20 * MIB)),
    UPLOAD_CITY_QUOTA_BYTES: String(FILES * SIZE + 1_073_741_824),
    WORK_BUDGET_UNITS: '1000000000',
    WORK_BUDGET_UNITS_PER_SECOND: '1000000000',
  };
}

async function run(deps: UploadsDeps, dialect: 'postgres' | 'sqlite'): Promise<void> {
  const db = await createTestDatabase(dialect);
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pantau-bench-pack-'));
  try {
    let server: Child = await deps.pantau(db, `pantau-pack-${dialect}`, settings(dataDir));
    let url = server.info.url as string;
    let token = await login(url, 'bappelitbang@tanjungpinang.demo');
    const cityId = (await ok<{ me: { cityId: string } }>(url, '{ me { cityId } }', {}, token)).me.cityId;
    const year = new Date().getUTCFullYear();
    const items = (
      await ok<{ city: { selfAssessment: { items: { id: string }[] } } }>(
        url,
        'query ($id: ID!, $y: Int!) { city(id: $id) { selfAssessment(year: $y) { items { id } } } }',
        { id: cityId, y: year },
        token,
      )
    ).city.selfAssessment.items;
    const t0 = performance.now();
    for (let start = 0; start < FILES; start += PARALLEL) {
      await Promise.all(
        Array.from({ length: Math.min(PARALLEL, FILES - start) }, async (_, k) => {
          const i = start + k;
          const target = `${url}/uploads?cityId=${cityId}&name=${encodeURIComponent(`bukti ${i}.pdf`)}`;
          const answer = await upload(target, token, `pack ${dialect} ${i}`, SIZE);
          if (answer !== 201) throw new Error(`upload ${i}: ${answer}`);
        }),
      );
    }
    // Attach every uploaded file to an item, round-robin.
    let after: string | null = null;
    let n = 0;
    for (;;) {
      const page: {
        city: {
          evidence: {
            edges: { node: { id: string; size: number | null } }[];
            pageInfo: { hasNextPage: boolean; endCursor: string | null };
          };
        };
      } = await ok(
        url,
        'query ($id: ID!, $after: String) { city(id: $id) { evidence(first: 100, after: $after) { edges { node { id size } } pageInfo { hasNextPage endCursor } } } }',
        { id: cityId, after },
        token,
      );
      for (const { node } of page.city.evidence.edges) {
        if (node.size !== SIZE) continue;
        await ok(
          url,
          'mutation ($input: AttachEvidenceInput!) { attachEvidence(input: $input) { id } }',
          { input: { evidenceId: node.id, assessmentItemId: items[n++ % items.length]!.id } },
          token,
        );
      }
      if (!page.city.evidence.pageInfo.hasNextPage) break;
      after = page.city.evidence.pageInfo.endCursor;
    }
    detail(`${dialect}: ${FILES} × ${SIZE / MIB} MiB uploaded and ${n} attached in ${((performance.now() - t0) / 1_000).toFixed(1)} s`);
    await deps.stop(server);

    // A fresh instance over the same data: memory the setup took and kept would hide what the pack takes.
    server = await deps.pantau(db, `pantau-pack-${dialect}-2`, settings(dataDir));
    url = server.info.url as string;
    token = await login(url, 'bappelitbang@tanjungpinang.demo');
    await fetchAll(`${url}/reports/evidence.zip?cityId=${cityId}&year=2001`, token);
    const rest = await idle(server);
    const t1 = performance.now();
    const bytes = await fetchAll(`${url}/reports/evidence.zip?cityId=${cityId}&year=${year}`, token);
    const ms = performance.now() - t1;
    const { peak } = await status(server.pid);
    const { rss: afterGc } = await server.call<ProcStats>('stats', { gc: true });
    await deps.stop(server);
    const above = (peak - rest) / MIB;
    detail(
      `${dialect}: GET /reports/evidence.zip, ${(bytes / MIB).toFixed(0)} MiB in ${(ms / 1_000).toFixed(2)} s (${(bytes / MIB / (ms / 1_000)).toFixed(0)} MiB/s), RSS idle ${(rest / MIB).toFixed(0)}MB, peak +${above.toFixed(0)}MB, after a GC ${(afterGc / MIB).toFixed(0)}MB`,
    );
    result({
      scenario: 'evidence-pack',
      metric: `peak-rss-above-idle-${dialect}`,
      value: above,
      fmt: (v) => `${v.toFixed(0)}MB`,
      op: '<',
      target: TARGET_MB,
      on: 'value',
    });
    result({
      scenario: 'evidence-pack',
      metric: `seconds-${dialect}`,
      value: ms / 1_000,
      fmt: (v) => `${v.toFixed(2)}s`,
      op: '<',
      target: 120,
      on: 'value',
    });
    result({
      scenario: 'evidence-pack',
      metric: `bytes-ok-${dialect}`,
      value: bytes >= FILES * SIZE ? 1 : 0,
      fmt: String,
      op: '=',
      target: 1,
      on: 'value',
    });
  } finally {
    await db.drop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

/** The scenario: each dialect in turn. */
export async function evidencePackScenario(deps: UploadsDeps): Promise<void> {
  for (const dialect of DIALECTS) await run(deps, dialect as 'postgres' | 'sqlite');
}
