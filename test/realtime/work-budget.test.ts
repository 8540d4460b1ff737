import http from 'node:http';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { testDialects } from '../helpers/db';
import { gql, login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { wsSession } from '../helpers/transports';
import { collect, eventually, type TestWsClient } from '../helpers/ws';

const REPORT = 'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { version } }';
const EVENTS = 'subscription ($id: ID!, $after: Int) { cityEvents(cityId: $id, afterSeq: $after) { seq kind actionPlanId at } }';
/** Budget of every subject, and (almost) no refill while a test runs: the outcomes are counted, not timed. */
const UNITS = 5_000;
/** What a replayed event of EVENTS costs: an operation's overhead (10) and the selection's priced cost (1 + 4 fields). */
const PER_EVENT = 15;
const REPLAY = 100;

/** A graphql-ws client that connects at once and stays connected (not lazy): its closes are the server's. */
function eagerClient(url: string, token: string): TestWsClient {
  const closes: { code: number; reason: string }[] = [];
  const client = createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
    on: { closed: (event) => closes.push({ code: (event as CloseEvent).code, reason: String((event as CloseEvent).reason) }) },
  });
  return { client, closes, dispose: () => client.dispose() as Promise<void> };
}

/**
 * Issue 20 §1: one budget per subject per instance, shared by its sockets, operations, replays and
 * HTTP requests. One viewer multiplying replays over several sockets is refused (RATE_LIMITED) once
 * its budget is out — over WebSocket as an error for that operation, the socket open; over HTTP as
 * 429 with Retry-After — while another user's requests are served.
 */
