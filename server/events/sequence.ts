// The one owner of the `city_sequences` table: the last number given out per city (the city's
// `seq`, one row per city) and, under the key `revocations`, the revocation log's. Every other file
// asks here; the architecture test (test/unit/architecture.test.ts) keeps it so.
import { Entity, PrimaryKey, Property, type EntityManager, type MikroORM } from '@mikro-orm/core';
import { readRows, sqlRows } from '../db/sql';

/**
 * The last sequence number given out per city (one row per city, incremented in each writing
 * transaction), and under the key `revocations` (no city id) the last revocation's.
 */
@Entity({ tableName: 'city_sequences' })
export class CitySequence {
  @PrimaryKey({ type: 'string', length: 36 })
  cityId!: string;

  @Property({ type: 'integer' })
  seq: number = 0;
}

/**
 * Gives out the next `count` numbers under `key` (a city id, or `revocations`) in the current
 * transaction; returns the last.
 */
export async function nextSeq(em: EntityManager, key: string, count: number): Promise<number> {
  // One statement on both databases; on PostgreSQL its row lock orders concurrent writers of a city
  // by commit, so sequence order is commit order.
  const rows = await sqlRows<{ seq: number | string }>(
    em,
    'insert into city_sequences (city_id, seq) values (?, ?) on conflict (city_id) do update set seq = city_sequences.seq + excluded.seq returning seq',
    [key, count],
  );
  const seq = Number(rows[0]?.seq);
  if (!Number.isInteger(seq)) throw new Error('city sequence did not advance');
  return seq;
}

/** The newest sequence number of a city (0 before any change) through `em`: one SQL statement. */
export async function readCitySeq(em: EntityManager, cityId: string): Promise<number> {
  const rows = (await em.getConnection().execute('select seq from city_sequences where city_id = ?', [cityId])) as {
    seq: number | string;
  }[];
  return rows[0] ? Number(rows[0].seq) : 0;
}

/** The newest sequence number of a city (0 before any change), on a fresh entity manager. */
export function latestSeq(orm: MikroORM, cityId: string): Promise<number> {
  return readCitySeq(orm.em.fork(), cityId);
}

/**
 * The newest sequence number of each of `cityIds` that has one (a city before any change has no
 * row): one SQL statement, none for no city.
 */
export async function readCitySeqs(em: EntityManager, cityIds: readonly string[]): Promise<Map<string, number>> {
  if (cityIds.length === 0) return new Map();
  const rows = (await em
    .getConnection()
    .execute(`select city_id, seq from city_sequences where city_id in (${cityIds.map(() => '?').join(', ')})`, [...cityIds])) as {
    city_id: string;
    seq: number | string;
  }[];
  return new Map(rows.map((r) => [String(r.city_id), Number(r.seq)]));
}

/**
 * A city's newest sequence number (0 before any change) and its time zone, straight from the pool
 * outside any transaction (one prepared statement, for a path that runs on every request); null for
 * an unknown city.
 */
export async function readCityState(orm: MikroORM, cityId: string): Promise<{ seq: number; timeZone: string } | null> {
  const [row] = await readRows<{ seq: number | string | null; time_zone: string }>(
    orm,
    'pantau_city_state',
    'select s.seq, c.time_zone from cities c left join city_sequences s on s.city_id = c.id where c.id = ?',
    [cityId],
  );
  return row ? { seq: Number(row.seq ?? 0), timeZone: row.time_zone } : null;
}
