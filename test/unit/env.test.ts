import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../../server/env';

describe('settings', () => {
  it('defaults to the embedded SQLite file with demo data on port 4000', () => {
    const s = loadSettings({});
    expect(s.port).toBe(4000);
    expect(s.databaseUrl).toBeNull();
    expect(s.demo).toBe(true);
    expect(s.playground).toBe(true);
  });

  it('turns the demo off by default on PostgreSQL and requires a shared JWT secret there', () => {
    expect(() => loadSettings({ DATABASE_URL: 'postgres://x@localhost/db' })).toThrow(/JWT_SECRET/);
    const s = loadSettings({ DATABASE_URL: 'postgres://x@localhost/db', JWT_SECRET: 'x'.repeat(32) });
    expect(s.demo).toBe(false);
  });

  it('lists every problem at once', () => {
    try {
      loadSettings({ PORT: 'abc', DATABASE_URL: 'mysql://x', PANTAU_DEMO: 'maybe' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SettingsError);
      expect((error as SettingsError).problems.length).toBeGreaterThanOrEqual(3);
    }
  });

  it('hides the playground, introspection and the demo in production unless enabled', () => {
    const s = loadSettings({ NODE_ENV: 'production' });
    expect(s.demo).toBe(false);
    expect(s.playground).toBe(false);
    expect(s.introspection).toBe(false);
    expect(loadSettings({ NODE_ENV: 'production', PANTAU_PLAYGROUND: 'true' }).playground).toBe(true);
  });

  it('takes PUBLIC_URL as an http(s) URL without its trailing slash, and refuses anything else', () => {
    expect(loadSettings({}).publicUrl).toBeNull();
    expect(loadSettings({ PUBLIC_URL: 'https://pantau.kota.go.id/' }).publicUrl).toBe('https://pantau.kota.go.id');
    expect(loadSettings({ PUBLIC_URL: 'http://10.0.0.5:4000/pantau/' }).publicUrl).toBe('http://10.0.0.5:4000/pantau');
    for (const bad of [
      'pantau.kota.go.id',
      'ftp://kota.go.id',
      'https://kota.go.id/?a=1',
      'https://kota.go.id/#x',
      'https://user:pw@kota.go.id',
    ]) {
      expect(() => loadSettings({ PUBLIC_URL: bad }), bad).toThrow(/PUBLIC_URL/);
    }
  });

  it('listens on 127.0.0.1 by default only with demo data on (its password is public); HOST always wins', () => {
    expect(loadSettings({}).host).toBe('127.0.0.1');
    expect(loadSettings({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadSettings({ PANTAU_DEMO: 'false' }).host).toBe('0.0.0.0');
    expect(loadSettings({ NODE_ENV: 'production' }).host).toBe('0.0.0.0');
    expect(loadSettings({ DATABASE_URL: 'postgres://x@localhost/db', JWT_SECRET: 'x'.repeat(32), PANTAU_DEMO: 'true' }).host).toBe(
      '127.0.0.1',
    );
  });

  it('reads the log language (id by default, en) and whether to create a missing PostgreSQL database (no by default)', () => {
    expect(loadSettings({}).lang).toBe('id');
    expect(loadSettings({ PANTAU_LANG: 'EN' }).lang).toBe('en');
    expect(() => loadSettings({ PANTAU_LANG: 'fr' })).toThrow(/PANTAU_LANG must be id or en/);
    expect(loadSettings({}).createDatabase).toBe(false);
    expect(loadSettings({ PANTAU_CREATE_DATABASE: 'true' }).createDatabase).toBe(true);
  });

  it('says every problem in Indonesian too, for the start log under PANTAU_LANG=id', () => {
    try {
      loadSettings({ PORT: 'x', JWT_SECRET: 'short', PUBLIC_URL: 'ftp://a', TRUST_PROXY: 'nowhere', PANTAU_DEMO: 'maybe' });
      expect.unreachable();
    } catch (error) {
      const e = error as SettingsError;
      expect(e.problemsId).toHaveLength(e.problems.length);
      expect(e.text('en')).toBe(e.message);
      expect(e.text('en')).toMatch(/^Invalid configuration:\n {2}- /);
      const id = e.text('id');
      expect(id).toMatch(/^Konfigurasi tidak sah:\n {2}- /);
      expect(id).toContain('JWT_SECRET minimal 32 karakter');
      expect(id).toContain('PANTAU_DEMO harus true atau false (tertulis "maybe")');
      expect(id).toContain('PORT harus bilangan bulat dari 0 sampai 65535 (tertulis "x")');
      expect(id).toMatch(/PUBLIC_URL harus URL http/);
      expect(id).toMatch(/TRUST_PROXY harus true, false/);
      expect(id).not.toMatch(/must be|got "/);
    }
  });

  it('reads the observability and shutdown settings, with production defaults, and refuses bad values', () => {
    const dev = loadSettings({});
    expect(dev).toMatchObject({
      logLevel: 'info',
      metricsToken: null,
      readyRequiresRedis: false,
      shutdown: { readyDelayMs: 0, graceMs: 10_000 },
    });
    expect(loadSettings({ NODE_ENV: 'production' }).shutdown).toEqual({ readyDelayMs: 2_000, graceMs: 10_000 });
    const set = loadSettings({
      LOG_LEVEL: 'Debug',
      METRICS_TOKEN: 'a-scrape-token-of-24-chr',
      READY_REQUIRES_REDIS: 'true',
      SHUTDOWN_READY_DELAY_SECONDS: '5',
      SHUTDOWN_GRACE_SECONDS: '30',
    });
    expect(set).toMatchObject({
      logLevel: 'debug',
      metricsToken: 'a-scrape-token-of-24-chr',
      readyRequiresRedis: true,
      shutdown: { readyDelayMs: 5_000, graceMs: 30_000 },
    });
    try {
      loadSettings({ LOG_LEVEL: 'loud', METRICS_TOKEN: 'short', SHUTDOWN_GRACE_SECONDS: '-1', SHUTDOWN_READY_DELAY_SECONDS: '1.5' });
      expect.unreachable();
    } catch (error) {
      expect((error as SettingsError).problems).toEqual([
        expect.stringMatching(/^LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/),
        expect.stringMatching(/^METRICS_TOKEN must be 16 to 256/),
        expect.stringMatching(/^SHUTDOWN_READY_DELAY_SECONDS must be a whole number from 0 to 120/),
        expect.stringMatching(/^SHUTDOWN_GRACE_SECONDS must be a whole number from 0 to 600/),
      ]);
    }
  });
});
