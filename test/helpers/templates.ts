import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';
import { inject } from 'vitest';
import type { Dialect } from '../../server/db/orm';
import { PG_ADMIN_URL, type TestDatabase } from './db';
import { TEMPLATE_PREFIX, templateRoot, type TemplateSource } from './template-names';

/** What a template holds: the migrated schema with the demo seed, or the migrated schema only. */
export type TemplateKind = 'demo' | 'empty';

const made = new Map<string, Promise<TemplateSource>>();

/**
 * This run's template of `kind` on `dialect`, made once per run by whichever worker asks first
 * (the others wait for it): `prepare` migrates (and seeds) a fresh database exactly as a server
 * start does. Each test file then gets its own clone in milliseconds (`CREATE DATABASE … TEMPLATE`,
 * a folder copy) instead of migrating and seeding its own. Null outside a vitest run with the
 * global setup (the bench, scripts): the caller prepares its database itself.
 */
export function templateFor(
  dialect: Dialect,
  kind: TemplateKind,
  prepare: (db: TestDatabase) => Promise<void>,
  create: () => Promise<TestDatabase>,
): Promise<TemplateSource> | null {
  let run: string | undefined;
  try {
    run = inject('templateRun');
  } catch {
    return null;
  }
  if (!run) return null;
  const name = `${TEMPLATE_PREFIX}${run}_${kind}`;
  const key = `${dialect}:${name}`;
  let source = made.get(key);
  if (!source) {
    source = dialect === 'postgres' ? pgTemplate(name, prepare, create) : sqliteTemplate(`${run}_${kind}`, prepare, create);
    made.set(key, source);
  }
  return source;
}

async function pgTemplate(
  name: string,
  prepare: (db: TestDatabase) => Promise<void>,
  create: () => Promise<TestDatabase>,
): Promise<TemplateSource> {
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  const lock = createHash('sha256').update(name).digest().readBigInt64BE(0);
  try {
    await admin.query('SELECT pg_advisory_lock($1)', [lock]);
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      // Prepared under another name and renamed when complete: a killed worker leaves no half template.
      const db = await create();
      await prepare(db);
      if (db.target.dialect !== 'postgres') throw new Error('a PostgreSQL template needs a PostgreSQL database');
      const draft = new URL(db.target.url).pathname.slice(1);
      await admin.query(`ALTER DATABASE ${draft} RENAME TO ${name}`);
      await admin.query(`ALTER DATABASE ${name} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
      await fs.rm(db.dataDir, { recursive: true, force: true });
    }
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1)', [lock]).catch(() => {});
    await admin.end();
  }
  return { dialect: 'postgres', database: name };
}

async function sqliteTemplate(
  name: string,
  prepare: (db: TestDatabase) => Promise<void>,
  create: () => Promise<TestDatabase>,
): Promise<TemplateSource> {
  const root = templateRoot();
  const folder = path.join(root, name);
  const lock = `${folder}.lock`;
  await fs.mkdir(root, { recursive: true });
  for (const end = Date.now() + 180_000; ;) {
    try {
      await fs.mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() > end) throw new Error(`${lock} is held for too long`, { cause: error });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    if (!(await exists(folder))) {
      const db = await create();
      await prepare(db);
      const draft = path.join(root, `.draft-${randomBytes(4).toString('hex')}`);
      await fs.cp(db.dataDir, draft, { recursive: true, filter: (src) => !src.endsWith('.lock') });
      await fs.rename(draft, folder);
      await db.drop();
    }
  } finally {
    await fs.rm(lock, { recursive: true, force: true });
  }
  return { dialect: 'sqlite', folder };
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}
