import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm } from '../../server/db/orm';
import { postgresMigrations } from '../../server/db/migrations/postgres';
import { Evidence, EvidenceBlob } from '../../server/modules/monev/evidence.entity';
import { createTestDatabase, testDialects, type TestDatabase } from '../helpers/db';
import { login, ok } from '../helpers/gql';
import { startServer, type TestServer, templateDatabase } from '../helpers/server';
import { filesIn, pdfBytes, until, uploadFile } from '../helpers/uploads';

/*
 * Issue 20 §3 and §6: how evidence bytes are stored and served. Identical uploads at the same
 * moment all succeed and are stored once (on PostgreSQL also across two instances); PostgreSQL
 * keeps 256 KiB chunk rows (existing files migrated into them) and a download reads them only as
 * fast as the client takes them; CSV comes back with its formulas neutralised; a stored title never
 * becomes a folder in Content-Disposition.
 */

const CHUNK = 256 * 1_024;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.each(await testDialects())('evidence storage on %s', (dialect) => {
  let db: TestDatabase;
  let server: TestServer;
  let cityAdmin: string;
  let cityId: string;
  /** Statements that read a chunk, as the ORM ran them (PostgreSQL). */
  let chunkReads = 0;
  const env = { UPLOAD_MAX_BYTES: String(32 * 1_048_576), UPLOAD_MAX_CONCURRENT_PER_USER: '8' };

  beforeAll(async () => {
    db = await templateDatabase(dialect);
    server = await startServer({
      dialect,
      database: db,
      demo: true,
      env,
      onQuery: (sql) => {
        if (/^select .* from evidence_chunks where blob_id = /.test(sql)) chunkReads++;
      },
    });
    cityAdmin = await login(server.url, 'bappelitbang@tanjungpinang.demo');
    cityId = (await ok<any>(server.url, '{ me { cityId } }', {}, cityAdmin)).me.cityId;
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  async function chunkRows(sha256: string): Promise<{ count: number; sizes: number[] }> {
    if (dialect !== 'postgres') return { count: 0, sizes: [] };
    const rows: { n: number }[] = await server.orm.em
      .fork()
      .getConnection()
      .execute(
        'select length(c.data) as n from evidence_chunks c join evidence_blobs b on b.id = c.blob_id where b.sha256 = ? order by c.seq',
        [sha256],
      );
    return { count: rows.length, sizes: rows.map((r) => Number(r.n)) };
  }

  async function download(id: string, token = cityAdmin): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
    const res = await fetch(`${server.url}/uploads/${id}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  }

  it('stores identical uploads sent at the same moment once, and every one of them succeeds', async () => {
    const bytes = pdfBytes(`sama ${randomBytes(8).toString('hex')}`, 300_000);
    const second = dialect === 'postgres' ? await startServer({ dialect, database: db, demo: true, env }) : null;
    try {
      const urls = Array.from({ length: 6 }, (_, i) => (second && i % 2 ? second.url : server.url));
      const answers = await Promise.all(urls.map((url, i) => uploadFile(url, cityAdmin, cityId, `sama-${i}.pdf`, bytes)));
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201, 201]);
      expect(answers.filter((a) => !a.body.deduplicated)).toHaveLength(1);
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(6);
    } finally {
      await second?.close();
    }
    expect(await server.orm.em.fork().count(EvidenceBlob, { sha256: sha(bytes) })).toBe(1);
    expect(await server.orm.em.fork().count(Evidence, { sha256: sha(bytes) })).toBe(6);
    if (dialect === 'postgres') expect(await chunkRows(sha(bytes))).toEqual({ count: 2, sizes: [CHUNK, 300_000 - CHUNK] });
    else expect(await filesIn(path.join(db.dataDir, 'uploads', cityId))).toBe(1);
    expect(await filesIn(path.join(db.dataDir, 'uploads', 'tmp'))).toBe(0);
  });

  it('round-trips a file of several chunks byte for byte', async () => {
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(3 * CHUNK + 17)]);
    const r = await uploadFile(server.url, cityAdmin, cityId, 'acak.pdf', bytes);
    expect(r.status).toBe(201);
    if (dialect === 'postgres') expect(await chunkRows(sha(bytes))).toEqual({ count: 4, sizes: [CHUNK, CHUNK, CHUNK, 26] });
    const got = await download(r.body.id);
    expect(got.headers.get('content-length')).toBe(String(bytes.length));
    expect(sha(got.bytes)).toBe(sha(bytes));
  });

  it('serves CSV with its formulas neutralised, the stored bytes unchanged', async () => {
    const csv = Buffer.from('kelurahan;nilai;catatan\nPenyengat;-87;=HYPERLINK("http://x";"klik")\n+62 812;@SUM(A1);"=1+1"\n', 'utf8');
    const r = await uploadFile(server.url, cityAdmin, cityId, 'survei.csv', csv);
    expect(r.body).toMatchObject({ contentType: 'text/csv; charset=utf-8', sha256: sha(csv) });
    const got = await download(r.body.id);
    expect(got.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(got.headers.get('content-disposition')).toMatch(/^attachment; /);
    expect(got.bytes.toString('utf8')).toBe(
      `kelurahan;nilai;catatan\nPenyengat;-87;'=HYPERLINK("http://x";"klik")\n'+62 812;'@SUM(A1);"'=1+1"\n`,
    );
  });

  it('never names a download with a folder, even for a title stored before names were checked', async () => {
    const r = await uploadFile(server.url, cityAdmin, cityId, 'laporan.pdf', pdfBytes('judul lama'));
    // A title as an older version let it through: full-width dots and slashes, and a right-to-left override.
    await server.orm.em
      .fork()
      .getConnection()
      .execute('update evidence set title = ? where id = ?', ['\uFF0E\uFF0E\uFF0F\uFF0E\uFF0E\uFF0Fetc\uFF0Fpasswd\u202Efdp', r.body.id]);
    const disposition = (await download(r.body.id)).headers.get('content-disposition')!;
    const ascii = /filename="([^"]*)"/.exec(disposition)![1]!;
    const utf8 = decodeURIComponent(/filename\*=UTF-8''(.*)$/.exec(disposition)![1]!);
    for (const name of [ascii, utf8]) expect(name.normalize('NFKC')).not.toMatch(/[/\\\u202E]|\.\./);
    expect(ascii).toBe('_._etc_passwdfdp.pdf');
  });

  it.runIf(dialect === 'postgres')('reads chunks only as fast as a slow client takes them', async () => {
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(24 * 1_048_576)]);
    const r = await uploadFile(server.url, cityAdmin, cityId, 'besar.pdf', bytes);
    expect(r.status).toBe(201);
    const total = Math.ceil(bytes.length / CHUNK);
    chunkReads = 0;
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get(`${server.url}/uploads/${r.body.id}`, { headers: { authorization: `Bearer ${cityAdmin}` } }, resolve).on('error', reject);
    });
    res.pause();
    // The client reads nothing: the server reads until the socket's buffers are full, then stops.
    let last = -1;
    let still = 0;
    await until(() => {
      still = chunkReads === last ? still + 1 : 0;
      last = chunkReads;
      return still >= 15;
    }, 'chunk reads to stop');
    expect(chunkReads).toBeGreaterThan(0);
    expect(chunkReads).toBeLessThan(total / 2);
    const hash = createHash('sha256');
    res.on('data', (c: Buffer) => hash.update(c));
    res.resume();
    await new Promise((resolve) => res.on('end', resolve));
    expect(hash.digest('hex')).toBe(sha(bytes));
    expect(chunkReads).toBe(total);
  });
});

