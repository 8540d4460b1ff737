import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { TestProject } from 'vitest/node';
import { PG_ADMIN_URL } from './db';
import { TEMPLATE_PREFIX, templateRoot } from './template-names';

declare module 'vitest' {
  export interface ProvidedContext {
    /** This run's id: the demo and empty templates of the run are named after it (templates.ts). */
    templateRun: string;
  }
}

/** Templates older than this are left over from a run that was killed: dropped at the next start. */
const STALE_MS = 6 * 3_600_000;

/**
 * Once per `vitest run`: names this run's database templates (seeded lazily by the first file that
 * needs one, see templates.ts) and drops them at the end, with any left over by a killed run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const run = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  project.provide('templateRun', run);
  await dropTemplates((name) => {
    const born = parseInt(name.slice(TEMPLATE_PREFIX.length).split('_')[0] ?? '', 36);
    return !Number.isFinite(born) || Date.now() - born > STALE_MS;
  });
  return () => dropTemplates((name) => name.startsWith(`${TEMPLATE_PREFIX}${run}_`));
}

async function dropTemplates(which: (name: string) => boolean): Promise<void> {
  const root = templateRoot();
  for (const entry of fs.existsSync(root) ? fs.readdirSync(root) : []) {
    if (which(`${TEMPLATE_PREFIX}${entry}`)) fs.rmSync(path.join(root, entry), { recursive: true, force: true });
  }
  const client = new Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
  } catch {
    return; // No PostgreSQL here: nothing of ours can be in it (db.ts says so loudly where it matters).
  }
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `${TEMPLATE_PREFIX}%`,
    ]);
    for (const { datname } of rows.filter((r) => which(r.datname))) {
      await client.query(`ALTER DATABASE ${datname} WITH IS_TEMPLATE false`);
      await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}
