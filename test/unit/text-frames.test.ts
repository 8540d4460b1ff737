import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { directWrites, WS_TESTED_LINE, WS_VERSION, writeTextFrame } from '../../server/realtime/direct';

// writeTextFrame writes a WebSocket text frame itself (header, then the parts, corked) so that a
// shared payload is not copied per socket. A real `ws` client must read exactly the messages.

describe('writeTextFrame', () => {
  let wss: WebSocketServer;
  let url: string;
  beforeAll(async () => {
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => wss.once('listening', resolve));
    url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => wss.close(resolve));
  });

  it.each([
    ['written past ws', true],
    ['through ws.send (the fallback)', false],
  ])('sends text messages of every length class (7-bit, 16-bit, 64-bit), in order with ws.send, byte for byte: %s', async (_, fast) => {
    const connected = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
    const client = new WebSocket(url);
    const received: { text: string; binary: boolean }[] = [];
    client.on('message', (data, binary) => received.push({ text: Buffer.from(data as Buffer).toString('utf8'), binary }));
    const server = await connected;
    const shared = Buffer.from('"é😀"'.repeat(20_000)); // 120,000 bytes, multi-byte UTF-8
    const messages: string[] = [];
    const send = (parts: string[]) => {
      writeTextFrame(
        server,
        parts.map((p) => Buffer.from(p)),
        fast,
      );
      messages.push(parts.join(''));
    };
    send(['{"a":', '1', '}']); // 7 bytes
    send(['x'.repeat(125)]); // the largest 7-bit length
    send(['[', 'y'.repeat(124), ']']); // 126: the smallest 16-bit length
    server.send('between', { binary: false });
    messages.push('between');
    send(['{"big":', shared.toString('utf8'), '}']); // 64-bit length
    send(['z'.repeat(65_535)]); // the largest 16-bit length
    // Either side of the small-piece limit (copied into the header's buffer below it, written as it is above).
    const small = (Buffer.poolSize >>> 1) - 4;
    send(['[', 'p'.repeat(small - 3), ']']);
    send(['[', 'q'.repeat(small - 2), ']']);
    send([]); // empty message
    await new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const check = () =>
        received.length >= messages.length
          ? resolve()
          : Date.now() - started > 5_000
            ? reject(new Error('timeout'))
            : setTimeout(check, 10);
      check();
    });
    expect(received.map((m) => m.text)).toEqual(messages);
    expect(received.every((m) => !m.binary)).toBe(true);
    client.close();
  });

  it('writes past ws only when asked and the installed ws is the line it was made for, and says why not', () => {
    expect(WS_VERSION.startsWith(WS_TESTED_LINE), `ws ${WS_VERSION}: check direct.ts against it, then move WS_TESTED_LINE`).toBe(true);
    const warnings: string[] = [];
    expect(directWrites(true, (m) => warnings.push(m))).toBe(true);
    expect(directWrites(false, (m) => warnings.push(m))).toBe(false);
    expect(warnings).toEqual([]);
  });

  it("holds a burst's frames to a socket until the tick ends, then sends them together, in order", async () => {
    const connected = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
    const client = new WebSocket(url);
    const received: string[] = [];
    client.on('message', (data) => received.push(Buffer.from(data as Buffer).toString('utf8')));
    const server = await connected;
    try {
      const tcp = (server as unknown as { _socket: import('node:net').Socket })._socket;
      writeTextFrame(server, [Buffer.from('{"seq":1}')]);
      server.send('from ws', { binary: false });
      writeTextFrame(server, [Buffer.from('{"big":"'), Buffer.from('b'.repeat(10_000)), Buffer.from('"}')]);
      writeTextFrame(server, [Buffer.from('{"seq":2}')]);
      // Nothing has gone to the kernel yet: all four messages wait in the corked socket.
      expect(tcp.writableCorked).toBe(1);
      expect(tcp.writableLength).toBeGreaterThan(10_000);
      await new Promise((resolve) => process.nextTick(resolve));
      expect(tcp.writableCorked).toBe(0);
      // A burst holds at most 16 KB: a bigger one goes out at once (the pacing counts held bytes as unsent).
      writeTextFrame(server, [Buffer.from('"'), Buffer.from('c'.repeat(20_000)), Buffer.from('"')]);
      expect(tcp.writableCorked).toBe(0);
      await new Promise<void>((resolve, reject) => {
        const started = Date.now();
        const check = () =>
          received.length >= 5 ? resolve() : Date.now() - started > 5_000 ? reject(new Error('timeout')) : setTimeout(check, 10);
        check();
      });
      expect(received).toEqual(['{"seq":1}', 'from ws', `{"big":"${'b'.repeat(10_000)}"}`, '{"seq":2}', `"${'c'.repeat(20_000)}"`]);
    } finally {
      client.close();
    }
  });
});
