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
});
