// Issue 23 §4: the desk and the screen share one socket helper (dashboard/src/api/socket.ts). A
// desk whose session the server ends while a page listens to the city (the verification queue:
// `cityEvents`) logs out with "Sesi Anda berakhir" instead of retrying for ever — the server
// closes the socket with 4401 when the user is archived, and a reconnect gets 4403 (a desk whose
// socket was down when its session ended: it logs out at its next reconnect, and stops there).
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { CHROMIUM, releaseBrowser, sharedBrowser } from '../helpers/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, ok } from '../helpers/gql';
import { TcpProxy } from '../helpers/tcp-proxy';
import { startServer, type TestServer } from '../helpers/server';
import { goTo, loginAs } from './desk-browser';

const hasChromium = existsSync(CHROMIUM);
const inCI = process.env['CI'] === 'true';
if (!hasChromium && !inCI) console.warn(`\n!! SKIPPING desk session e2e test: ${CHROMIUM} not found; in CI it fails instead.\n`);
const suite = hasChromium || inCI ? describe : describe.skip;

suite('the desk when the server ends its session', { timeout: 120_000 }, () => {
  let server: TestServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`Chromium not found at ${CHROMIUM} (CI=true: a failure, not a skip).`);
    server = await startServer({ demo: true });
    browser = await sharedBrowser();
  }, 120_000);

  afterAll(async () => {
    await releaseBrowser();
    await server?.close();
  });

  /** A city admin of Tanjungpinang made for one test: its id, version, email and password. */
  async function newVerifier(email: string): Promise<{ id: string; version: number; email: string; password: string }> {
    const admin = await login(server!.url, 'admin@pantau.demo');
    const tpi = (await ok<any>(server!.url, '{ cities { id name } }', {}, admin)).cities.find((c: any) => c.name === 'Tanjungpinang').id;
    const password = 'password-verif-123';
    const created = await ok<any>(
      server!.url,
      'mutation ($input: CreateUserInput!) { createUser(input: $input) { id version } }',
      { input: { email, name: 'Verifikator', password, role: 'CITY_ADMIN', cityId: tpi } },
      admin,
    );
    return { ...created.createUser, email, password };
  }

  it('logs out when the socket, back after a cut, is refused with 4403 (the session ended while it was down), and retries no more', async () => {
    const user = await newVerifier('verifikator-putus@tanjungpinang.test');
    const admin = await login(server!.url, 'admin@pantau.demo');
    // The browser reaches the server through a link the test can cut.
    const link = new TcpProxy(Number(new URL(server!.url).port));
    await link.start();
    const base = `http://127.0.0.1:${link.port}`;
    const context = await browser!.newContext({ viewport: { width: 1366, height: 768 }, locale: 'id-ID' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const sockets: { closed: boolean }[] = [];
    page.on('websocket', (ws) => {
      const entry = { closed: false };
      sockets.push(entry);
      ws.on('close', () => (entry.closed = true));
    });
    try {
      await loginAs(page, base, user.email, user.password);
      await page.locator('.dk-main h1').waitFor();
      await goTo(page, 'halaman=verifikasi');
      await page.locator('[data-live="live"]').waitFor();
      const opened = sockets.length;

      // The link goes quiet, the user is archived meanwhile (the server's 4401 never reaches the
      // browser), then the connection drops: the desk's next socket meets a session that has ended.
      link.cut();
      await ok(
        server!.url,
        'mutation ($input: VersionedInput!) { archiveUser(input: $input) { archivedAt } }',
        { input: { id: user.id, expectedVersion: user.version } },
        admin,
      );
      link.drop();
      link.heal();
      await page.locator('#login-email').waitFor();
      expect(await page.locator('body').innerText()).toContain('Sesi Anda berakhir. Silakan masuk lagi.');
      // It logged out on the reconnect's refusal (a new socket), and opens none after it.
      expect(sockets.length).toBeGreaterThan(opened);
      const after = sockets.length;
      await page.waitForTimeout(3_000);
      expect(sockets.length).toBe(after);
      expect(sockets.every((s) => s.closed)).toBe(true);
    } finally {
      await context.close();
      await link.close();
    }
  });

  it('logs out with "Sesi Anda berakhir" when its user is archived while the verification queue listens, and opens no new socket', async () => {
    const admin = await login(server!.url, 'admin@pantau.demo');
    const tpi = (await ok<any>(server!.url, '{ cities { id name } }', {}, admin)).cities.find((c: any) => c.name === 'Tanjungpinang').id;
    const created = await ok<any>(
      server!.url,
      'mutation ($input: CreateUserInput!) { createUser(input: $input) { id version } }',
      {
        input: {
          email: 'verifikator@tanjungpinang.test',
          name: 'Verifikator',
          password: 'password-verif-123',
          role: 'CITY_ADMIN',
          cityId: tpi,
        },
      },
      admin,
    );
    const context = await browser!.newContext({ viewport: { width: 1366, height: 768 }, locale: 'id-ID' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const sockets: { closed: boolean }[] = [];
    page.on('websocket', (ws) => {
      const entry = { closed: false };
      sockets.push(entry);
      ws.on('close', () => (entry.closed = true));
    });
    try {
      await loginAs(page, server!.url, 'verifikator@tanjungpinang.test', 'password-verif-123');
      await page.locator('.dk-main h1').waitFor();
      await goTo(page, 'halaman=verifikasi');
      await expect.poll(() => sockets.length, { timeout: 20_000 }).toBeGreaterThan(0);
      await page.waitForTimeout(500);
      const opened = sockets.length;

      await ok(
        server!.url,
        'mutation ($input: VersionedInput!) { archiveUser(input: $input) { archivedAt } }',
        { input: { id: created.createUser.id, expectedVersion: created.createUser.version } },
        admin,
      );
      await page.locator('#login-email').waitFor();
      expect(await page.locator('body').innerText()).toContain('Sesi Anda berakhir. Silakan masuk lagi.');
      // Nothing retries behind the login form: every socket is closed and no new one was opened.
      await page.waitForTimeout(3_000);
      expect(sockets.length).toBe(opened);
      expect(sockets.every((s) => s.closed)).toBe(true);
    } finally {
      await context.close();
    }
  });
});