describe.runIf((await testDialects()).includes('postgres'))('the chunk migration on postgres', () => {
  it('cuts files stored whole in evidence_blobs.data into chunks, bytes unchanged', async () => {
    const db = await createTestDatabase('postgres');
    try {
      const orm = await openOrm(db.target);
      const before =
        postgresMigrations[postgresMigrations.indexOf(postgresMigrations.find((m) => m.name === 'Migration20261207023200')!) - 1]!;
      await orm.getMigrator().up({ to: before.name });
      const client = new Client({ connectionString: db.target.dialect === 'postgres' ? db.target.url : '' });
      await client.connect();
      const files = [randomBytes(CHUNK * 2 + 5), randomBytes(10), randomBytes(CHUNK)];
      try {
        await client.query(
          `insert into cities (id, created_at, updated_at, name, province) values ('00000000-0000-7000-8000-000000000001', now(), now(), 'Kota Uji', 'Riau')`,
        );
        for (const [i, data] of files.entries())
          await client.query(
            `insert into evidence_blobs (id, created_at, updated_at, city_id, sha256, size, content_type, data) values ($1, now(), now(), '00000000-0000-7000-8000-000000000001', $2, $3, 'application/pdf', $4)`,
            [`00000000-0000-7000-8000-00000000001${i}`, sha(data), data.length, data],
          );
        await orm.getMigrator().up();
        for (const [i, data] of files.entries()) {
          const { rows } = await client.query<{ data: Buffer }>('select data from evidence_chunks where blob_id = $1 order by seq', [
            `00000000-0000-7000-8000-00000000001${i}`,
          ]);
          expect(rows.map((row) => row.data.length)).toEqual(
            Array.from({ length: Math.ceil(data.length / CHUNK) }, (_, k) => Math.min(CHUNK, data.length - k * CHUNK)),
          );
          expect(Buffer.concat(rows.map((row) => row.data)).equals(data)).toBe(true);
        }
        // And back down (through the later migrations, to before this one): the column is whole again.
        await orm.getMigrator().down({ to: 'Migration20261207023200' });
        const { rows } = await client.query<{ data: Buffer }>('select data from evidence_blobs order by id');
        expect(rows.map((row) => sha(row.data))).toEqual(files.map(sha));
      } finally {
        await client.end();
        await orm.close(true);
      }
    } finally {
      await db.drop();
    }
  });
});
