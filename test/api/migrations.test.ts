import { afterAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/core';
import { openOrm } from '../../server/db/orm';
import { postgresMigrations } from '../../server/db/migrations/postgres';
import { sqliteMigrations } from '../../server/db/migrations/sqlite';
import { loadSettings } from '../../server/env';
import { City } from '../../server/modules/cities/city.entity';
import { User } from '../../server/modules/users/user.entity';
import { prepareDatabase } from '../../server/server';
import { createTestDatabase, testDialects, type TestDatabase } from '../helpers/db';

describe.each(await testDialects())('migrations on %s', (dialect) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const fn of cleanup.reverse()) await fn();
  });

  async function fresh(): Promise<{ db: TestDatabase; orms: MikroORM[] }> {
    const db = await createTestDatabase(dialect);
    const orms = [await openOrm(db.target), await openOrm(db.target)];
    cleanup.push(async () => {
      for (const orm of orms) await orm.close(true);
      await db.drop();
    });
    return { db, orms };
  }

  it('two instances starting together on one empty database migrate and seed once', async () => {
    const { db, orms } = await fresh();
    const settings = loadSettings({ DATA_DIR: db.dataDir, PANTAU_DEMO: 'true', JWT_SECRET: 'x'.repeat(40) });
    const now = () => new Date('2026-11-23T03:00:00Z');
    await Promise.all(orms.map((orm) => prepareDatabase(orm, db.target, settings, now, () => {})));
    const em = orms[0]!.em.fork();
    const executed = await orms[0]!.getMigrator().getExecutedMigrations();
    const all = dialect === 'postgres' ? postgresMigrations : sqliteMigrations;
    expect(executed.map((m) => m.name)).toEqual(all.map((m) => m.name));
    expect(await orms[1]!.getMigrator().getPendingMigrations()).toEqual([]);
    expect(await em.count(City, {})).toBe(2);
    expect(await em.count(User, { email: 'admin@pantau.demo' })).toBe(1);
  });

  it('leaves a schema identical to what the entities describe (migrations are not stale)', async () => {
    const { orms } = await fresh();
    await orms[0]!.getMigrator().up();
    if (dialect === 'postgres') {
      const diff = await orms[0]!.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
      expect(diff.trim()).toBe('');
      return;
    }
    // MikroORM's SQLite differ always proposes to rebuild tables, so compare the real schema of a
    // migrated database with one the ORM creates straight from the entities.
    // (SQLite indexes foreign keys itself, so explicit @Index() lines come out twice; the migration
    // generator keeps one, and so does this.)
    const { orms: direct } = await fresh();
    const sql = await direct[0]!.getSchemaGenerator().getCreateSchemaSQL({ wrap: false });
    const unique = [
      ...new Set(
        sql
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean),
      ),
    ];
    for (const statement of unique) await direct[0]!.em.getConnection().execute(statement);
    expect(await sqliteFingerprint(orms[0]!)).toEqual(await sqliteFingerprint(direct[0]!));
  });
});

/** Tables with their columns (name, type, not null, default, primary key) and every index, sorted. */
async function sqliteFingerprint(orm: MikroORM): Promise<string[]> {
  const conn = orm.em.getConnection();
  const tables = await conn.execute<{ name: string }[]>(
    "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name <> 'mikro_orm_migrations' order by name",
  );
  const out: string[] = [];
  for (const { name } of tables) {
    const cols = await conn.execute<{ name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[]>(
      `pragma table_info(\`${name}\`)`,
    );
    for (const c of cols) out.push(`${name}.${c.name} ${c.type} ${c.notnull} ${c.dflt_value} ${c.pk}`);
    const fks = await conn.execute<{ table: string; from: string; to: string }[]>(`pragma foreign_key_list(\`${name}\`)`);
    for (const f of fks) out.push(`${name}.${f.from} -> ${f.table}.${f.to}`);
  }
  const indexes = await conn.execute<{ name: string; sql: string | null }[]>(
    "select name, sql from sqlite_master where type = 'index' and name not like 'sqlite_%'",
  );
  for (const i of indexes) out.push(`index ${i.name} ${i.sql}`);
  return out.sort();
}
