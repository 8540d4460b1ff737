import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Evidence, EvidenceBlob } from '../../server/modules/monev/evidence.entity';
import { testDialects, type TestDatabase } from '../helpers/db';
import { login, ok } from '../helpers/gql';
import { startServer, type TestServer, templateDatabase } from '../helpers/server';
import { filesIn, openUpload, pdfBytes, until, uploadFile } from '../helpers/uploads';

/*
 * Issue 20 §3: how many uploads may run at once (per user and per instance: 429 RATE_LIMITED with
 * Retry-After, the slot freed when an upload ends or is dropped) and each city's storage quota
 * (413 `limit: "cityQuota"`, nothing stored; duplicates take no room).
 */

const QUOTA = 100_000;

describe.each(await testDialects())('upload limits on %s', (dialect) => {
  let db: TestDatabase;
  let server: TestServer;
  let cityAdmin: string;
  let reporter: string;
  let tebing: string;
  let tebingReporter: string;
  let cityId: string;
  let tebingCityId: string;
  const tmpDir = () => path.join(db.dataDir, 'uploads', 'tmp');

  beforeAll(async () => {
    db = await templateDatabase(dialect);
    server = await startServer({
      dialect,
      database: db,
      demo: true,
      env: {
        UPLOAD_MAX_BYTES: '65536',
        UPLOAD_MAX_CONCURRENT_PER_USER: '1',
        UPLOAD_MAX_CONCURRENT: '2',
        UPLOAD_CITY_QUOTA_BYTES: String(QUOTA),
      },
    });
    [cityAdmin, reporter, tebing, tebingReporter] = (await Promise.all(
      ['bappelitbang@tanjungpinang.demo', 'dinkes@tanjungpinang.demo', 'bappeda@tebingtinggi.demo', 'diskominfo@tebingtinggi.demo'].map(
        (e) => login(server.url, e),
      ),
    )) as [string, string, string, string];
    cityId = (await ok<any>(server.url, '{ me { cityId } }', {}, cityAdmin)).me.cityId;
    tebingCityId = (await ok<any>(server.url, '{ me { cityId } }', {}, tebing)).me.cityId;
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  async function stored(): Promise<{ evidence: number; blobs: number }> {
    const em = server.orm.em.fork();
    return { evidence: await em.count(Evidence, {}), blobs: await em.count(EvidenceBlob, {}) };
  }

  it('refuses a second upload of one user, and any beyond the instance limit, with 429 and Retry-After; slots come back', async () => {
    const a = openUpload(server.url, cityAdmin, cityId, 'a.pdf', pdfBytes('a, first half'));
    await until(async () => (await filesIn(tmpDir())) === 1, 'the first upload to stream');
    const second = await uploadFile(server.url, cityAdmin, cityId, 'b.pdf', pdfBytes('b'));
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('5');
    expect(second.body.errors[0].extensions).toEqual({ code: 'RATE_LIMITED', limit: 'concurrentPerUser', max: 1, retryAfterSeconds: 5 });

    const c = openUpload(server.url, reporter, cityId, 'c.pdf', pdfBytes('c, first half'));
    await until(async () => (await filesIn(tmpDir())) === 2, 'the second upload to stream');
    const third = await uploadFile(server.url, tebing, tebingCityId, 'd.pdf', pdfBytes('d'), { 'accept-language': 'en' });
    expect(third.status).toBe(429);
    expect(third.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'concurrentPerInstance', max: 2 });
    expect(third.body.errors[0].message).toMatch(/too many uploads/);

    // One finishes, one is dropped half-way: both slots come back, the dropped one leaves nothing.
    expect((await a.finish(Buffer.from('\n%%EOF\n'))).status).toBe(201);
    c.abort();
    await until(async () => (await filesIn(tmpDir())) === 0, 'the dropped upload to be cleaned up');
    const [again, other] = await Promise.all([
      uploadFile(server.url, cityAdmin, cityId, 'b.pdf', pdfBytes('b')),
      uploadFile(server.url, tebing, tebingCityId, 'd.pdf', pdfBytes('d')),
    ]);
    expect([again.status, other.status]).toEqual([201, 201]);
  });

  it("refuses a new file beyond the city's quota with 413 cityQuota and stores nothing; a duplicate and another city still pass", async () => {
    const first = await uploadFile(server.url, cityAdmin, cityId, 'besar.pdf', pdfBytes('quota 1', 60_000));
    expect(first.status).toBe(201);
    const used = (await server.orm.em.fork().find(EvidenceBlob, { city: cityId })).reduce((sum, b) => sum + b.size, 0);
    const before = await stored();
    const cityDir = path.join(db.dataDir, 'uploads', cityId);
    const files = await filesIn(cityDir);
    const over = await uploadFile(server.url, cityAdmin, cityId, 'lagi.pdf', pdfBytes('quota 2', 50_000));
    expect(over.status).toBe(413);
    expect(over.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'file', limit: 'cityQuota', max: QUOTA, used });
    expect(over.body.errors[0].message).toMatch(/^Ruang penyimpanan data dukung kota ini penuh: terpakai \d+,\d MB dari 0,1 MB\./);
    expect(await stored()).toEqual(before);
    expect(await filesIn(tmpDir())).toBe(0);
    expect(await filesIn(cityDir)).toBe(files);
    const english = await uploadFile(server.url, cityAdmin, cityId, 'lagi.pdf', pdfBytes('quota 2', 50_000), { 'accept-language': 'en' });
    expect(english.body.errors[0].message).toMatch(/^This city's evidence storage is full/);
    // The same bytes again take no room.
    const duplicate = await uploadFile(server.url, reporter, cityId, 'salinan.pdf', pdfBytes('quota 1', 60_000));
    expect(duplicate.status).toBe(201);
    expect(duplicate.body.deduplicated).toBe(true);
    // Another city has its own quota.
    expect((await uploadFile(server.url, tebing, tebingCityId, 'sk.pdf', pdfBytes('tebing', 50_000))).status).toBe(201);
  });

  it('lets only what fits through when two new files arrive at once', async () => {
    // Tebingtinggi holds 50 000 (and the earlier small one): 2 × 30 000 more would pass 100 000; one fits.
    const [x, y] = await Promise.all([
      uploadFile(server.url, tebing, tebingCityId, 'x.pdf', pdfBytes('x', 30_000)),
      uploadFile(server.url, tebingReporter, tebingCityId, 'y.pdf', pdfBytes('y', 30_000)),
    ]);
    expect([x.status, y.status].sort()).toEqual([201, 413]);
    const blobs = await server.orm.em.fork().find(EvidenceBlob, { city: tebingCityId });
    expect(blobs.reduce((sum, b) => sum + b.size, 0)).toBeLessThanOrEqual(QUOTA);
  });
});
