/**
 * The baseline of the `uploads` scenario, alone in its process (forked by bench/uploads.ts): a
 * plain node:http server that does the least any server must do with the same bytes. `POST /` pipes
 * the body to /dev/null and answers 201; `GET /?bytes=N` streams N bytes from a 256 KiB buffer with
 * back-pressure. Commands (IPC): `stats` (`gc: true` collects first), `close`.
 */
import { createWriteStream } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { procStats, serve } from './lib';

const block = Buffer.alloc(256 * 1_024, 0x20);

/** `bytes` bytes, a block at a time, pulled only as fast as the socket takes them. */
function* blocks(bytes: number): Generator<Buffer> {
  for (let left = bytes; left > 0; left -= block.length) yield left >= block.length ? block : block.subarray(0, left);
}

function send(res: http.ServerResponse, bytes: number): void {
  res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': bytes });
  pipeline(Readable.from(blocks(bytes), { highWaterMark: 1 }), res).catch(() => res.destroy());
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (req.method === 'POST') {
    pipeline(req, createWriteStream('/dev/null')).then(
      () => res.writeHead(201, { 'content-type': 'application/json' }).end('{}'),
      () => res.destroy(),
    );
    return;
  }
  send(res, Number(url.searchParams.get('bytes') ?? 0));
});

server.listen(0, '127.0.0.1', () => {
  serve({ stats: (a: { gc?: boolean }) => procStats(a.gc) }, async () => void server.close());
  process.send?.({ ready: true, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});
