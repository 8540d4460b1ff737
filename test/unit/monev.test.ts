import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../../server/env';
import { EvaluationDimension as E } from '../../server/modules/monev/framework.entity';
import { computeIndex } from '../../server/modules/monev/score';
import { checkFileName, downloadName, sniff } from '../../server/modules/monev/sniff';

describe('monev index (pure)', () => {
  const weights = { BASELINE: 10, OUTPUT: 20, OUTCOME: 30, IMPACT: 30, QUICK_WIN: 10 };
  it('weights items within a dimension and dimensions in the index; unscored items count as the minimum', () => {
    // OUTPUT (1×2 + 3×4) / 4 = 3.5; IMPACT unscored → 1 (the minimum of a 1–5 scale); QUICK_WIN has no items → 1.
    // (10×4 + 20×3.5 + 30×3 + 30×1 + 10×1) / 100 = (40 + 70 + 90 + 30 + 10) / 100 = 2.40.
    const f = computeIndex({ scaleMin: 1, scaleMax: 5 }, weights, [
      { dimension: E.BASELINE, weight: 1, score: 4 },
      { dimension: E.OUTPUT, weight: 1, score: 2 },
      { dimension: E.OUTPUT, weight: 3, score: 4 },
      { dimension: E.OUTCOME, weight: 2, score: 3 },
      { dimension: E.IMPACT, weight: 1, score: null },
    ]);
    expect(f.index).toBe(2.4);
    expect(f.dimensions.map((d) => d.score)).toEqual([4, 3.5, 3, 1, 1]);
    expect([f.itemCount, f.scoredCount]).toEqual([5, 4]);
  });
});

describe('upload checks (pure)', () => {
  it('judges types by their bytes, never by the name', () => {
    expect(sniff(Buffer.from('%PDF-1.4\n'), 'x.txt')?.contentType).toBe('application/pdf');
    expect(sniff(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]), 'x.pdf')?.contentType).toBe('image/jpeg');
    expect(sniff(Buffer.from('RIFF\0\0\0\0WEBPVP8 '), 'x')?.contentType).toBe('image/webp');
    expect(
      sniff(Buffer.from('PK\x03\x04' + '\0'.repeat(26) + 'mimetypeapplication/vnd.oasis.opendocument.spreadsheet', 'latin1'), 'x')
        ?.extension,
    ).toBe('ods');
    expect(sniff(Buffer.from('MZ\x90\0', 'latin1'), 'laporan.pdf')).toBeNull();
    expect(sniff(Buffer.from('\uFEFF <html>'), 'a.txt')).toBeNull();
    expect(sniff(Buffer.from([0x61, 0xff, 0xfe]), 'a.csv')).toBeNull();
    expect(sniff(Buffer.from('a\u0000b'), 'a.txt')).toBeNull();
    expect(sniff(Buffer.from('kelurahan;puas\n'), 'survei.CSV')?.contentType).toBe('text/csv; charset=utf-8');
  });

  it('refuses crafted names and keeps honest ones', () => {
    for (const bad of ['../../x', 'a/b.pdf', 'a\\b.pdf', 'a\u0000.pdf', 'a\u202e\u0007.pdf', '..', '.', '', '   ', 'x'.repeat(256)])
      expect(checkFileName(bad), JSON.stringify(bad)).toBeNull();
    expect(checkFileName('  SK Wali Kota No. 12 (2026).pdf ')).toBe('SK Wali Kota No. 12 (2026).pdf');
    expect(checkFileName('Notulen rapat – Penyengat.docx')).toBe('Notulen rapat – Penyengat.docx');
    expect(downloadName('foto.jpeg', { extension: 'jpg' })).toBe('foto.jpeg');
    expect(downloadName('foto.pdf', { extension: 'png' })).toBe('foto.pdf.png');
  });

  it('validates UPLOAD_MAX_BYTES (default 20 MiB)', () => {
    expect(loadSettings({}).uploadMaxBytes).toBe(20 * 1_048_576);
    expect(loadSettings({ UPLOAD_MAX_BYTES: '1048576' }).uploadMaxBytes).toBe(1_048_576);
    expect(() => loadSettings({ UPLOAD_MAX_BYTES: 'lots' })).toThrow(SettingsError);
    expect(() => loadSettings({ UPLOAD_MAX_BYTES: String(200 * 1_048_576) })).toThrow(/UPLOAD_MAX_BYTES/);
  });
});
