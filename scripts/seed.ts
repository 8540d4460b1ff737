/**
 * Seeds the demo cities into the configured database if it has no city yet (`npm run db:seed`).
 * Refuses a database that already has data, so it can never mix demo rows into real ones.
 */
import 'reflect-metadata';
import { migrate, withSchemaLock } from '../server/db/migrate';
import { databaseTarget, openOrm } from '../server/db/orm';
import { seedDemo } from '../server/db/seed/demo';
import { loadSettings } from '../server/env';
import { City } from '../server/modules/cities/city.entity';
import { todayIn } from '../server/util/dates';

async function main(): Promise<void> {
  const settings = loadSettings({ ...process.env, JWT_SECRET: process.env.JWT_SECRET ?? 'x'.repeat(32) });
  const target = databaseTarget(settings.databaseUrl, settings.dataDir);
  const orm = await openOrm(target);
  try {
    await withSchemaLock(target, async () => {
      await migrate(orm);
      const em = orm.em.fork();
      if ((await em.count(City, {})) > 0) {
        console.error('The database already has cities: the demo seed only goes into an empty database.');
        process.exitCode = 1;
        return;
      }
      const now = new Date();
      const result = await em.transactional((tx) => seedDemo(tx, { today: todayIn('Asia/Jakarta', now), now }));
      console.log(
        `Seeded ${result.cities} cities, ${result.actionPlans} action plans, ${result.progressReports} progress reports, ${result.users} users.`,
      );
    });
  } finally {
    await orm.close(true);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
