import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../../server/env';
import { CsvFormulaGuard, guardCsv } from '../../server/modules/monev/csv-guard';
import { checkFileName, contentDisposition, downloadName, sniffFile, type SniffVerdict } from '../../server/modules/monev/sniff';
import { docxEntries, makeZip, odfEntries, type TestZipEntry } from '../helpers/zips';

/*
 * Issue 11 §3 and issue 20 §4 and §6: what an upload is (by its bytes, and for zip-based formats by
 * the central directory), which names pass, and CSV served with its formulas neutralised.
 */

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pantau-sniff-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

let n = 0;
/** The verdict on `bytes` stored as a file (as an upload is). */
async function sniff(bytes: Buffer, name: string): Promise<SniffVerdict> {
  const file = path.join(dir, String(++n));
  await fs.writeFile(file, bytes);
  return sniffFile(file, name);
}
const typeOf = async (bytes: Buffer, name = 'x') => {
  const v = await sniff(bytes, name);
  return 'type' in v ? v.type.contentType : `refused:${v.refused}`;
};
const zip = (entries: TestZipEntry[]) => makeZip(entries);

/** Rewrites the central-directory header of `name` in a zip (`at` is the header's offset). */
function patchCentral(buf: Buffer, name: string, patch: (at: number) => void): Buffer {
  for (let at = buf.lastIndexOf('PK\x01\x02', undefined, 'latin1'); at >= 0; at = buf.lastIndexOf('PK\x01\x02', at - 1, 'latin1')) {
    const len = buf.readUInt16LE(at + 28);
    if (buf.toString('latin1', at + 46, at + 46 + len) === name) {
      patch(at);
      return buf;
    }
  }
  throw new Error(`no ${name}`);
}

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const ODT = 'application/vnd.oasis.opendocument.text';

describe('upload types', () => {
  it('judges simple types by their first bytes, never by the name', async () => {
    expect(await typeOf(Buffer.from('%PDF-1.4\n'), 'x.txt')).toBe('application/pdf');
    expect(await typeOf(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]), 'x.pdf')).toBe('image/jpeg');
    expect(await typeOf(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(await typeOf(Buffer.from('MZ\x90\0', 'latin1'), 'laporan.pdf')).toBe('refused:type');
    expect(await typeOf(Buffer.from('\uFEFF <html>'), 'a.txt')).toBe('refused:type');
    expect(await typeOf(Buffer.from([0x61, 0xff, 0xfe]), 'a.csv')).toBe('refused:type');
    expect(await typeOf(Buffer.from('a\u0000b'), 'a.txt')).toBe('refused:type');
    expect(await typeOf(Buffer.from('kelurahan;puas\n'), 'survei.CSV')).toBe('text/csv; charset=utf-8');
    // A control character far into a large text is still seen (the check streams over every chunk).
    expect(await typeOf(Buffer.concat([Buffer.alloc(300_000, 'a'), Buffer.from('\u0007')]), 'a.txt')).toBe('refused:type');
  });

  it('accepts office packages with their real structure only (the central directory is read, not the bytes searched)', async () => {
    expect(await typeOf(await zip(docxEntries()))).toBe(DOCX);
    expect(await typeOf(await zip(odfEntries()))).toBe(ODT);
    expect(await typeOf(await zip(odfEntries('application/vnd.oasis.opendocument.spreadsheet')))).toBe(
      'application/vnd.oasis.opendocument.spreadsheet',
    );
    const xlsx = [
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: '_rels/.rels', data: '<Relationships/>' },
      { name: 'xl/workbook.xml', data: '<workbook/>' },
      { name: 'xl/printerSettings/printerSettings1.bin', data: Buffer.alloc(64, 1) },
    ];
    expect(await typeOf(await zip(xlsx))).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    // A plain zip whose content merely mentions the OOXML part names.
    expect(await typeOf(await zip([{ name: 'readme.txt', data: '[Content_Types].xml _rels/.rels word/document.xml', store: true }]))).toBe(
      'refused:type',
    );
    // `mimetype` first, but nothing of an ODF document behind it.
    expect(await typeOf(await zip([odfEntries()[0]!, { name: 'notes.txt', data: 'hello' }]))).toBe('refused:type');
    // `mimetype` deflated, or naming a type that merely starts like ODT's.
    expect(await typeOf(await zip([{ ...odfEntries()[0]!, store: false }, ...odfEntries().slice(1)]))).toBe('refused:type');
    expect(await typeOf(await zip(odfEntries(`${ODT}-template`)))).toBe('refused:type');
    // Two main parts, or the same part twice.
    expect(await typeOf(await zip([...docxEntries(), { name: 'xl/workbook.xml', data: '<workbook/>' }]))).toBe('refused:type');
    expect(await typeOf(await zip([...docxEntries(), { name: 'WORD/document.xml', data: '<x/>' }]))).toBe('refused:type');
    // Not a zip at all behind the signature; a name leaving the package.
    expect(await typeOf(Buffer.from('PK\x03\x04 a plain zip archive', 'latin1'))).toBe('refused:type');
    const leaving = await zip([...docxEntries(), { name: 'word/xx/xx/evil.xml', data: '<x/>' }]);
    for (let at = leaving.indexOf('word/xx/xx/'); at >= 0; at = leaving.indexOf('word/xx/xx/', at + 1))
      leaving.write('word/../../', at, 'latin1');
    expect(await typeOf(leaving)).toBe('refused:type');
  });

  it('refuses executables, scripts, web pages, macros and embedded objects inside', async () => {
    const verdict = async (extra: TestZipEntry, base = docxEntries()) => sniff(await zip([...base, extra]), 'x');
    for (const name of [
      'payload.exe',
      'word/media/run.js',
      'word/vbaProject.bin',
      'word/activeX/activeX1.bin',
      'word/embeddings/oleObject1.bin',
    ])
      expect(await verdict({ name, data: 'MZ' }), name).toEqual({ refused: 'forbiddenEntry', entry: name });
    // The ODT with HTML inside.
    expect(await verdict({ name: 'index.html', data: '<script>alert(1)</script>' }, odfEntries())).toEqual({
      refused: 'forbiddenEntry',
      entry: 'index.html',
    });
    expect(await verdict({ name: 'Basic/Standard/Module1.xml', data: '<script/>' }, odfEntries())).toMatchObject({
      refused: 'forbiddenEntry',
    });
  });

  it('bounds what a package would inflate to from its central directory, without inflating it', async () => {
    // 8 MiB of zeros deflate to a few KiB: a thousandfold ratio.
    expect(await sniff(await zip([...docxEntries(), { name: 'word/media/image1.png', data: Buffer.alloc(8 * 1_048_576) }]), 'x')).toEqual({
      refused: 'inflatedSize',
    });
    // A directory that claims 300 MiB for a small entry (nothing is inflated to find out).
    const lying = await zip(docxEntries());
    patchCentral(lying, 'word/document.xml', (at) => lying.writeUInt32LE(300 * 1_048_576, at + 24));
    expect(await sniff(lying, 'x')).toEqual({ refused: 'inflatedSize' });
    // Two directory entries over one local file (how a zip bomb multiplies one stream).
    const overlapping = await zip([...docxEntries(), { name: 'word/styles.xml', data: '<styles/>' }]);
    patchCentral(overlapping, 'word/styles.xml', (at) => overlapping.writeUInt32LE(0, at + 42));
    expect(await sniff(overlapping, 'x')).toEqual({ refused: 'type' });
    // An encrypted entry cannot be checked.
    const encrypted = await zip(docxEntries());
    patchCentral(encrypted, 'word/document.xml', (at) => encrypted.writeUInt16LE(encrypted.readUInt16LE(at + 8) | 1, at + 8));
    expect(await sniff(encrypted, 'x')).toEqual({ refused: 'type' });
  });
});

