import { raw, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/db';
import { buildCity, type BuiltCity } from '../helpers/factories';
import { startServer, type TestServer } from '../helpers/server';
import { ActionPlan } from '../../server/modules/action-plans/action-plan.entity';
import { Program } from '../../server/modules/masterplan/masterplan.entity';
import { ProgressReport } from '../../server/modules/progress/progress-report.entity';

/*
 * Every value reaches the database as a bound parameter (server/db/bound.ts), not as text pasted
 * into the statement. Shown three ways: what knex hands the database client (statement text and
 * bindings apart); what the server itself saw (PostgreSQL's current_query(); on SQLite, a NUL in a
 * value no longer cuts the statement short); and that awkward values round-trip exactly through
 * entity flushes, the query builder and raw `execute` with `?` placeholders.
 */

const TRICKY = [
  `it's a "quote"`,
  "back\\slash \\' \\\\ and a last one\\",
  'question? ?? \\? (?) ?::text',
  '$1 $2 $$ dollar $tag$ quoting',
  '-- not a comment',
  "/* not a comment */ '; drop table cities; --",
  "' or '1'='1",
  'unicode: Tanjungpinang — ñ ü ß 漢字 ﷽',
  'emoji: 🏙️👩🏽‍💻🇮🇩',
  '',
  '  leading and trailing  ',
  'line\nbreak\ttab\rreturn',
  "E'\\x41' not an escape",
  '%_ like wildcards',
  ':named :param @p1',
];

const WHEN = new Date('2026-03-04T05:06:07.089Z');

/** A knex `query` event: what the database client is given. */
interface DriverCall {
  sql: string;
  bindings: unknown[];
}

describe.each(await testDialects())('values are bound parameters on %s', (dialect) => {
  let server: TestServer;
  let built: BuiltCity;
  let calls: DriverCall[] = [];
  const em = () => server.orm.em.fork() as SqlEntityManager;

  beforeAll(async () => {
    server = await startServer({ dialect, demo: false });
    built = await buildCity(server.orm.em.fork(), { name: 'Kota Parameter', plans: 3, opds: 2 });
    (server.orm.em as SqlEntityManager)
      .getConnection()
      .getKnex()
      .on('query', (q: DriverCall) => calls.push({ sql: q.sql, bindings: q.bindings ?? [] }));
  });
  afterAll(async () => server?.close());

  /** Runs `work` and returns what reached the database client meanwhile. */
  async function driverCalls(work: () => Promise<unknown>): Promise<DriverCall[]> {
    calls = [];
    await work();
    return calls;
  }

  it('hands the database client the statement text and the values apart', async () => {
    const marker = "o'hara -- $1 ? 🇮🇩";
    const [call] = await driverCalls(() => em().getConnection().execute('select ? as v, ? as n where ? = ?', [marker, 42, 'a', 'a']));
    expect(call!.sql).toBe(dialect === 'postgres' ? 'select $1 as v, $2 as n where $3 = $4' : 'select ? as v, ? as n where ? = ?');
    expect(call!.sql).not.toContain('hara');
    expect(call!.bindings).toEqual([marker, dialect === 'sqlite' ? 42n : 42, 'a', 'a']);
  });

  it('binds the values of entity flushes and of the query builder too', async () => {
    const marker = "flush'marker ?";
    const fork = em();
    const plan = await fork.findOneOrFail(ActionPlan, built.plans[0]!.id);
    const flushed = await driverCalls(async () => {
      const report = new ProgressReport(plan, 33.5, marker);
      report.reportedAt = WHEN;
      fork.persist(report);
      await fork.flush();
    });
    const insert = flushed.find((c) => /^insert into .progress_reports/.test(c.sql));
    expect(insert?.sql).not.toContain('marker');
    expect(insert?.bindings).toContain(marker);
    const selected = await driverCalls(() =>
      em().createQueryBuilder(ProgressReport, 'r').select('id').where({ narrative: marker, reportedAt: WHEN }).execute('all', false),
    );
    expect(selected).toHaveLength(1);
    expect(selected[0]!.sql).not.toContain('marker');
    expect(selected[0]!.bindings).toContain(marker);
  });

  it('round-trips awkward strings, numbers, dates and JSON through entity flushes', async () => {
    const fork = em();
    const plan = await fork.findOneOrFail(ActionPlan, built.plans[1]!.id);
    const written = TRICKY.map((text, i) => {
      const report = new ProgressReport(plan, i + 0.25, text);
      report.obstacles = `${text}|${i}`;
      report.evidenceUrls = [text, TRICKY[(i + 1) % TRICKY.length]!, `https://example.go.id/bukti?id=${i}&q='x'`];
      report.reportedAt = new Date(WHEN.getTime() + i * 1001);
      return report;
    });
    fork.persist(written);
    await fork.flush();

    const read = await em().find(ProgressReport, { actionPlan: plan.id, narrative: { $in: TRICKY } }, { orderBy: { percent: 'asc' } });
    expect(read.map((r) => r.narrative)).toEqual(TRICKY);
    read.forEach((r, i) => {
      expect(r.obstacles).toBe(`${TRICKY[i]}|${i}`);
      expect(r.percent).toBe(i + 0.25);
      expect(r.evidenceUrls).toEqual(written[i]!.evidenceUrls);
      expect(r.reportedAt.toISOString()).toBe(new Date(WHEN.getTime() + i * 1001).toISOString());
    });
  });

  it('round-trips them through the query builder and raw execute with ? placeholders', async () => {
    const planId = built.plans[2]!.id;
    const fork = em();
    const plan = await fork.findOneOrFail(ActionPlan, planId);
    const reports = TRICKY.map((_, i) => new ProgressReport(plan, i, `qb ${i}`));
    fork.persist(reports);
    await fork.flush();
    const conn = em().getConnection();

    for (const [i, text] of TRICKY.entries()) {
      const id = reports[i]!.id;
      const json = { text, nested: { list: [text, i, true, null], 'key?': "v'" } };
      const at = new Date(WHEN.getTime() + i);
      await conn.execute(
        'update progress_reports set obstacles = ?, percent = ?, reported_at = ?, evidence_urls = ? where id = ?',
        [text, i + 0.125, at, json, id],
        'run',
      );

      // Raw reads with every kind of value in the condition.
      const raw = await conn.execute<{ id: string; obstacles: string }[]>(
        'select id, obstacles from progress_reports where obstacles = ? and percent = ? and reported_at = ? and id in (?) and action_plan_id = ?',
        [text, i + 0.125, at, [id, 'no-such-id'], planId],
      );
      expect(raw).toEqual([{ id, obstacles: text }]);

      // The query builder with the same values.
      const qb = await em()
        .createQueryBuilder(ProgressReport, 'r')
        .select(['id', 'obstacles'])
        .where({ obstacles: text, percent: i + 0.125, reportedAt: at, id: { $in: [id, 'no-such-id'] } })
        .execute<{ id: string; obstacles: string }[]>('all', false);
      expect(qb).toEqual([{ id, obstacles: text }]);

      // And back through the entity.
      const entity = await em().findOneOrFail(ProgressReport, id);
      expect(entity.obstacles).toBe(text);
      expect(entity.percent).toBe(i + 0.125);
      expect(entity.reportedAt.toISOString()).toBe(at.toISOString());
      expect(entity.evidenceUrls).toEqual(json);
    }

    // A list in `in (?)` expands to one binding per item.
    const listed = await driverCalls(() =>
      conn.execute('select narrative from progress_reports where action_plan_id = ? and obstacles in (?) order by percent', [
        planId,
        TRICKY,
      ]),
    );
    expect(listed[0]!.bindings).toEqual([planId, ...TRICKY]);
    const rows = await conn.execute<{ narrative: string }[]>(
      'select narrative from progress_reports where action_plan_id = ? and obstacles in (?) order by percent',
      [planId, TRICKY],
    );
    expect(rows.map((r) => r.narrative)).toEqual(TRICKY.map((_, i) => `qb ${i}`));
  });

  it('binds booleans and integers the way the columns expect', async () => {
    const conn = em().getConnection();
    const count = async (quickWin: boolean) =>
      Number(
        (
          await conn.execute<{ c: number | string }[]>('select count(*) as c from programs where city_id = ? and quick_win = ?', [
            built.city.id,
            quickWin,
          ])
        )[0]!.c,
      );
    expect(await count(true)).toBe(2);
    expect(await count(false)).toBe(built.programs.length - 2);

    const fork = em();
    const program = await fork.findOneOrFail(Program, built.programs[0]!.id);
    program.quickWin = false;
    program.quickWinYear = 2031;
    await fork.flush();
    expect(await count(true)).toBe(1);
    const [row] = await conn.execute<{ quick_win: unknown; quick_win_year: number }[]>(
      'select quick_win, quick_win_year from programs where id = ? and quick_win_year = ?',
      [program.id, 2031],
    );
    expect(Boolean(row!.quick_win)).toBe(false);
    expect(row!.quick_win_year).toBe(2031);
    if (dialect === 'sqlite') {
      // Integers bind as SQLite INTEGERs (libsql would bind a plain JS number as a REAL, 5.0).
      const [t] = await conn.execute<{ i: string; b: string; r: string }[]>('select typeof(?) as i, typeof(?) as b, typeof(?) as r', [
        5,
        true,
        5.5,
      ]);
      expect(t).toEqual({ i: 'integer', b: 'integer', r: 'real' });
    }
  });

  it('gives the same results as the inlined text did', async () => {
    const conn = em().getConnection();
    const knex = conn.getKnex();
    const platform = server.orm.em.getPlatform();
    const inlined = async (sql: string, params: unknown[]) => {
      const res = await knex.raw(platform.formatQuery(sql, params));
      return dialect === 'postgres' ? (res as { rows: unknown[] }).rows : res;
    };
    const values: unknown[] = [
      ...TRICKY,
      0,
      5,
      -7,
      5.5,
      0.1 + 0.2,
      1e21,
      2 ** 53,
      -0,
      true,
      false,
      null,
      WHEN,
      { a: "b'c", n: [1, '?'] },
      12n,
    ];
    // On PostgreSQL a bound value has no type of its own: it takes its context's (usually a column's),
    // so each is compared in the context of a column of its kind.
    const pgType = (v: unknown) =>
      typeof v === 'number'
        ? 'float8'
        : typeof v === 'boolean'
          ? 'boolean'
          : v instanceof Date
            ? 'timestamptz'
            : v && typeof v === 'object'
              ? 'jsonb'
              : 'text';
    for (const v of values) {
      const expr = dialect === 'postgres' ? `select (?)::${pgType(v)} as v` : 'select ? as v, typeof(?) as t';
      const params = dialect === 'postgres' ? [v] : [v, v];
      expect(await conn.execute(expr, params), String(v)).toEqual(await inlined(expr, params));
    }
    const bytes = Buffer.from([0, 1, 39, 92, 255]);
    const bytesExpr = dialect === 'postgres' ? "select encode(?, 'hex') as v" : 'select hex(?) as v, typeof(?) as t';
    const bytesParams = dialect === 'postgres' ? [bytes] : [bytes, bytes];
    expect(await conn.execute(bytesExpr, bytesParams)).toEqual(await inlined(bytesExpr, bytesParams));
    const inList = 'select ? in (?) as a, ? in (?) as b';
    const listParams = [5, [1, 5, 7], "o'k", ['x', "o'k"]];
    expect(await conn.execute(inList, listParams)).toEqual(await inlined(inList, listParams));
  });

  it('keeps identifiers (??) and raw() fragments as SQL and binds their values', async () => {
    const conn = em().getConnection();
    const calls = await driverCalls(async () => {
      const rows = await conn.execute<{ v: string; u: string }[]>('select ?? as v, ? as u from cities where id = ?', [
        'name',
        raw('upper(?)', ["o'k"]),
        built.city.id,
      ]);
      expect(rows).toEqual([{ v: 'Kota Parameter', u: "O'K" }]);
    });
    expect(calls[0]!.bindings).toEqual(["o'k", built.city.id]);
    expect(calls[0]!.sql).toContain(dialect === 'postgres' ? '"name"' : '`name`');
    // `\?` is a literal question mark (PostgreSQL's jsonb `?` operator), not a placeholder.
    if (dialect === 'postgres') expect(await conn.execute(`select ('{"a": 1}'::jsonb \\? ?) as has`, ['a'])).toEqual([{ has: true }]);
    else expect(await conn.execute(`select '\\?' || ? as v`, ['x'])).toEqual([{ v: '?x' }]);
  });

  it('keeps the values of utility statements, which take no parameters, inlined', async () => {
    if (dialect === 'postgres') {
      await em().transactional(async (tx) => {
        await tx.execute('set local application_name = ?', ["pantau 'bound'"]);
        expect(await tx.execute('show application_name')).toEqual([{ application_name: "pantau 'bound'" }]);
      });
    } else {
      await em().getConnection().execute('pragma user_version = ?', [7]);
      expect(await em().getConnection().execute('pragma user_version')).toEqual([{ user_version: 7 }]);
    }
  });

  it('converts database errors as before, without the values in the message', async () => {
    // A table of the test's own (city_sequences has one owner, server/events/sequence.ts).
    await em().execute('create table if not exists bound_unique (k varchar(36) primary key, v integer not null)');
    const sql = 'insert into bound_unique (k, v) values (?, ?)';
    await em().execute(`${sql} on conflict (k) do nothing`, [built.city.id, 424242]);
    const error = await em()
      .execute(sql, [built.city.id, 424242])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UniqueConstraintViolationException);
    expect((error as Error).message).not.toContain('424242');
  });

  if (dialect === 'postgres') {
    it('PostgreSQL itself receives $n placeholders (current_query())', async () => {
      const marker = "bound'value";
      const rows = await em().getConnection().execute<{ q: string; v: string }[]>('select current_query() as q, ? as v', [marker]);
      expect(rows[0]!.v).toBe(marker);
      expect(rows[0]!.q).toBe('select current_query() as q, $1 as v');
    });
  } else {
    it('SQLite: a NUL in a value no longer cuts the statement short', async () => {
      // Inlined, the text ended at the NUL (`select 'a`) and SQLite refused the rest. Bound, the
      // statement stays whole; libsql itself keeps the text up to the NUL, as it would for any bound value.
      const rows = await em().getConnection().execute<{ v: string; w: string }[]>("select ? as v, 'tail' as w", ['a\0b']);
      expect(rows[0]!.w).toBe('tail');
      expect(rows[0]!.v.startsWith('a')).toBe(true);
    });
  }
});
