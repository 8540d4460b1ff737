// Re-checking sockets against the database: at once for the subjects a revocation names (pub/sub
// or the revocation log), and every socket in the ticker's batch (`recheckMs`), which covers a lost
// notice. A token that no longer works closes its socket (4401); a narrower principal ends the
// operations it may no longer run, with NOT_FOUND as subscribing anew would get.
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { policy, type Principal } from '../auth/policy';
import { principalOf } from '../auth/principal';
import { cityOfSubject } from '../auth/subjects';
import { notFound } from '../errors';
import { requestScope } from '../i18n';
import { ScreenToken } from '../modules/screens/screen-token.entity';
import { User } from '../modules/users/user.entity';
import { EVERY_SUBJECT } from '../events/topics';
import { SocketCloseCode } from './close-codes';
import type { SocketRegistry, SocketState } from './socket-registry';

const UUID_LIKE = /^[0-9a-f-]{36}$/i;

/** Re-checks the sockets of a registry. */
export class SocketRecheck {
  private rechecking: Promise<void> | null = null;

  constructor(
    private readonly registry: SocketRegistry,
    private readonly orm: MikroORM,
    private readonly log: (message: string) => void,
  ) {}

  /** Applies a re-loaded principal: null closes (4401); a narrower one ends the operations it may no longer run. */
  apply(state: SocketState, principal: Principal | null): void {
    if (!this.registry.has(state.socket)) return;
    if (!principal) return this.registry.close(state, SocketCloseCode.Unauthorized, 'Unauthorized');
    state.principal = principal;
    for (const ctx of state.operations.values()) ctx.principal = principal;
    for (const watch of [...state.watches]) {
      if (policy.canReadCity(principal, watch.cityId)) continue;
      state.watches.delete(watch);
      // The same answer as subscribing anew would get: NOT_FOUND, in the socket's language.
      watch.end(requestScope.run({ locale: state.locale, requestId: randomUUID() }, () => notFound('City', watch.cityId)));
    }
  }

  /**
   * Re-checks sockets against the database: one query for the users and one for the screen tokens
   * of all of them. A database failure leaves the sockets as they are (the next round tries again).
   */
  async recheck(targets: readonly SocketState[]): Promise<void> {
    const userIds = [...new Set(targets.filter((s) => s.generation !== null).map((s) => s.subject))].filter((id) => UUID_LIKE.test(id));
    const screenIds = [...new Set(targets.filter((s) => s.generation === null).map((s) => s.subject.replace(/^screen:/, '')))];
    const em = this.orm.em.fork({ clear: true });
    const users = new Map<string, User>();
    const screens = new Set<string>();
    for (let i = 0; i < userIds.length; i += 500) {
      for (const user of await em.find(User, { id: { $in: userIds.slice(i, i + 500) }, archivedAt: null })) users.set(user.id, user);
    }
    for (let i = 0; i < screenIds.length; i += 500) {
      const rows = await em.find(
        ScreenToken,
        { id: { $in: screenIds.slice(i, i + 500) }, revokedAt: null, archivedAt: null, city: { archivedAt: null } },
        { fields: ['id'] },
      );
      for (const row of rows) screens.add(row.id);
    }
    for (const state of targets) {
      if (state.generation === null) {
        if (!screens.has(state.subject.replace(/^screen:/, ''))) this.apply(state, null);
        continue;
      }
      const user = users.get(state.subject);
      this.apply(state, user && user.sessionGeneration === state.generation ? principalOf(user) : null);
    }
  }

  /** Re-checks every socket (the ticker's batch), unless a batch is still running. */
  recheckAll(): void {
    if (this.rechecking || this.registry.size === 0) return;
    this.rechecking = withTimeout(this.recheck(this.registry.all()), 30_000)
      .catch((error: Error) => this.log(`re-checking the sockets' tokens: ${error.message}`))
      .finally(() => (this.rechecking = null));
  }

  /**
   * A revoked session or screen token, or a subject whose permissions changed: its sockets on this
   * instance are checked again at once; an archived city (`city:<id>`): the sockets of its screens.
   */
  revoked(subject: string): void {
    if (subject === EVERY_SUBJECT) return this.recheckAll();
    const city = cityOfSubject(subject);
    const set = city
      ? this.registry.all().filter((s) => s.principal.isScreen && s.principal.cityId === city)
      : this.registry.ofSubject(subject);
    if (set.length === 0) return;
    withTimeout(this.recheck(set), 30_000).catch((error: Error) => this.log(`re-checking ${subject}'s sockets: ${error.message}`));
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}
