// The graceful shutdown with a write really in flight: another PostgreSQL connection holds the
// plan's row lock, so `reportProgress` waits inside its transaction while the server is told to
// stop. /readyz turns 503 at once while requests are still served (the ready delay); then new
// connections are refused and a request queued behind the write on its connection gets 503
// UNAVAILABLE; the write itself, once the lock goes, commits and answers 200.
import net from 'node:net';
import { Client } from 'pg';
import { describe, expect, it } from 'vitest';
import { postgresAvailable } from '../helpers/db';
import { login, ok } from '../helpers/gql';
import { startServer, templateDatabase } from '../helpers/server';
import { eventually } from '../helpers/ws';

const REPORT = 'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { version progress } }';

/**
 * One raw HTTP/1.1 connection: `send` writes a request (several may be outstanding: pipelined);
 * `responses` resolves with every response once the server closes the connection.
 */
function connection(port: number): {
  send(path: string, body: string, token: string): Promise<void>;
  responses: Promise<{ status: number; headers: string; body: string }[]>;
} {
  const socket = net.connect(port, '127.0.0.1');
  let raw = '';
  socket.on('data', (chunk: Buffer) => (raw += chunk.toString()));
  const connected = new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () => resolve());
  });
  const responses = new Promise<{ status: number; headers: string; body: string }[]>((resolve) => {
    socket.once('close', () => {
      const parsed: { status: number; headers: string; body: string }[] = [];
      let rest = raw;
      while (rest.startsWith('HTTP/1.1 ')) {
        const end = rest.indexOf('\r\n\r\n');
        const headers = rest.slice(0, end);
        const length = Number(/content-length: (\d+)/i.exec(headers)?.[1] ?? 0);
        const body = Buffer.from(rest.slice(end + 4))
          .subarray(0, length)
          .toString();
        parsed.push({ status: Number(headers.slice(9, 12)), headers, body });
        rest = rest.slice(end + 4 + body.length);
      }
      resolve(parsed);
    });
  });
  return {
    async send(path, body, token) {
      await connected;
      const text = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: Bearer ${token}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
      await new Promise<void>((resolve) => socket.write(text, () => resolve()));
    },
    responses,
  };
}

describe('graceful shutdown under a real in-flight write (PostgreSQL)', () => {
  it('deregisters first, refuses new work, lets the blocked write commit and answer 200, then closes', async (ctx) => {
    if (!(await postgresAvailable())) return ctx.skip();
    const db = await templateDatabase('postgres');
    const locker = new Client({ connectionString: db.target.dialect === 'postgres' ? db.target.url : '' });
    const server = await startServer({
      dialect: 'postgres',
      database: db,
      demo: true,
      env: { SHUTDOWN_READY_DELAY_SECONDS: '1', SHUTDOWN_GRACE_SECONDS: '30' },
    });
    let closed = false;
    try {
      const admin = await login(server.url, 'admin@pantau.demo');
      const reporter = await login(server.url, 'dinkes@tanjungpinang.demo');
      const cities = (await ok<any>(server.url, '{ cities { id name } }', {}, admin)).cities;
      const cityId = cities.find((c: any) => c.name === 'Tanjungpinang').id;
      const me = await ok<any>(server.url, '{ me { opdId } }', {}, reporter);
      const list = await ok<any>(
        server.url,
        'query ($c: ID!, $o: ID!) { city(id: $c) { actionPlans(first: 1, filter: { opdId: $o }) { edges { node { id version } } } } }',
        { c: cityId, o: me.me.opdId },
        reporter,
      );
      const plan = list.city.actionPlans.edges[0].node as { id: string; version: number };

      // Another connection holds the plan's row: the report's transaction waits for it.
      await locker.connect();
      await locker.query('begin');
      await locker.query('select id from action_plans where id = $1 for update', [plan.id]);
      const port = Number(new URL(server.url).port);
      const report = JSON.stringify({
        query: REPORT,
        variables: { input: { actionPlanId: plan.id, percent: 77, narrative: 'laporan saat berhenti', expectedVersion: plan.version } },
      });
      const busy = connection(port);
      await busy.send('/graphql', report, reporter);
      const dbName = new URL(db.target.dialect === 'postgres' ? db.target.url : 'x://x/x').pathname.slice(1);
      await eventually(
        async () =>
          (await locker.query("select count(*)::int as n from pg_stat_activity where datname = $1 and wait_event_type = 'Lock'", [dbName]))
            .rows[0].n > 0,
        10_000,
        'the report to wait for the row lock',
      );

      const closing = server.close().then(() => (closed = true));
      // 1. Deregistered at once, while everything is still served (the load balancer's window).
      const readyz = await fetch(`${server.url}/readyz`);
      expect(readyz.status).toBe(503);
      expect(await readyz.json()).toMatchObject({ status: 'stopping' });
      expect((await ok<any>(server.url, '{ me { email } }', {}, admin)).me.email).toBe('admin@pantau.demo');
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      // 2. After the ready delay: no new connection is accepted.
      await eventually(
        async () =>
          fetch(`${server.url}/healthz`).then(
            () => false,
            () => true,
          ),
        5_000,
        'new connections to be refused',
      );
      await expect(fetch(`${server.url}/readyz`)).rejects.toThrow();
      // A request sent now on the write's own (open) connection is new work: refused once the write has answered.
      await busy.send('/graphql', JSON.stringify({ query: '{ me { email } }' }), reporter);
      // The write is still waiting; the server has not closed without it.
      await new Promise((r) => setTimeout(r, 300));
      expect(closed).toBe(false);

      // 3. The lock goes: the write commits and answers 200; the request behind it gets 503.
      await locker.query('commit');
      const [first, second] = await busy.responses;
      expect(first!.status).toBe(200);
      expect(JSON.parse(first!.body)).toEqual({ data: { reportProgress: { version: plan.version + 1, progress: 77 } } });
      expect(second!.status).toBe(503);
      expect(second!.headers).toMatch(/retry-after: 1/i);
      expect(JSON.parse(second!.body).errors[0]).toMatchObject({
        message: 'Server sedang dimatikan. Kirim ulang permintaan.',
        extensions: { code: 'UNAVAILABLE' },
      });
      await closing;
      // The write is in the database, with its event in the outbox.
      const stored = await locker.query('select progress, version from action_plans where id = $1', [plan.id]);
      expect(stored.rows[0]).toMatchObject({ version: plan.version + 1 });
      expect(Number(stored.rows[0].progress)).toBe(77);
      expect(
        (
          await locker.query("select count(*)::int as n from city_events where action_plan_id = $1 and kind = 'PROGRESS_REPORTED'", [
            plan.id,
          ])
        ).rows[0].n,
      ).toBeGreaterThan(0);
    } finally {
      await locker.query('rollback').catch(() => {});
      await locker.end().catch(() => {});
      if (!closed) await server.close().catch(() => {});
      await db.drop();
    }
  }, 60_000);
});
