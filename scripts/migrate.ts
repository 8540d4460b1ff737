/** Applies pending migrations to the configured database (DATABASE_URL, else the SQLite file). Usage: `npm run db:migrate`. */
import 'reflect-metadata';
import { migrate, withSchemaLock } from '../server/db/migrate';
import { databaseTarget, openOrm } from '../server/db/orm';
import { loadSettings } from '../server/env';

async function main(): Promise<void> {
  const settings = loadSettings({ ...process.env, JWT_SECRET: process.env.JWT_SECRET ?? 'x'.repeat(32) });
  const target = databaseTarget(settings.databaseUrl, settings.dataDir);
  const orm = await openOrm(target);
  try {
    const applied = await withSchemaLock(target, () => migrate(orm));
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Nothing to apply: the schema is up to date.');
  } finally {
    await orm.close(true);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
