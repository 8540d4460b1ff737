import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/db';
import { login } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { run, TRANSPORTS, wsSession, type OperationResult } from '../helpers/transports';

/** The attacker's query: every `first` a variable whose default is 1, sent as 100. */
const NESTED = `query Q($f: Int = 1) { cities { actionPlans(first: $f) { edges { node {
  progressReports(first: $f) { edges { node { id percent } } }
  program { actionPlans(first: $f) { edges { node { id title } } } } } } } } }`;

function codes(r: OperationResult): unknown[] {
  return (r.errors ?? []).map((e) => e.extensions?.code);
}

describe('one pipeline for HTTP and WebSocket operations (production settings)', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startServer({ demo: true, env: { NODE_ENV: 'production', GRAPHQL_MAX_NODES: '40' } });
    token = await login(server.url, 'admin@pantau.demo');
  });
  afterAll(async () => server?.close());

  it.each(TRANSPORTS)('%s: prices `first: $f` with the value sent, not the default', async (transport) => {
    const small = await run(transport, server.url, NESTED, { f: 1 }, token);
    expect(small.errors).toBeUndefined();
    expect(small.data?.cities).toHaveLength(2);
    const big = await run(transport, server.url, NESTED, { f: 100 }, token);
    expect(big.data ?? null).toBeNull();
    expect(big.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost', max: 20_000 });
    if (transport === 'http') expect(big.status).toBe(400);
    expect(big.errors?.[0]?.message).toBe(
      'Kueri terlalu berat: perkiraan biayanya melebihi 20000. Kurangi `first` atau field yang bersarang.',
    );
    // A variable left out runs with its default, and is priced so.
    const defaulted = await run(transport, server.url, NESTED, {}, token);
    expect(defaulted.errors).toBeUndefined();
  });

  it.each(TRANSPORTS)('%s: stops a query returning more objects than GRAPHQL_MAX_NODES with one typed error', async (transport) => {
    const r = await run(transport, server.url, '{ cities { actionPlans(first: 50) { edges { node { id title } } } } }', {}, token);
    expect(r.data).toBeNull();
    expect(r.errors).toHaveLength(1);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'nodes', max: 40 });
    expect(r.errors?.[0]?.message).toBe('Hasil kueri terlalu besar: lebih dari 40 objek.');
    const en = await run(transport, server.url, '{ cities { actionPlans(first: 50) { edges { node { id } } } } }', {}, token, 'en');
    expect(en.errors?.[0]?.message).toBe('The query returns too much: more than 40 objects.');
    const small = await run(transport, server.url, '{ cities { name } }', {}, token);
    expect(small.errors).toBeUndefined();
  });

  it('answers resolver errors in the language asked for, over both transports', async () => {
    for (const [locale, message] of [
      [undefined, 'Kota tidak ditemukan.'],
      ['en', 'City not found.'],
    ] as const) {
      for (const transport of TRANSPORTS) {
        const r = await run(transport, server.url, '{ city(id: "01a20000-0000-7000-8000-000000000000") { name } }', {}, token, locale);
        expect(r.errors?.[0]?.message, `${transport} ${locale}`).toBe(message);
        expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      }
    }
  });

  it('refuses introspection and gives no suggestions over both transports, with the same codes and messages', async () => {
    const bad: [string, Record<string, unknown>][] = [
      ['{ __schema { queryType { name } } }', {}],
      ['{ __type(name: "City") { name } }', {}],
      ['{ citie { id } }', {}],
      ['{ cities { nme } }', {}],
      ['query ($s: ActionPlanState) { cities { actionPlans(filter: { state: $s }) { totalCount } } }', { s: 'LATEE' }],
      ['{ cities { actionPlans(filter: { state: LATEE }) { totalCount } } }', {}],
      ['{ cities { id }', {}],
      [`{ ${Array(6_000).fill('__typename').join(' ')} }`, {}],
      ['query A { __typename } query B { __typename }', {}],
    ];
    for (const [query, variables] of bad) {
      const [http, ws] = (await Promise.all(TRANSPORTS.map((t) => run(t, server.url, query, variables, token)))) as [
        OperationResult,
        OperationResult,
      ];
      const shape = (r: OperationResult) =>
        (r.errors ?? []).map((e) => ({ message: e.message, code: e.extensions?.code, limit: e.extensions?.limit }));
      expect(shape(http).length, query.slice(0, 60)).toBeGreaterThan(0);
      expect(shape(ws), query.slice(0, 60)).toEqual(shape(http));
      for (const r of [http, ws]) {
        expect(r.data ?? null).toBeNull();
        expect(JSON.stringify(r.errors)).not.toMatch(/Did you mean|stacktrace|__schema.*disabled by/i);
        expect(codes(r).every((c) => typeof c === 'string')).toBe(true);
      }
    }
    const [http, ws] = (await Promise.all(TRANSPORTS.map((t) => run(t, server.url, '{ __schema { queryType { name } } }', {}, token)))) as [
      OperationResult,
      OperationResult,
    ];
    expect(codes(http)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(codes(ws)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const tokens = await run('ws', server.url, `{ ${Array(6_000).fill('__typename').join(' ')} }`, {}, token);
    expect(tokens.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_PARSE_FAILED', limit: 'tokens', max: 5_000 });
  });
});

describe('a wall-clock budget per operation', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startServer({ demo: true, env: { GRAPHQL_MAX_MS: '1', GRAPHQL_MAX_COST: '1000000' } });
    token = await login(server.url, 'admin@pantau.demo');
  });
  afterAll(async () => server?.close());

  it.each(TRANSPORTS)('%s: fields resolved after GRAPHQL_MAX_MS fail, the answer is one typed error', async (transport) => {
    const query =
      '{ cities { opds { name actionPlans(first: 5) { edges { node { program { name actionPlans(first: 3) { edges { node { ownerOpd { name } supportingOpds { name } } } } } } } } } } }';
    const r = await run(transport, server.url, query, {}, token);
    expect(r.errors?.[0]?.extensions, JSON.stringify(r.errors)).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'time', max: 1 });
    expect(r.data).toBeNull();
    expect(r.errors).toHaveLength(1);
    expect(r.errors?.[0]?.message).toBe('Kueri terlalu lama: dihentikan setelah 1 ms.');
    // Mutations are not cut off halfway: a login still answers.
    expect(await login(server.url, 'viewer@tanjungpinang.demo')).toMatch(/\./);
  });
});

