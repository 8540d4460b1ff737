import path from 'node:path';
import { MikroORM, type Options, type LoggerNamespace, type LogContext, DefaultLogger, type LoggerOptions } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { BoundLibSqlDriver, BoundPostgreSqlDriver } from './bound';
import { entities } from './entities';
import { AuditSubscriber } from '../modules/audit/audit.subscriber';
import { postgresMigrations } from './migrations/postgres';
import { sqliteMigrations } from './migrations/sqlite';
import { ensurePostgresDatabase } from './ensure';

/** Which database a deployment runs on. */
export type Dialect = 'postgres' | 'sqlite';

/** Where the data lives: a PostgreSQL URL, or a SQLite file. */
export type DatabaseTarget = { dialect: 'postgres'; url: string } | { dialect: 'sqlite'; file: string };

/** The target for the settings: PostgreSQL with a URL, else `pantau.sqlite` in the data folder. */
export function databaseTarget(databaseUrl: string | null, dataDir: string): DatabaseTarget {
  return databaseUrl ? { dialect: 'postgres', url: databaseUrl } : { dialect: 'sqlite', file: path.join(dataDir, 'pantau.sqlite') };
}

/** Receives every SQL statement the ORM runs (tests count them; nothing is logged by default). */
export type QueryListener = (sql: string) => void;

class QueryLogger extends DefaultLogger {
  constructor(
    options: LoggerOptions,
    private readonly onQuery: QueryListener | undefined,
    private readonly verbose: boolean,
  ) {
    super(options);
  }
  override log(namespace: LoggerNamespace, message: string, context?: LogContext): void {
    if (namespace === 'query' && this.onQuery && context?.query) this.onQuery(context.query);
    if (this.verbose) super.log(namespace, message, context);
  }
  override isEnabled(namespace: LoggerNamespace, context?: LogContext): boolean {
    return namespace === 'query' ? Boolean(this.onQuery) || this.verbose : super.isEnabled(namespace, context);
  }
}

/**
 * ORM options for a target; shared by the server, the CLI scripts and the tests.
 *
 * The drivers are MikroORM's own on connections that send every value as a bound parameter
 * (`bound.ts`); stock MikroORM 6 pastes values into the SQL text as escaped literals. Only
 * identifiers, raw SQL fragments and the values of utility statements (DDL, `set`, `pragma`), which
 * cannot be parameters, stay text.
 */
export function ormOptions(target: DatabaseTarget, onQuery?: QueryListener, verbose = false): Options {
  const common: Options = {
    entities,
    subscribers: [new AuditSubscriber()],
    extensions: [Migrator],
    debug: ['query'],
    loggerFactory: (options) => new QueryLogger(options, onQuery, verbose),
    forceUtcTimezone: true,
    allowGlobalContext: false,
    ignoreUndefinedInQuery: true,
    serialization: { forceObject: true },
    // A missing PostgreSQL database is refused (or created on request) by `ensurePostgresDatabase`, never silently.
    ensureDatabase: false,
  };
  if (target.dialect === 'postgres') {
    return {
      ...common,
      driver: BoundPostgreSqlDriver,
      clientUrl: target.url,
      pool: { min: 0, max: 10 },
      migrations: { migrationsList: postgresMigrations, transactional: true, allOrNothing: true, snapshot: false },
    };
  }
  return {
    ...common,
    driver: BoundLibSqlDriver,
    dbName: target.file,
    migrations: { migrationsList: sqliteMigrations, transactional: true, allOrNothing: true, snapshot: false },
  };
}

/**
 * Opens the ORM for a target (no schema changes: see `migrate.ts`). A PostgreSQL server that does
 * not answer, or a database that does not exist (unless `createDatabase`), is a `StartupError`.
 */
export async function openOrm(target: DatabaseTarget, onQuery?: QueryListener, { createDatabase = false } = {}): Promise<MikroORM> {
  if (target.dialect === 'postgres') await ensurePostgresDatabase(target.url, createDatabase);
  const orm = await MikroORM.init(ormOptions(target, onQuery));
  if (target.dialect === 'sqlite') {
    const conn = orm.em.getConnection();
    // WAL lets other processes read while one writes; busy_timeout waits for a lock instead of failing.
    await conn.execute('pragma journal_mode = wal');
    await conn.execute('pragma busy_timeout = 5000');
  }
  return orm;
}
