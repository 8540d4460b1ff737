import fs from 'node:fs/promises';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import { Client } from 'pg';
import type { DatabaseTarget } from './orm';

/** Advisory-lock key that serialises schema work (migrations and the demo seed) across instances. */
const PG_LOCK_KEY = 727_326_811;

/**
 * Runs `work` while holding a lock that every Pantau instance on this database respects, so two
 * instances starting together on one empty database do not both migrate or both seed.
 * PostgreSQL: a session advisory lock on a dedicated connection. SQLite: a lock file beside the
 * database (created exclusively; a lock older than `staleMs` is taken over).
 */
export async function withSchemaLock<T>(
  target: DatabaseTarget,
  work: () => Promise<T>,
  { timeoutMs = 120_000, staleMs = 300_000 } = {},
): Promise<T> {
  if (target.dialect === 'postgres') {
    const client = new Client({ connectionString: target.url });
    await client.connect();
    try {
      await client.query(`SET statement_timeout = ${Math.floor(timeoutMs)}`);
      await client.query('SELECT pg_advisory_lock($1)', [PG_LOCK_KEY]);
      try {
        return await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [PG_LOCK_KEY]);
      }
    } finally {
      await client.end();
    }
  }
  const lockFile = `${target.file}.lock`;
  await fs.mkdir(path.dirname(lockFile), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await fs.open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const stat = await fs.stat(lockFile).catch(() => null);
      if (stat && Date.now() - stat.mtimeMs > staleMs) await fs.rm(lockFile, { force: true });
      if (Date.now() > deadline) throw new Error(`Timed out waiting for the schema lock ${lockFile}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await work();
  } finally {
    await fs.rm(lockFile, { force: true });
  }
}

/** Applies pending migrations; returns the names applied. Call inside `withSchemaLock`. */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}
