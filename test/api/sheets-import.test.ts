import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlRows } from '../../server/db/sql';
import { login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { testDialects } from '../helpers/db';
import { makeZip } from '../helpers/zips';

/*
 * Issue 21 §2: POST /imports/masterplan — the round trip (export a city, import it into an empty
 * one, export again: the same cells), a template with twenty mistakes (each reported, nothing
 * written; corrected, it applies; again, it changes nothing), Indonesian formats, hostile files,
 * one change event, audit rows marked as the import's, progress as NDJSON, and who may import.
 */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface Answer {
  status: number;
  body: any;
}

async function importFile(
  url: string,
  token: string,
  cityId: string,
  body: Buffer,
  query: Record<string, string> = {},
  headers: Record<string, string> = {},
): Promise<Answer> {
  const q = new URLSearchParams({ cityId, dryRun: 'true', ...query });
  const res = await fetch(`${url}/imports/masterplan?${q.toString()}`, {
    method: 'POST',
    headers: { 'content-type': XLSX, authorization: `Bearer ${token}`, ...headers },
    body: new Uint8Array(body),
  });
  const text = await res.text();
  return { status: res.status, body: (res.headers.get('content-type') ?? '').includes('ndjson') ? text : JSON.parse(text) };
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((s, n) => s + n, 0);

async function download(url: string, token: string): Promise<Buffer> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

async function bookOf(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  return book;
}

async function bytesOf(book: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Every cell of every sheet, as text: `sheet!A1=value`. */
function cells(book: ExcelJS.Workbook): string[] {
  const out: string[] = [];
  book.eachSheet((ws) =>
    ws.eachRow({ includeEmpty: true }, (row, r) =>
      row.eachCell({ includeEmpty: true }, (cell, c) => {
        const v = cell.value instanceof Date ? cell.value.toISOString() : JSON.stringify(cell.value);
        out.push(`${ws.name}!${r}:${c}=${v}`);
      }),
    ),
  );
  return out;
}

describe.each(await testDialects())('masterplan import on %s', (dialect) => {
  let server: TestServer;
  let platform: string;
  let admin: string;
  let viewer: string;
  let tebing: string;
  let cityId: string;
  let exported: Buffer;

  const count = async (table: string, city: string) =>
    Number((await sqlRows<{ n: number }>(server.orm.em.fork(), `select count(*) as n from ${table} where city_id = ?`, [city]))[0]!.n);
  const snapshot = async (city: string) =>
    Promise.all(['opds', 'programs', 'action_plans', 'indicators', 'milestones', 'audit_log', 'city_events'].map((t) => count(t, city)));
  const newCity = async (name: string) =>
    (
      await ok<any>(
        server.url,
        'mutation ($input: CreateCityInput!) { createCity(input: $input) { id } }',
        { input: { name, province: 'Kepulauan Riau' } },
        platform,
      )
    ).createCity.id as string;

  beforeAll(async () => {
    server = await startServer({ dialect, demo: true });
    [platform, admin, viewer, tebing] = (await Promise.all(
      ['admin@pantau.demo', 'bappelitbang@tanjungpinang.demo', 'viewer@tanjungpinang.demo', 'bappeda@tebingtinggi.demo'].map((e) =>
        login(server.url, e),
      ),
    )) as [string, string, string, string];
    cityId = (await ok<any>(server.url, '{ me { cityId } }', {}, admin)).me.cityId;
    exported = await download(`${server.url}/exports/masterplan.xlsx?cityId=${cityId}`, admin);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('round trip: Tanjungpinang exported, imported into a new empty city, exported again — every cell equal; again, nothing changes', async () => {
    const target = await newCity('Kota Uji Impor');
    const empty = await snapshot(target);
    expect(empty.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    const dry = await importFile(server.url, platform, target, exported);
    expect(dry.status).toBe(200);
    expect(dry.body.errors).toEqual([]);
    expect(await snapshot(target)).toEqual(empty);
    const applied = await importFile(server.url, platform, target, exported, { dryRun: 'false' });
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ dryRun: false, errors: [] });
    expect(total(applied.body.created)).toBeGreaterThan(50);
    expect(total(applied.body.updated)).toBe(0);
    const again = await download(`${server.url}/exports/masterplan.xlsx?cityId=${target}`, platform);
    expect(cells(await bookOf(again))).toEqual(cells(await bookOf(exported)));
    const before = await snapshot(target);
    const twice = await importFile(server.url, platform, target, exported, { dryRun: 'false' });
    expect(twice.body).toMatchObject({ dryRun: false, errors: [] });
    expect([total(twice.body.created), total(twice.body.updated), total(twice.body.archived)]).toEqual([0, 0, 0]);
    expect(total(twice.body.unchanged)).toBe(total(applied.body.created));
    expect(await snapshot(target)).toEqual(before);
  });

  it('an applied import: one audit row per record, marked as the import, and ONE change event for open screens', async () => {
    const target = await newCity('Kota Satu Peristiwa');
    const applied = await importFile(server.url, platform, target, exported, { dryRun: 'false' });
    const created = total(applied.body.created);
    const em = server.orm.em.fork();
    const audit = await sqlRows<{ request_id: string; action: string }>(
      em,
      "select request_id, action from audit_log where city_id = ? and entity <> 'City'",
      [target],
    );
    // The masterplan the new city needed, and every row of the file.
    expect(audit.length).toBe(created + 1);
    expect(audit.every((a) => a.request_id.startsWith('import:') && a.action === 'CREATE')).toBe(true);
    // A row's audit entry says what it holds: a plan's fields, and its supporting OPDs.
    const [plan] = await sqlRows<{ id: string; title: string }>(
      em,
      'select p.id, p.title from action_plans p where p.city_id = ? and exists (select 1 from action_plan_supporting_opds s where s.action_plan_id = p.id) order by p.id',
      [target],
    );
    const support = await sqlRows<{ opd_id: string }>(em, 'select opd_id from action_plan_supporting_opds where action_plan_id = ?', [
      plan!.id,
    ]);
    const [entry] = await sqlRows<{ changes: unknown }>(em, "select changes from audit_log where entity = 'ActionPlan' and entity_id = ?", [
      plan!.id,
    ]);
    const changes = (typeof entry!.changes === 'string' ? JSON.parse(entry!.changes) : entry!.changes) as Record<
      string,
      { before: unknown; after: unknown }
    >;
    expect(changes.title).toEqual({ before: null, after: plan!.title });
    expect(changes.supportingOpds!.before).toEqual([]);
    expect([...(changes.supportingOpds!.after as string[])].sort()).toEqual(support.map((s) => s.opd_id).sort());
    const events = await sqlRows<{ kind: string }>(em, "select kind from city_events where city_id = ? and kind <> 'CITY_CREATED'", [
      target,
    ]);
    expect(events.map((e) => e.kind)).toEqual(['MASTERPLAN_IMPORTED']);
  });

  it('twenty different mistakes: each reported with its sheet, row and column, nothing written; corrected it applies, then changes nothing', async () => {
    const target = await newCity('Kota Dua Puluh Salah');
    const book = await bookOf(await download(`${server.url}/templates/masterplan.xlsx?cityId=${target}`, platform));
    const add = (sheet: string, values: unknown[]) => book.getWorksheet(sheet)!.addRow(values);
    // OPD: Kode, Nama, Singkatan, Kepala, Leading Sector
    add('OPD', ['KOM', 'Dinas Kominfo', 'Diskominfo', null, 'Ya']);
    add('OPD', ['KES', 'Dinas Kesehatan', 'Dinkes', null, 'mungkin']); // 1 choice
    add('OPD', ['KOM', 'Dinas Lain', 'DL', null, null]); // 2 duplicate key
    add('OPD', ['PUB', 'Dinas Kominfo', 'DK2', null, null]); // 3 duplicate name
    add('OPD', ['BAP', null, 'Bappeda', null, null]); // 4 required name
    add('OPD', ['X'.repeat(41), 'Dinas Panjang', 'DP', null, null]); // 5 code too long
    // Program: Kode, Nama, Dimensi, Deskripsi, Quick Win, Tahun Quick Win
    add('Program', ['P1', 'Program Satu', 'Tata kelola birokrasi', null, 'Tidak', null]);
    add('Program', ['P2', 'Program Dua', 'Dimensi Ketujuh', null, null, null]); // 6 dimension
    add('Program', ['P3', 'Program Tiga', 'Perekonomian', null, 'Ya', null]); // 7 quick win year
    add('Program', ['P4', 'Program Empat', 'Perekonomian', null, 'Ya', 1999]); // 8 year range
    // Rencana Aksi: Kode, Kode Program, Judul, Deskripsi, OPD Pemilik, OPD Pendukung, Mulai, Tenggat, Bobot, Anggaran, Sumber, Status
    add('Rencana Aksi', [
      'RA1',
      'P1',
      'Rencana satu',
      null,
      'KOM',
      'KES',
      '17/08/2025',
      '17 Agustus 2026',
      '1,5',
      'Rp 1.500.000',
      'APBD',
      'Aktif',
    ]);
    add('Rencana Aksi', ['RA2', 'P9', 'Rencana dua', null, 'KOM', null, '01/01/2025', '31/12/2025', 1, null, null, null]); // 9 unknown program
    add('Rencana Aksi', ['RA3', 'P1', 'Rencana tiga', null, 'ZZZ', null, '01/01/2025', '31/12/2025', 1, null, null, null]); // 10 unknown OPD
    add('Rencana Aksi', ['RA4', 'P1', 'Rencana empat', null, 'KOM', null, '31/02/2025', '31/12/2025', 1, null, null, null]); // 11 bad date
    add('Rencana Aksi', ['RA5', 'P1', 'Rencana lima', null, 'KOM', null, '01/06/2025', '01/01/2025', 1, null, null, null]); // 12 due before start
    add('Rencana Aksi', ['RA6', 'P1', 'Rencana enam', null, 'KOM', 'KOM', '01/01/2025', '31/12/2025', 1, null, null, null]); // 13 owner supporting
    add('Rencana Aksi', ['RA7', 'P1', 'Rencana tujuh', null, 'KOM', null, '01/01/2025', '31/12/2025', 0, null, null, null]); // 14 weight 0
    add('Rencana Aksi', ['RA8', 'P1', 'Rencana delapan', null, 'KOM', null, '01/01/2025', '31/12/2025', 1, '-5', null, null]); // 15 negative budget
    add('Rencana Aksi', ['RA9', 'P1', 'Rencana sembilan', null, 'KOM', null, '01/01/2025', '31/12/2025', 1, null, 'Hibah', null]); // 16 budget source
    // Indikator: Kode Rencana Aksi, Kode, Nama, Satuan, Nilai Awal, Target, Arah, Frekuensi
    add('Indikator', ['RA1', 'I1', 'Indikator satu', '%', '12,5', '45%', 'Naik', 'Bulanan']);
    add('Indikator', ['RA1', 'I2', 'Indikator dua', 'unit', 'banyak', 10, null, null]); // 17 number
    add('Indikator', ['RA1', 'I3', 'Indikator tiga', 'unit', 0, 10, null, 'Mingguan']); // 18 frequency
    // Tonggak: Kode Rencana Aksi, Kode, Judul, Tenggat, Tercapai
    add('Tonggak', ['RA1', 'T1', 'Tonggak satu', new Date('2025-12-01T00:00:00Z'), null]);
    add('Tonggak', ['RX', 'T1', 'Tonggak lain', '01/12/2025', null]); // 19 unknown plan
    add('Tonggak', ['RA1', 'T2', 'Tonggak dua', { formula: '1/0', result: { error: '#DIV/0!' } }, null]); // 20 formula error
    const bad = await bytesOf(book);
    const before = await snapshot(target);
    for (const dryRun of ['true', 'false']) {
      const r = await importFile(server.url, platform, target, bad, { dryRun }, { 'accept-language': 'en-GB,en' });
      expect(r.status).toBe(200);
      expect(r.body.dryRun).toBe(dryRun === 'true');
      const where = (r.body.errors as any[]).map((e) => `${e.sheet}|${e.row}|${e.column}|${e.code}`);
      expect(where).toEqual(
        expect.arrayContaining([
          'OPD|3|Leading Sector|choice',
          'OPD|4|Kode|duplicateKey',
          'OPD|5|Nama|duplicateName',
          'OPD|6|Nama|required',
          'OPD|7|Kode|tooLong',
          'Program|3|Dimensi|choice',
          'Program|4|Tahun Quick Win|quickWinYear',
          'Program|5|Tahun Quick Win|year',
          'Rencana Aksi|3|Kode Program|unknownRef',
          'Rencana Aksi|4|OPD Pemilik|unknownRef',
          'Rencana Aksi|5|Mulai|date',
          'Rencana Aksi|6|Tenggat|dueBeforeStart',
          'Rencana Aksi|7|OPD Pendukung|ownerSupporting',
          'Rencana Aksi|8|Bobot|positive',
          'Rencana Aksi|9|Anggaran (Rp)|notNegative',
          'Rencana Aksi|10|Sumber Anggaran|choice',
          'Indikator|3|Nilai Awal|number',
          'Indikator|4|Frekuensi|choice',
          'Tonggak|3|Kode Rencana Aksi|unknownRef',
          'Tonggak|4|Tenggat|formulaError',
        ]),
      );
      expect(new Set(where).size).toBe(20);
      expect((r.body.errors as any[]).find((e) => e.code === 'date').message).toBe(
        'Not a date: "31/02/2025". Write e.g. 17/08/2025 or 17 Agustus 2025.',
      );
      expect(await snapshot(target)).toEqual(before);
    }

    // Corrected: the Dinkes row fixed, the other bad rows dropped.
    const fixed = await bookOf(bad);
    fixed.getWorksheet('OPD')!.getCell('E3').value = 'Tidak';
    for (const [sheet, rows] of [
      ['OPD', [7, 6, 5, 4]],
      ['Program', [5, 4, 3]],
      ['Rencana Aksi', [10, 9, 8, 7, 6, 5, 4, 3]],
      ['Indikator', [4, 3]],
      ['Tonggak', [4, 3]],
    ] as const)
      for (const r of rows) fixed.getWorksheet(sheet)!.spliceRows(r, 1);
    const good = await bytesOf(fixed);
    const applied = await importFile(server.url, platform, target, good, { dryRun: 'false' });
    expect(applied.body.errors).toEqual([]);
    expect(applied.body.created).toEqual({ OPD: 2, Program: 1, 'Rencana Aksi': 1, Indikator: 1, Tonggak: 1 });
    const plan = (
      await ok<any>(
        server.url,
        'query ($id: ID!) { city(id: $id) { actionPlans(first: 5) { edges { node { code startDate dueDate weight budget { amount } indicators { baseline target frequency } milestones { dueDate } } } } } }',
        { id: target },
        platform,
      )
    ).city.actionPlans.edges[0].node;
    expect(plan).toEqual({
      code: 'RA1',
      startDate: '2025-08-17',
      dueDate: '2026-08-17',
      weight: 1.5,
      budget: { amount: 1_500_000 },
      indicators: [{ baseline: 12.5, target: 45, frequency: 'MONTHLY' }],
      milestones: [{ dueDate: '2025-12-01' }],
    });
    const twice = await importFile(server.url, platform, target, good, { dryRun: 'false' });
    expect([total(twice.body.created), total(twice.body.updated), total(twice.body.unchanged)]).toEqual([0, 0, 6]);
  });

  it('a CSV of one sheet, Indonesian formats and hostile headers; archiveMissing archives only what the sheet lacks', async () => {
    const target = await newCity('Kota CSV');
    const csv = (text: string) => Buffer.from(text, 'utf8');
    const opds = csv('\ufeffKode;Nama;Singkatan;__proto__;constructor\r\nA;Dinas A;DA;x;y\r\nB;"Dinas B; Bagian";DB;;\r\n');
    const r = await importFile(server.url, platform, target, opds, { dryRun: 'false', sheet: 'OPD' }, { 'content-type': 'text/csv' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ errors: [], created: { OPD: 2 } });
    const only = csv('Kode,Nama,Singkatan\r\nA,Dinas A,DA\r\n');
    const archived = await importFile(
      server.url,
      platform,
      target,
      only,
      { dryRun: 'false', sheet: 'OPD', archiveMissing: 'true' },
      { 'content-type': 'text/csv' },
    );
    expect(archived.body).toMatchObject({ errors: [], archived: { OPD: 1 }, unchanged: { OPD: 1 } });
    expect((await importFile(server.url, platform, target, only, { sheet: 'OPD' }, { 'content-type': 'text/csv' })).body.archived.OPD).toBe(
      0,
    );
    const noSheet = await importFile(server.url, platform, target, only, {}, { 'content-type': 'text/csv' });
    expect(noSheet.status).toBe(400);
    expect(noSheet.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sheet' });
  });

  it('hostile files: corrupt, truncated, a zip bomb, 1,000 bad rows — clear errors, nothing written', async () => {
    const target = await newCity('Kota Berkas Rusak');
    const before = await snapshot(target);
    const corrupt = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(2_000, 7)]);
    const truncated = exported.subarray(0, Math.floor(exported.length / 2));
    const bomb = await makeZip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(24 * 1_048_576, 0x20) }]);
    for (const [file, reason] of [
      [corrupt, 'corrupt'],
      [truncated, 'corrupt'],
      [bomb, 'inflatedSize'],
    ] as const) {
      const r = await importFile(server.url, platform, target, file, { dryRun: 'false' });
      expect(r.status, reason).toBe(400);
      expect(r.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'file', reason });
    }
    const book = await bookOf(exported);
    const plans = book.getWorksheet('Rencana Aksi')!;
    for (let i = 0; i < 1_000; i++)
      plans.addRow([`RUSAK-${i}`, 'TIDAK-ADA', 'Judul', null, 'BPKPD', null, 'bukan tanggal', '01/01/2025', 1]);
    const r = await importFile(server.url, platform, target, await bytesOf(book), { dryRun: 'false' }, { accept: 'application/x-ndjson' });
    const lines = (r.body as string)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.slice(0, -1).every((l) => l.progress && ['read', 'check', 'write'].includes(l.progress.phase))).toBe(true);
    expect(lines.some((l) => l.progress?.phase === 'check')).toBe(true);
    const result = lines.at(-1).result;
    expect(result.errors.filter((e: any) => e.sheet === 'Rencana Aksi' && e.code === 'date')).toHaveLength(1_000);
    expect(result.errors.filter((e: any) => e.code === 'unknownRef')).toHaveLength(1_000);
    expect(await snapshot(target)).toEqual(before);
  });

  it('formula cells are read by their cached value, never evaluated', async () => {
    const target = await newCity('Kota Rumus');
    const book = await bookOf(await download(`${server.url}/templates/masterplan.xlsx`, platform));
    book
      .getWorksheet('OPD')!
      .addRow(['F1', { formula: 'CONCAT("Dinas ","Rumus")', result: 'Dinas Rumus' }, { formula: 'LEFT(B2,2)', result: 'DR' }]);
    const r = await importFile(server.url, platform, target, await bytesOf(book), { dryRun: 'false' });
    expect(r.body).toMatchObject({ errors: [], created: { OPD: 1 } });
    const names = await sqlRows<{ name: string; abbreviation: string }>(
      server.orm.em.fork(),
      'select name, abbreviation from opds where city_id = ?',
      [target],
    );
    expect(names).toEqual([{ name: 'Dinas Rumus', abbreviation: 'DR' }]);
  });

  it('who may import: the city admin and platform admins; a viewer 403, another city 404, no token 401, a form 415', async () => {
    expect((await importFile(server.url, admin, cityId, exported)).status).toBe(200);
    expect((await importFile(server.url, viewer, cityId, exported)).status).toBe(403);
    expect((await importFile(server.url, tebing, cityId, exported)).status).toBe(404);
    expect((await importFile(server.url, admin, cityId, exported, {}, { 'content-type': 'text/plain' })).status).toBe(415);
    const none = await fetch(`${server.url}/imports/masterplan?cityId=${cityId}&dryRun=true`, { method: 'POST', body: 'x' });
    expect(none.status).toBe(401);
  });
});
