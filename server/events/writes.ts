import {
  type EntityManager,
  ForeignKeyConstraintViolationException,
  NotNullConstraintViolationException,
  OptimisticLockError,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { policy, type Principal } from '../auth/policy';
import type { RevocationEntry } from '../auth/subjects';
import type { Context } from '../context';
import { AppError, ErrorCode, badInput, conflict } from '../errors';
import { entityLabel } from '../i18n';
import { isUuid, type Ctor } from '../util/ids';
import { auditScope, recordAudit, type AuditScope } from '../modules/audit/audit.subscriber';
import type { AuditEntry } from '../modules/audit/audit.entity';
import { recordEvents } from './outbox';
import { recordRevocations, type Revoked } from './revocations';
import type { EventMessage } from './topics';

/** An entity with the columns every row has. */
export interface Versioned {
  id: string;
  version: number;
  archivedAt: Date | null;
}

/**
 * Runs one write in one transaction on a fresh fork of the request's entity manager. Everything is
 * committed together or nothing is, audit rows included (see `AuditSubscriber`); database errors
 * become typed API errors (a lost optimistic-lock race is CONFLICT, a duplicate is BAD_USER_INPUT).
 */
export async function inTransaction<T>(
  ctx: Context,
  entity: string,
  work: (em: EntityManager, scope: AuditScope) => Promise<T>,
): Promise<T> {
  return transaction(ctx, entity, ctx.requestId, async (em, scope) => ({ result: await work(em, scope), events: [] }));
}

/**
 * `inTransaction` for a write that tells open screens itself: `work` records its own city events
 * (e.g. an import's one event for all its rows: it writes its rows' audit entries as it goes and
 * leaves none in the scope) and returns them; they are published with those of any audit entry
 * left in the scope once the transaction has committed. The audit rows carry `requestId`.
 */
export async function inTransactionWithEvents(
  ctx: Context,
  entity: string,
  requestId: string,
  work: (em: EntityManager, scope: AuditScope) => Promise<EventMessage[]>,
): Promise<void> {
  await transaction(ctx, entity, requestId, async (em, scope) => ({ result: undefined, events: await work(em, scope) }));
}

async function transaction<T>(
  ctx: Context,
  entity: string,
  requestId: string,
  work: (em: EntityManager, scope: AuditScope) => Promise<{ result: T; events: EventMessage[] }>,
): Promise<T> {
  let outcome: { result: T; events: EventMessage[]; revoked: Revoked[] };
  try {
    const scope: AuditScope = { principal: ctx.principal, requestId, written: [] };
    outcome = await auditScope.run(scope, () =>
      ctx.em.fork({ clear: true }).transactional(async (em) => {
        const { result, events: own } = await work(em, scope);
        await em.flush();
        await recordAudit(
          em,
          scope.written.map((w) => w.entry),
        );
        const events = [...own, ...(await recordEvents(em, scope.written, ctx.services.clock()))];
        // In the same transaction: the other instances read it even if no notice reaches them.
        const revoked = await recordRevocations(
          em,
          revokedSubjects(
            em,
            scope.written.map((w) => w.entry),
          ),
          ctx.services.clock(),
        );
        return { result, events, revoked };
      }),
    );
  } catch (error) {
    throw translateDbError(error, entity);
  }
  // Committed: now (never before) tell the subscribers.
  ctx.services.events?.publish(outcome.events);
  // This instance drops the old token or scope at once; awaited (briefly) so that, when Redis
  // delivers, every instance has been told once the answer is out. When it does not, they read the
  // revocation log within AUTH_REVOCATION_SECONDS.
  if (outcome.revoked.length > 0) await ctx.services.events?.revoke(outcome.revoked);
  return outcome.result;
}

/** Maps ORM and driver errors to API errors; anything else is passed on unchanged. */
export function translateDbError(error: unknown, entity: string): unknown {
  if (error instanceof AppError) return error;
  if (error instanceof OptimisticLockError) return conflict(entity);
  if (error instanceof UniqueConstraintViolationException) return badInput('input', 'duplicate');
  if (error instanceof ForeignKeyConstraintViolationException || error instanceof NotNullConstraintViolationException) {
    return new AppError(ErrorCode.BAD_USER_INPUT, (error as Error).message.split('\n')[0] ?? 'invalid', { field: 'input' });
  }
  // A serialisation failure or deadlock under PostgreSQL: someone else wrote at the same time.
  const code = (error as { code?: string }).code;
  if (code === '40001' || code === '40P01') return conflict(entity);
  return error;
}

/**
 * Loads the object a write changes: BAD_USER_INPUT on `field` when it is unknown or in a city the
 * viewer may not see (checked by `authorize`, which may also answer FORBIDDEN), CONFLICT when its
 * version is not `expectedVersion`.
 */
export async function loadForWrite<T extends Versioned>(
  em: EntityManager,
  entity: Ctor<T>,
  name: string,
  id: string,
  expectedVersion: number,
  authorize: (row: T) => void,
  field = 'input.id',
): Promise<T> {
  return checkForWrite(await findById(em, entity, id), name, expectedVersion, authorize, field);
}

/** `loadForWrite`'s checks on a row already read (null: not found). */
export function checkForWrite<T extends Versioned>(
  row: T | null,
  name: string,
  expectedVersion: number,
  authorize: (row: T) => void,
  field = 'input.id',
): T {
  if (!row) throw badInput(field, 'notFound', { entity: entityLabel(name) });
  try {
    authorize(row);
  } catch (error) {
    // Another city's object answers exactly like an unknown id: existence never leaks.
    if (error instanceof AppError && error.extensions.code === ErrorCode.NOT_FOUND)
      throw badInput(field, 'notFound', { entity: entityLabel(name) });
    throw error;
  }
  if (row.version !== expectedVersion) throw conflict(name, expectedVersion, row.version);
  return row;
}

/**
 * Resolves an id given in an input to an object of the same city. Unknown ids, archived objects
 * and objects of another city all answer the same BAD_USER_INPUT on that field.
 */
export async function resolveInCity<T extends Versioned & { city: { id: string } }>(
  em: EntityManager,
  entity: Ctor<T>,
  name: string,
  id: string,
  cityId: string,
  field: string,
): Promise<T> {
  const row = await findById(em, entity, id);
  if (!row || row.city.id !== cityId) throw badInput(`input.${field}`, 'notInCity', { entity: entityLabel(name) });
  if (row.archivedAt) throw badInput(`input.${field}`, 'archived', { entity: entityLabel(name) });
  return row;
}

/** Resolves an id given in an input to an object the viewer may read; BAD_USER_INPUT on the field otherwise. */
export async function resolveReadable<T extends Versioned>(
  em: EntityManager,
  entity: Ctor<T>,
  name: string,
  id: string,
  field: string,
  cityIdOf: (row: T) => string,
  principal: Principal,
  canRead: (p: Principal, cityId: string) => boolean,
): Promise<T> {
  const row = await findById(em, entity, id);
  if (!row || !canRead(principal, cityIdOf(row))) throw badInput(`input.${field}`, 'notFound', { entity: entityLabel(name) });
  if (row.archivedAt) throw badInput(`input.${field}`, 'archived', { entity: entityLabel(name) });
  return row;
}

/**
 * Resolves the parent named in a create input (a city, a council, a plan…) and checks the viewer
 * manages its city: BAD_USER_INPUT on the field when it cannot be seen, FORBIDDEN when it can be
 * seen but not managed.
 */
export async function resolveManagedParent<T extends Versioned>(
  em: EntityManager,
  entity: Ctor<T>,
  name: string,
  id: string,
  field: string,
  cityIdOf: (row: T) => string,
  principal: Principal | null,
): Promise<T> {
  const p = policy.requireLogin(principal);
  const row = await resolveReadable(em, entity, name, id, field, cityIdOf, p, (principal, cityId) => policy.canReadCity(principal, cityId));
  policy.assertManage(p, cityIdOf(row), name, row.id);
  return row;
}

/**
 * An entity whose changes can take access away (a user's sessions or scope, a screen token, a
 * city's screens) says whose: the revocation subject of a change (auth/subjects.ts), or null. Their
 * open sockets on every instance are checked again at once (closed 4401 when the token no longer
 * works, otherwise each operation the subject may no longer run ends with NOT_FOUND), and every
 * instance's principal cache drops them.
 */
export interface RevokesAccess {
  revokedSubject(entry: RevocationEntry): string | null;
}

/** Whose access a transaction's audited changes took away, as their entities say (`RevokesAccess`). */
export function revokedSubjects(em: EntityManager, entries: readonly AuditEntry[]): string[] {
  const subjects = new Set<string>();
  for (const e of entries) {
    const revokes = em.getMetadata().find(e.entity)?.class as Partial<RevokesAccess> | undefined;
    const subject = revokes?.revokedSubject?.(e);
    if (subject) subjects.add(subject);
  }
  return [...subjects];
}

/** `em.findOne` by id (null for a malformed id), typed: MikroORM's return type collapses to `any` for a type parameter. */
async function findById<T extends Versioned>(em: EntityManager, entity: Ctor<T>, id: string): Promise<T | null> {
  if (!isUuid(id)) return null;
  return (await em.findOne(entity, { id })) as T | null;
}
