// Issue 20 §5: a screen's link (createScreenToken's dashboardUrl, the desk's URL and QR code) never
// follows a Host or X-Forwarded-Host header a client chose. With PUBLIC_URL it starts with it;
// without, it is a path, except on a development server reached at a loopback address.
import http from 'node:http';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';

const CREATE = 'mutation ($input: CreateScreenTokenInput!) { createScreenToken(input: $input) { token dashboardUrl } }';
const FRAGMENT = /^#city=[0-9a-f-]{36}&token=pst_[^&]+&views=ringkasan,opd,dimensi,tren&rotate=30&lang=id$/;

/** createScreenToken over HTTP with the headers a client chose (Host included). */
function createOverHttp(url: string, token: string, cityId: string, headers: Record<string, string>): Promise<string> {
  const body = JSON.stringify({ query: CREATE, variables: { input: { cityId, label: 'Layar' } } });
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}/graphql`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          authorization: `Bearer ${token}`,
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          const parsed = JSON.parse(text);
          if (parsed.errors) reject(new Error(JSON.stringify(parsed.errors)));
          else resolve(parsed.data.createScreenToken.dashboardUrl);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** createScreenToken over graphql-ws, the upgrade request carrying the headers a client chose. */
async function createOverWs(url: string, token: string, cityId: string, headers: Record<string, string>): Promise<string> {
  class Forged extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  const client = createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: Forged,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  try {
    return await new Promise<string>((resolve, reject) => {
      client.subscribe<{ createScreenToken: { dashboardUrl: string } }>(
        { query: CREATE, variables: { input: { cityId, label: 'Layar' } } },
        {
          next: (m) => (m.errors ? reject(new Error(JSON.stringify(m.errors))) : resolve(m.data!.createScreenToken.dashboardUrl)),
          error: reject,
          complete: () => {},
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

const FORGED: Record<string, Record<string, string>> = {
  'a Host of its own': { host: 'pantau.penipu.example' },
  'a loopback name with more after it': { host: 'localhost:4000@pantau.penipu.example' },
  // The test server trusts loopback proxies (the default TRUST_PROXY): as nginx forwards a client's Host.
  'X-Forwarded-Host through a trusted proxy': { 'x-forwarded-host': 'pantau.penipu.example', 'x-forwarded-proto': 'https' },
};

describe.each([
  ['development', {}],
  ['production', { NODE_ENV: 'production' }],
] as const)('a screen link without PUBLIC_URL (%s)', (mode, env) => {
  let server: TestServer;
  let admin: string;
  let cityId: string;

  beforeAll(async () => {
    server = await startServer({ demo: true, env });
    admin = await login(server.url, 'bappelitbang@tanjungpinang.demo');
    cityId = (await ok<any>(server.url, '{ me { cityId } }', {}, admin)).me.cityId;
  });
  afterAll(async () => server?.close());

  it.each(Object.keys(FORGED))('is a path, whatever the client sends: %s (HTTP and WebSocket)', async (name) => {
    for (const create of [createOverHttp, createOverWs]) {
      const url = await create(server.url, admin, cityId, FORGED[name]!);
      expect(url, create.name).not.toContain('penipu');
      expect(url.slice(0, url.indexOf('#')), create.name).toBe('/dashboard/');
      expect(url.slice(url.indexOf('#')), create.name).toMatch(FRAGMENT);
    }
  });

  it(
    mode === 'development'
      ? 'is the whole address on a development server reached at a loopback address (HTTP)'
      : 'is a path in production, even reached at a loopback address',
    async () => {
      const port = new URL(server.url).port;
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
        const url = await createOverHttp(server.url, admin, cityId, { host });
        expect(url.slice(0, url.indexOf('#'))).toBe(mode === 'development' ? `http://${host}/dashboard/` : '/dashboard/');
      }
    },
  );
});

describe('a screen link with PUBLIC_URL', () => {
  let server: TestServer;
  let admin: string;
  let cityId: string;

  beforeAll(async () => {
    server = await startServer({ demo: true, env: { PUBLIC_URL: 'https://pantau.kota.go.id/' } });
    admin = await login(server.url, 'bappelitbang@tanjungpinang.demo');
    cityId = (await ok<any>(server.url, '{ me { cityId } }', {}, admin)).me.cityId;
  });
  afterAll(async () => server?.close());

  it('starts with PUBLIC_URL whatever the client sends, on both transports', async () => {
    for (const headers of [...Object.values(FORGED), {}]) {
      for (const create of [createOverHttp, createOverWs]) {
        const url = await create(server.url, admin, cityId, headers);
        expect(url.slice(0, url.indexOf('#'))).toBe('https://pantau.kota.go.id/dashboard/');
      }
    }
  });
});
