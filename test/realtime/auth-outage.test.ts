import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { login } from '../helpers/gql';
import { startServer, templateDatabase, type TestServer } from '../helpers/server';
import { TcpProxy } from '../helpers/tcp-proxy';

/** Opens a graphql-ws socket, sends `connection_init` with `token`, resolves with how it ended. */
function connect(url: string, token: string): Promise<{ code: number; acked: boolean }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    let acked = false;
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
    ws.on('message', (data) => {
      if ((JSON.parse(String(data)) as { type: string }).type !== 'connection_ack') return;
      acked = true;
      ws.close(1000);
    });
    ws.on('close', (code) => resolve({ code, acked }));
    ws.on('error', reject);
  });
}

describe('a socket whose token cannot be checked', () => {
  let server: TestServer;
  let database: TcpProxy;
  let token: string;

  beforeAll(async () => {
    const db = await templateDatabase('postgres');
    const url = new URL((db.target as { url: string }).url);
    database = new TcpProxy(Number(url.port || 5432));
    await database.start();
    url.port = String(database.port);
    server = await startServer({ dialect: 'postgres', database: db, demo: true, env: { DATABASE_URL: url.toString() } });
    // Never used before the outage: no instance has it cached.
    token = await login(server.url, 'bappelitbang@tanjungpinang.demo');
  }, 120_000);
  afterAll(async () => {
    await database?.close().catch(() => {});
    await server?.close().catch(() => {});
  });

  it('is told to come back (1013), not that its token is no good (4403), while the database does not answer', async () => {
    await database.close();
    const ended = await connect(server.url, token);
    expect(ended).toEqual({ code: 1013, acked: false });
    // A token that is no good is still refused as such.
    expect((await connect(server.url, 'not-a-token')).code).toBe(4403);
  });
});
