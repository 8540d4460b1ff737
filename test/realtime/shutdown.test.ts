import http from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { login, ok } from '../helpers/gql';
import { startServer } from '../helpers/server';
import { collect, eventually, wsClient } from '../helpers/ws';

describe('shutting down (SIGTERM: server.close())', () => {
  it('closes sockets with a real 1012 close frame and lets an in-flight HTTP request finish', async () => {
    const server = await startServer({ demo: true });
    let closed = false;
    // What happens to the in-flight request's connection, in order: its answer, every sweep of idle
    // connections (the call itself runs as ever), and its end.
    const order: string[] = [];
    const { prototype } = http.Server;
    const sweep = Object.getOwnPropertyDescriptor(prototype, 'closeIdleConnections')!.value as (this: http.Server) => void;
    const sweeps = vi.spyOn(prototype, 'closeIdleConnections').mockImplementation(function (this: http.Server) {
      order.push('sweep');
      sweep.call(this);
    });
    try {
      const admin = await login(server.url, 'admin@pantau.demo');
      const cityId = (await ok<any>(server.url, '{ cities { id } }', {}, admin)).cities[0].id;
      const screens = [wsClient(server.url, admin), wsClient(server.url, admin)];
      const subs = screens.map((ws) => collect(ws, 'subscription ($id: ID!) { citySummary(cityId: $id) { seq } }', { id: cityId }));
      for (const sub of subs) await sub.until(() => true);

      // A request whose body is still arriving when the shutdown starts, on a keep-alive connection.
      const body = JSON.stringify({ query: '{ me { email } }' });
      const { port } = new URL(server.url);
      const agent = new http.Agent({ keepAlive: true });
      const response = new Promise<{ status: number; body: string; connection: string | undefined }>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            path: '/graphql',
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${admin}` },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk) => (text += chunk));
            res.on('end', () => {
              order.push('answered');
              resolve({ status: res.statusCode ?? 0, body: text, connection: res.headers.connection });
            });
          },
        );
        req.on('socket', (socket) => socket.once('close', () => order.push('connection closed')));
        req.on('error', reject);
        req.write(body.slice(0, 5));
        setTimeout(() => req.end(body.slice(5)), 400);
      });
      await new Promise((r) => setTimeout(r, 100));
      const closing = server.close().then(() => (closed = true));
      await eventually(() => screens.every((ws) => ws.closes.length > 0), 5_000, 'both sockets to close');
      for (const ws of screens) expect(ws.closes[0]).toEqual({ code: 1012, reason: 'Service restart' });
      const answered = await response;
      expect(answered.status).toBe(200);
      expect(JSON.parse(answered.body)).toEqual({ data: { me: { email: 'admin@pantau.demo' } } });
      await closing;
      // Not held up by its keep-alive connection once the request is done: the connection is
      // closed and the shutdown completes (how fast the idle sweep ends it: the bench; Node's own
      // close() sweeps idle connections too, so no count here could tell the periodic sweep apart).
      expect(order).toContain('connection closed');
      agent.destroy();
      for (const ws of screens) await ws.dispose();
    } finally {
      sweeps.mockRestore();
      if (!closed) await server.close();
    }
  });
});
