/**
 * The client side of the idle-sockets benchmark, run as a separate process (child_process.fork) so
 * its work does not count as the server's. argv: url, count, mode (`raw` | `pantau`), token, cityId.
 * `raw` opens plain WebSockets; `pantau` speaks graphql-ws by hand (connection_init with the token,
 * one citySummary subscription, first push received). Tells the parent `{ ready, failed }`, then
 * holds the sockets, reading whatever comes, until told `close`.
 */
import WebSocket from 'ws';

const [url = '', countArg = '0', mode = 'raw', token = '', cityId = ''] = process.argv.slice(2);
const count = Number(countArg);
const sockets: WebSocket[] = [];

function open(): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = mode === 'raw' ? new WebSocket(url) : new WebSocket(url, 'graphql-transport-ws');
    sockets.push(ws);
    ws.once('error', () => resolve(false));
    ws.once('close', () => resolve(false));
    ws.once('open', () => {
      if (mode === 'raw') return resolve(true);
      ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type: string };
        if (message.type === 'connection_ack') {
          ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription ($id: ID!) { citySummary(cityId: $id) { seq progress counts { total late done } } }', variables: { id: cityId } } }));
        } else if (message.type === 'next') resolve(true);
      });
    });
  });
}

async function main(): Promise<void> {
  let ready = 0;
  for (let i = 0; i < count; i += 100) {
    const batch = await Promise.all(Array.from({ length: Math.min(100, count - i) }, () => open()));
    ready += batch.filter(Boolean).length;
  }
  process.send?.({ ready, failed: count - ready });
  process.on('message', (message) => {
    if (message === 'close') {
      for (const ws of sockets) ws.terminate();
      process.exit(0);
    }
  });
}

void main();