describe('upload names', () => {
  it('refuses crafted names: folders, control and invisible characters, full-width dots and slashes', () => {
    for (const bad of [
      '../../x',
      'a/b.pdf',
      'a\\b.pdf',
      'a\u0000.pdf',
      'a\u202e\u0007.pdf',
      '..',
      '.',
      '',
      '   ',
      'x'.repeat(256),
      // Right-to-left override: shows as "laporanexe.pdf".
      'laporan\u202Efdp.exe',
      'laporan\u2066.pdf\u2069',
      'laporan\u200F.pdf',
      // Zero-width space, joiner, word joiner, BOM.
      'lap\u200Boran.pdf',
      'lap\u200Doran.pdf',
      'lap\u2060oran.pdf',
      '\uFEFFlaporan.pdf',
      // Full-width dots and slashes: NFKC makes them ../../etc/passwd.pdf.
      '\uFF0E\uFF0E\uFF0F\uFF0E\uFF0E\uFF0Fetc\uFF0Fpasswd.pdf',
      'a\uFF3Cb.pdf',
      // Slashes NFKC leaves alone but that read as folders.
      'a\u2215b.pdf',
      'a\u2044b.pdf',
      // Line separator.
      'a\u2028b.pdf',
    ])
      expect(checkFileName(bad), JSON.stringify(bad)).toBeNull();
  });

  it('keeps honest names, in NFKC', () => {
    expect(checkFileName('  SK Wali Kota No. 12 (2026).pdf ')).toBe('SK Wali Kota No. 12 (2026).pdf');
    expect(checkFileName('Notulen rapat – Penyengat.docx')).toBe('Notulen rapat – Penyengat.docx');
    expect(checkFileName('\uFF32\uFF45\uFF50\uFF4F\uFF52\uFF54.pdf')).toBe('Report.pdf');
    expect(checkFileName('تقرير.pdf')).toBe('تقرير.pdf');
    expect(checkFileName('報告書.pdf')).toBe('報告書.pdf');
    expect(downloadName('foto.jpeg', { extension: 'jpg' })).toBe('foto.jpeg');
    expect(downloadName('foto.pdf', { extension: 'png' })).toBe('foto.pdf.png');
  });

  it('never hands out a folder in Content-Disposition, even for a title stored before the check', () => {
    const header = contentDisposition(downloadName('\uFF0E\uFF0E\uFF0F\uFF0E\uFF0E\uFF0Fetc\uFF0Fpasswd', { extension: 'pdf' }));
    const ascii = /filename="([^"]*)"/.exec(header)![1]!;
    const utf8 = decodeURIComponent(/filename\*=UTF-8''(.*)$/.exec(header)![1]!);
    for (const name of [ascii, utf8]) {
      expect(name).not.toMatch(/[/\\]|\.\./);
      expect(name.normalize('NFKC')).not.toMatch(/[/\\]|\.\./);
    }
    expect(ascii).toBe('_._etc_passwd.pdf');
    const rlo = contentDisposition(downloadName('laporan\u202Efdp.exe', { extension: 'pdf' }));
    expect(rlo).not.toContain('%E2%80%AE');
    expect(rlo).toContain(`filename*=UTF-8''laporanfdp.exe.pdf`);
    expect(contentDisposition('Notulen (rapat).pdf')).toBe(
      `attachment; filename="Notulen (rapat).pdf"; filename*=UTF-8''Notulen%20%28rapat%29.pdf`,
    );
  });
});

