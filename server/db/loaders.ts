import DataLoader from 'dataloader';
import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import type { Ctor } from '../util/ids';

type WithId = { id: string };

/**
 * DataLoaders made on demand, one per entity (by id) or per (entity, foreign key) (children of a
 * parent), so a list of N objects resolves a nested field with one SQL statement, not N.
 */
export class Loaders {
  private readonly loaders = new Map<string, DataLoader<string, unknown>>();

  constructor(private readonly em: EntityManager) {}

  /** Loads rows of `entity` by id; a missing id gives null. */
  byId<T extends WithId>(entity: Ctor<T>): DataLoader<string, T | null> {
    const key = `id:${this.nameOf(entity)}`;
    let loader = this.loaders.get(key) as DataLoader<string, T | null> | undefined;
    if (!loader) {
      loader = new DataLoader<string, T | null>(async (ids) => {
        const rows = (await this.em.find(entity, { id: { $in: [...ids] } })) as T[];
        const byId = new Map(rows.map((r) => [r.id, r]));
        return ids.map((id) => byId.get(id) ?? null);
      });
      this.loaders.set(key, loader);
    }
    return loader;
  }

  /** Loads the non-archived rows of `entity` whose `foreignKey` is each parent id, ordered by `orderBy`. */
  childrenOf<T extends WithId>(
    entity: Ctor<T>,
    foreignKey: string,
    orderBy: Record<string, 'asc' | 'desc'> = { id: 'asc' },
  ): DataLoader<string, T[]> {
    const key = `children:${this.nameOf(entity)}:${foreignKey}:${JSON.stringify(orderBy)}`;
    let loader = this.loaders.get(key) as DataLoader<string, T[]> | undefined;
    if (!loader) {
      loader = new DataLoader<string, T[]>(async (parentIds) => {
        const where = { [foreignKey]: { $in: [...parentIds] }, archivedAt: null } as unknown as FilterQuery<T>;
        const rows = (await this.em.find(entity, where, { orderBy: orderBy as never })) as T[];
        const groups = new Map<string, T[]>(parentIds.map((id) => [id, []]));
        for (const row of rows) {
          const ref = (row as unknown as Record<string, { id: string } | string>)[foreignKey];
          const parentId = typeof ref === 'string' ? ref : ref?.id;
          if (parentId) groups.get(parentId)?.push(row);
        }
        return parentIds.map((id) => groups.get(id) ?? []);
      });
      this.loaders.set(key, loader);
    }
    return loader;
  }

  /** Puts already-loaded rows into the by-id loader, so later lookups cost no statement. */
  prime<T extends WithId>(entity: Ctor<T>, rows: T[]): void {
    const loader = this.byId(entity);
    for (const row of rows) loader.prime(row.id, row);
  }

  private nameOf(entity: Ctor<unknown>): string {
    return typeof entity === 'string' ? entity : (entity as { name: string }).name;
  }
}
