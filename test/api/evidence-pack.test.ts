import { createHash } from 'node:crypto';
import { truncate } from 'node:fs/promises';
import path from 'node:path';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeSegment, UniqueNames } from '../../server/modules/reports/safe-names';
import { testDialects } from '../helpers/db';
import { login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { pdfBytes, uploadFile } from '../helpers/uploads';

/*
 * Issue 24 §2: the evidence pack (`GET /reports/evidence.zip`) — a standard ZIP holding every
 * evidence file of the year's self-assessment once, bytes unchanged, in folders per evaluation
 * dimension and rubric item, names safe on Windows and macOS, with an index; read like `/uploads/:id`.
 */

/** Every entry of a ZIP, read with yauzl (a standard reader): name → bytes. */
function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true, strictFileNames: true, validateEntrySizes: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const out = new Map<string, Buffer>();
      zip.on('error', reject);
      zip.on('end', () => resolve(out));
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/** The CSV index as rows of fields (every field quoted, as the pack writes it). */
function csvRows(text: string): string[][] {
  return text
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter(Boolean)
    .map((line) => [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]!.replace(/""/g, '"')));
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('safe names inside a ZIP', () => {
  it('drops what Windows and macOS refuse, keeps the extension, and tells duplicates apart without regard to case', () => {
    expect(safeSegment('CON.pdf')).toBe('_CON.pdf');
    expect(safeSegment('lpt1')).toBe('_lpt1');
    expect(safeSegment('com¹.txt')).toBe('_com¹.txt');
    expect(safeSegment('rapat: hasil*final?<1>|"x".pdf')).toBe('rapat_ hasil_final__1___x_.pdf');
    expect(safeSegment('laporan akhir. . ')).toBe('laporan akhir');
    expect(safeSegment('...')).toBe('berkas');
    expect(safeSegment('.htaccess')).toBe('htaccess');
    expect(safeSegment('a\u202Egnp.exe')).toBe('a_gnp.exe');
    const long = safeSegment(`${'ş'.repeat(300)}.pdf`);
    expect(long.endsWith('.pdf')).toBe(true);
    expect(long.length).toBeLessThanOrEqual(80);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(240);
    expect(safeSegment('Cafe\u0301.pdf')).toBe('Café.pdf');
    const names = new UniqueNames();
    expect(names.claim('d', 'Foto.png')).toBe('d/Foto.png');
    expect(names.claim('d', 'foto.PNG')).toBe('d/foto (2).PNG');
    expect(names.claim('d', 'FOTO.png')).toBe('d/FOTO (3).png');
    expect(names.claim('e', 'foto.png')).toBe('e/foto.png');
  });
});

describe.each(await testDialects())('the evidence pack on %s', (dialect) => {
  let server: TestServer;
  let admin: string;
  let other: string;
  let viewer: string;
  let cityId: string;
  let year: number;
  const uploaded = new Map<string, Buffer>();

  beforeAll(async () => {
    server = await startServer({ dialect });
    [admin, other, viewer] = (await Promise.all(
      ['bappelitbang@tanjungpinang.demo', 'bappeda@tebingtinggi.demo', 'viewer@tanjungpinang.demo'].map((e) => login(server.url, e)),
    )) as [string, string, string];
    cityId = (await ok<any>(server.url, '{ me { cityId } }', {}, admin)).me.cityId;
    year = Number(
      (
        await ok<any>(server.url, 'query ($id: ID!) { city(id: $id) { overview { today } } }', { id: cityId }, admin)
      ).city.overview.today.slice(0, 4),
    );
  });
  afterAll(async () => server?.close());

  async function attach(evidenceId: string, assessmentItemId: string): Promise<void> {
    await ok(
      server.url,
      'mutation ($input: AttachEvidenceInput!) { attachEvidence(input: $input) { id } }',
      { input: { evidenceId, assessmentItemId } },
      admin,
    );
  }

  it('holds every evidence file once with its bytes, in dimension and item folders, with an index', async () => {
    const items = (
      await ok<any>(
        server.url,
        'query ($id: ID!, $y: Int!) { city(id: $id) { selfAssessment(year: $y) { items { id rubricItem { code dimension } } } } }',
        { id: cityId, y: year },
        admin,
      )
    ).city.selfAssessment.items;
    const [first, second] = items as { id: string; rubricItem: { code: string; dimension: string } }[];
    const png = (n: number) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, n)]);
    const files: [string, Buffer, string][] = [
      ['CON.pdf', pdfBytes('device name'), first!.id],
      ['rapat: hasil*final?.pdf', pdfBytes('forbidden characters'), first!.id],
      ['Foto.png', png(1), first!.id],
      ['foto.PNG', png(2), first!.id],
      [`${'Laporan capaian indikator '.repeat(9)}.pdf`, pdfBytes('long name'), second!.id],
      // More than two 256 KiB chunks on PostgreSQL.
      ['Notulen besar.pdf', pdfBytes('large', 700_000), second!.id],
    ];
    const ids: string[] = [];
    for (const [name, body, item] of files) {
      const r = await uploadFile(server.url, admin, cityId, name, body);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      uploaded.set(r.body.id, body);
      ids.push(r.body.id);
      await attach(r.body.id, item);
    }
    // The same file supports a second item: packed once, listed for both.
    await attach(ids[0]!, second!.id);

    const res = await fetch(`${server.url}/reports/evidence.zip?cityId=${cityId}&year=${year}`, {
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toContain(`paket-bukti-Tanjungpinang-${year}.zip`);
    const entries = await unzip(Buffer.from(await res.arrayBuffer()));
    const names = [...entries.keys()];
    expect(names[0]).toBe('indeks.csv');
    const packed = names.filter((n) => n !== 'indeks.csv');
    // Every file once, with its bytes.
    expect(packed.length).toBe(files.length);
    expect(packed.map((n) => sha(entries.get(n)!)).sort()).toEqual(files.map(([, b]) => sha(b)).sort());
    for (const n of packed) {
      const [dimension, item, file] = n.split('/');
      expect(dimension).toMatch(/^\d (Baseline|Output|Outcome|Dampak|Quick win)/);
      expect(item!.length).toBeLessThanOrEqual(80);
      expect(file!.length).toBeLessThanOrEqual(80);
      expect(n).not.toMatch(/[<>:"\\|?*]/);
    }
    const folderOf = (code: string) =>
      packed
        .find((n) => n.split('/')[1]!.startsWith(`${code} `))!
        .split('/')
        .slice(0, 2)
        .join('/');
    const firstFolder = folderOf(first!.rubricItem.code);
    expect(packed).toEqual(
      expect.arrayContaining([
        `${firstFolder}/_CON.pdf`,
        `${firstFolder}/rapat_ hasil_final_.pdf`,
        `${firstFolder}/Foto.png`,
        `${firstFolder}/foto (2).PNG`,
      ]),
    );
    expect(packed.find((n) => n.endsWith('Notulen besar.pdf'))!.startsWith(folderOf(second!.rubricItem.code))).toBe(true);

    // The index: every attachment of a file and every link, with its item, uploader and link.
    const rows = csvRows(entries.get('indeks.csv')!.toString('utf8'));
    expect(rows[0]).toEqual(expect.arrayContaining(['Berkas dalam paket', 'Kode butir', 'Pengunggah', 'Tautan']));
    const fileRows = rows.slice(1).filter((r) => r[2] === 'FILE');
    expect(fileRows.length).toBe(files.length + 1);
    const con = fileRows.filter((r) => r[1] === 'CON.pdf');
    expect(con.map((r) => r[4]).sort()).toEqual([first!.rubricItem.code, second!.rubricItem.code].sort());
    expect(new Set(con.map((r) => r[0]))).toEqual(new Set([`${firstFolder}/_CON.pdf`]));
    expect(con[0]![6]).toBe('Sri Wahyuni');
    expect(con[0]![11]).toMatch(new RegExp(`/uploads/${ids[0]}$`));
    for (const r of fileRows) expect(entries.has(r[0]!), r[0]).toBe(true);
    // The demo's links are listed, not packed.
    const links = rows.slice(1).filter((r) => r[2] === 'LINK');
    expect(links.length).toBeGreaterThan(0);
    for (const r of links) {
      expect(r[0]).toBe('');
      expect(r[11]).toMatch(/^https?:\/\//);
    }
  });

  it("is read exactly like a file: another city's users get 404, no token 401, bad years 400", async () => {
    const url = `${server.url}/reports/evidence.zip?cityId=${cityId}&year=${year}`;
    expect((await fetch(url)).status).toBe(401);
    const refused = await fetch(url, { headers: { authorization: `Bearer ${other}` } });
    expect(refused.status).toBe(404);
    expect((await refused.json()).errors[0].extensions.code).toBe('NOT_FOUND');
    const bad = await fetch(`${server.url}/reports/evidence.zip?cityId=${cityId}&year=20x6`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'year' });
    // A year without a self-assessment: a valid ZIP with the index alone.
    const empty = await fetch(`${server.url}/reports/evidence.zip?cityId=${cityId}&year=2001&lang=en`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect([...(await unzip(Buffer.from(await empty.arrayBuffer()))).keys()]).toEqual(['index.csv']);
  });

  it('a file whose stored bytes are damaged cuts the download (never a short ZIP passed off as whole); the server stays up', async () => {
    const items = (
      await ok<any>(
        server.url,
        'query ($id: ID!, $y: Int!) { city(id: $id) { selfAssessment(year: $y) { items { id } } } }',
        { id: cityId, y: year },
        admin,
      )
    ).city.selfAssessment.items as { id: string }[];
    const body = pdfBytes('damaged in storage', 700_000);
    const r = await uploadFile(server.url, admin, cityId, 'Rusak.pdf', body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    await attach(r.body.id, items[0]!.id);
    // The bytes go missing behind the server's back: a chunk row deleted, or the file cut short.
    if (dialect === 'postgres') {
      await server.orm.em
        .fork()
        .getConnection()
        .execute('delete from evidence_chunks where seq = 1 and blob_id = (select id from evidence_blobs where sha256 = ?)', [sha(body)]);
    } else {
      await truncate(path.join(server.dataDir, 'uploads', cityId, sha(body)), 300_000);
    }
    const res = await fetch(`${server.url}/reports/evidence.zip?cityId=${cityId}&year=${year}`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    // The headers left before the damaged file was reached; its bytes never complete the ZIP.
    expect(res.status).toBe(200);
    await expect(res.arrayBuffer()).rejects.toThrow();
    // The process is still here and serving (yazl's error used to be an uncaught exception).
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(
      (await fetch(`${server.url}/reports/evidence.zip?cityId=${cityId}&year=2001`, { headers: { authorization: `Bearer ${admin}` } }))
        .status,
    ).toBe(200);
  });
});
