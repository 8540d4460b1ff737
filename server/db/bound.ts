import {
  JsonProperty,
  Utils,
  type AnyEntity,
  type Configuration,
  type EntityData,
  type LoggingOptions,
  type QueryResult,
  type Transaction,
} from '@mikro-orm/core';
import type { AbstractSqlConnection, AbstractSqlPlatform, Knex } from '@mikro-orm/knex';
import { LibSqlConnection, LibSqlDriver } from '@mikro-orm/libsql';
import { PostgreSqlConnection, PostgreSqlDriver } from '@mikro-orm/postgresql';

/*
 * Every value travels as a bound parameter.
 *
 * MikroORM 6's `AbstractSqlConnection.execute` — the one path of entity flushes, the query builder
 * and our raw `em.getConnection().execute(sql, params)` — pastes each value into the SQL text as an
 * escaped literal (`platform.formatQuery`) and runs `knex.raw(text)` without bindings. The
 * connections below replace only that step: `compile` reads MikroORM's placeholders exactly as
 * `formatQuery` does and renders each value the way `formatQuery` would have meant it (see
 * `value`), but as a binding, so the database receives the statement text and the values apart
 * (PostgreSQL: `$1…`, extended protocol; SQLite/libsql: `?`, bound to the prepared statement).
 * Logging, the `onQuery` option, transactions (`ctx`), result shaping and error conversion are
 * MikroORM's own.
 *
 * Left as text on purpose: identifiers (`??`), SQL fragments (`raw()`, knex `Raw`/`Ref`) — they are
 * SQL, not values; their own params are bound — and the values of utility statements (DDL, `set`,
 * `pragma`, …), which neither database lets take parameters (see `UTILITY`).
 *
 * One difference binding brings on PostgreSQL: a bound value has no type of its own and takes its
 * context's, usually the column's, so a number that does not fit an integer column is refused
 * ("out of range for type integer") where an inlined bigint literal was compared.
 *
 * A MikroORM 7 upgrade (it needs Node 22.17+, so not before Node 20 is dropped) must redo this file:
 * v7 replaces knex with Kysely (`@mikro-orm/knex` becomes `@mikro-orm/sql`; `AbstractSqlConnection`
 * runs Kysely, `getKnex()` becomes `getKysely()`), is ESM only, and moves the decorators to
 * `@mikro-orm/decorators`. Check first whether its `execute` still inlines values (`formatQuery`):
 * if it binds them, this file goes; if not, the override moves to the Kysely connection. Either
 * way `test/api/bound-parameters.test.ts` (values reach the database apart from the text, on both
 * dialects) is the test that says it is done.
 */

type Dialect = 'sqlite' | 'postgres';

/** A statement with `?` placeholders only (a literal `?` is `\?` for PostgreSQL) and its bindings. */
interface Compiled {
  sql: string;
  bindings: unknown[];
}

/** Statements that cannot take bind parameters on PostgreSQL or SQLite (their values stay inlined). */
const UTILITY =
  /^\s*(?:(?:--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)\s*)*(?:create|alter|drop|comment|grant|revoke|set|reset|show|lock|vacuum|analyze|copy|do|listen|notify|unlisten|pragma|attach|detach|reindex|truncate|begin|start|commit|end|rollback|savepoint|release|prepare|execute|deallocate|declare|fetch|close|move|discard|checkpoint|cluster|refresh|security|load|import)\b/i;

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/** Compiles MikroORM's `?` / `??` / `\?` placeholders into text plus bindings. */
export function compile(platform: AbstractSqlPlatform, dialect: Dialect, sql: string, params: readonly unknown[]): Compiled {
  const out: Compiled = { sql: '', bindings: [] };
  append(platform, dialect, sql, params, out);
  return out;
}

function append(platform: AbstractSqlPlatform, dialect: Dialect, sql: string, params: readonly unknown[], out: Compiled): void {
  let j = 0;
  let pos = 0;
  for (;;) {
    const idx = sql.indexOf('?', pos);
    if (idx === -1) {
      out.sql += sql.substring(pos);
      return;
    }
    if (idx > 0 && sql[idx - 1] === '\\') {
      // `\?`: a literal question mark (PostgreSQL's `?` JSON operators). knex turns `\?` into `?`
      // for PostgreSQL when it numbers the placeholders; SQLite's client passes the text as it is.
      out.sql += sql.substring(pos, idx - 1) + (dialect === 'postgres' ? '\\?' : '?');
      pos = idx + 1;
    } else if (sql[idx + 1] === '?') {
      out.sql += sql.substring(pos, idx) + escapeLiteralQuestionMarks(platform.quoteIdentifier(String(params[j++])), dialect);
      pos = idx + 2;
    } else {
      out.sql += sql.substring(pos, idx);
      value(platform, dialect, params[j++], out);
      pos = idx + 1;
    }
  }
}

