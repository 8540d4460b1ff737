import type { Dialect, QueryListener } from '../../server/db/orm';
import { loadSettings } from '../../server/env';
import { startServer as start, type RunningServer, type StartOptions } from '../../server/server';
import { createTestDatabase, type TestDatabase } from './db';
import type { TemplateSource } from './template-names';
import { templateFor } from './templates';

/** A server for a test, on its own database, listening on a free port of 127.0.0.1. */
export interface TestServer extends RunningServer {
  dialect: Dialect;
  /** The server's `DATA_DIR` (SQLite's database, uploaded files under `uploads/`). */
  dataDir: string;
}

/** Options for a test server. */
export interface TestServerOptions {
  /** Seed the demo data (default true). */
  demo?: boolean;
  dialect?: Dialect;
  clock?: () => Date;
  onQuery?: QueryListener;
  env?: Record<string, string>;
  /** Share this database (several instances of one deployment); the caller drops it. */
  database?: TestDatabase;
  /** Live-update timings (shorter in tests). */
  realtime?: StartOptions['realtime'];
  /** The answer cache's bounds. */
  answers?: StartOptions['answers'];
  /** Collect the runtime log (JSON lines at LOG_LEVEL, default info) instead of keeping it silent. */
  logDestination?: StartOptions['logDestination'];
}

/**
 * Starts a real Pantau server (HTTP on port 0) on a fresh database of its own; `close()` also drops
 * the database. The database is a clone of this run's migrated (and, with `demo`, seeded) template
 * unless the test brings its own database or clock (the demo is seeded relative to the clock's day).
 */
export async function startServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dialect = opts.dialect ?? 'sqlite';
  const template = opts.database || opts.clock ? null : demoTemplate(dialect, opts.demo ?? true);
  const db = opts.database ?? (await createTestDatabase(dialect, (await template) ?? undefined));
  return launch(db, dialect, opts);
}

/** This run's template for a server with or without the demo (null outside a vitest run). */
export function demoTemplate(dialect: Dialect, demo: boolean): Promise<TemplateSource> | null {
  return templateFor(
    dialect,
    demo ? 'demo' : 'empty',
    async (db) => {
      const server = await launch(db, dialect, { demo, database: db });
      await server.close();
    },
    () => createTestDatabase(dialect),
  );
}

async function launch(db: TestDatabase, dialect: Dialect, opts: TestServerOptions): Promise<TestServer> {
  const settings = loadSettings({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: db.dataDir,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    PANTAU_DEMO: String(opts.demo ?? true),
    // Tests that count events exactly must not see the late-plan watcher; the one that tests it sets this.
    PANTAU_LATE_CHECK_SECONDS: '0',
    ...(db.target.dialect === 'postgres' ? { DATABASE_URL: db.target.url } : {}),
    // .ci/run runs the realtime tests once more with the zero-copy frame writes off (the fallback of another `ws`).
    ...(process.env['WS_DIRECT_WRITES'] ? { WS_DIRECT_WRITES: process.env['WS_DIRECT_WRITES'] } : {}),
    ...opts.env,
  });
  const server = await start(settings, {
    quiet: true,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.onQuery ? { onQuery: opts.onQuery } : {}),
    ...(opts.realtime ? { realtime: opts.realtime } : {}),
    ...(opts.answers ? { answers: opts.answers } : {}),
    ...(opts.logDestination ? { logDestination: opts.logDestination } : {}),
  });
  return {
    ...server,
    dialect,
    dataDir: db.dataDir,
    async close() {
      await server.close();
      if (!opts.database) await db.drop();
    },
  };
}
