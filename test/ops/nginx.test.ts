// deploy/nginx/pantau.conf for real: Debian's nginx on loopback (a child process with its own
// prefix folder) in front of two real server processes (node dist/server/main.js) on one
// PostgreSQL database and a private Redis, as docker-compose.yml runs them.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../helpers/db';
import { codeOf, gql, login, ok } from '../helpers/gql';
import { NGINX_CONF, nginxBinary, startNginx, type NginxProcess } from '../helpers/nginx';
import { buildServerOnce, repoRoot, startServerProcess, type ServerProcess } from '../helpers/process-server';
import { freePort, RedisProcess, redisServerAvailable } from '../helpers/redis-process';
import { collect, eventually, wsClient, type TestWsClient } from '../helpers/ws';

const nginx = nginxBinary();
const ready = nginx !== null && (await postgresAvailable()) && (await redisServerAvailable());
if (!ready) {
  if (process.env.CI === 'true')
    throw new Error('The nginx test needs nginx (apt-get install nginx), PostgreSQL and redis-server, and CI=true');
  console.warn(
    `\n!!! ${nginx ? 'PostgreSQL or redis-server' : 'nginx'} missing: the nginx tests are SKIPPED (apt-get install nginx) !!!\n`,
  );
}

const SUMMARY = 'subscription ($id: ID!) { citySummary(cityId: $id) { seq progress counts { total late done } } }';
const OVERVIEW = 'query ($id: ID!) { city(id: $id) { overview { seq progress counts { total late done } } } }';
const REPORT = 'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { version } }';
const METRICS_TOKEN = 'nginx-test-metrics-token-0123456789';
/** UPLOAD_MAX_BYTES's default: the largest evidence file the app takes. */
const UPLOAD_MAX = 20 * 1_048_576;

/**
 * A raw request through Node's http client (a body of any size, a chosen Content-Length, or none
 * sent at all). Resolves on the answer even when the server answered before the body was all sent
 * (and then closed): what a client sees, not the write error that may follow.
 */
function rawRequest(
  url: string,
  options: { method: string; headers?: Record<string, string>; body?: Buffer; sendBody?: boolean },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(url, { method: options.method, headers: options.headers ?? {} }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (options.sendBody === false) req.flushHeaders();
    else req.end(options.body ?? Buffer.alloc(0));
  });
}

/** A PDF (by its magic number) of exactly `size` random bytes. */
function pdfOf(size: number): Buffer {
  const file = randomBytes(size);
  file.write('%PDF-1.7\n', 0, 'latin1');
  return file;
}