/** A fragment inlined as text must not add placeholders. */
function escapeLiteralQuestionMarks(text: string, dialect: Dialect): string {
  return dialect === 'postgres' && text.includes('?') ? text.replaceAll('?', '\\?') : text;
}

/** One parameter, as `AbstractSqlPlatform.quoteValue` reads it. */
function value(platform: AbstractSqlPlatform, dialect: Dialect, v: unknown, out: Compiled): void {
  if (Utils.isRawSql(v)) {
    // raw('…', params): SQL of its own, whose params are values again.
    append(platform, dialect, v.sql, v.params ?? [], out);
    return;
  }
  if (platform.isRaw(v)) {
    const knexRaw = v as { toSQL?: () => { sql: string; bindings?: readonly unknown[] } };
    if (typeof knexRaw.toSQL === 'function') {
      const q = knexRaw.toSQL();
      append(platform, dialect, q.sql, q.bindings ?? [], out);
    } else {
      out.sql += escapeLiteralQuestionMarks(String(v), dialect);
    }
    return;
  }
  if (Utils.isPlainObject(v) || (v as Record<symbol, unknown> | null | undefined)?.[JsonProperty]) {
    bind(JSON.stringify(v), out);
    return;
  }
  if (dialect === 'sqlite' && v instanceof Date) {
    // MikroORM stores SQLite datetimes as epoch milliseconds (an integer literal).
    bind(sqliteNumber(+v), out);
    return;
  }
  escaped(platform, dialect, v, out);
}

