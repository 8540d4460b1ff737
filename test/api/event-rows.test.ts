import type { MikroORM } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../server/db/migrate';
import { openOrm } from '../../server/db/orm';
import { AppError, ErrorCode } from '../../server/errors';
import { insertRow, insertRows, updateVersioned } from '../../server/events/rows';
import type { AuditScope } from '../../server/modules/audit/audit.subscriber';
import { City } from '../../server/modules/cities/city.entity';
import { createTestDatabase, testDialects, type TestDatabase } from '../helpers/db';

/*
 * events/rows.ts: the hand-written insert and version-guarded update of the hot write path
 * (`reportProgress`), on a real database of each dialect: they write what a flush would, keep the
 * same audit entries, leave the entity clean, and answer CONFLICT when the row moved.
 */
describe.each(await testDialects())('hand-written rows on %s', (dialect) => {
  let db: TestDatabase;
  let orm: MikroORM;
  const statements: string[] = [];
  const scope = (): AuditScope => ({ principal: null, requestId: 'rows-test', written: [] });

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    orm = await openOrm(db.target, (sql) => statements.push(sql), { createDatabase: true });
    await migrate(orm);
  });
  afterAll(async () => {
    await orm?.close(true);
    await db?.drop();
  });

  it('inserts a new row with its prepared values and keeps its CREATE audit entry', async () => {
    const s = scope();
    const city = new City('Kota Uji', 'Kepulauan Riau');
    await orm.em.fork().transactional((em) => insertRow(em, city, s));
    const row = await orm.em.fork().findOneOrFail(City, { id: city.id });
    expect([row.name, row.province, row.version, row.timeZone]).toEqual(['Kota Uji', 'Kepulauan Riau', 1, city.timeZone]);
    expect(s.written).toHaveLength(1);
    expect(s.written[0]!.entry).toMatchObject({ action: 'CREATE', entity: 'City', entityId: city.id });
    expect(s.written[0]!.entry.changes.name).toEqual({ before: null, after: 'Kota Uji' });
  });

  it('inserts many rows a statement per type, every value as prepared, and returns their CREATE entries in order', async () => {
    const s = scope();
    const cities = Array.from({ length: 250 }, (_, i) => new City(`Kota Banyak ${i}`, i % 2 ? 'Riau' : 'Jambi'));
    const entries = await orm.em.fork().transactional((em) => insertRows(em, cities, s));
    expect(entries.map((e) => e.entityId)).toEqual(cities.map((c) => c.id));
    expect(new Set(entries.map((e) => `${e.action} ${e.entity}`))).toEqual(new Set(['CREATE City']));
    expect(s.written).toHaveLength(250);
    const rows = await orm.em.fork().find(City, { name: { $like: 'Kota Banyak %' } }, { orderBy: { name: 'asc' } });
    expect(rows).toHaveLength(250);
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const c of cities)
      expect([byId.get(c.id)?.name, byId.get(c.id)?.province, byId.get(c.id)?.version]).toEqual([c.name, c.province, 1]);
  });

  it('updates a row guarded by its version, audits only what changed and leaves the entity clean', async () => {
    const city = new City('Kota Dua', 'Riau');
    await orm.em.fork().transactional((em) => insertRow(em, city, scope()));
    const s = scope();
    const em = orm.em.fork();
    const loaded = await em.findOneOrFail(City, { id: city.id });
    const before = loaded.updatedAt.getTime();
    await em.transactional(async (tx) => {
      const managed = await tx.findOneOrFail(City, { id: city.id });
      await updateVersioned(tx, managed, s, (c) => {
        c.name = 'Kota Dua Baru';
      });
      expect(managed.version).toBe(2);
      expect(managed.updatedAt.getTime()).toBeGreaterThanOrEqual(before);
      // Nothing left for the flush: it writes no statement.
      const count = statements.length;
      await tx.flush();
      expect(statements.slice(count).filter((q) => /^\s*update/i.test(q))).toEqual([]);
    });
    const row = await orm.em.fork().findOneOrFail(City, { id: city.id });
    expect([row.name, row.version]).toEqual(['Kota Dua Baru', 2]);
    expect(s.written.map((w) => [w.entry.action, Object.keys(w.entry.changes)])).toEqual([['UPDATE', ['name']]]);
    expect(s.written[0]!.entry.changes.name).toEqual({ before: 'Kota Dua', after: 'Kota Dua Baru' });
  });

  it('moves the version even when nothing changed, and answers CONFLICT (nothing written) when the row moved since it was read', async () => {
    const city = new City('Kota Tiga', 'Riau');
    await orm.em.fork().transactional((em) => insertRow(em, city, scope()));
    const staleEm = orm.em.fork();
    const stale = await staleEm.findOneOrFail(City, { id: city.id });
    const fresh = orm.em.fork();
    await fresh.transactional(async (tx) => updateVersioned(tx, await tx.findOneOrFail(City, { id: city.id }), scope(), () => {}));
    expect((await orm.em.fork().findOneOrFail(City, { id: city.id })).version).toBe(2);

    const s = scope();
    const error = await staleEm
      .transactional((tx) =>
        updateVersioned(tx, stale, s, (c) => {
          c.name = 'Kalah';
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).extensions).toMatchObject({ code: ErrorCode.CONFLICT, entity: 'City' });
    expect(s.written).toEqual([]);
    expect((await orm.em.fork().findOneOrFail(City, { id: city.id })).name).toBe('Kota Tiga');
  });
});
