import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { BoundPostgreSqlConnection } from './bound';

/**
 * Runs one statement on the entity manager's connection, inside its transaction when it has one,
 * and returns the rows (`?` placeholders; every value is bound: see `bound.ts`). For the few hot
 * writes and reads that skip the unit of work.
 */
export function sqlRows<T = Record<string, unknown>>(em: EntityManager, sql: string, params: readonly unknown[]): Promise<T[]> {
  return (em as SqlEntityManager).execute<T[]>(sql, [...params], 'all');
}

/** `(?, ?, …), (?, ?, …)`: the values list of a multi-row insert of `rows` rows of `columns` columns. */
export function valuesList(rows: number, columns: number): string {
  const row = `(${Array.from({ length: columns }, () => '?').join(', ')})`;
  return Array.from({ length: rows }, () => row).join(', ');
}

interface PoolClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: Record<string, unknown>[] }>;
}
interface KnexClient {
  acquireConnection(): Promise<PoolClient>;
  releaseConnection(connection: PoolClient): Promise<void>;
}

/** PostgreSQL's `$1…` text of a `?` statement, made once per statement. */
const numberedTexts = new Map<string, string>();
function numbered(sql: string): string {
  let text = numberedTexts.get(sql);
  if (text === undefined) {
    let n = 0;
    text = sql.replace(/\?/g, () => `$${++n}`);
    numberedTexts.set(sql, text);
  }
  return text;
}

/**
 * One read outside any transaction for a path that runs on every request (`?` placeholders). On
 * PostgreSQL it goes straight to a pooled connection as a named prepared statement — planned once
 * per connection, and no ORM or query-builder layer (a third of the CPU of `connection.execute`);
 * on SQLite through the connection as usual. `name` identifies the statement: one name, one text.
 */
export async function readRows<T = Record<string, unknown>>(
  orm: MikroORM,
  name: string,
  sql: string,
  params: readonly unknown[],
): Promise<T[]> {
  const connection = orm.em.getConnection();
  if (!(connection instanceof BoundPostgreSqlConnection)) return (await connection.execute(sql, [...params])) as T[];
  const client = (connection as unknown as { getKnex(): { client: KnexClient } }).getKnex().client;
  const pg = await client.acquireConnection();
  try {
    return (await pg.query({ name, text: numbered(sql), values: [...params] })).rows as T[];
  } finally {
    await client.releaseConnection(pg);
  }
}

/** A timestamp column as the drivers return it (a Date on PostgreSQL, a number or text on SQLite) in epoch milliseconds. */
export function epochMs(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number' || typeof value === 'bigint') return Number(value);
  const text = String(value);
  return /^\d+$/.test(text) ? Number(text) : Date.parse(text);
}

/** A timestamp column as the drivers return it, as a `Date` (what the entity would hold). */
export function dateColumn(value: unknown): Date {
  return value instanceof Date ? value : new Date(epochMs(value));
}
