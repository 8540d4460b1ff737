// Revocation subjects: the keys by which a change names whose cached principals and open sockets
// it invalidates (events/revocations.ts logs them; auth/principal-cache.ts and
// realtime/socket-recheck.ts act on them). The entities that can revoke access say which
// (`RevokesAccess`, events/writes.ts).

/**
 * What an entity reads of an audited change (an `AuditEntry`) to say whose access it took away; a
 * shape of its own so that entities need not import the audit entity (which names them).
 */
export interface RevocationEntry {
  /** CREATE, UPDATE or ARCHIVE. */
  action: string;
  entityId: string;
  changes: Record<string, { before: unknown; after: unknown } | undefined>;
}

/** A user's subject: its id (a principal's `userId`). */
export function userSubject(userId: string): string {
  return userId;
}

/** A screen token's subject, also its principal's `userId`. */
export function screenSubject(tokenId: string): string {
  return `screen:${tokenId}`;
}

/** An archived city's subject: the screen tokens of the city stop working. */
export function citySubject(cityId: string): string {
  return `city:${cityId}`;
}

/** The city a `citySubject` names, else null. */
export function cityOfSubject(subject: string): string | null {
  return subject.startsWith('city:') ? subject.slice('city:'.length) : null;
}
