import { describe, expect, it } from 'vitest';
import { evidenceList } from './lib';
import { kioskUrl, parseNumber, periodOf } from './pure';

describe('desk helpers', () => {
  it('reads a typed number with a decimal comma or point, never dropping the comma', () => {
    expect(parseNumber('45,5')).toBe(45.5);
    expect(parseNumber('45.5')).toBe(45.5);
    expect(parseNumber(' 59,50 ')).toBe(59.5);
    expect(parseNumber('100')).toBe(100);
    expect(parseNumber('0,25')).toBe(0.25);
    expect(parseNumber('1.234,5')).toBe(1234.5);
    expect(parseNumber('1,234.5')).toBe(1234.5);
    expect(parseNumber('')).toBeNull();
    expect(Number.isNaN(parseNumber('45,'))).toBe(true);
    expect(Number.isNaN(parseNumber('4,5,5'))).toBe(true);
    expect(Number.isNaN(parseNumber('45 %x'))).toBe(true);
    expect(parseNumber('1.250.000,50', { grouped: true })).toBe(1_250_000.5);
    expect(parseNumber('1,5', { grouped: true })).toBe(1.5);
  });

  it('rebuilds the kiosk URL fragment from the choices, keeping the city and the token', () => {
    const api = 'https://pantau.example.go.id/dashboard/#city=c1&token=pst_a.b&views=ringkasan%2Copd%2Cdimensi%2Ctren&rotate=30&lang=id';
    const url = kioskUrl(api, ['ringkasan', 'tren'], 0, 'en');
    expect(url).toBe('https://pantau.example.go.id/dashboard/#city=c1&token=pst_a.b&views=ringkasan,tren&rotate=0&lang=en');
  });

  it('completes a path (no PUBLIC_URL on the server) with the page the desk is on, path prefix kept', () => {
    const api = '/dashboard/#city=c1&token=pst_a.b&views=ringkasan%2Copd&rotate=30&lang=id';
    const here = 'https://kota.go.id/pantau/dashboard/?x=1#halaman=layar';
    expect(kioskUrl(api, ['opd'], 15, 'id', here)).toBe(
      'https://kota.go.id/pantau/dashboard/#city=c1&token=pst_a.b&views=opd&rotate=15&lang=id',
    );
  });

  it("writes the API's periods: YYYY, YYYY-MM, YYYY-Qn", () => {
    expect(periodOf('year', 2026, 3, 1)).toBe('2026');
    expect(periodOf('month', 2026, 3, 1)).toBe('2026-03');
    expect(periodOf('quarter', 2026, 3, 4)).toBe('2026-Q4');
  });

  it('reads evidence links one per line or separated by spaces', () => {
    expect(evidenceList(' https://a.go.id/x \n\nhttps://b.go.id/y https://c.go.id ')).toEqual([
      'https://a.go.id/x',
      'https://b.go.id/y',
      'https://c.go.id',
    ]);
  });
});
