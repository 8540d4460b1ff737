import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { testDialects } from '../helpers/db';
import { login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { TRANSPORTS } from '../helpers/transports';

/** The JSON log lines the server writes (at LOG_LEVEL info). */
function logCollector(): { lines: Record<string, any>[]; stream: Writable } {
  const lines: Record<string, any>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, any>);
      callback();
    },
  });
  return { lines, stream };
}

/** `{"a":{"a":…1…}}`, `depth` levels: more than the stack holds when written recursively. */
const deep = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** Posts a raw JSON body to /graphql. */
async function post(url: string, body: string, token?: string): Promise<{ status: number; json: any }> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  return { status: res.status, json: await res.json() };
}

/**
 * Opens a raw graphql-ws socket, sends `init` as connection_init's payload, closes it after the first
 * answer to an operation; resolves with what it got until it closed (or after 5 s, code -1).
 */
function rawSocket(
  url: string,
  init: Record<string, unknown>,
  afterAck?: (ws: WebSocket) => void,
): Promise<{ messages: any[]; close: { code: number; reason: string } }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    const messages: any[] = [];
    const timer = setTimeout(() => {
      ws.terminate();
      resolve({ messages, close: { code: -1, reason: 'still open after 5 s' } });
    }, 5_000);
    ws.on('message', (data) => {
      const message = JSON.parse(String(data));
      messages.push(message);
      if (message.type === 'connection_ack') afterAck?.(ws);
      // One answer is enough: a query's result, a subscription's first value, an error.
      if (message.type === 'next' || message.type === 'complete' || message.type === 'error') ws.close(1000);
    });
    ws.once('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: init })));
    ws.once('error', reject);
    ws.once('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ messages, close: { code, reason: String(reason) } });
    });
  });
}

describe.each(await testDialects())('hostile requests on %s', (dialect) => {
  let server: TestServer;
  const log = logCollector();
  let admin: string;
  let cityId: string;
  const problems = () => log.lines.filter((l) => l.level === 'error' || l.level === 'warn');

  beforeAll(async () => {
    server = await startServer({ dialect, demo: true, env: { LOG_LEVEL: 'info' }, logDestination: log.stream });
    admin = await login(server.url, 'admin@pantau.demo');
    cityId = (await ok<any>(server.url, '{ cities { id name } }', {}, admin)).cities.find((c: any) => c.name === 'Tanjungpinang').id;
  });
  afterAll(async () => server?.close());

  it('answers an anonymous persisted query whose hash does not match with 400 BAD_REQUEST, and logs no error', async () => {
    const before = problems().length;
    for (const locale of ['id', 'en']) {
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-language': locale },
        body: JSON.stringify({ query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }),
      });
      const body = (await res.json()) as any;
      expect(res.status).toBe(400);
      expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
      expect(body.errors[0].message).toBe(
        locale === 'en' ? 'provided sha does not match query' : 'Hash `persistedQuery.sha256Hash` tidak cocok dengan kueri yang dikirim.',
      );
    }
    expect(problems().slice(before)).toEqual([]);
  });

  it.each(TRANSPORTS)(
    'ignores a deeply nested variable the operation does not declare (%s): the cached query and the shared subscription answer',
    async (transport) => {
      const before = problems().length;
      const junk = deep(5_000);
      const query = 'query ($id: ID!) { city(id: $id) { name overview { seq } } }';
      if (transport === 'http') {
        // The answer cache keys city queries on their variables: twice, so the second is a kept answer.
        for (let i = 0; i < 2; i++) {
          const r = await post(server.url, `{"query":${JSON.stringify(query)},"variables":{"id":"${cityId}","x":${junk}}}`, admin);
          expect(r.status).toBe(200);
          expect(r.json.data.city.name).toBe('Tanjungpinang');
        }
      } else {
        // Shared subscriptions key on their variables too.
        const summary = 'subscription ($id: ID!) { citySummary(cityId: $id) { seq } }';
        // The event stream replays the city's last event at once (afterSeq one before its head).
        const events = 'subscription ($id: ID!, $after: Int) { cityEvents(cityId: $id, afterSeq: $after) { seq } }';
        const plans = await ok<any>(
          server.url,
          'query ($id: ID!) { city(id: $id) { actionPlans(first: 1) { edges { node { id version } } } } }',
          { id: cityId },
          admin,
        );
        const plan = plans.city.actionPlans.edges[0].node;
        await ok(
          server.url,
          'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { version } }',
          { input: { actionPlanId: plan.id, percent: 40, narrative: 'uji', expectedVersion: plan.version } },
          admin,
        );
        const head = (await ok<any>(server.url, query, { id: cityId }, admin)).city.overview.seq as number;
        expect(head).toBeGreaterThan(0);
        for (const q of [query, summary, events]) {
          const got = await rawSocket(server.url, { authorization: `Bearer ${admin}` }, (ws) =>
            ws.send(
              `{"id":"1","type":"subscribe","payload":{"query":${JSON.stringify(q)},"variables":{"id":"${cityId}","after":${head - 1},"x":${junk}}}}`,
            ),
          );
          const next = got.messages.find((m) => m.type === 'next');
          expect(next?.payload.errors).toBeUndefined();
          expect(next?.payload.data).toBeTruthy();
          expect(got.close.code).toBe(1000);
        }
      }
      expect(problems().slice(before)).toEqual([]);
    },
  );

  it('closes a connection_init whose locale is not a string with 4400, and logs no warning', async () => {
    const before = problems().length;
    for (const locale of [5, { a: 1 }, ['en'], true]) {
      const got = await rawSocket(server.url, { authorization: `Bearer ${admin}`, locale });
      expect(got.close.code).toBe(4400);
      expect(got.messages).toEqual([]);
    }
    // A string (or none) is still fine.
    const fine = await rawSocket(server.url, { authorization: `Bearer ${admin}`, locale: 'en' }, (ws) => ws.close(1000));
    expect(fine.messages.map((m) => m.type)).toEqual(['connection_ack']);
    expect(problems().slice(before)).toEqual([]);
  });
});
