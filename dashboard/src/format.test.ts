import { describe, expect, it } from 'vitest';
import { daysBetween, excerpt, formatFor } from './format';

describe('format', () => {
  it('speaks Indonesian numbers, times and relative times', () => {
    const f = formatFor('id');
    expect(f.percent(70.3)).toBe('70,3%');
    expect(f.int(1234)).toBe('1.234');
    expect(f.time('2026-11-30T07:02:00Z', 'Asia/Jakarta')).toBe('14.02');
    expect(f.days(34)).toBe('34 hari');
    expect(f.span(45)).toBe('45 hari');
    expect(f.span(82)).toBe('3 bulan');
    expect(f.span(2191)).toBe('6 tahun');
    expect(f.ago(0, 120_000)).toBe('2 menit yang lalu');
    expect(f.ago(0, 17_000)).toBe('15 detik yang lalu');
    expect(f.date('2025-10-03', 'long')).toBe('Jumat, 3 Oktober 2025');
  });

  it('speaks British English with lang=en', () => {
    const f = formatFor('en');
    expect(f.percent(70.3)).toBe('70.3%');
    expect(f.time('2026-11-30T07:02:00Z', 'Asia/Jakarta')).toBe('14:02');
    expect(f.ago(0, 120_000)).toBe('2 minutes ago');
    expect(f.days(1)).toBe('1 day');
  });

  it('stamps a report with its time today, "kemarin" yesterday and its date before, in the city\'s zone', () => {
    const id = formatFor('id');
    const en = formatFor('en');
    const now = Date.parse('2026-11-30T02:00:00Z'); // 09.00 WIB on 30 Nov
    expect(id.stamp('2026-11-29T17:30:00Z', 'Asia/Jakarta', now)).toBe('00.30'); // 00.30 WIB, 30 Nov: today
    expect(id.stamp('2026-11-29T16:30:00Z', 'Asia/Jakarta', now)).toBe('kemarin 23.30');
    expect(en.stamp('2026-11-29T05:32:00Z', 'Asia/Jakarta', now)).toBe('yesterday 12:32');
    expect(id.stamp('2026-11-27T05:32:00Z', 'Asia/Jakarta', now)).toBe('27 Nov 12.32');
  });

  it('counts days and cuts narratives at a word', () => {
    expect(daysBetween('2026-11-30', '2027-01-03')).toBe(34);
    expect(excerpt('Aplikasi e-puskesmas sudah dipasang di tujuh puskesmas dan sedang diuji oleh petugas', 40)).toBe(
      'Aplikasi e-puskesmas sudah dipasang di…',
    );
    expect(excerpt('pendek')).toBe('pendek');
  });
});
