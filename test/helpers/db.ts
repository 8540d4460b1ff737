import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { DatabaseTarget, Dialect } from '../../server/db/orm';
import type { TemplateSource } from './template-names';

/** Where test databases are created on the local PostgreSQL (trust auth). */
export const PG_ADMIN_URL = process.env.PANTAU_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let pgAvailable: Promise<boolean> | null = null;

/** Whether the local PostgreSQL answers. Under CI=true a missing server fails the run instead of skipping. */
export function postgresAvailable(): Promise<boolean> {
  pgAvailable ??= (async () => {
    const client = new Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch (error) {
      if (process.env.CI === 'true')
        throw new Error(`PostgreSQL is required in CI but ${PG_ADMIN_URL} does not answer: ${String(error)}`, { cause: error });
      console.warn(`\n!!! PostgreSQL at ${PG_ADMIN_URL} is not reachable: PostgreSQL tests are SKIPPED (${String(error)}) !!!\n`);
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return pgAvailable;
}

/** The dialects to run API tests on: SQLite always, PostgreSQL when it answers (always in CI). */
export async function testDialects(): Promise<Dialect[]> {
  return (await postgresAvailable()) ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A fresh, empty database of its own for one test file, and how to drop it. */
export interface TestDatabase {
  target: DatabaseTarget;
  /** For SQLite: the folder holding the file (the server's DATA_DIR). */
  dataDir: string;
  drop(): Promise<void>;
}

/**
 * Creates a database of its own: a temp SQLite file, or a new PostgreSQL database named after a
 * random id; empty, or a copy of `from` (a template of the same dialect, see templates.ts).
 */
export async function createTestDatabase(dialect: Dialect, from?: TemplateSource): Promise<TestDatabase> {
  if (from && from.dialect !== dialect) throw new Error(`a ${from.dialect} template cannot make a ${dialect} database`);
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pantau-test-'));
  if (dialect === 'sqlite') {
    if (from?.dialect === 'sqlite') await fs.cp(from.folder, dataDir, { recursive: true });
    return {
      target: { dialect: 'sqlite', file: path.join(dataDir, 'pantau.sqlite') },
      dataDir,
      drop: () => fs.rm(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `pantau_t_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}${from?.dialect === 'postgres' ? ` TEMPLATE ${from.database}` : ''}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    target: { dialect: 'postgres', url: url.toString() },
    dataDir,
    async drop() {
      const c = new Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
