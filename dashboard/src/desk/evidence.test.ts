import { describe, expect, it } from 'vitest';
import { formatFor } from '../format';
import { uploadRefusal } from './evidence';
import { DESK_WORDS } from './words';

const ID = { w: DESK_WORDS.id, f: formatFor('id') };
const EN = { w: DESK_WORDS.en, f: formatFor('en') };

describe('upload refusals in the desk’s language', () => {
  it('says what to do for each refusal of POST /uploads, in Indonesian', () => {
    expect(uploadRefusal(ID, 413, { code: 'BAD_USER_INPUT', field: 'file', limit: 'size', max: 20 * 1_048_576 })).toMatch(
      /^Berkas terlalu besar \(maksimal 20 MB\)\./,
    );
    expect(uploadRefusal(ID, 415, { code: 'BAD_USER_INPUT', field: 'file' })).toMatch(
      /^Jenis berkas ini tidak diterima\. Pantau memeriksa isi/,
    );
    expect(uploadRefusal(ID, 400, { code: 'BAD_USER_INPUT', field: 'name' })).toMatch(/^Nama berkas tidak dapat dipakai/);
    expect(uploadRefusal(ID, 400, { code: 'BAD_USER_INPUT', field: 'file' })).toMatch(/^Berkas kosong/);
    expect(uploadRefusal(ID, 403, { code: 'FORBIDDEN' })).toMatch(/tidak berwenang/);
    expect(uploadRefusal(ID, 413, { code: 'BAD_USER_INPUT', field: 'file', limit: 'cityQuota', max: 2_147_483_648 })).toMatch(
      /^Ruang penyimpanan data dukung kota ini penuh\./,
    );
    expect(uploadRefusal(ID, 429, { code: 'RATE_LIMITED', limit: 'concurrentPerUser', max: 3 })).toMatch(/^Terlalu banyak unggahan/);
    expect(uploadRefusal(EN, 429, { code: 'RATE_LIMITED', limit: 'concurrentPerUser', max: 3 })).toMatch(/^Too many uploads/);
  });

  it('and in English, with English numbers', () => {
    expect(uploadRefusal(EN, 413, { code: 'BAD_USER_INPUT', field: 'file', limit: 'size', max: 2.5 * 1_048_576 })).toMatch(
      /^The file is too big \(at most 2\.5 MB\)\./,
    );
    expect(uploadRefusal(ID, 413, { limit: 'size', max: 2.5 * 1_048_576 })).toMatch(/maksimal 2,5 MB/);
    expect(uploadRefusal(EN, 415, { field: 'file' })).toMatch(/^This kind of file is not accepted/);
    expect(uploadRefusal(EN, 403, { code: 'FORBIDDEN' })).toMatch(/not allowed/);
  });
});
