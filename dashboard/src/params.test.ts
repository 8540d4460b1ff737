import { describe, expect, it } from 'vitest';
import { deskLang, resolveConfig, storedConfig } from './params';

const BASE = 'http://tv.local/dashboard/';

describe('resolveConfig', () => {
  it('reads the kiosk fragment and removes the token from the address', () => {
    const { config, cleanHref } = resolveConfig(`${BASE}#city=c1&token=pst_abc.def&views=ringkasan,opd,tren&rotate=30&lang=id`, null);
    expect(config).toEqual({
      cityId: 'c1',
      token: 'pst_abc.def',
      views: ['ringkasan', 'opd', 'tren'],
      rotateSeconds: 30,
      lang: 'id',
      basis: 'ALL',
      trend: 'PERIOD',
    });
    expect(cleanHref).toBe(`${BASE}#city=c1&views=ringkasan%2Copd%2Ctren&rotate=30&lang=id`);
  });

  it('accepts ?token= in the query string', () => {
    const { config, cleanHref } = resolveConfig(`${BASE}?token=pst_x.y&city=c2&lang=en`, null);
    expect(config.token).toBe('pst_x.y');
    expect(config.cityId).toBe('c2');
    expect(config.lang).toBe('en');
    expect(cleanHref).toBe(`${BASE}?city=c2&lang=en`);
  });

  it('comes back from storage after a power loss', () => {
    const stored = storedConfig({
      cityId: 'c1',
      token: 'pst_a.b',
      views: ['opd'],
      rotateSeconds: 20,
      lang: 'en',
      basis: 'VERIFIED',
      trend: 'ALL',
    });
    const { config, cleanHref } = resolveConfig(`${BASE}#city=c1&views=opd&rotate=20&lang=en`, stored);
    expect(config.token).toBe('pst_a.b');
    expect(cleanHref).toBeNull();
    expect(resolveConfig(BASE, stored).config).toMatchObject({ cityId: 'c1', token: 'pst_a.b', views: ['opd'], rotateSeconds: 20 });
  });

  it('drops a stored token for another city, ignores unknown views and bad numbers', () => {
    const stored = storedConfig({
      cityId: 'c1',
      token: 'pst_a.b',
      views: ['opd'],
      rotateSeconds: 20,
      lang: 'id',
      basis: 'ALL',
      trend: 'PERIOD',
    });
    expect(resolveConfig(`${BASE}#city=c9`, stored).config.token).toBeNull();
    const { config } = resolveConfig(`${BASE}#views=foo,tren,tren&rotate=abc`, null);
    expect(config.views).toEqual(['tren']);
    expect(config.rotateSeconds).toBe(30);
    expect(resolveConfig(`${BASE}#rotate=0`, null).config.rotateSeconds).toBe(0);
    expect(resolveConfig(`${BASE}#rotate=1`, null).config.rotateSeconds).toBe(3);
  });

  it('defaults to Indonesian and every view', () => {
    const { config } = resolveConfig(BASE, 'not json');
    expect(config).toEqual({
      cityId: null,
      token: null,
      views: ['ringkasan', 'opd', 'dimensi', 'tren'],
      rotateSeconds: 30,
      lang: 'id',
      basis: 'ALL',
      trend: 'PERIOD',
    });
  });

  it('reads which reports the figures count (basis=verified|all, or the Indonesian words), else what was stored, else all', () => {
    expect(resolveConfig(`${BASE}#basis=verified`, null).config.basis).toBe('VERIFIED');
    expect(resolveConfig(`${BASE}#basis=Terverifikasi`, null).config.basis).toBe('VERIFIED');
    expect(resolveConfig(`${BASE}?basis=semua`, null).config.basis).toBe('ALL');
    expect(resolveConfig(`${BASE}#basis=nonsense`, null).config.basis).toBe('ALL');
    const stored = storedConfig({
      cityId: 'c1',
      token: 'pst_a.b',
      views: ['opd'],
      rotateSeconds: 20,
      lang: 'id',
      basis: 'VERIFIED',
      trend: 'ALL',
    });
    expect(resolveConfig(`${BASE}#city=c1`, stored).config.basis).toBe('VERIFIED');
    expect(resolveConfig(`${BASE}#city=c1&basis=all`, stored).config.basis).toBe('ALL');
  });

  it("counts this period's plans in Tren unless tren=semua (trend=all) says every plan", () => {
    expect(resolveConfig(BASE, null).config.trend).toBe('PERIOD');
    expect(resolveConfig(`${BASE}#tren=semua`, null).config.trend).toBe('ALL');
    expect(resolveConfig(`${BASE}#trend=all`, null).config.trend).toBe('ALL');
    expect(resolveConfig(`${BASE}#tren=periode`, null).config.trend).toBe('PERIOD');
    const stored = storedConfig({
      cityId: 'c1',
      token: 'pst_a.b',
      views: ['tren'],
      rotateSeconds: 0,
      lang: 'id',
      basis: 'ALL',
      trend: 'ALL',
    });
    expect(resolveConfig(`${BASE}#city=c1`, stored).config.trend).toBe('ALL');
  });
});

describe('deskLang', () => {
  it('takes lang= from the address, else what the browser chose last, else Indonesian', () => {
    expect(deskLang(`${BASE}#lang=en`, 'id')).toBe('en');
    expect(deskLang(`${BASE}?lang=id`, 'en')).toBe('id');
    expect(deskLang(`${BASE}#halaman=lapor`, 'en')).toBe('en');
    expect(deskLang(BASE, null)).toBe('id');
    expect(deskLang(`${BASE}#lang=fr`, 'xx')).toBe('id');
  });
});
