import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Evidence, EvidenceBlob } from '../../server/modules/monev/evidence.entity';
import { testDialects, type TestDatabase } from '../helpers/db';
import { codeOf, gql, login, ok } from '../helpers/gql';
import { startServer, type TestServer, templateDatabase } from '../helpers/server';
import { docxEntries, makeZip, odfEntries } from '../helpers/zips';

/*
 * Issue 11 §3: evidence files through POST /uploads — typed refusals that store nothing, SHA-256
 * de-duplication, downloads only with read access to the city, PostgreSQL storage seen by a second instance.
 */

const MAX = 65_536;
const pdf = (text: string) => Buffer.from(`%PDF-1.7\n% ${text}\n%%EOF\n`, 'latin1');

interface UploadAnswer {
  status: number;
  body: any;
}

async function upload(
  url: string,
  token: string | undefined,
  cityId: string,
  name: string,
  body: Buffer,
  contentType = 'application/octet-stream',
): Promise<UploadAnswer> {
  const res = await fetch(`${url}/uploads?cityId=${encodeURIComponent(cityId)}&name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: new Uint8Array(body),
  });
  return { status: res.status, body: await res.json() };
}

/** A chunked upload without Content-Length, so only the streamed count can stop it. */
function uploadChunked(url: string, token: string, cityId: string, name: string, chunks: Buffer[]): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}/uploads?cityId=${cityId}&name=${encodeURIComponent(name)}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${token}`, 'transfer-encoding': 'chunked' },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe.each(await testDialects())('evidence uploads on %s', (dialect) => {
  let db: TestDatabase;
  let server: TestServer;
  let cityAdmin: string;
  let reporter: string;
  let viewer: string;
  let tebing: string;
  let cityId: string;
  let tebingCityId: string;
  let pdfId: string;
  const env = { UPLOAD_MAX_BYTES: String(MAX) };
  const uploadsDir = () => path.join(db.dataDir, 'uploads');

  /** Evidence rows, stored blobs, stored files and files in flight: all must stay put on a refusal. */
  async function stored(): Promise<{ evidence: number; blobs: number; files: number; tmp: number }> {
    const em = server.orm.em.fork();
    const list = async (dir: string) => await fs.readdir(dir).catch(() => [] as string[]);
    let files = 0;
    for (const entry of await list(uploadsDir())) if (entry !== 'tmp') files += (await list(path.join(uploadsDir(), entry))).length;
    return {
      evidence: await em.count(Evidence, {}),
      blobs: await em.count(EvidenceBlob, {}),
      files,
      tmp: (await list(path.join(uploadsDir(), 'tmp'))).length,
    };
  }

  beforeAll(async () => {
    db = await templateDatabase(dialect);
    server = await startServer({ dialect, database: db, demo: true, env });
    [cityAdmin, reporter, viewer, tebing] = (await Promise.all(
      ['bappelitbang@tanjungpinang.demo', 'dinkes@tanjungpinang.demo', 'viewer@tanjungpinang.demo', 'bappeda@tebingtinggi.demo'].map((e) =>
        login(server.url, e),
      ),
    )) as [string, string, string, string];
    cityId = (await ok<any>(server.url, '{ me { cityId } }', {}, cityAdmin)).me.cityId;
    tebingCityId = (await ok<any>(server.url, '{ me { cityId } }', {}, tebing)).me.cityId;
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('stores a PDF under its hash (not its name) and serves it back with its sniffed type, as an attachment', async () => {
    const before = await stored();
    const bytes = pdf('SK Wali Kota tentang Tim Pelaksana');
    const r = await upload(server.url, reporter, cityId, 'SK Tim Pelaksana 2026.pdf', bytes);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      title: 'SK Tim Pelaksana 2026.pdf',
      contentType: 'application/pdf',
      size: bytes.length,
      deduplicated: false,
    });
    pdfId = r.body.id;
    const after = await stored();
    expect(after).toEqual({
      ...before,
      evidence: before.evidence + 1,
      blobs: before.blobs + 1,
      files: before.files + (dialect === 'sqlite' ? 1 : 0),
    });
    if (dialect === 'sqlite') expect(await fs.readdir(path.join(uploadsDir(), cityId))).toEqual([r.body.sha256]);
    const res = await fetch(`${server.url}/uploads/${pdfId}`, { headers: { authorization: `Bearer ${viewer}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="SK Tim Pelaksana 2026.pdf"; filename*=UTF-8''SK%20Tim%20Pelaksana%202026.pdf`,
    );
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    const listed = await ok<any>(
      server.url,
      'query ($id: ID!) { city(id: $id) { evidence(first: 5) { edges { node { id kind title contentType size supplierName supplierOpd { abbreviation } downloadPath } } } } }',
      { id: cityId },
      viewer,
    );
    expect(listed.city.evidence.edges[0].node).toMatchObject({
      id: pdfId,
      kind: 'FILE',
      supplierOpd: { abbreviation: 'Dinkes' },
      downloadPath: `/uploads/${pdfId}`,
    });
  });

  it('de-duplicates by SHA-256 within a city: the same bytes are stored once, each upload is its own evidence', async () => {
    const before = await stored();
    const r = await upload(server.url, cityAdmin, cityId, 'salinan.pdf', pdf('SK Wali Kota tentang Tim Pelaksana'));
    expect(r.status).toBe(201);
    expect(r.body.deduplicated).toBe(true);
    expect(r.body.id).not.toBe(pdfId);
    expect(await stored()).toEqual({ ...before, evidence: before.evidence + 1 });
    // Another city's upload of the same bytes is its own blob.
    const other = await upload(server.url, tebing, tebingCityId, 'sk.pdf', pdf('SK Wali Kota tentang Tim Pelaksana'));
    expect(other.body.deduplicated).toBe(false);
  });

  it('accepts the allowed types by content and names a download by its real type', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 1)]);
    const r = await upload(server.url, cityAdmin, cityId, 'foto-uji-coba.pdf', png);
    expect(r.body.contentType).toBe('image/png');
    const res = await fetch(`${server.url}/uploads/${r.body.id}`, { headers: { authorization: `Bearer ${cityAdmin}` } });
    expect(res.headers.get('content-disposition')).toContain('filename="foto-uji-coba.pdf.png"');
    const csv = await upload(server.url, cityAdmin, cityId, 'survei kepuasan.csv', Buffer.from('kelurahan;puas\nPenyengat;87\n'));
    expect(csv.body.contentType).toBe('text/csv; charset=utf-8');
    const docx = await upload(server.url, cityAdmin, cityId, 'notulen.docx', await makeZip(docxEntries()));
    expect(docx.body.contentType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const odt = await upload(server.url, cityAdmin, cityId, 'notulen.odt', await makeZip(odfEntries()));
    expect(odt.body.contentType).toBe('application/vnd.oasis.opendocument.text');
  });

  it('refuses, with typed errors and nothing stored: too large, disguised types, crafted names, another city, wrong roles', async () => {
    const before = await stored();
    const refused = async (r: UploadAnswer | Promise<UploadAnswer>, status: number, extensions: Record<string, unknown>) => {
      const answer = await r;
      expect(answer.status, JSON.stringify(answer.body)).toBe(status);
      expect(answer.body.errors[0].extensions).toMatchObject(extensions);
      expect(await stored()).toEqual(before);
    };
    const big = Buffer.concat([pdf('besar'), Buffer.alloc(MAX, 0x20)]);
    await refused(upload(server.url, cityAdmin, cityId, 'besar.pdf', big), 413, { code: 'BAD_USER_INPUT', limit: 'size', max: MAX });
    // Without Content-Length the stream is counted and cut; the partial temp file is removed.
    await refused(
      uploadChunked(server.url, cityAdmin, cityId, 'besar.pdf', [
        pdf('besar'),
        ...Array.from({ length: 20 }, () => Buffer.alloc(8_192, 0x20)),
      ]),
      413,
      { code: 'BAD_USER_INPUT', limit: 'size' },
    );
    // Forbidden types, whatever they are called.
    await refused(
      upload(
        server.url,
        cityAdmin,
        cityId,
        'laporan.pdf',
        Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00This program cannot be run in DOS mode', 'latin1'),
      ),
      415,
      { code: 'BAD_USER_INPUT', field: 'file' },
    );
    await refused(upload(server.url, cityAdmin, cityId, 'laporan.pdf', Buffer.from('<!DOCTYPE html><script>alert(1)</script>')), 415, {
      code: 'BAD_USER_INPUT',
      field: 'file',
    });
    await refused(
      upload(server.url, cityAdmin, cityId, 'gambar.png', Buffer.from('  <svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')),
      415,
      { code: 'BAD_USER_INPUT', field: 'file' },
    );
    await refused(upload(server.url, cityAdmin, cityId, 'arsip.docx', Buffer.from('PK\x03\x04 a plain zip archive', 'latin1')), 415, {
      code: 'BAD_USER_INPUT',
      field: 'file',
    });
    await refused(upload(server.url, cityAdmin, cityId, 'kosong.pdf', Buffer.alloc(0)), 400, { code: 'BAD_USER_INPUT', field: 'file' });
    // Issue 20 §4: zips are judged by their central directory. A plain zip whose content merely
    // mentions the DOCX part names; an "ODT" (`mimetype` first) with HTML inside; a DOCX with macros.
    await refused(
      upload(
        server.url,
        cityAdmin,
        cityId,
        'notulen.docx',
        await makeZip([{ name: 'catatan.txt', data: '[Content_Types].xml _rels/.rels word/document.xml', store: true }]),
      ),
      415,
      { code: 'BAD_USER_INPUT', field: 'file', reason: 'type' },
    );
    await refused(
      upload(
        server.url,
        cityAdmin,
        cityId,
        'notulen.odt',
        await makeZip([odfEntries()[0]!, { name: 'index.html', data: '<script>1</script>' }]),
      ),
      415,
      { code: 'BAD_USER_INPUT', field: 'file', reason: 'forbiddenEntry', entry: 'index.html' },
    );
    await refused(
      upload(server.url, cityAdmin, cityId, 'notulen.docx', await makeZip([...docxEntries(), { name: 'word/vbaProject.bin', data: 'x' }])),
      415,
      { code: 'BAD_USER_INPUT', field: 'file', reason: 'forbiddenEntry' },
    );
    await refused(
      upload(
        server.url,
        cityAdmin,
        cityId,
        'rekap.docx',
        await makeZip([...docxEntries(), { name: 'word/media/nol.png', data: Buffer.alloc(4 * 1_048_576) }]),
      ),
      415,
      { code: 'BAD_USER_INPUT', field: 'file', reason: 'inflatedSize' },
    );
    // Crafted names.
    for (const name of [
      '../../x',
      '..\\..\\x.pdf',
      'a\u0000b.pdf',
      'baris\nbaru.pdf',
      `${'x'.repeat(5_000)}.pdf`,
      '',
      '..',
      // Issue 20 §6: a right-to-left override, a zero-width space, full-width dots and slashes.
      'laporan\u202Efdp.exe',
      'lap\u200Boran.pdf',
      '\uFF0E\uFF0E\uFF0F\uFF0E\uFF0E\uFF0Fetc\uFF0Fpasswd.pdf',
    ]) {
      await refused(upload(server.url, cityAdmin, cityId, name, pdf('nama')), 400, { code: 'BAD_USER_INPUT', field: 'name' });
    }
    // Another city (as an unknown id), a city that does not exist, roles that don't supply evidence, no token.
    await refused(upload(server.url, tebing, cityId, 'sk.pdf', pdf('kota lain')), 400, { code: 'BAD_USER_INPUT', field: 'cityId' });
    await refused(upload(server.url, cityAdmin, '00000000-0000-7000-8000-000000000000', 'sk.pdf', pdf('x')), 400, {
      code: 'BAD_USER_INPUT',
      field: 'cityId',
    });
    await refused(upload(server.url, viewer, cityId, 'sk.pdf', pdf('viewer')), 403, { code: 'FORBIDDEN' });
    await refused(upload(server.url, undefined, cityId, 'sk.pdf', pdf('anon')), 401, { code: 'UNAUTHENTICATED' });
    // What a cross-site form can send is refused (the same CSRF rule as /graphql).
    await refused(upload(server.url, cityAdmin, cityId, 'sk.pdf', pdf('form'), 'multipart/form-data; boundary=x'), 415, {
      code: 'BAD_USER_INPUT',
      field: 'content-type',
    });
    await refused(upload(server.url, cityAdmin, cityId, 'sk.pdf', pdf('form'), 'text/plain'), 415, {
      code: 'BAD_USER_INPUT',
      field: 'content-type',
    });
    // And the server is still up.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('serves a download only to whoever may read the city: another city gets NOT_FOUND, like an unknown id', async () => {
    const other = await fetch(`${server.url}/uploads/${pdfId}`, { headers: { authorization: `Bearer ${tebing}` } });
    expect(other.status).toBe(404);
    expect((await other.json()).errors[0].extensions.code).toBe('NOT_FOUND');
    const unknown = await fetch(`${server.url}/uploads/00000000-0000-7000-8000-000000000000`, {
      headers: { authorization: `Bearer ${cityAdmin}` },
    });
    expect(unknown.status).toBe(404);
    expect(
      (await fetch(`${server.url}/uploads/..%2f..%2fpantau.sqlite`, { headers: { authorization: `Bearer ${cityAdmin}` } })).status,
    ).toBe(404);
    const anonymous = await fetch(`${server.url}/uploads/${pdfId}`);
    expect(anonymous.status).toBe(401);
  });

  it("attaches evidence to the OPD's own plan and report, never to another OPD's or city's", async () => {
    const me = await ok<any>(server.url, '{ me { opdId } }', {}, reporter);
    const plans = (
      await ok<any>(
        server.url,
        'query ($id: ID!) { city(id: $id) { actionPlans(first: 100) { edges { node { id ownerOpd { id } } } } } }',
        { id: cityId },
        reporter,
      )
    ).city.actionPlans.edges.map((e: any) => e.node);
    const own = plans.find((p: any) => p.ownerOpd.id === me.me.opdId);
    const foreign = plans.find((p: any) => p.ownerOpd.id !== me.me.opdId);
    const ATTACH =
      'mutation ($input: AttachEvidenceInput!) { attachEvidence(input: $input) { id version actionPlanId evidence { id title } } }';
    const attached = await ok<any>(server.url, ATTACH, { input: { evidenceId: pdfId, actionPlanId: own.id } }, reporter);
    expect(attached.attachEvidence).toMatchObject({ actionPlanId: own.id, evidence: { id: pdfId } });
    const again = await ok<any>(server.url, ATTACH, { input: { evidenceId: pdfId, actionPlanId: own.id } }, reporter);
    expect(again.attachEvidence.id).toBe(attached.attachEvidence.id);
    expect(codeOf(await gql(server.url, ATTACH, { input: { evidenceId: pdfId, actionPlanId: foreign.id } }, reporter))).toBe('FORBIDDEN');
    const tebingPlan = (
      await ok<any>(
        server.url,
        'query ($id: ID!) { city(id: $id) { actionPlans(first: 1) { edges { node { id } } } } }',
        { id: tebingCityId },
        tebing,
      )
    ).city.actionPlans.edges[0].node.id;
    const cross = await gql(server.url, ATTACH, { input: { evidenceId: pdfId, actionPlanId: tebingPlan } }, cityAdmin);
    expect(cross.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.actionPlanId' });
    const both = await gql(server.url, ATTACH, { input: { evidenceId: pdfId, actionPlanId: own.id, progressReportId: own.id } }, cityAdmin);
    expect(both.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input' });
    const read = await ok<any>(
      server.url,
      'query ($id: ID!) { actionPlan(id: $id) { evidence { id evidence { title } } } }',
      { id: own.id },
      viewer,
    );
    expect(read.actionPlan.evidence).toEqual([{ id: attached.attachEvidence.id, evidence: { title: 'SK Tim Pelaksana 2026.pdf' } }]);
    const detached = await ok<any>(
      server.url,
      'mutation ($input: VersionedInput!) { detachEvidence(input: $input) { id } }',
      { input: { id: attached.attachEvidence.id, expectedVersion: attached.attachEvidence.version } },
      reporter,
    );
    expect(detached.detachEvidence.id).toBe(attached.attachEvidence.id);
    expect(
      (await ok<any>(server.url, 'query ($id: ID!) { actionPlan(id: $id) { evidence { id } } }', { id: own.id }, viewer)).actionPlan
        .evidence,
    ).toEqual([]);
  });

  it.runIf(dialect === 'postgres')('keeps files in PostgreSQL: a second instance serves them', async () => {
    const second = await startServer({ dialect, database: db, demo: true, env });
    try {
      const res = await fetch(`${second.url}/uploads/${pdfId}`, { headers: { authorization: `Bearer ${viewer}` } });
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(pdf('SK Wali Kota tentang Tim Pelaksana'))).toBe(true);
      expect(await fs.readdir(uploadsDir()).catch(() => [])).not.toContain(cityId);
    } finally {
      await second.close();
    }
  });
});
