// Logs and metrics of a real server: /metrics scraped before and after a report and its push to a
// subscriber, METRICS_TOKEN, the JSON request and socket log lines (collected from the server's own
// pino destination), and /readyz with migrations pending and with Redis down.
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/db';
import { gql, login, ok } from '../helpers/gql';
import { freePort, RedisProcess, redisServerAvailable } from '../helpers/redis-process';
import { startServer, type TestServer } from '../helpers/server';
import { collect, eventually, wsClient } from '../helpers/ws';

const REPORT = 'mutation Lapor($input: ReportProgressInput!) { reportProgress(input: $input) { version progress } }';
const SUMMARY = 'subscription ($id: ID!) { citySummary(cityId: $id) { seq progress } }';
const METRICS_TOKEN = 'scrape-token-0123456789abcdef';

/** The value of one series of a Prometheus text exposition (labels: a subset that must match), or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  let total: number | undefined;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) found[key!] = value!;
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) total = (total ?? 0) + Number(match[3]);
  }
  return total;
}

async function scrape(url: string, token?: string): Promise<string> {
  const res = await fetch(`${url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

/** A pino destination that keeps every line, parsed. */
function logCollector(): { lines: Record<string, any>[]; raw: string[]; stream: Writable } {
  const lines: Record<string, any>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, any>);
      }
      callback();
    },
  });
  return { lines, raw, stream };
}

