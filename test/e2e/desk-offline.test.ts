// Offline reloads of the desk (issue 25 §2): the service worker keeps the desk's own chunks once a
// page has loaded them (as it keeps the kiosk's page), and the desk keeps its last answers (who is
// logged in, the OPD's plans, the plan), so a reload without network shows the page with the saved
// draft (a report "belum terkirim") instead of "Server tidak dapat dihubungi"; when the network is
// back the draft is sent by itself, without a manual reload. Screenshots at 390×844 and 1366×768
// go to test-results/desk-offline/.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { CHROMIUM, releaseBrowser, sharedBrowser } from '../helpers/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { checkAxe, goTo, loginAs } from './desk-browser';

const TIMEOUT = 180_000;
const SHOTS = path.resolve(__dirname, '..', '..', 'test-results', 'desk-offline');
const hasChromium = existsSync(CHROMIUM);
const inCI = process.env['CI'] === 'true';
if (!hasChromium && !inCI) console.warn(`\n!! SKIPPING desk offline e2e tests: ${CHROMIUM} not found.\n`);
const suite = hasChromium || inCI ? describe : describe.skip;

const LATEST = 'query ($id: ID!) { actionPlan(id: $id) { progress progressReports(first: 1) { edges { node { narrative } } } } }';

suite('the desk reloaded offline', { timeout: TIMEOUT }, () => {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  let admin = '';
  let plan = { id: '', progress: 0 };
  const findings: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startServer({ demo: true });
    browser = await sharedBrowser();
    admin = await login(server.url, 'bappelitbang@tanjungpinang.demo');
    const dinkes = await login(server.url, 'dinkes@tanjungpinang.demo');
    const me = await ok<{ me: { cityId: string; opdId: string } }>(server.url, '{ me { cityId opdId } }', {}, dinkes);
    const d = await ok<{ city: { actionPlans: { edges: { node: { id: string; progress: number; state: string } }[] } } }>(
      server.url,
      'query ($id: ID!, $opd: ID!) { city(id: $id) { actionPlans(first: 100, filter: { opdId: $opd }) { edges { node { id progress state } } } } }',
      { id: me.me.cityId, opd: me.me.opdId },
      dinkes,
    );
    plan = d.city.actionPlans.edges.map((e) => e.node).find((p) => p.state !== 'DONE' && p.progress < 90)!;
    expect(plan).toBeTruthy();
  }, TIMEOUT);

  afterAll(async () => {
    await releaseBrowser();
    await server?.close();
    if (findings.length) console.log(`[desk-offline] axe (moderate/minor, not failing):\n${findings.join('\n')}`);
  }, TIMEOUT);

  it('reloads offline with the saved draft, and sends it by itself when the network is back', async () => {
    const context = await browser!.newContext({ viewport: { width: 390, height: 844 }, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    try {
      await loginAs(page, server!.url, 'dinkes@tanjungpinang.demo');
      await page.locator('#own-plans').waitFor();
      // The service worker takes over; the page loaded under it keeps the desk's chunks.
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });
      await page.reload();
      await page.locator('#own-plans').waitFor();
      await goTo(page, `halaman=lapor&rencana=${plan.id}`);
      await page.locator('#report-form').waitFor();
      const kept = await page.evaluate(async () => {
        const html = await (await fetch('./')).text();
        const inIndex = new Set(html.match(/assets\/[\w.-]+/g) ?? []);
        const cache = await caches.open('pantau-dashboard-v1');
        const cached = (await cache.keys())
          .map((r) => new URL(r.url).pathname.replace(/^.*\/assets\//, 'assets/'))
          .filter((p) => p.startsWith('assets/'));
        return cached.filter((p) => !inIndex.has(p)).length;
      });
      expect(kept, "the desk's own chunks are in the service worker's cache").toBeGreaterThan(0);

      // A report written and sent offline waits as "belum terkirim".
      const narrative = 'Ditulis di lapangan tanpa sinyal; halaman dimuat ulang sebelum jaringan kembali.';
      await context.setOffline(true);
      await page.fill('#f-percent', String(Math.round(plan.progress) + 4));
      await page.fill('#f-narrative', narrative);
      await page.click('#send-report');
      await page.locator('#pending').waitFor();

      // Reloaded without network: the page, the form and the draft, not "Server tidak dapat dihubungi".
      await page.reload();
      await page.locator('#report-form').waitFor();
      expect(await page.inputValue('#f-narrative')).toBe(narrative);
      await page.locator('#pending', { hasText: 'Belum terkirim' }).waitFor();
      await page.locator('.dk-offline').waitFor();
      expect(await page.locator('body').innerText()).not.toContain('Server tidak dapat dihubungi');
      await page.screenshot({ path: path.join(SHOTS, 'lapor-offline-390x844.png'), fullPage: true });
      await checkAxe(page, 'lapor offline 390x844', findings);
      await page.setViewportSize({ width: 1366, height: 768 });
      await page.screenshot({ path: path.join(SHOTS, 'lapor-offline-1366x768.png'), fullPage: true });
      // The plan list too, with the draft flagged.
      await goTo(page, 'halaman=lapor');
      await page.locator(`#own-plans [data-plan="${plan.id}"] .dk-pending`).waitFor();
      await page.screenshot({ path: path.join(SHOTS, 'daftar-offline-1366x768.png'), fullPage: true });
      const before = await ok<any>(server!.url, LATEST, { id: plan.id }, admin);
      expect(before.actionPlan.progressReports.edges[0]?.node.narrative).not.toBe(narrative);

      // The network is back: sent by itself, no reload.
      await context.setOffline(false);
      await expect
        .poll(
          async () => (await ok<any>(server!.url, LATEST, { id: plan.id }, admin)).actionPlan.progressReports.edges[0]?.node.narrative,
          {
            timeout: 40_000,
          },
        )
        .toBe(narrative);
      await page.locator(`#own-plans [data-plan="${plan.id}"] .dk-pending`).waitFor({ state: 'detached' });
      expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('pantau.desk.draft.')).length)).toBe(0);
    } finally {
      await context.close();
    }
  });
});
