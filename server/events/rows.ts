// Writes that skip the unit of work, for the hot path (reporting progress: issue 9), made to look
// exactly like the flush's: the rows are MikroORM's prepared values of the same entities, a change
// is guarded by the row's version like any optimistic-locked flush (CONFLICT when it moved), and
// the audit entries are made from them by the same `recordChange` the flush subscriber uses, so
// `inTransaction` writes the audit and outbox rows of these changes as of any other.
import type { EntityManager, EntityMetadata } from '@mikro-orm/core';
import { sqlRows, valuesList } from '../db/sql';
import { conflict } from '../errors';
import { recordChange, type AuditScope } from '../modules/audit/audit.subscriber';

/** An entity row with the columns every versioned row has. */
interface VersionedRow {
  id: string;
  version: number;
  updatedAt: Date;
}

/** Inserts a new entity's row (its prepared values, one statement) and keeps its audit entry (CREATE). */
export async function insertRow(em: EntityManager, entity: object, scope: AuditScope): Promise<void> {
  const meta = metaOf(em, entity);
  const data = em.getComparator().prepareEntity(entity) as Record<string, unknown>;
  const fields = Object.keys(data);
  await sqlRows(
    em,
    `insert into ${meta.tableName} (${fields.map((f) => columnOf(meta, f)).join(', ')}) values ${valuesList(1, fields.length)}`,
    fields.map((f) => data[f]),
  );
  recordChange(scope, entity, meta, data, null);
}

/**
 * Applies `change` to a managed entity (just read) and writes what it changed: one update guarded
 * by the entity's version (0 rows: someone else wrote it since it was read, CONFLICT), the audit
 * entry of what changed, and the entity left clean in the entity manager with its new version and
 * `updatedAt` (nothing for the flush to do). The version moves even when `change` changed no field.
 */
export async function updateVersioned<T extends VersionedRow>(
  em: EntityManager,
  entity: T,
  scope: AuditScope,
  change: (entity: T) => void,
): Promise<void> {
  // `updatedAt` is the real time of the write, as the entity's onUpdate makes it.
  const updatedAt = new Date();
  const meta = metaOf(em, entity);
  const comparator = em.getComparator();
  const before = comparator.prepareEntity(entity) as Record<string, unknown>;
  change(entity);
  const changed = comparator.getEntityComparator(meta.className)(before, comparator.prepareEntity(entity)) as Record<string, unknown>;
  const fields = Object.keys(changed);
  const version = columnOf(meta, 'version');
  const updated = await sqlRows(
    em,
    `update ${meta.tableName} set ${fields.map((f) => `${columnOf(meta, f)} = ?, `).join('')}${columnOf(meta, 'updatedAt')} = ?, ${version} = ${version} + 1 where ${columnOf(meta, 'id')} = ? and ${version} = ? returning ${version}`,
    [...fields.map((f) => changed[f]), updatedAt, entity.id, entity.version],
  );
  if (updated.length === 0) throw conflict(meta.className);
  entity.version = Number(updated[0]![version]);
  entity.updatedAt = updatedAt;
  em.getUnitOfWork().register(entity, comparator.prepareEntity(entity), { refresh: true });
  recordChange(scope, entity, meta, changed, before);
}

function metaOf(em: EntityManager, entity: object): EntityMetadata {
  return em.getMetadata().get(entity.constructor.name);
}

/** The column of a (scalar or many-to-one) property. */
function columnOf(meta: EntityMetadata, field: string): string {
  const column = meta.properties[field as never]?.fieldNames?.[0];
  if (!column) throw new Error(`${meta.className}.${field} has no column`);
  return column;
}
