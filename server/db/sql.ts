import type { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';

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
