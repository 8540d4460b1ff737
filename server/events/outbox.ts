import type { EntityManager } from '@mikro-orm/core';
import type { AuditEntry } from '../modules/audit/audit.entity';
import { sqlRows, valuesList } from '../db/sql';
import { uuidv7 } from '../util/ids';
import { nextSeq } from './sequence';
import type { EventMessage } from './topics';

const PAST: Record<string, string> = { CREATE: 'CREATED', UPDATE: 'UPDATED', ARCHIVE: 'ARCHIVED' };

/**
 * An entity class that names the events of its own changes (`static eventKind(entry)`): the domain
 * names its events (a ProgressReport created is PROGRESS_REPORTED), the outbox only numbers and
 * writes them. Null, or no such method: the generic name (`eventKind`).
 */
export interface NamesItsEvents {
  eventKind(entry: AuditEntry): string | null;
}

/**
 * The event kind of an audited change: what the entity's class names it (`NamesItsEvents`), else
 * `<ENTITY>_CREATED|UPDATED|ARCHIVED` (ACTION_PLAN_UPDATED, OPD_CREATED, …).
 */
export function eventKind(entry: AuditEntry, named?: Partial<NamesItsEvents>): string {
  const kind = named?.eventKind?.(entry);
  if (kind) return kind;
  const snake = entry.entity.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
  return `${snake}_${PAST[entry.action] ?? entry.action}`;
}

/** What a city event says, before it has its number. */
export interface EventDraft {
  kind: string;
  entity: string;
  entityId: string;
  actionPlanId: string | null;
}

/**
 * Numbers `drafts` as the city's next events and writes them (outbox rows, one statement) in the
 * current transaction. Returns the messages to publish once it has committed.
 */
export async function appendEvents(em: EntityManager, cityId: string, drafts: readonly EventDraft[], now: Date): Promise<EventMessage[]> {
  if (drafts.length === 0) return [];
  const last = await nextSeq(em, cityId, drafts.length);
  const at = now.toISOString();
  const messages = drafts.map((d, i) => ({ cityId, seq: last - drafts.length + 1 + i, ...d, at }));
  await sqlRows(
    em,
    `insert into city_events (id, city_id, seq, kind, entity, entity_id, action_plan_id, at) values ${valuesList(messages.length, 8)}`,
    messages.flatMap((m) => [uuidv7(), cityId, m.seq, m.kind, m.entity, m.entityId, m.actionPlanId, now]),
  );
  return messages;
}

/**
 * Turns the audited changes of one transaction into numbered city events (outbox rows), inside
 * that transaction. Returns the messages to publish once it has committed.
 */
export async function recordEvents(
  em: EntityManager,
  written: readonly { entry: AuditEntry; actionPlanId: string | null }[],
  now: Date,
): Promise<EventMessage[]> {
  const byCity = new Map<string, EventDraft[]>();
  for (const w of written) {
    const cityId = w.entry.city?.id;
    if (!cityId) continue;
    const list = byCity.get(cityId) ?? [];
    const named = em.getMetadata().find(w.entry.entity)?.class as Partial<NamesItsEvents> | undefined;
    list.push({ kind: eventKind(w.entry, named), entity: w.entry.entity, entityId: w.entry.entityId, actionPlanId: w.actionPlanId });
    byCity.set(cityId, list);
  }
  const messages: EventMessage[] = [];
  for (const [cityId, drafts] of byCity) messages.push(...(await appendEvents(em, cityId, drafts, now)));
  return messages;
}