describe.each(await testDialects())('a database fault in production on %s', (dialect) => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startServer({ dialect, demo: true, env: { NODE_ENV: 'production' } });
    token = await login(server.url, 'admin@pantau.demo');
  });
  afterAll(async () => server?.close());

  it("answers INTERNAL without SQL, in the resolver errors' shape, over HTTP and WebSocket", async () => {
    // Sockets authenticated before the fault (authenticating a new socket is the socket lifecycle's business).
    const sockets = { id: wsSession(server.url, token), en: wsSession(server.url, token, 'en') };
    for (const s of Object.values(sockets)) expect((await s.run('{ me { email } }')).errors).toBeUndefined();
    // A real fault in this throwaway database: the table every authentication reads is gone.
    await server.orm.em.getConnection().execute('alter table users rename to users_gone');
    const answers: [string, OperationResult][] = [];
    try {
      for (const locale of ['id', 'en'] as const) {
        answers.push([locale, await run('http', server.url, '{ me { email } }', {}, token, locale)]);
        answers.push([locale, await sockets[locale].run('{ users { totalCount } }')]);
      }
    } finally {
      await server.orm.em.getConnection().execute('alter table users_gone rename to users');
      for (const s of Object.values(sockets)) await s.dispose();
    }
    for (const [locale, r] of answers) {
      expect(JSON.stringify(r.errors)).not.toMatch(/select|from |no such table|sqlite|relation|Context creation|users_gone/i);
      expect(r.errors?.length).toBeGreaterThan(0);
      for (const e of r.errors ?? []) {
        expect(e.extensions).toEqual({ code: 'INTERNAL' });
        expect(e.message).toBe(
          locale === 'en' ? 'Something went wrong on the server. Please try again.' : 'Terjadi kesalahan pada server. Silakan coba lagi.',
        );
      }
    }
    // The server stays up.
    expect((await run('http', server.url, '{ me { email } }', {}, token)).data).toEqual({ me: { email: 'admin@pantau.demo' } });
  });
});