describe.each(await testDialects())('metrics and logs on %s', (dialect) => {
  let server: TestServer;
  const log = logCollector();
  let admin: string;
  let reporter: string;
  let cityId: string;
  let plan: { id: string; version: number };

  beforeAll(async () => {
    server = await startServer({
      dialect,
      demo: true,
      realtime: { coalesceMs: 50 },
      env: { METRICS_TOKEN, LOG_LEVEL: 'info' },
      logDestination: log.stream,
    });
    admin = await login(server.url, 'admin@pantau.demo');
    reporter = await login(server.url, 'dinkes@tanjungpinang.demo');
    cityId = (await ok<any>(server.url, '{ cities { id name } }', {}, admin)).cities.find((c: any) => c.name === 'Tanjungpinang').id;
    const me = await ok<any>(server.url, '{ me { opdId } }', {}, reporter);
    const list = await ok<any>(
      server.url,
      'query ($c: ID!, $o: ID!) { city(id: $c) { actionPlans(first: 1, filter: { opdId: $o }) { edges { node { id version } } } } }',
      { c: cityId, o: me.me.opdId },
      reporter,
    );
    plan = list.city.actionPlans.edges[0].node;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('asks for METRICS_TOKEN when it is set: none or a wrong one is 401, the right one scrapes', async () => {
    const none = await fetch(`${server.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await none.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } });
    expect(wrong.status).toBe(401);
    const text = await scrape(server.url, METRICS_TOKEN);
    // Process metrics too: the event-loop delay among them.
    expect(sample(text, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counters move after a report and its push to a subscriber; the socket gauges follow the socket', async () => {
    const before = await scrape(server.url, METRICS_TOKEN);
    const screen = wsClient(server.url, admin);
    const summary = collect<any>(screen, SUMMARY, { id: cityId });
    const first = await summary.until(() => true);
    const open = await scrape(server.url, METRICS_TOKEN);
    expect(sample(open, 'pantau_websocket_sockets')).toBe(1);
    expect(sample(open, 'pantau_subscriptions', { kind: 'citySummary' })).toBe(1);

    const data = await ok<any>(
      server.url,
      REPORT,
      { input: { actionPlanId: plan.id, percent: 42, narrative: 'laporan metrik', expectedVersion: plan.version } },
      reporter,
    );
    plan.version = data.reportProgress.version;
    await summary.until((v) => v.citySummary.seq > first.citySummary.seq);
    const after = await scrape(server.url, METRICS_TOKEN);
    const moved = (name: string, labels: Record<string, string> = {}) =>
      (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
    expect(moved('pantau_graphql_requests_total', { type: 'mutation', operation: 'reportProgress', outcome: 'ok' })).toBe(1);
    expect(moved('pantau_graphql_request_duration_seconds_count', { type: 'mutation', operation: 'reportProgress' })).toBe(1);
    expect(moved('pantau_events_published_total', { result: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(moved('pantau_events_delivered_total')).toBeGreaterThanOrEqual(1);
    expect(moved('pantau_feed_delivery_lag_seconds_count')).toBeGreaterThanOrEqual(1);
    // The first summary and the one after the report, at least.
    expect(moved('pantau_subscription_messages_total', { kind: 'citySummary' })).toBeGreaterThanOrEqual(2);
    expect(moved('pantau_overview_computations_total', { basis: 'ALL' })).toBeGreaterThanOrEqual(1);
    // The feed has delivered everything the outbox holds.
    expect(sample(after, 'pantau_feed_behind_events')).toBe(0);

    await screen.dispose();
    await eventually(
      async () => sample(await scrape(server.url, METRICS_TOKEN), 'pantau_websocket_sockets') === 0,
      5_000,
      'the socket gauge to drop',
    );
    const closed = await scrape(server.url, METRICS_TOKEN);
    expect(sample(closed, 'pantau_subscriptions', { kind: 'citySummary' })).toBe(0);
    expect(sample(closed, 'pantau_websocket_closes_total', { code: '1000' })).toBe(1);
  });

  it('the Grafana dashboard (deploy/grafana) reads only metrics the server exposes, through its Prometheus datasource variable', async () => {
    const dashboard = JSON.parse(
      fs.readFileSync(path.resolve(__dirname, '..', '..', 'deploy', 'grafana', 'pantau-dashboard.json'), 'utf8'),
    );
    expect(dashboard.templating.list.find((v: any) => v.type === 'datasource')).toMatchObject({ name: 'datasource', query: 'prometheus' });
    const families = new Set([...(await scrape(server.url, METRICS_TOKEN)).matchAll(/^# TYPE (\w+) /gm)].map((m) => m[1]));
    const panels = dashboard.panels.filter((p: any) => p.type !== 'row');
    expect(panels.length).toBeGreaterThanOrEqual(15);
    for (const panel of panels) {
      expect(panel.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      for (const target of panel.targets) {
        for (const [name] of target.expr.matchAll(/\b(?:pantau|nodejs|process)_\w+/g)) {
          const family = name.replace(/_(bucket|count|sum)$/, '');
          expect(families.has(family) || families.has(name), `${panel.title}: ${name}`).toBe(true);
        }
      }
    }
  });

  it('counts errors by code and requests by outcome; operation labels stay bounded', async () => {
    const before = await scrape(server.url, METRICS_TOKEN);
    const missing = await gql(server.url, 'query { city(id: "00000000-0000-0000-0000-000000000000") { name } }', {}, admin);
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const invalid = await gql(server.url, '{ nope }', {}, admin);
    expect(invalid.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // Client-chosen operation names never become labels.
    for (let i = 0; i < 3; i++) await ok(server.url, `query Random${i}x${Date.now()} { me { email } }`, {}, admin);
    const after = await scrape(server.url, METRICS_TOKEN);
    const moved = (name: string, labels: Record<string, string> = {}) =>
      (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
    expect(moved('pantau_graphql_errors_total', { code: 'NOT_FOUND' })).toBe(1);
    expect(moved('pantau_graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(moved('pantau_graphql_requests_total', { type: 'query', operation: 'city', outcome: 'client_error' })).toBe(1);
    expect(moved('pantau_graphql_requests_total', { type: 'unknown', operation: 'other', outcome: 'client_error' })).toBe(1);
    expect(moved('pantau_graphql_requests_total', { type: 'query', operation: 'me', outcome: 'ok' })).toBe(3);
    expect(after).not.toMatch(/Random\d/);
  });

  it('writes one JSON line per request (request id, operation, user, city, status, duration) and per socket open and close, with no secret', async () => {
    log.lines.length = 0;
    log.raw.length = 0;
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${reporter}`, 'x-request-id': 'uji-permintaan-1' },
      body: JSON.stringify({
        query: REPORT,
        operationName: 'Lapor',
        variables: { input: { actionPlanId: plan.id, percent: 43, narrative: 'rahasia-narasi', expectedVersion: plan.version } },
      }),
    });
    expect(res.status).toBe(200);
    // Our own id, not the client's: the client's is logged beside it (clientReqId).
    const ours = res.headers.get('x-request-id');
    expect(ours).toMatch(/^[0-9a-f-]{36}$/);
    plan.version = ((await res.json()) as any).data.reportProgress.version;
    const me = await ok<any>(server.url, '{ me { id } }', {}, reporter);
    // An insane request id is not even logged.
    const odd = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'has spaces and "quotes"' },
      body: JSON.stringify({ query: '{ cities { id } }' }),
    });
    const generated = odd.headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    await login(server.url, 'viewer@tanjungpinang.demo');

    const screen = wsClient(server.url, admin);
    await collect(screen, SUMMARY, { id: cityId }).until(() => true);
    await screen.dispose();
    await eventually(() => log.lines.some((l) => l.msg === 'socket close'), 5_000, 'the socket close line');

    const requests = log.lines.filter((l) => l.msg === 'request');
    expect(requests.find((l) => l.reqId === 'uji-permintaan-1')).toBeUndefined();
    const report = requests.find((l) => l.reqId === ours);
    expect(report).toMatchObject({
      clientReqId: 'uji-permintaan-1',
      level: 'info',
      method: 'POST',
      path: '/graphql',
      status: 200,
      op: 'Lapor',
      opType: 'mutation',
      fields: ['reportProgress'],
      user: me.me.id,
      city: cityId,
      outcome: 'ok',
      codes: [],
    });
    expect(typeof report!.ms).toBe('number');
    expect(report!.time).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(requests.find((l) => l.reqId === generated)).not.toHaveProperty('clientReqId');
    expect(requests.find((l) => l.reqId === generated)).toMatchObject({
      status: 200,
      user: null,
      outcome: 'client_error',
      codes: ['UNAUTHENTICATED'],
    });
    const opened = log.lines.find((l) => l.msg === 'socket open');
    const closed = log.lines.find((l) => l.msg === 'socket close');
    const adminId = (await ok<any>(server.url, '{ me { id } }', {}, admin)).me.id;
    expect(opened).toMatchObject({ level: 'info', user: adminId });
    expect(closed).toMatchObject({ socket: opened!.socket, user: adminId, code: 1000, subscriptions: { citySummary: 1 } });
    expect(closed!.ms).toBeGreaterThanOrEqual(0);
    // No token, password or variable value anywhere in the log.
    const all = log.raw.join('\n');
    for (const secret of [reporter, admin, 'pantau-demo', 'rahasia-narasi', plan.id]) expect(all).not.toContain(secret);
  });

  it('logs and counts a request to a mounted route (/uploads) by the path the client sent, without its query', async () => {
    log.lines.length = 0;
    const before = await scrape(server.url, METRICS_TOKEN);
    const name = 'catatan-rahasia-nama.txt';
    const upload = await fetch(`${server.url}/uploads?cityId=${cityId}&name=${name}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${reporter}`, 'content-type': 'application/octet-stream' },
      body: 'Notulen rapat koordinasi.',
    });
    expect(upload.status).toBe(201);
    const { id } = (await upload.json()) as { id: string };
    // Each answer read to its end: a download is counted when its stream finishes, not at its headers.
    const download = await fetch(`${server.url}/uploads/${id}`, { headers: { authorization: `Bearer ${reporter}` } });
    expect([download.status, await download.text()]).toEqual([200, 'Notulen rapat koordinasi.']);
    const anonymous = await fetch(`${server.url}/uploads/${id}?x=1`);
    expect(anonymous.status).toBe(401);
    await anonymous.arrayBuffer();
    const after = await scrape(server.url, METRICS_TOKEN);
    const requests = log.lines.filter((l) => l.msg === 'request');
    expect(requests.map((l) => [l.method, l.path, l.status])).toEqual(
      expect.arrayContaining([
        ['POST', '/uploads', 201],
        ['GET', `/uploads/${id}`, 200],
        ['GET', `/uploads/${id}`, 401],
      ]),
    );
    expect(log.raw.join('\n')).not.toContain(name);
    const moved = (status: string) =>
      (sample(after, 'pantau_http_requests_total', { route: 'uploads', status }) ?? 0) -
      (sample(before, 'pantau_http_requests_total', { route: 'uploads', status }) ?? 0);
    expect([moved('2xx'), moved('4xx')]).toEqual([2, 1]);
  });
});

