// Writes that skip the unit of work, for the hot path (reporting progress: issue 9), made to look
// exactly like the flush's: the rows are MikroORM's prepared values of the same entities, a change
// is guarded by the row's version like any optimistic-locked flush (CONFLICT when it moved), and
// the audit entries are made from them by the same `recordChange` the flush subscriber uses, so
// `inTransaction` writes the audit and outbox rows of these changes as of any other.
import { ReferenceKind, type EntityManager, type EntityMetadata, type EntityProperty } from '@mikro-orm/core';
import { sqlRows, valuesList } from '../db/sql';
import { conflict } from '../errors';
import { AuditAction, type AuditEntry } from '../modules/audit/audit.entity';
import { auditValues, changesOf, entryOf, recordAuditValues, recordChange, type AuditScope } from '../modules/audit/audit.subscriber';

/** An entity row with the columns every versioned row has. */
interface VersionedRow {
  id: string;
  version: number;
  updatedAt: Date;
}

/** Bound values per statement of a multi-row insert (PostgreSQL allows 65,535; SQLite 32,766). */
const MAX_BOUND = 30_000;

/** Inserts a new entity's row (its prepared values, one statement) and keeps its audit entry (CREATE). */
export async function insertRow(em: EntityManager, entity: object, scope: AuditScope): Promise<void> {
  await insertRows(em, [entity], scope);
}

/**
 * Inserts new entities' rows, a multi-row statement per entity type (and set of columns), at most
 * `MAX_BOUND` values each, and keeps a CREATE audit entry per entity; the entries in the entities'
 * order (a caller may add to them, e.g. the import's supporting OPDs). Columns are the entity's
 * scalar and many-to-one properties; collections are the caller's (their pivot rows).
 */
export async function insertRows(em: EntityManager, entities: readonly object[], scope: AuditScope): Promise<AuditEntry[]> {
  const groups = new Map<string, { meta: EntityMetadata; fields: string[]; rows: { entity: object; data: Record<string, unknown> }[] }>();
  for (const entity of entities) {
    const meta = metaOf(em, entity);
    const data = em.getComparator().prepareEntity(entity) as Record<string, unknown>;
    const fields = columnsOf(meta, data);
    const key = `${meta.className}:${fields.join()}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { meta, fields, rows: [] }));
    group.rows.push({ entity, data });
  }
  const entries = new Map<object, AuditEntry>();
  for (const { meta, fields, rows } of groups.values()) {
    const per = Math.max(1, Math.floor(MAX_BOUND / fields.length));
    for (let i = 0; i < rows.length; i += per) {
      const part = rows.slice(i, i + per);
      await sqlRows(
        em,
        `insert into ${meta.tableName} (${fields.map((f) => columnOf(meta, f)).join(', ')}) values ${valuesList(part.length, fields.length)}`,
        part.flatMap((r) => fields.map((f) => r.data[f] ?? null)),
      );
    }
    for (const { entity, data } of rows) entries.set(entity, recordChange(scope, entity, meta, data, null)!);
  }
  return entities.map((e) => entries.get(e)!);
}

/** The fields of a row an insert writes: the entity's scalar and many-to-one properties that have a value. */
function columnsOf(meta: EntityMetadata, data: Record<string, unknown>): string[] {
  return Object.keys(data).filter((f) => {
    const kind = (meta.properties[f as never] as EntityProperty | undefined)?.kind;
    return kind === ReferenceKind.SCALAR || kind === ReferenceKind.MANY_TO_ONE;
  });
}

/** One table's rows of an `InsertBatch`: their values one after the other. */
interface InsertGroup {
  meta: EntityMetadata;
  fields: string[];
  values: unknown[];
}

/**
 * New entities' rows and their CREATE audit rows, as `insertRows` writes them, for a long run of
 * inserts (an import): each entity's prepared values and audit entry are copied into flat arrays
 * of statement values as it is added, so nothing of the entity, its prepared data or its entry
 * outlives `add` — objects kept across a statement's round trip are promoted to V8's old
 * generation and stay there as garbage until a full collection. The audit entries are not kept
 * in the scope: they make no city event (the caller records its own). `run` writes and empties it.
 */
export class InsertBatch {
  private groups = new Map<string, InsertGroup>();
  private audit: unknown[] = [];

  constructor(
    private readonly em: EntityManager,
    private readonly scope: AuditScope,
  ) {}

  /** Adds a new entity's row; `extra` is added to its audit entry's changes (e.g. a collection's rows the caller writes). */
  add(entity: object, extra?: AuditEntry['changes']): void {
    const meta = metaOf(this.em, entity);
    const data = this.em.getComparator().prepareEntity(entity) as Record<string, unknown>;
    const fields = columnsOf(meta, data);
    const key = `${meta.className}:${fields.join()}`;
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = { meta, fields, values: [] }));
    for (const f of fields) group.values.push(data[f] ?? null);
    const changes = changesOf(meta, data, null);
    if (extra) Object.assign(changes, extra);
    this.audit.push(...auditValues(entryOf(this.scope, AuditAction.CREATE, entity, meta, changes)));
  }

  /** Writes the rows added since the last run, then their audit rows. */
  async run(): Promise<void> {
    const groups = [...this.groups.values()];
    const audit = this.audit;
    this.groups = new Map();
    this.audit = [];
    for (const { meta, fields, values } of groups) {
      const per = Math.max(1, Math.floor(MAX_BOUND / fields.length)) * fields.length;
      for (let i = 0; i < values.length; i += per) {
        const part = values.length <= per ? values : values.slice(i, i + per);
        await sqlRows(
          this.em,
          `insert into ${meta.tableName} (${fields.map((f) => columnOf(meta, f)).join(', ')}) values ${valuesList(part.length / fields.length, fields.length)}`,
          part,
        );
      }
    }
    for (let i = 0; i < audit.length; i += MAX_BOUND) await recordAuditValues(this.em, audit.slice(i, i + MAX_BOUND));
  }
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
