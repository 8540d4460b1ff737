/** Pub/sub channels and the small messages that travel on them (ids and numbers; readers reload). */

/** A change notification: what the outbox row says, as JSON. */
export interface EventMessage {
  cityId: string;
  seq: number;
  kind: string;
  entity: string;
  entityId: string;
  actionPlanId: string | null;
  /** ISO timestamp. */
  at: string;
}

/**
 * Every channel Pantau uses, by purpose. The names carry no deployment prefix: the Redis transport
 * puts `REDIS_KEY_PREFIX` in front of every one, so deployments sharing a Redis never hear each other.
 */
export const Topic = {
  /** Every change of one city, in `seq` order per publisher. */
  cityEvents: (cityId: string) => `city:${cityId}:events`,
  /** A revoked screen token or user session, or a subject whose permissions changed: its sockets are checked again. */
  revocations: 'revocations',
} as const;

/** A revocation notice: the sockets of this user or screen token close. */
export interface RevocationMessage {
  subject: string;
  /** Its number in the revocation log (each instance applies a revocation once, however it hears of it). */
  seq?: number;
}

/** The revoked "subject" that stands for all of them: anything may have changed, re-check everything. */
export const EVERY_SUBJECT = '*';