describe('/readyz', async () => {
  it.each(await testDialects())(
    'is 503 with a reason while a migration this code knows is not applied (a database restored from an older backup) on %s',
    async (dialect) => {
      const server = await startServer({ dialect, demo: false });
      try {
        expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({
          status: 'ready',
          checks: { database: 'ok', migrations: 'ok', pubsub: 'off' },
        });
        const connection = server.orm.em.getConnection();
        const [last] = (await connection.execute('select id, name, executed_at from mikro_orm_migrations order by id desc limit 1')) as {
          id: number;
          name: string;
          executed_at: string;
        }[];
        await connection.execute('delete from mikro_orm_migrations where id = ?', [last!.id]);
        const res = await fetch(`${server.url}/readyz`);
        expect(res.status).toBe(503);
        const body = await res.json();
        expect(body).toMatchObject({ status: 'not_ready', checks: { database: 'ok', migrations: 'pending' } });
        expect(body.reasons.join(' ')).toContain(last!.name.replace(/\.[jt]s$/, ''));
        // Liveness is another matter: the process is fine.
        expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
        await connection.execute('insert into mikro_orm_migrations (id, name, executed_at) values (?, ?, ?)', [
          last!.id,
          last!.name,
          last!.executed_at,
        ]);
        expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      } finally {
        await server.close();
      }
    },
  );

  it('reports Redis down: degraded (200) by default, 503 with READY_REQUIRES_REDIS=true; ready again when Redis is back', async (ctx) => {
    if (!(await redisServerAvailable())) {
      if (process.env.CI === 'true') throw new Error('redis-server is required in CI');
      console.warn('\n!!! redis-server is not installed: the Redis readiness test is SKIPPED !!!\n');
      return ctx.skip();
    }
    const redis = new RedisProcess(await freePort());
    await redis.start();
    const lenient = await startServer({ demo: false, env: { REDIS_URL: redis.url } });
    const strict = await startServer({ demo: false, env: { REDIS_URL: redis.url, READY_REQUIRES_REDIS: 'true' } });
    try {
      for (const server of [lenient, strict]) {
        const res = await fetch(`${server.url}/readyz`);
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok', pubsub: 'ok' } });
      }
      await redis.stop();
      await eventually(async () => (await fetch(`${strict.url}/readyz`)).status === 503, 10_000, 'the strict instance to be not ready');
      const strictBody = await (await fetch(`${strict.url}/readyz`)).json();
      expect(strictBody).toMatchObject({ status: 'not_ready', checks: { database: 'ok', migrations: 'ok', pubsub: 'down' } });
      expect(strictBody.reasons.join(' ')).toMatch(/Redis/);
      const lenientRes = await fetch(`${lenient.url}/readyz`);
      expect(lenientRes.status).toBe(200);
      expect(await lenientRes.json()).toMatchObject({ status: 'degraded', checks: { pubsub: 'down' } });
      await redis.start();
      await eventually(async () => (await fetch(`${strict.url}/readyz`)).status === 200, 20_000, 'the strict instance to be ready again');
    } finally {
      await lenient.close();
      await strict.close();
      await redis.stop();
    }
  });
});