describe.each(await testDialects())('the work budget per subject on %s', (dialect) => {
  let server: TestServer;
  let admin: string;
  let viewer: string;
  let cityId: string;
  let head: number;
  const sockets: TestWsClient[] = [];

  beforeAll(async () => {
    // A budget this small needs a cost limit below it (every admitted operation fits in a budget).
    server = await startServer({
      dialect,
      demo: true,
      env: { WORK_BUDGET_UNITS: String(UNITS), WORK_BUDGET_UNITS_PER_SECOND: '1', GRAPHQL_MAX_COST: '4000' },
    });
    admin = await login(server.url, 'admin@pantau.demo');
    viewer = await login(server.url, 'viewer@tanjungpinang.demo');
    const cityAdmin = await login(server.url, 'bappelitbang@tanjungpinang.demo');
    cityId = (await ok<any>(server.url, '{ cities { id name } }', {}, admin)).cities.find((c: any) => c.name === 'Tanjungpinang').id;
    const plans = (
      await ok<any>(
        server.url,
        'query ($id: ID!) { city(id: $id) { actionPlans(first: 10, filter: { status: ACTIVE }) { edges { node { id version } } } } }',
        { id: cityId },
        admin,
      )
    ).city.actionPlans.edges.map((e: any) => e.node);
    // 50 reports by the city admin: 100 changes to replay (a report is two).
    for (let i = 0; i < REPLAY / 2; i++) {
      const plan = plans[i % plans.length];
      const r = await ok<any>(
        server.url,
        REPORT,
        { input: { actionPlanId: plan.id, percent: 10 + (i % 80), narrative: 'budget', expectedVersion: plan.version } },
        cityAdmin,
      );
      plan.version = r.reportProgress.version;
    }
    head = (await ok<any>(server.url, 'query ($id: ID!) { city(id: $id) { overview { seq } } }', { id: cityId }, admin)).city.overview.seq;
    expect(head).toBeGreaterThanOrEqual(REPLAY);
  }, 120_000);
  afterAll(async () => {
    for (const s of sockets) await s.dispose().catch(() => {});
    await server?.close();
  });

  it('refuses a viewer multiplying replays over its sockets once its budget is spent, over both transports, while another user is served', async () => {
    // Two sockets (kept open whatever their operations answer), three replays of 100 events each:
    // 3 × 1 500 units fit in 5 000, the rest does not.
    const replays = [0, 1].flatMap(() => {
      const ws = eagerClient(server.url, viewer);
      sockets.push(ws);
      return [0, 1, 2].map(() => ({ ws, sub: collect(ws, EVENTS, { id: cityId, after: head - REPLAY }) }));
    });
    await eventually(
      () => replays.every(({ sub }) => sub.errors.length > 0 || sub.values.length >= REPLAY),
      20_000,
      'every replay answered',
    );
    const served = replays.filter(({ sub }) => sub.errors.length === 0);
    const refused = replays.filter(({ sub }) => sub.errors.length > 0);
    expect(served).toHaveLength(Math.floor(UNITS / (REPLAY * PER_EVENT)));
    for (const { sub } of served)
      expect(sub.values.map((v: any) => v.cityEvents.seq)).toEqual(Array.from({ length: REPLAY }, (_, i) => head - REPLAY + 1 + i));
    expect(refused).toHaveLength(3);
    for (const { sub } of refused) {
      // Refused at subscribe time: a `next` with the error (a replay) or an `error` message (the operation itself).
      const error = [sub.errors].flat(2)[0] as any;
      expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'budget' });
      expect(error.extensions.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(error.extensions.http).toBeUndefined();
      expect(error.message).toMatch(/Coba lagi dalam \d+ detik/);
    }
    // The sockets stay open.
    for (const { ws } of replays) expect(ws.closes).toEqual([]);

    // The same budget over HTTP: what is left runs out, then 429 with Retry-After; the admin is served throughout.
    let answer: Awaited<ReturnType<typeof gql>> | null = null;
    let retryAfter: string | null = null;
    for (let i = 0; i < 100 && !answer; i++) {
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${viewer}`, 'accept-language': 'en' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      const body = (await res.json()) as any;
      if (res.status !== 200) {
        answer = { status: res.status, data: body.data, errors: body.errors };
        retryAfter = res.headers.get('retry-after');
      }
      expect((await gql(server.url, '{ __typename }', {}, admin)).data).toEqual({ __typename: 'Query' });
    }
    expect(answer?.status).toBe(429);
    expect(answer?.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'budget' });
    expect(answer?.errors?.[0]?.message).toMatch(/Try again in \d+ seconds/);
    expect(Number(retryAfter)).toBe(answer?.errors?.[0]?.extensions?.retryAfterSeconds);

    // Over WebSocket too, on a socket that is still open; the admin's socket is served.
    const viewerWs = wsSession(server.url, viewer);
    const adminWs = wsSession(server.url, admin);
    try {
      const mine = await viewerWs.run('{ __typename }');
      expect(mine.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'budget' });
      expect((await adminWs.run('{ __typename }')).data).toEqual({ __typename: 'Query' });
      const events = await adminWs.run('query ($id: ID!) { city(id: $id) { overview { seq } } }', { id: cityId });
      expect(events.data?.city.overview.seq).toBe(head);
    } finally {
      await viewerWs.dispose();
      await adminWs.dispose();
    }
  });

  it('charges an operation for what it answered: a page priced at its full size that finds a few rows gets the rest back, on both transports', async () => {
    // 20 plans at most with their indicators, priced about 1 250: far above what a search that finds
    // nothing answers. Charged in full, 30 such pages would need seven budgets; settled, they all run.
    const user = await login(server.url, 'bappeda@tebingtinggi.demo');
    const tebing = (await ok<any>(server.url, '{ me { cityId } }', {}, user)).me.cityId;
    const PAGE =
      'query ($id: ID!) { city(id: $id) { actionPlans(first: 20, filter: { search: "tidak-ada-rencana-seperti-ini" }) { totalCount edges { node { id title indicators { id name target } } } } } }';
    const ws = wsSession(server.url, user);
    try {
      for (let i = 0; i < 30; i++) {
        const answer = i % 2 === 0 ? await gql(server.url, PAGE, { id: tebing }, user) : await ws.run(PAGE, { id: tebing });
        expect(answer.errors, `page ${i + 1}`).toBeUndefined();
        expect(answer.data?.city.actionPlans).toEqual({ totalCount: 0, edges: [] });
      }
    } finally {
      await ws.dispose();
    }
    // Its answer was small; a page that answers many rows still pays for them: the same page
    // finding the city's plans spends the budget and is refused.
    const ALL = PAGE.replace('filter: { search: "tidak-ada-rencana-seperti-ini" }', '');
    let refusedAt = 0;
    for (let i = 1; i <= 300 && !refusedAt; i++) {
      const answer = await gql(server.url, ALL, { id: tebing }, user);
      if (answer.errors?.[0]?.extensions?.code === 'RATE_LIMITED') refusedAt = i;
      else expect(answer.data?.city.actionPlans.edges.length).toBeGreaterThan(0);
    }
    expect(refusedAt).toBeGreaterThan(0);
  });

  it('counts anonymous requests per client address (X-Forwarded-For from the trusted proxy)', async () => {
    const ask = (address: string) =>
      fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
        // Priced 1 + 20 × 3 = 61: with the operation's 10, 71 units a request.
        body: JSON.stringify({ query: '{ cities { id name province } }' }),
      });
    let refusedAfter = 0;
    for (let i = 1; i <= 200 && !refusedAfter; i++) if ((await ask('203.0.113.7')).status === 429) refusedAfter = i;
    expect(refusedAfter).toBe(Math.floor(UNITS / 71) + 1);
    // Another address has its own budget (its anonymous request answers UNAUTHENTICATED, not RATE_LIMITED).
    const other = (await (await ask('203.0.113.8')).json()) as any;
    expect(other.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('spends an upload before its body is read: its declared bytes, refused with 429 once the budget is out', async () => {
    const reporter = await login(server.url, 'dinkes@tanjungpinang.demo');
    // 256 KiB of text: 10 + 512 units an upload, 9 fit in 5 000.
    const body = Buffer.alloc(262_144, 'a');
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await fetch(`${server.url}/uploads?cityId=${cityId}&name=catatan-${i}.txt`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${reporter}` },
        body,
      });
      statuses.push(res.status);
      if (res.status === 429) {
        const json = (await res.json()) as any;
        expect(json.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'budget' });
        expect(res.headers.get('retry-after')).toBe(String(json.errors[0].extensions.retryAfterSeconds));
      } else await res.arrayBuffer();
    }
    expect(statuses).toEqual([...Array(9).fill(201), 429, 429]);
    // Another user may still upload.
    const res = await fetch(`${server.url}/uploads?cityId=${cityId}&name=lain.txt`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${admin}` },
      body: Buffer.from('bukti lain'),
    });
    expect(res.status).toBe(201);
  });
});

/**
 * Issue 20 §1: one subject's operations run a few at a time (WORK_MAX_CONCURRENT), the next ones
 * wait their turn (WORK_MAX_QUEUED) and beyond are refused; nobody else waits for them. Two uploads
 * whose bodies have not finished hold the reporter's two turns.
 */
describe('operations of one subject at once', () => {
  let server: TestServer;
  let reporter: string;
  let admin: string;
  let cityId: string;

  beforeAll(async () => {
    server = await startServer({ dialect: 'sqlite', demo: true, env: { WORK_MAX_CONCURRENT: '2', WORK_MAX_QUEUED: '1' } });
    admin = await login(server.url, 'admin@pantau.demo');
    reporter = await login(server.url, 'dinkes@tanjungpinang.demo');
    cityId = (await ok<any>(server.url, '{ cities { id name } }', {}, admin)).cities.find((c: any) => c.name === 'Tanjungpinang').id;
  });
  afterAll(async () => server?.close());

  /** An upload that sends the first bytes of its body and waits for `finish()` to send the rest. */
  function slowUpload(name: string): { finish(): void; status: Promise<number> } {
    const body = Buffer.alloc(4_096, 'b');
    let req!: http.ClientRequest;
    const status = new Promise<number>((resolve, reject) => {
      req = http.request(
        `${server.url}/uploads?cityId=${cityId}&name=${name}`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/octet-stream',
            'content-length': String(body.length),
            authorization: `Bearer ${reporter}`,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.write(body.subarray(0, 16));
    });
    return { finish: () => req.end(body.subarray(16)), status };
  }

  it('lets two of its operations run, queues a third, refuses a fourth on both transports, and serves another user meanwhile', async () => {
    const subject = (await ok<any>(server.url, '{ me { id } }', {}, reporter)).me.id as string;
    const uploads = [slowUpload('a.txt'), slowUpload('b.txt')];
    // The uploads hold both turns once the server has taken them: a query waits behind them.
    await eventually(() => server.services.work!.load(subject).running === 2, 10_000, 'both uploads holding a turn');
    let queuedAnswered = false;
    const queued = gql(server.url, '{ me { email } }', {}, reporter).then((r) => ((queuedAnswered = true), r));
    await eventually(() => server.services.work!.load(subject).waiting === 1, 10_000, 'the query waiting');
    // One more is refused, over HTTP (429) and over WebSocket (an error for the operation).
    const refused = await gql(server.url, '{ me { email } }', {}, reporter);
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'concurrency', retryAfterSeconds: 1 });
    const socket = wsSession(server.url, reporter);
    try {
      expect((await socket.run('{ __typename }')).errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'concurrency' });
    } finally {
      await socket.dispose();
    }
    // Another user is served while the reporter's query still waits.
    expect((await gql(server.url, '{ me { email } }', {}, admin)).data).toEqual({ me: { email: 'admin@pantau.demo' } });
    expect(queuedAnswered).toBe(false);
    // An upload done: the waiting query runs.
    uploads[0]!.finish();
    expect(await uploads[0]!.status).toBe(201);
    expect((await queued).data).toEqual({ me: { email: 'dinkes@tanjungpinang.demo' } });
    uploads[1]!.finish();
    expect(await uploads[1]!.status).toBe(201);
    await eventually(() => server.services.work!.load(subject).running === 0, 10_000, 'every turn given back');
  });
});
