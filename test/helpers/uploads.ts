import fs from 'node:fs/promises';
import http from 'node:http';

/** What `POST /uploads` answered. */
export interface UploadAnswer {
  status: number;
  headers: Headers;
  body: any;
}

/** A PDF-looking body of at least `size` bytes, unique by `text`. */
export function pdfBytes(text: string, size = 0): Buffer {
  const head = Buffer.from(`%PDF-1.7\n% ${text}\n`, 'latin1');
  const tail = Buffer.from('\n%%EOF\n', 'latin1');
  return Buffer.concat([head, Buffer.alloc(Math.max(0, size - head.length - tail.length), 0x20), tail]);
}

/** One `POST /uploads` with the whole body. */
export async function uploadFile(
  url: string,
  token: string | undefined,
  cityId: string,
  name: string,
  body: Buffer,
  headers: Record<string, string> = {},
): Promise<UploadAnswer> {
  const res = await fetch(`${url}/uploads?cityId=${encodeURIComponent(cityId)}&name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: new Uint8Array(body),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

/** An upload whose body is still being sent: `finish` sends the rest, `abort` drops the connection. */
export interface OpenUpload {
  answer: Promise<UploadAnswer>;
  finish(rest?: Buffer): Promise<UploadAnswer>;
  abort(): void;
}

/** Starts a chunked `POST /uploads` and sends `first`; the rest waits for `finish`. */
export function openUpload(url: string, token: string, cityId: string, name: string, first: Buffer): OpenUpload {
  const req = http.request(`${url}/uploads?cityId=${cityId}&name=${encodeURIComponent(name)}`, {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${token}`, 'transfer-encoding': 'chunked' },
  });
  const answer = new Promise<UploadAnswer>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v);
        resolve({ status: res.statusCode ?? 0, headers, body: JSON.parse(text) });
      });
    });
    req.on('error', reject);
  });
  answer.catch(() => {});
  req.write(first);
  return {
    answer,
    finish(rest) {
      if (rest) req.write(rest);
      req.end();
      return answer;
    },
    abort: () => req.destroy(),
  };
}

/** Waits (polling) until `check` holds: an ordering, not a timing (the test's own timeout bounds it). */
export async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Files in a folder (0 when it does not exist). */
export async function filesIn(dir: string): Promise<number> {
  return (await fs.readdir(dir).catch(() => [] as string[])).length;
}
