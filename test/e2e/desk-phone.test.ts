// The desk on a phone (issue 25 §1, desk part): at 390×844 the menu folds into one button with the
// page's name, so the top bar takes one row (it took 450 of 844 px), on every page of every role;
// the button opens the menu, a page chosen closes it. Screenshots of each page at 390×844 (menu
// closed and open) and 1366×768 go to test-results/desk-phone/.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, releaseBrowser, sharedBrowser } from '../helpers/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server';
import { checkAxe, goTo, loginAs } from './desk-browser';

const TIMEOUT = 240_000;
const SHOTS = path.resolve(__dirname, '..', '..', 'test-results', 'desk-phone');

const hasChromium = existsSync(CHROMIUM);
const inCI = process.env['CI'] === 'true';
if (!hasChromium && !inCI) console.warn(`\n!! SKIPPING desk phone e2e tests: ${CHROMIUM} not found.\n`);
const suite = hasChromium || inCI ? describe : describe.skip;

/** Each role with the pages its menu offers, and what shows when each page is ready. */
const ROLES: { email: string; first: string; pages: [string, string][] }[] = [
  {
    email: 'bappelitbang@tanjungpinang.demo',
    first: '#queue-title',
    pages: [
      ['verifikasi', '#queue-title'],
      ['tindak-lanjut', '#chase'],
      ['layar', '#screen-form'],
      ['pengguna', '#users li'],
      ['risiko', '#risk-matrix'],
      ['penilaian', '#assessment-index'],
    ],
  },
  { email: 'dinkes@tanjungpinang.demo', first: '#own-plans', pages: [['lapor', '#own-plans']] },
];

suite('the desk on a phone', { timeout: TIMEOUT }, () => {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const findings: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startServer({ demo: true });
    browser = await sharedBrowser();
  }, TIMEOUT);

  afterAll(async () => {
    await releaseBrowser();
    await server?.close();
    if (findings.length) console.log(`[desk-phone] axe (moderate/minor, not failing):\n${findings.join('\n')}`);
  }, TIMEOUT);

  const barHeight = (page: Page): Promise<number> => page.locator('.dk-top').evaluate((el) => el.getBoundingClientRect().height);

  for (const role of ROLES) {
    it(`${role.email}: one row of menu at 390×844 on every page; the button opens and closes it`, async () => {
      const context = await browser!.newContext({ viewport: { width: 390, height: 844 }, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      try {
        await loginAs(page, server!.url, role.email);
        await page.locator(role.first).first().waitFor();
        for (const [key, ready] of role.pages) {
          await goTo(page, `halaman=${key}`);
          await page.locator(ready).first().waitFor();
          const name = `${key}-${role.email.split('@')[0]}`;
          // Closed: one row, the page's name on the button, no link of the menu showing.
          expect(await barHeight(page), `${key}: the bar's height`).toBeLessThanOrEqual(64);
          expect(await page.locator('#menu-toggle').getAttribute('aria-expanded')).toBe('false');
          expect(await page.locator('.dk-nav a').first().isVisible()).toBe(false);
          expect(await page.locator('#menu-toggle').innerText()).toContain(await page.locator(`.dk-nav a[data-page="${key}"]`).innerText());
          expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth + 1), `${key} fits`).toBe(true);
          await page.screenshot({ path: path.join(SHOTS, `${name}-390x844.png`), fullPage: true });
          await checkAxe(page, `${name} 390x844`, findings);
          await page.setViewportSize({ width: 1366, height: 768 });
          await page.waitForTimeout(200);
          expect(await page.locator('.dk-nav a').first().isVisible()).toBe(true);
          expect(await page.locator('#menu-toggle').isVisible()).toBe(false);
          await page.screenshot({ path: path.join(SHOTS, `${name}-1366x768.png`), fullPage: true });
          await page.setViewportSize({ width: 390, height: 844 });
        }
        // Open: every page, the language switch and the logout; choosing a page closes it.
        await page.click('#menu-toggle');
        expect(await page.locator('#menu-toggle').getAttribute('aria-expanded')).toBe('true');
        await page.locator('#logout').waitFor();
        await page.locator('#lang-switch').waitFor();
        await page.screenshot({ path: path.join(SHOTS, `menu-open-${role.email.split('@')[0]}-390x844.png`) });
        await checkAxe(page, `menu open ${role.email}`, findings);
        await page.locator('.dk-nav a[data-page="risiko"]').click();
        await page.locator('#risk-matrix').waitFor();
        await expect.poll(() => page.locator('#menu-toggle').getAttribute('aria-expanded')).toBe('false');
        expect(await page.locator('#logout').isVisible()).toBe(false);
      } finally {
        await context.close();
      }
    });
  }
});
