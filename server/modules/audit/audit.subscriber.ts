import { AsyncLocalStorage } from 'node:async_hooks';
import { ChangeSetType, type EntityManager, type EventSubscriber, type FlushEventArgs, type EntityMetadata } from '@mikro-orm/core';
import type { Principal } from '../../auth/policy';
import { sqlRows, valuesList } from '../../db/sql';
import type { City } from '../cities/city.entity';
import type { User } from '../users/user.entity';
import { AuditAction, AuditEntry } from './audit.entity';

/** Who is writing, for the audit rows of the writes made inside `auditScope.run(...)`. */
export interface AuditScope {
  principal: Principal | null;
  requestId: string;
  /** Filled by the subscriber: every audit entry written in this scope, with the plan it concerns. */
  written: { entry: AuditEntry; actionPlanId: string | null }[];
}

/** Set around every API write (see `inTransaction`); writes outside it (seed, boot) are not audited. */
export const auditScope = new AsyncLocalStorage<AuditScope>();

// Noise that every write changes.
const SKIPPED = new Set(['updatedAt', 'version']);

function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object' && 'id' in value) return value.id;
  return value ?? null;
}

/** The action plan an object belongs to (itself for a plan), when that is known without loading. */
function actionPlanIdOf(entity: object, meta: EntityMetadata): string | null {
  if (meta.className === 'ActionPlan') return (entity as { id: string }).id;
  const e = entity as { actionPlan?: { id: string }; indicator?: { actionPlan?: { id: string } } };
  return e.actionPlan?.id ?? e.indicator?.actionPlan?.id ?? null;
}

function cityIdOf(entity: object, meta: EntityMetadata): string | null {
  if (meta.className === 'City') return (entity as { id: string }).id;
  const city = (entity as { city?: { id: string } | null }).city;
  return city?.id ?? null;
}

/**
 * An audit entry of the scope's writer (not yet written: `recordAudit` writes the scope's entries
 * in its transaction). `cityId` null: a platform-level object.
 */
export function auditEntry(
  scope: AuditScope,
  action: AuditAction,
  entity: string,
  entityId: string,
  cityId: string | null,
  changes: AuditEntry['changes'],
): AuditEntry {
  const entry = new AuditEntry(action, entity, entityId);
  entry.city = cityId ? ({ id: cityId } as City) : null;
  if (scope.principal) {
    entry.actor = { id: scope.principal.userId } as User;
    entry.actorName = `${scope.principal.name} <${scope.principal.email}>`;
  }
  entry.requestId = scope.requestId;
  entry.changes = changes;
  return entry;
}

/** Writes audit entries (one statement) in the current transaction: if the write rolls back, so do they. */
export async function recordAudit(em: EntityManager, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await recordAuditValues(em, entries.flatMap(auditValues));
}

/** The values of an audit entry's row, in `recordAuditValues`' column order (its changes as JSON text). */
export function auditValues(e: AuditEntry): unknown[] {
  return [
    e.id,
    e.at,
    e.city?.id ?? null,
    e.actor?.id ?? null,
    e.actorName,
    e.action,
    e.entity,
    e.entityId,
    JSON.stringify(e.changes),
    e.requestId,
  ];
}

/** Writes audit rows given as `auditValues`, one after the other in one array (one statement). */
export async function recordAuditValues(em: EntityManager, values: readonly unknown[]): Promise<void> {
  if (values.length === 0) return;
  await sqlRows(
    em,
    `insert into audit_log (id, at, city_id, actor_id, actor_name, action, entity, entity_id, changes, request_id) values ${valuesList(values.length / 10, 10)}`,
    values as unknown[],
  );
}

/**
 * Field → { before, after } of one object's change, from MikroORM's prepared values (a change set's
 * payload and original data; `original` null for a CREATE). Hidden fields show as `***`.
 */
