import type { EntityManager } from '@mikro-orm/core';
import { AuditAction, type AuditEntry } from '../modules/audit/audit.entity';
import { sqlRows, valuesList } from '../db/sql';
import { uuidv7 } from '../util/ids';
import { CityEvent } from './event.entity';
import type { EventMessage } from './topics';

const PAST: Record<string, string> = { CREATE: 'CREATED', UPDATE: 'UPDATED', ARCHIVE: 'ARCHIVED' };

/** The event kind of an audited change, e.g. PROGRESS_REPORTED or ACTION_PLAN_UPDATED. */
export function eventKind(entry: AuditEntry): string {
  if (entry.entity === 'ProgressReport') {
    if (entry.action === AuditAction.CREATE) return 'PROGRESS_REPORTED';
    const status = entry.changes.status?.after;
    if (status === 'VERIFIED') return 'PROGRESS_VERIFIED';
    if (status === 'RETURNED') return 'PROGRESS_RETURNED';
  }
  if (entry.entity === 'IndicatorValue') return 'INDICATOR_VALUE_RECORDED';
  // Monev: what the readiness subscription reacts to, named for people.
  if (entry.entity === 'EvidenceAttachment' && entry.action !== AuditAction.UPDATE)
    return entry.action === AuditAction.CREATE ? 'EVIDENCE_ATTACHED' : 'EVIDENCE_DETACHED';
  if (entry.entity === 'AssessmentItem' && entry.action === AuditAction.UPDATE && entry.changes.score) return 'ASSESSMENT_SCORED';
  const snake = entry.entity.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
  return `${snake}_${PAST[entry.action] ?? entry.action}`;
}

/** Gives out the next `count` sequence numbers of a city in the current transaction; returns the last. */
export async function nextSeq(em: EntityManager, cityId: string, count: number): Promise<number> {
  // One statement on both databases; on PostgreSQL its row lock orders concurrent writers of a city
  // by commit, so sequence order is commit order.
  const rows = await sqlRows<{ seq: number | string }>(
    em,
    'insert into city_sequences (city_id, seq) values (?, ?) on conflict (city_id) do update set seq = city_sequences.seq + excluded.seq returning seq',
    [cityId, count],
  );
  const seq = Number(rows[0]?.seq);
  if (!Number.isInteger(seq)) throw new Error('city sequence did not advance');
  return seq;
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
    list.push({ kind: eventKind(w.entry), entity: w.entry.entity, entityId: w.entry.entityId, actionPlanId: w.actionPlanId });
    byCity.set(cityId, list);
  }
  const messages: EventMessage[] = [];
  for (const [cityId, drafts] of byCity) messages.push(...(await appendEvents(em, cityId, drafts, now)));
  return messages;
}

/** The pub/sub message of an outbox row. */
export function toMessage(event: CityEvent, cityId = event.city.id): EventMessage {
  return {
    cityId,
    seq: event.seq,
    kind: event.kind,
    entity: event.entity,
    entityId: event.entityId,
    actionPlanId: event.actionPlanId,
    at: event.at.toISOString(),
  };
}