/** A POST to /graphql from a chosen local address (127.0.0.x), so nginx sees another client. */
function postFrom(
  localAddress: string,
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}/graphql`,
      {
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers },
      },
      (res) => {
        let data = '';
        res.on('data', (chunk) => (data += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) }));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

describe('docker-compose.yml and deploy/nginx/pantau.conf agree', () => {
  // No Docker engine in CI: what compose runs is checked by reading the file (without a YAML
  // dependency: the lines that matter are plain).
  const compose = fs.readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8');
  const conf = fs.readFileSync(NGINX_CONF, 'utf8');
  const servicesBlock = compose.slice(compose.indexOf('\nservices:\n'), compose.indexOf('\nvolumes:\n'));
  const services = [...servicesBlock.matchAll(/^ {2}([a-z0-9_-]+):/gm)].map((m) => m[1]);

  it('runs nginx with this very file in front of every app replica, and publishes only nginx', () => {
    expect(services).toEqual(['postgres', 'redis', 'app1', 'app2', 'nginx']);
    expect(compose).toMatch(/- \.\/deploy\/nginx\/pantau\.conf:\/etc\/nginx\/conf\.d\/default\.conf:ro/);
    const replicas = services.filter((s) => /^app\d+$/.test(s!));
    const upstream = [...conf.matchAll(/^\s*server (app\d+):4000 /gm)].map((m) => m[1]);
    expect(upstream).toEqual(replicas);
    expect(compose.match(/^\s+ports:/gm)).toHaveLength(1);
    // Either quote style (Prettier writes single quotes in YAML).
    expect(compose).toMatch(/nginx:[\s\S]*ports:\n\s+- (["'])\$\{PANTAU_BIND:-127\.0\.0\.1\}:\$\{PANTAU_PORT:-8080\}:80\1/);
    // The replicas' health check is /readyz; they trust exactly one proxy hop (nginx).
    expect(compose).toMatch(/http:\/\/127\.0\.0\.1:4000\/readyz/);
    expect(compose).toMatch(/TRUST_PROXY: (["'])1\1/);
  });

  it('passes every replica a METRICS_TOKEN (required, like JWT_SECRET), and nginx routes /metrics nowhere', () => {
    const app = compose.slice(compose.indexOf('x-app: &app'), compose.indexOf('\nservices:\n'));
    expect(app).toMatch(/^ {4}METRICS_TOKEN: \$\{METRICS_TOKEN:\?[^}]+\}$/m);
    expect(conf).toMatch(/location ~\* \^\/metrics\(\/\|\$\) \{\s+default_type application\/json;\s+return 404 /);
  });
});

describe.skipIf(!ready)('nginx (deploy/nginx/pantau.conf) in front of two server processes', () => {
  let db: TestDatabase;
  let redis: RedisProcess;
  let proxy: NginxProcess;
  const servers: ServerProcess[] = [];
  const sockets: TestWsClient[] = [];
  let admin: string;
  let cityAdmin: string;
  let cityId: string;
  let plans: { id: string; version: number }[];

  beforeAll(async () => {
    buildServerOnce();
    db = await createTestDatabase('postgres');
    redis = new RedisProcess(await freePort());
    await redis.start();
    const env = {
      DATABASE_URL: db.target.dialect === 'postgres' ? db.target.url : '',
      REDIS_URL: redis.url,
      JWT_SECRET: 'nginx-test-secret-nginx-test-secret-0123456789',
      PANTAU_DEMO: 'true',
      NODE_ENV: 'test',
      // The header test fails logins on purpose from two client addresses.
      LOGIN_MAX_FAILURES_PER_ADDRESS: '3',
      // As compose passes it.
      METRICS_TOKEN,
    };
    const ports = [await freePort(), await freePort()];
    // Both start together on the empty database: one migrates and seeds, the other waits.
    servers.push(...(await Promise.all(ports.map((port) => startServerProcess({ env, port })))));
    proxy = await startNginx(nginx!, await freePort(), ports);
    admin = await login(proxy.url, 'admin@pantau.demo');
    cityAdmin = await login(proxy.url, 'bappelitbang@tanjungpinang.demo');
    const cities = (await ok<any>(proxy.url, '{ cities { id name } }', {}, admin)).cities;
    cityId = cities.find((c: any) => c.name === 'Tanjungpinang').id;
    const list = await ok<any>(
      proxy.url,
      'query ($id: ID!) { city(id: $id) { actionPlans(first: 100) { edges { node { id version status } } } } }',
      { id: cityId },
      admin,
    );
    plans = list.city.actionPlans.edges.map((e: any) => e.node).filter((p: any) => p.status === 'ACTIVE');
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) await s.dispose().catch(() => {});
    await proxy?.stop();
    await Promise.all(servers.map((s) => s.stop('SIGKILL')));
    await redis?.stop();
    await db?.drop();
  });

  const upstreamsOf = (method: string, uri: string) =>
    new Set(
      proxy
        .accessLog()
        .split('\n')
        .filter((line) => line.endsWith(` ${method} ${uri}`))
        .flatMap((line) => line.split(' ')[0]!.split(', ')),
    );

  it('answers GraphQL over HTTP through nginx, from both replicas', async () => {
    for (let i = 0; i < 6; i++) expect((await ok<any>(proxy.url, '{ me { email } }', {}, admin)).me.email).toBe('admin@pantau.demo');
    expect(upstreamsOf('POST', '/graphql')).toEqual(new Set(servers.map((s) => `127.0.0.1:${s.port}`)));
    const health = await fetch(`${proxy.url}/readyz`);
    expect(health.status).toBe(200);
  });

  it('carries graphql-ws subscriptions through nginx: a report sent through nginx reaches screens on both replicas', async () => {
    const screens = Array.from({ length: 4 }, () => {
      const ws = wsClient(proxy.url, admin);
      sockets.push(ws);
      return collect(ws, SUMMARY, { id: cityId });
    });
    const first = await Promise.all(screens.map((s) => s.until(() => true)));
    const plan = plans[0]!;
    plan.version = (
      await ok<any>(
        proxy.url,
        REPORT,
        { input: { actionPlanId: plan.id, percent: 41, narrative: 'lewat nginx', expectedVersion: plan.version } },
        cityAdmin,
      )
    ).reportProgress.version;
    const truth = (await ok<any>(proxy.url, OVERVIEW, { id: cityId }, admin)).city.overview;
    expect(truth.seq).toBeGreaterThan(first[0]!.citySummary.seq);
    for (const screen of screens) {
      await screen.until((v: any) => v.citySummary.seq === truth.seq, 10_000);
      expect(screen.values.at(-1)!.citySummary).toEqual(truth);
      expect(screen.errors).toEqual([]);
    }
    // nginx logs a WebSocket when it closes: the upgrades went round-robin, both replicas held screens.
    await Promise.all(sockets.splice(0).map((ws) => ws.dispose()));
    await eventually(() => upstreamsOf('GET', '/graphql').size === 2, 5_000, 'the closed sockets in the access log');
    expect(upstreamsOf('GET', '/graphql')).toEqual(new Set(servers.map((s) => `127.0.0.1:${s.port}`)));
    expect(proxy.accessLog()).toMatch(/ 101 GET \/graphql/);
  });

  it('passes Host and X-Forwarded-Proto (a link names nginx on loopback, a forged Host names nothing) and refuses bodies over 1 MB with the JSON answer of the app', async () => {
    const CREATE = 'mutation ($input: CreateScreenTokenInput!) { createScreenToken(input: $input) { dashboardUrl } }';
    const created = await ok<any>(proxy.url, CREATE, { input: { cityId, label: 'Layar nginx' } }, cityAdmin);
    expect(created.createScreenToken.dashboardUrl.startsWith(`${proxy.url}/dashboard/#`)).toBe(true);
    // A client's own Host goes through nginx to the replica; without PUBLIC_URL the link is then a path.
    const body = Buffer.from(JSON.stringify({ query: CREATE, variables: { input: { cityId, label: 'Layar palsu' } } }));
    const forged = await rawRequest(`${proxy.url}/graphql`, {
      method: 'POST',
      headers: {
        host: 'pantau.penipu.example',
        'content-type': 'application/json',
        'content-length': String(body.length),
        authorization: `Bearer ${cityAdmin}`,
      },
      body,
    });
    expect(JSON.parse(forged.body.toString()).data.createScreenToken.dashboardUrl).toMatch(/^\/dashboard\/#city=/);
    const big = await fetch(`${proxy.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { email } }', variables: { pad: 'x'.repeat(1_100_000) } }),
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
    // Just under the limit goes through to the app.
    const small = await fetch(`${proxy.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ query: '{ me { email } }', variables: { pad: 'x'.repeat(1_000_000) } }),
    });
    expect(small.status).toBe(200);
  });

  it("takes an evidence file of exactly UPLOAD_MAX_BYTES (20 MiB) through nginx, and refuses one byte more with the app's JSON 413", async () => {
    const upload = (file: Buffer) =>
      rawRequest(`${proxy.url}/uploads?cityId=${cityId}&name=${encodeURIComponent('Bukti besar.pdf')}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${cityAdmin}`,
          'content-type': 'application/octet-stream',
          'content-length': String(file.length),
        },
        body: file,
      });
    const largest = pdfOf(UPLOAD_MAX);
    const stored = await upload(largest);
    expect(stored.status, stored.body.toString().slice(0, 300)).toBe(201);
    const created = JSON.parse(stored.body.toString());
    expect(created).toMatchObject({ contentType: 'application/pdf', size: UPLOAD_MAX });
    expect(created.sha256).toBe(createHash('sha256').update(largest).digest('hex'));
    // And back, whole, through nginx.
    const back = await rawRequest(`${proxy.url}${created.downloadPath}`, {
      method: 'GET',
      headers: { authorization: `Bearer ${cityAdmin}` },
    });
    expect(back.status).toBe(200);
    expect(back.body.length).toBe(UPLOAD_MAX);
    expect(createHash('sha256').update(back.body).digest('hex')).toBe(created.sha256);

    // One byte more: the app's own answer (its limit named), not nginx's page, and nothing kept.
    const tooLarge = await upload(pdfOf(UPLOAD_MAX + 1));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(tooLarge.body.toString())).toMatchObject({
      errors: [{ extensions: { code: 'BAD_USER_INPUT', field: 'file', limit: 'size', max: UPLOAD_MAX } }],
    });
    const evidence = await ok<any>(
      proxy.url,
      'query ($id: ID!) { city(id: $id) { evidence(first: 100) { edges { node { title } } } } }',
      { id: cityId },
      cityAdmin,
    );
    expect(evidence.city.evidence.edges.filter((e: any) => e.node.title === 'Bukti besar.pdf')).toHaveLength(1);
    // Elsewhere the limit stays 1 MB: the same body to /graphql is nginx's JSON 413.
    const graphql = await rawRequest(`${proxy.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(2_000_000) },
      body: Buffer.alloc(2_000_000, 0x20),
    });
    expect(graphql.status).toBe(413);
    expect(JSON.parse(graphql.body.toString())).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
  });

  it('streams an upload to a replica as it arrives: a request without a token is refused before its body is sent', async () => {
    // nginx spooling the body first would wait for 20 MiB that never come; the app refuses at the headers.
    const refused = await rawRequest(`${proxy.url}/uploads?cityId=${cityId}&name=x.pdf`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(UPLOAD_MAX) },
      sendBody: false,
    });
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body.toString())).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    // (Spooled, this test never gets an answer and fails on its timeout.)
  }, 15_000);

  it('keeps /metrics off the public side, in every spelling the app routes, even with the token; a replica serves it with the token', async () => {
    for (const p of ['/metrics', '/metrics/', '/METRICS', '/Metrics/', '/metrics?x=1', '/%6detrics', '//metrics', '/./metrics']) {
      const res = await rawRequest(`${proxy.url}${p}`, { method: 'GET', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(res.status, p).toBe(404);
      expect(res.body.toString(), p).not.toMatch(/pantau_|# TYPE/);
    }
    const direct = await fetch(`${servers[0]!.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(direct.status).toBe(200);
    expect(await direct.text()).toMatch(/^# HELP pantau_/m);
    expect((await fetch(`${servers[0]!.url}/metrics`)).status).toBe(401);
  });

  it('counts login failures per client address nginx saw (X-Forwarded-For with TRUST_PROXY), whatever X-Forwarded-For the client sends', async () => {
    const fail = (from: string, spoof: string) =>
      postFrom(
        from,
        proxy.url,
        {
          query: 'mutation ($input: LoginInput!) { login(input: $input) { token } }',
          variables: { input: { email: `nobody-${spoof}@kota.go.id`, password: 'salah-salah-salah' } },
        },
        { 'x-forwarded-for': spoof },
      );
    for (let i = 0; i < 3; i++) expect((await fail('127.0.0.2', `198.51.100.${i}`)).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const limited = await fail('127.0.0.2', '198.51.100.99');
    expect(limited.status).toBe(429);
    expect(limited.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    // Another client address (nginx connects to both replicas from 127.0.0.1) is not limited.
    expect((await fail('127.0.0.3', '198.51.100.1')).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('keeps answering through nginx when one replica is killed (SIGKILL): reads, writes and new subscriptions', async () => {
    const [dead, alive] = servers as [ServerProcess, ServerProcess];
    await dead.stop('SIGKILL');
    for (let i = 0; i < 10; i++) {
      const plan = plans[1 + (i % 5)]!;
      const r = await gql<any>(
        proxy.url,
        REPORT,
        { input: { actionPlanId: plan.id, percent: 50 + i, narrative: `setelah mati ${i}`, expectedVersion: plan.version } },
        cityAdmin,
      );
      expect(r.errors).toBeUndefined();
      plan.version = r.data.reportProgress.version;
      expect((await ok<any>(proxy.url, '{ me { email } }', {}, admin)).me.email).toBe('admin@pantau.demo');
    }
    const ws = wsClient(proxy.url, admin);
    sockets.push(ws);
    const screen = collect(ws, SUMMARY, { id: cityId });
    const truth = (await ok<any>(proxy.url, OVERVIEW, { id: cityId }, admin)).city.overview;
    await screen.until((v: any) => v.citySummary.seq === truth.seq, 10_000);
    // Nothing but a refused connection to the dead one: no request failed, every request was sent on to the live one.
    expect(
      proxy
        .accessLog()
        .split('\n')
        .filter((line) => / (5\d\d) /.test(line)),
    ).toEqual([]);
    expect(codeOf(await gql(alive.url, '{ me { email } }', {}, admin))).toBeUndefined();
  });
});