export function changesOf(
  meta: EntityMetadata,
  payload: Record<string, unknown>,
  original: Record<string, unknown> | null,
): AuditEntry['changes'] {
  const changes: AuditEntry['changes'] = {};
  for (const [field, after] of Object.entries(payload)) {
    if (SKIPPED.has(field)) continue;
    const prop = meta.properties[field as never] as { hidden?: boolean; name: string } | undefined;
    const before = original === null ? null : plain(original[field]);
    changes[prop?.name ?? field] = prop?.hidden
      ? { before: before === null ? null : '***', after: '***' }
      : { before, after: plain(after) };
  }
  return changes;
}

/** The audit entry of one object's change, by the scope's writer (not kept in the scope). */
export function entryOf(
  scope: AuditScope,
  action: AuditAction,
  entity: object,
  meta: EntityMetadata,
  changes: AuditEntry['changes'],
): AuditEntry {
  return auditEntry(scope, action, meta.className, String((entity as { id: unknown }).id), cityIdOf(entity, meta), changes);
}

/** Keeps in the scope the audit entry of one object's change; returns it. */
function recordEntry(
  scope: AuditScope,
  action: AuditAction,
  entity: object,
  meta: EntityMetadata,
  changes: AuditEntry['changes'],
): AuditEntry {
  const entry = entryOf(scope, action, entity, meta, changes);
  scope.written.push({ entry, actionPlanId: actionPlanIdOf(entity, meta) });
  return entry;
}

/**
 * Keeps in the scope the audit entry of an object created (`original` null) or changed, from
 * MikroORM's prepared values (see `changesOf`); null when a change changed nothing audited. The
 * subscriber calls it for every change set; a write that skips the unit of work calls it itself.
 */
export function recordChange(
  scope: AuditScope,
  entity: object,
  meta: EntityMetadata,
  payload: Record<string, unknown>,
  original: Record<string, unknown> | null,
): AuditEntry | null {
  const changes = changesOf(meta, payload, original);
  if (original === null) return recordEntry(scope, AuditAction.CREATE, entity, meta, changes);
  if (Object.keys(changes).length === 0) return null;
  const archived = changes.archivedAt && changes.archivedAt.before === null && changes.archivedAt.after !== null;
  return recordEntry(scope, archived ? AuditAction.ARCHIVE : AuditAction.UPDATE, entity, meta, changes);
}

/**
 * Makes an AuditEntry for every entity a flush creates or changes, kept in the scope (`written`);
 * `inTransaction` writes them with `recordAudit` in the same transaction once the work has flushed.
 */
export class AuditSubscriber implements EventSubscriber {
  onFlush(args: FlushEventArgs): void {
    const scope = auditScope.getStore();
    if (!scope) return;
    const { uow, em } = args;
    const byEntity = new Map<object, AuditEntry>();
    for (const cs of uow.getChangeSets()) {
      // Audit rows and outbox rows are written in SQL (`recordAudit`, outbox.ts), never flushed, so
      // no change set is one of them.
      if (cs.type === ChangeSetType.DELETE) continue;
      const original = cs.type === ChangeSetType.CREATE ? null : ((cs.originalEntity as Record<string, unknown> | undefined) ?? {});
      const entry = recordChange(scope, cs.entity, cs.meta, cs.payload as Record<string, unknown>, original);
      if (entry) byEntity.set(cs.entity, entry);
    }
    for (const coll of uow.getCollectionUpdates()) {
      const owner = coll.owner;
      const meta = (owner as { __meta?: EntityMetadata }).__meta ?? em.getMetadata().find(owner.constructor.name);
      if (!meta) continue;
      const before = (coll.getSnapshot() ?? []).map((e) => (e as { id: string }).id);
      const after = coll.getItems(false).map((e) => (e as { id: string }).id);
      if (before.join() === after.join()) continue;
      const change = { [coll.property.name]: { before, after } };
      const existing = byEntity.get(owner);
      if (existing) Object.assign(existing.changes, change);
      else byEntity.set(owner, recordEntry(scope, AuditAction.UPDATE, owner, meta, change));
    }
  }
}