/** A value as the platform's `escape` reads it (arrays become comma-separated lists). */
function escaped(platform: AbstractSqlPlatform, dialect: Dialect, v: unknown, out: Compiled): void {
  if (Array.isArray(v)) {
    v.forEach((item, i) => {
      if (i > 0) out.sql += ', ';
      // sqlstring puts nested lists in parentheses; PostgreSQL's escape joins them flat.
      const nested = Array.isArray(item) && dialect === 'sqlite';
      if (nested) out.sql += '(';
      escaped(platform, dialect, item, out);
      if (nested) out.sql += ')';
    });
    return;
  }
  if (v === null || v === undefined) return bind(null, out);
  switch (typeof v) {
    case 'string':
      return bind(v, out);
    case 'number':
      return bind(dialect === 'sqlite' ? sqliteNumber(v) : v, out);
    case 'boolean':
      // SQLite reads TRUE/FALSE as the integers 1/0; PostgreSQL takes booleans as they are.
      return bind(dialect === 'sqlite' ? (v ? 1n : 0n) : v, out);
    case 'bigint':
      // Both escapes render a bigint as a quoted string.
      return bind(String(v), out);
    default:
  }
  if (v instanceof Date) {
    // PostgreSQL: the ISO text MikroORM writes (UTC); SQLite, inside a list: sqlstring's date text.
    const text = platform.escape(v);
    return bind(text.startsWith("'") && text.endsWith("'") ? text.slice(1, -1) : text, out);
  }
  if (Buffer.isBuffer(v)) return bind(v, out);
  if (dialect === 'postgres' && ArrayBuffer.isView(v)) return bind(Buffer.from(v.buffer, v.byteOffset, v.byteLength), out);
  const custom = v as { toSqlString?: () => unknown };
  if (typeof custom.toSqlString === 'function') {
    // sqlstring's hook for objects that render themselves as SQL: text, not a value.
    out.sql += escapeLiteralQuestionMarks(String(custom.toSqlString()), dialect);
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- booleans and other scalars MikroORM hands over; objects were rendered above
  bind(String(v), out);
}

function bind(v: unknown, out: Compiled): void {
  out.sql += '?';
  out.bindings.push(v);
}

/**
 * libsql binds every JavaScript number as a REAL (5 becomes 5.0, and '5.0' in a text column); an
 * inlined literal `5` is an INTEGER. Integers go as bigint, which libsql binds as INTEGER.
 */
function sqliteNumber(n: number): number | bigint {
  if (!Number.isInteger(n)) return n;
  const text = String(n);
  if (!/^-?\d+$/.test(text)) return n; // 1e+21: a REAL literal too
  const big = BigInt(text);
  return big >= I64_MIN && big <= I64_MAX ? big : n;
}

type ExecuteResult = QueryResult | EntityData<AnyEntity> | EntityData<AnyEntity>[];
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a mixin base must take `any[]` constructor arguments (TS2545)
type ConnectionClass = abstract new (...args: any[]) => AbstractSqlConnection;

/** The connection `Base` with `execute` binding values (see the top of this file). */
function bindingValues<TBase extends ConnectionClass>(Base: TBase, dialect: Dialect) {
  abstract class BoundConnection extends Base {
    /**
     * knex writes a failed statement into the error message with its bindings pasted in, by an
     * escape that throws on a bigint (our SQLite integers) and would hide the error MikroORM converts
     * (unique violations…). The statement with its placeholders is message enough.
     */
    protected override getKnexOptions(type: string): Knex.Config {
      return { ...super.getKnexOptions(type), compileSqlOnError: false };
    }

    override async execute<T extends ExecuteResult = EntityData<AnyEntity>[]>(
      queryOrKnex: string | Knex.QueryBuilder | Knex.Raw,
      params: unknown[] = [],
      method: 'all' | 'get' | 'run' = 'all',
      ctx?: Transaction,
      loggerContext?: LoggingOptions,
    ): Promise<T> {
      await this.ensureConnection();
      if (Utils.isObject(queryOrKnex)) {
        const builder = queryOrKnex as unknown as { client: { transacting?: boolean }; toSQL(): { sql: string; bindings?: unknown[] } };
        ctx ??= builder.client.transacting ? (queryOrKnex as Transaction) : undefined;
        const q = builder.toSQL();
        queryOrKnex = q.sql;
        params = q.bindings ?? [];
      }
      const query = this.config.get('onQuery')(queryOrKnex, params);
      let compiled: Compiled | null = params.length > 0 && !UTILITY.test(query) ? compile(this.platform, dialect, query, params) : null;
      // Only identifiers or fragments without values: the text is the statement (as MikroORM runs it).
      if (compiled && compiled.bindings.length === 0) compiled = null;
      const text = compiled ? compiled.sql : this.platform.formatQuery(query, params);
      const logger = this.config.getLogger();
      const logged = !logger.isEnabled('query', loggerContext)
        ? query
        : logger.isEnabled('query-params', loggerContext)
          ? this.platform.formatQuery(query, params)
          : (this.getKnex().client as { positionBindings(sql: string): string }).positionBindings(query);
      return this.executeQuery(
        logged,
        async () => {
          const raw = this.getKnex().raw(text);
          if (compiled) {
            // The text is compiled already: hand knex the bindings without letting it re-read the
            // placeholders (its own reading would expand nothing and leave `\?` in SQLite text).
            const bindings = compiled.bindings;
            const toSQL = raw.toSQL.bind(raw);
            raw.toSQL = (...args: Parameters<typeof toSQL>) => Object.assign(toSQL(...args), { bindings });
          }
          if (ctx) raw.transacting(ctx as Knex.Transaction);
          const res: unknown = await raw;
          return this.transformRawResult<T>(res, method);
        },
        { query, params, ...loggerContext },
      );
    }
  }
  return BoundConnection;
}

/** libsql connection whose statements carry their values as bindings. */
export class BoundLibSqlConnection extends bindingValues(LibSqlConnection, 'sqlite') {}

/** PostgreSQL connection whose statements carry their values as bindings. */
export class BoundPostgreSqlConnection extends bindingValues(PostgreSqlConnection, 'postgres') {}

/** `LibSqlDriver` on a `BoundLibSqlConnection`. */
export class BoundLibSqlDriver extends LibSqlDriver {
  constructor(config: Configuration) {
    super(config);
    (this as unknown as { connection: AbstractSqlConnection }).connection = new BoundLibSqlConnection(this.config);
  }
}

/** `PostgreSqlDriver` on a `BoundPostgreSqlConnection`. */
export class BoundPostgreSqlDriver extends PostgreSqlDriver {
  constructor(config: Configuration) {
    super(config);
    (this as unknown as { connection: AbstractSqlConnection }).connection = new BoundPostgreSqlConnection(this.config);
  }
}