describe('CSV served with formulas neutralised', () => {
  it('prefixes an apostrophe to cells a spreadsheet would run, and leaves data and numbers alone', () => {
    const cases: [string, string][] = [
      ['a,b\n=1+1,2\n', "a,b\n'=1+1,2\n"],
      ['kelurahan;puas\nPenyengat;-87\n+62812;@SUM(A1)\n', "kelurahan;puas\nPenyengat;-87\n+62812;'@SUM(A1)\n"],
      ['"=HYPERLINK(""http://x"")",x\n', `"'=HYPERLINK(""http://x"")",x\n`],
      ["  =cmd|' /C calc'!A0,ok\n", "'  =cmd|' /C calc'!A0,ok\n"],
      ["-2+3+cmd|' /C calc'!A0\n", "'-2+3+cmd|' /C calc'!A0\n"],
      ['"\tx",y\r\n"a""b",=c\n', `"'\tx",y\r\n"a""b",'=c\n`],
      ['\uFEFF=1\n', "\uFEFF'=1\n"],
      ['\uFF1D1+1;x', "'\uFF1D1+1;x"],
      ['a"b,=c', `a"b,'=c`],
      ['-5', '-5'],
      ['-1.234,56;+5e3;-7%', '-1.234,56;+5e3;-7%'],
      ['"-5",x', '"-5",x'],
      ['a\tb\t=c', "a\tb\t'=c"],
      ['"a\n=b",c', '"a\n=b",c'],
    ];
    for (const [input, output] of cases) expect(guardCsv(input), JSON.stringify(input)).toBe(output);
  });

  it('streams: characters and held cells split across chunks come out the same', async () => {
    const text = 'nama;nilai\n"Dinas ─ Kesehatan";-12,5\n-1+cmd;=2\n';
    const bytes = Buffer.from(text, 'utf8');
    const guard = new CsvFormulaGuard();
    const out: Buffer[] = [];
    guard.on('data', (c: Buffer) => out.push(c));
    const done = new Promise((resolve) => guard.on('end', resolve));
    for (let i = 0; i < bytes.length; i += 3) guard.write(bytes.subarray(i, i + 3));
    guard.end();
    await done;
    expect(Buffer.concat(out).toString('utf8')).toBe(guardCsv(text));
    expect(guardCsv(text)).toBe('nama;nilai\n"Dinas ─ Kesehatan";-12,5\n\'-1+cmd;\'=2\n');
  });
});

describe('upload settings', () => {
  it('validates the size, concurrency and quota settings', () => {
    const s = loadSettings({});
    expect([s.uploadMaxBytes, s.uploadMaxConcurrentPerUser, s.uploadMaxConcurrent, s.uploadCityQuotaBytes]).toEqual([
      20 * 1_048_576,
      3,
      16,
      2 * 1_073_741_824,
    ]);
    expect(loadSettings({ UPLOAD_MAX_BYTES: '1048576' }).uploadMaxBytes).toBe(1_048_576);
    expect(() => loadSettings({ UPLOAD_MAX_BYTES: 'lots' })).toThrow(SettingsError);
    expect(() => loadSettings({ UPLOAD_MAX_BYTES: String(200 * 1_048_576) })).toThrow(/UPLOAD_MAX_BYTES/);
    expect(loadSettings({ UPLOAD_CITY_QUOTA_BYTES: String(10 * 1_073_741_824) }).uploadCityQuotaBytes).toBe(10 * 1_073_741_824);
    expect(() => loadSettings({ UPLOAD_MAX_CONCURRENT_PER_USER: '0' })).toThrow(/UPLOAD_MAX_CONCURRENT_PER_USER/);
    expect(() => loadSettings({ UPLOAD_MAX_CONCURRENT: 'many' })).toThrow(/UPLOAD_MAX_CONCURRENT/);
    expect(() => loadSettings({ UPLOAD_CITY_QUOTA_BYTES: '-1' })).toThrow(/UPLOAD_CITY_QUOTA_BYTES/);
  });
});
