// Whether this instance should get traffic (/readyz): the database answers, its schema has every
// migration this code knows, pub/sub delivers (when Redis is configured), and it is not stopping.
import type { MikroORM } from '@mikro-orm/core';

/** The answer of /readyz. `degraded` still serves (200): writes and reads work, live feeds poll the outbox. */
export interface ReadinessReport {
  status: 'ready' | 'degraded' | 'not_ready' | 'stopping';
  checks: {
    database: 'ok' | 'down';
    migrations: 'ok' | 'pending' | 'unknown';
    /** `off`: in-process pub/sub (no REDIS_URL). */
    pubsub: 'ok' | 'down' | 'off';
  };
  /** Why it is not ready or degraded, for people (English, like the rest of the operator's API). */
  reasons?: string[];
}

/** Options of the readiness check. */
export interface ReadinessOptions {
  orm: MikroORM;
  /** Pub/sub health (the event bus); null without Redis. */
  pubsub: { readonly healthy: boolean } | null;
  /** Redis down makes the instance not ready (`READY_REQUIRES_REDIS`) instead of degraded. */
  requireRedis: boolean;
  /** The longest one check may take before it counts as failed (ms). */
  timeoutMs?: number;
}

/**
 * The readiness of one instance. Shutting down has two steps: `stop()` turns /readyz 503 at once
 * while requests are still served (the load balancer notices); `drain()` then refuses new requests.
 */
export class Readiness {
  private stopping = false;
  private draining = false;

  constructor(private readonly options: ReadinessOptions) {}

  /** From now on /readyz answers 503 `stopping`, so the load balancer sends no new traffic. */
  stop(): void {
    this.stopping = true;
  }

  /** From now on new requests answer 503 (those in flight finish). */
  drain(): void {
    this.stopping = true;
    this.draining = true;
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** Runs the checks; `ready` tells the HTTP status (200 or 503). */
  async check(): Promise<{ ready: boolean; report: ReadinessReport }> {
    const { orm, pubsub, requireRedis, timeoutMs = 2_000 } = this.options;
    const pubsubState = pubsub ? (pubsub.healthy ? 'ok' : 'down') : 'off';
    if (this.stopping)
      return {
        ready: false,
        report: {
          status: 'stopping',
          checks: { database: 'ok', migrations: 'unknown', pubsub: pubsubState },
          reasons: ['the instance is shutting down'],
        },
      };
    const reasons: string[] = [];
    const database = (await within(orm.isConnected(), timeoutMs)) === true ? 'ok' : 'down';
    if (database === 'down') reasons.push('the database does not answer');
    let migrations: ReadinessReport['checks']['migrations'] = 'unknown';
    if (database === 'ok') {
      const pending = await within(pendingMigrations(orm), timeoutMs);
      if (pending === undefined) reasons.push('the migrations table could not be read');
      else if (pending.length > 0) reasons.push(`migrations not applied: ${pending.join(', ')}`);
      migrations = pending === undefined ? 'unknown' : pending.length > 0 ? 'pending' : 'ok';
    }
    if (pubsubState === 'down') reasons.push('Redis pub/sub is down: live updates poll the database');
    const ready = database === 'ok' && migrations === 'ok' && !(requireRedis && pubsubState === 'down');
    const status = !ready ? 'not_ready' : pubsubState === 'down' ? 'degraded' : 'ready';
    return { ready, report: { status, checks: { database, migrations, pubsub: pubsubState }, ...(reasons.length > 0 ? { reasons } : {}) } };
  }
}

/**
 * The migrations this code knows (the ORM's `migrationsList`) that the database has not executed: one
 * query, nothing created (the migrator's own check would also ensure its table on every probe). A
 * migration the database has and this code does not know is fine: a newer replica applied it during
 * a rolling upgrade.
 */
async function pendingMigrations(orm: MikroORM): Promise<string[]> {
  const { migrationsList = [], tableName = 'mikro_orm_migrations' } = orm.config.get('migrations');
  const bare = (name: string) => name.replace(/\.[jt]s$/, '');
  const rows = (await orm.em.fork().getConnection().execute(`select name from ${tableName}`)) as { name: string }[];
  const executed = new Set(rows.map((r) => bare(r.name)));
  return migrationsList.map((m) => bare(m.name ?? '')).filter((name) => name && !executed.has(name));
}

/** The value of `work`, or undefined when it fails or takes longer than `ms`. */
async function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([work.catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}
