import { describe, expect, it } from 'vitest';
import { uploadRefusal } from './evidence';

describe('upload refusals in Indonesian', () => {
  it('says what to do for each refusal of POST /uploads', () => {
    expect(uploadRefusal(413, { code: 'BAD_USER_INPUT', field: 'file', limit: 'size', max: 20 * 1_048_576 })).toMatch(
      /^Berkas terlalu besar \(maksimal 20 MB\)\./,
    );
    expect(uploadRefusal(415, { code: 'BAD_USER_INPUT', field: 'file' })).toMatch(
      /^Jenis berkas ini tidak diterima\. Pantau memeriksa isi/,
    );
    expect(uploadRefusal(400, { code: 'BAD_USER_INPUT', field: 'name' })).toMatch(/^Nama berkas tidak dapat dipakai/);
    expect(uploadRefusal(400, { code: 'BAD_USER_INPUT', field: 'file' })).toMatch(/^Berkas kosong/);
    expect(uploadRefusal(403, { code: 'FORBIDDEN' })).toMatch(/tidak berwenang/);
    expect(uploadRefusal(413, { code: 'BAD_USER_INPUT', field: 'file', limit: 'cityQuota', max: 2_147_483_648 })).toMatch(
      /^Ruang penyimpanan data dukung kota ini penuh\./,
    );
    expect(uploadRefusal(429, { code: 'RATE_LIMITED', limit: 'concurrentPerUser', max: 3 })).toMatch(/^Terlalu banyak unggahan/);
  });
});
