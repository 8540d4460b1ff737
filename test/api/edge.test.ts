import 'reflect-metadata';
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, gql, login, type GqlResult } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: { data?: unknown; errors?: GqlResult['errors'] } | null;
}

/**
 * One request over node:http, body written in 64 KB chunks: with `chunked` no Content-Length is
 * sent. Resolves with the response even when the server answers (and stops reading) before the
 * whole body is written.
 */
function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | string; chunked?: boolean } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    const headers: Record<string, string> = { ...options.headers };
    if (body && !options.chunked) headers['content-length'] = String(body.length);
    const req = http.request(url, { method: options.method ?? 'POST', headers });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: RawResponse['json'];
        try {
          json = JSON.parse(text);
        } catch {
          json = null;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    // Writing after the server answered may fail (EPIPE/ECONNRESET); only the response matters.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (body) {
      let offset = 0;
      const writeMore = () => {
        while (offset < body.length) {
          const chunk = body.subarray(offset, offset + 65_536);
          offset += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', writeMore);
            return;
          }
        }
        req.end();
      };
      writeMore();
    } else {
      req.end();
    }
  });
}

/** A valid query `depth` fields deep (actionPlan → program → actionPlans → edges → node → …). */
function deepQuery(depth: number): string {
  const cycle = ['program', 'actionPlans(first: 1)', 'edges', 'node'];
  const fields = ['actionPlan(id: "x")'];
  while (fields.length < depth - 1) fields.push(cycle[(fields.length - 1) % cycle.length]!);
  return `{ ${fields.map((f) => `${f} { `).join('')}__typename${' }'.repeat(fields.length)} }`;
}

const json = { 'content-type': 'application/json' };

describe('HTTP edge (development defaults)', () => {
  let server: TestServer;
  let url: string;
  let token: string;

  /** The server still answers an ordinary authenticated query. */
  async function stillAnswers(): Promise<void> {
    const r = await gql(url, '{ me { email } cities { name } }', {}, token);
    expect(r.status).toBe(200);
    expect(r.errors).toBeUndefined();
    expect((r.data as any).me.email).toBe('admin@pantau.demo');
  }

  beforeAll(async () => {
    server = await startServer({ demo: true });
    url = server.url;
    token = await login(url, 'admin@pantau.demo');
  });
  afterAll(async () => server?.close());

  it('refuses a depth-20 query with 400 GRAPHQL_VALIDATION_FAILED (limit depth)', async () => {
    const r = await gql(url, deepQuery(20), {}, token);
    expect(r.status).toBe(400);
    expect(r.data).toBeUndefined();
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth', max: 12, actual: 20 });
    expect(r.errors?.[0]?.message).toBe('Kueri terlalu dalam: kedalaman 20, maksimal 12.');
    const en = await gql(url, deepQuery(20), {}, token, { 'accept-language': 'en' });
    expect(en.errors?.[0]?.message).toBe('The query is too deep: depth 20, at most 12.');
    await stillAnswers();
  });

  it('refuses a 500-alias query with 400 (limit aliases)', async () => {
    const query = `{ ${Array.from({ length: 500 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    const r = await gql(url, query, {}, token);
    expect(r.status).toBe(400);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'aliases', max: 30, actual: 500 });
    await stillAnswers();
  });

  it('refuses an expensive query (limit cost) and too many directives', async () => {
    const cost = await gql(
      url,
      '{ cities { actionPlans(first: 100) { edges { node { progressReports(first: 100) { edges { node { id } } } } } } } }',
      {},
      token,
    );
    expect(cost.status).toBe(400);
    expect(cost.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost', max: 20_000 });
    const directives = await gql(url, `{ ${Array(25).fill('__typename @include(if: true)').join(' ')} }`, {}, token);
    expect(directives.status).toBe(400);
    expect(directives.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'directives', max: 20 });
    await stillAnswers();
  });

  it('refuses a document over 5 000 tokens while parsing: 400 GRAPHQL_PARSE_FAILED (limit tokens)', async () => {
    const r = await gql(url, `{ ${Array(6_000).fill('__typename').join(' ')} }`, {}, token);
    expect(r.status).toBe(400);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_PARSE_FAILED', limit: 'tokens', max: 5_000 });
    expect(r.errors?.[0]?.message).toBe('Kueri terlalu panjang: lebih dari 5000 token.');
    const syntax = await gql(url, '{ cities { id }', {}, token);
    expect(syntax.status).toBe(400);
    expect(codeOf(syntax)).toBe('GRAPHQL_PARSE_FAILED');
    await stillAnswers();
  });

  it.each([
    ['with Content-Length', false],
    ['chunked', true],
  ])('answers a 2 MB body %s with 413 JSON', async (_label, chunked) => {
    const body = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(2 * 1_048_576) } });
    const r = await rawRequest(`${url}/graphql`, { headers: json, body, chunked });
    expect(r.status).toBe(413);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.json?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.json?.errors?.[0]?.message).toBe('Isi permintaan terlalu besar (maksimal 1 MB).');
    await stillAnswers();
  });

  it('answers a 100 KB header with 431 JSON, and a malformed request with 400 JSON', async () => {
    const r = await rawRequest(`${url}/graphql`, {
      headers: { ...json, 'x-pad': 'x'.repeat(100 * 1024) },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(r.status).toBe(431);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.json?.errors?.[0]).toEqual({ message: 'Header permintaan terlalu besar.', extensions: { code: 'BAD_USER_INPUT' } });
    // Not HTTP at all.
    const garbage = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(new URL(url).port), '127.0.0.1', () => socket.write('HELLO / WORLD\r\n\r\n'));
      let text = '';
      socket.on('data', (c) => (text += c.toString('utf8')));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    expect(garbage).toMatch(/content-type: application\/json/i);
    expect(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4)).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    await stillAnswers();
  });

  it('answers malformed JSON with 400 JSON', async () => {
    const r = await rawRequest(`${url}/graphql`, { headers: json, body: '{"query": "{ __typename }"' });
    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.json?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    await stillAnswers();
  });

  it('answers a text/plain POST (a CSRF vector) with 400 JSON and runs nothing', async () => {
    const r = await rawRequest(`${url}/graphql`, {
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: 'mutation { login(input: { email: "admin@pantau.demo", password: "pantau-demo" }) { token } }' }),
    });
    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.json?.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(r.text).not.toContain('token"');
    await stillAnswers();
  });

  it('refuses a batched (array) body with 400 JSON', async () => {
    const r = await rawRequest(`${url}/graphql`, {
      headers: json,
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.json?.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    await stillAnswers();
  });

  it('answers unknown routes with 404 JSON', async () => {
    for (const [method, path] of [
      ['GET', '/nope'],
      ['POST', '/graphql/extra'],
      ['DELETE', '/'],
    ] as const) {
      const r = await rawRequest(`${url}${path}`, { method });
      expect(r.status).toBe(404);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(r.json?.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
  });

  it('runs queries over GET (with a CSRF-safe header) but never mutations', async () => {
    const q = new URLSearchParams({ query: '{ me { email } }' });
    const auth = { authorization: `Bearer ${token}` };
    const query = await rawRequest(`${url}/graphql?${q}`, { method: 'GET', headers: { ...auth, 'apollo-require-preflight': 'true' } });
    expect(query.status).toBe(200);
    expect(query.json?.data).toEqual({ me: { email: 'admin@pantau.demo' } });
    // Without a header a browser form can't send, Apollo's CSRF prevention refuses a GET.
    const bare = await rawRequest(`${url}/graphql?${q}`, { method: 'GET', headers: auth });
    expect(bare.status).toBe(400);
    const m = new URLSearchParams({
      query: 'mutation { login(input: { email: "admin@pantau.demo", password: "pantau-demo" }) { token } }',
    });
    const mutation = await rawRequest(`${url}/graphql?${m}`, { method: 'GET', headers: { 'apollo-require-preflight': 'true' } });
    expect(mutation.status).toBe(405);
    expect(mutation.headers.allow).toBe('POST');
    expect(mutation.json?.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(mutation.text).not.toContain('token"');
  });

  it('sends security headers: a locked-down CSP on the API, a same-origin one on the playground', async () => {
    const api = await rawRequest(`${url}/graphql`, { headers: json, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(api.headers['x-content-type-options']).toBe('nosniff');
    expect(api.headers['referrer-policy']).toBe('no-referrer');
    expect(api.headers['x-frame-options']).toBe('DENY');
    expect(api.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    expect(api.headers['x-powered-by']).toBeUndefined();
    const page = await rawRequest(`${url}/playground/`, { method: 'GET' });
    expect(page.status).toBe(200);
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).not.toMatch(/unsafe-eval|\*/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('gives field suggestions and allows introspection outside production', async () => {
    const typo = await gql(url, '{ citie { id } }', {}, token);
    expect(typo.status).toBe(400);
    // In Indonesian by default, graphql-js's English kept aside.
    expect(typo.errors?.[0]?.message).toBe('Field "citie" tidak ada pada tipe "Query". Mungkin maksud Anda "cities" atau "city"?');
    expect(typo.errors?.[0]?.extensions?.originalMessage).toContain('Did you mean');
    const intro = await gql(url, '{ __schema { queryType { name } } }', {}, token);
    expect(intro.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});

describe('HTTP edge in production', () => {
  let server: TestServer;
  let url: string;
  let token: string;
  beforeAll(async () => {
    server = await startServer({ demo: true, env: { NODE_ENV: 'production' } });
    url = server.url;
    token = await login(url, 'admin@pantau.demo');
  });
  afterAll(async () => server?.close());

  it('sends no stack traces and no "Did you mean" suggestions, not even for variables', async () => {
    const answers = [
      await gql(url, '{ citie { id } }', {}, token),
      await gql(url, 'query ($s: ActionPlanState) { cities { actionPlans(filter: { state: $s }) { totalCount } } }', { s: 'LATEE' }, token),
      await gql(url, '{ cities { actionPlans(filter: { state: LATEE }) { totalCount } } }', {}, token),
      await gql(url, deepQuery(20), {}, token),
      await gql(url, '{ cities { id }', {}, token),
      await gql(url, '{ cities { id } }'),
    ];
    for (const r of answers) {
      expect(r.errors?.length).toBeGreaterThan(0);
      const text = JSON.stringify(r.errors);
      expect(text).not.toContain('stacktrace');
      expect(text).not.toMatch(/Did you mean|Mungkin maksud/i);
    }
  });

  it('refuses introspection and has no playground', async () => {
    const intro = await gql(url, '{ __schema { queryType { name } } }', {}, token);
    expect(intro.status).toBe(400);
    expect(codeOf(intro)).toBe('GRAPHQL_VALIDATION_FAILED');
    const type = await gql(url, '{ __type(name: "City") { name } }', {}, token);
    expect(codeOf(type)).toBe('GRAPHQL_VALIDATION_FAILED');
    const page = await rawRequest(`${url}/playground/`, { method: 'GET' });
    expect(page.status).toBe(404);
    expect(page.json?.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const root = await rawRequest(`${url}/`, { method: 'GET' });
    expect(root.status).toBe(302);
    expect(root.headers.location).toBe('/dashboard/');
  });
});

describe('HTTP edge in production with the playground and introspection enabled', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ demo: false, env: { NODE_ENV: 'production', PANTAU_PLAYGROUND: 'true', PANTAU_INTROSPECTION: 'true' } });
  });
  afterAll(async () => server?.close());

  it('serves the playground and answers introspection', async () => {
    const page = await rawRequest(`${server.url}/playground/`, { method: 'GET' });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const intro = await gql(server.url, '{ __schema { queryType { name } } }');
    expect(intro.status).toBe(200);
    expect(intro.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});
