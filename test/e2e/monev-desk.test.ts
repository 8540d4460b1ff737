// End-to-end tests of issue 11 §5–8 in headless Chromium against a real server with the demo: the
// desk's "Risiko" page (5×5 matrix with counts and words, list by quick win, a city admin adding a
// risk) and "Nasional" page (sortable table with aria-sort) at 1280×800 and 390×844 with axe-core,
// and the kiosk's Ringkasan with its Agenda panel at 1920×1080 and 1280×720. Screenshots go to
// test-results/monev/.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, releaseBrowser, sharedBrowser } from '../helpers/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { checkAxe, goTo, loginAs as formLogin } from './desk-browser';

const TIMEOUT = 120_000;
const SHOTS = path.resolve(__dirname, '..', '..', 'test-results', 'monev');
const SIZES = [
  [1280, 800],
  [390, 844],
] as const;

const hasChromium = existsSync(CHROMIUM);
const inCI = process.env['CI'] === 'true';
if (!hasChromium && !inCI)
  console.warn(`\n!! SKIPPING monev desk e2e tests: ${CHROMIUM} not found (apt-get install chromium); in CI they fail instead.\n`);
const suite = hasChromium || inCI ? describe : describe.skip;

suite('monev extras in the browser: Risiko, Nasional, the Agenda on Ringkasan', { timeout: TIMEOUT }, () => {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  let cityId = '';
  let adminToken = '';
  const axeFindings: string[] = [];

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`Chromium not found at ${CHROMIUM} (CI=true, so this is a failure, not a skip).`);
    mkdirSync(SHOTS, { recursive: true });
    server = await startServer({ demo: true });
    browser = await sharedBrowser();
    adminToken = await login(server.url, 'bappelitbang@tanjungpinang.demo');
    cityId = (await ok<{ me: { cityId: string } }>(server.url, '{ me { cityId } }', {}, adminToken)).me.cityId;
  }, TIMEOUT);

  afterAll(async () => {
    await releaseBrowser();
    await server?.close();
    if (axeFindings.length) console.log(`[monev] axe (moderate/minor, not failing):\n${axeFindings.join('\n')}`);
  }, TIMEOUT);

  async function open(width: number, height: number): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser!.newContext({ viewport: { width, height }, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    return { context, page };
  }

  const loginAs = (page: Page, email: string, password?: string): Promise<void> => formLogin(page, server!.url, email, password);

  const go = goTo;

  const axe = (page: Page, name: string): Promise<void> => checkAxe(page, name, axeFindings);

  async function capture(page: Page, name: string, ready: () => Promise<unknown>): Promise<void> {
    for (const [width, height] of SIZES) {
      await page.setViewportSize({ width, height });
      await ready();
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(SHOTS, `${name}-${width}x${height}.png`), fullPage: true });
      await axe(page, `${name} ${width}x${height}`);
      if (width < 600) {
        // Nothing wider than a phone (the elements that stick out are named when something does).
        const wide = await page.evaluate(() =>
          document.documentElement.scrollWidth <= innerWidth + 1
            ? []
            : Array.from(document.querySelectorAll('body *'))
                .filter((e) => e.getBoundingClientRect().right > innerWidth + 1 && !e.closest('.dk-table-wrap'))
                .slice(0, 5)
                .map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
        );
        expect(wide, `${name}: nothing wider than a phone`).toEqual([]);
      }
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  it('"Risiko": the matrix counts the open risks with a number and a word in every cell; filter by quick win; a city admin adds one', async () => {
    const { context, page } = await open(1280, 800);
    try {
      await loginAs(page, 'bappelitbang@tanjungpinang.demo');
      await page.locator('.dk-nav a[data-page="risiko"]').waitFor();
      await go(page, 'halaman=risiko');
      await page.locator('#risk-matrix').waitFor();
      await expect.poll(() => page.locator('#risk-title').innerText()).toBe('Risiko quick win Tanjungpinang (5 belum ditutup)');
      const cells = page.locator('#risk-matrix td');
      expect(await cells.count()).toBe(25);
      // Every cell says its count and its band in words, not colour alone.
      for (const text of await cells.allInnerTexts()) expect(text).toMatch(/^\d+\s+(Rendah|Sedang|Tinggi|Sangat tinggi)$/);
      const counts = (await cells.evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-count'))))).reduce((a, b) => a + b, 0);
      expect(counts).toBe(5);
      // Row "4 Besar", column 5: the Satu Data risk (4×5).
      expect(await page.locator('#risk-matrix tbody tr').nth(1).locator('td').nth(4).getAttribute('data-count')).toBe('1');
      expect(await page.locator('.dk-risk').first().innerText()).toContain('Sangat tinggi · 4×5 = 20');
      await capture(page, 'risiko', () => page.locator('#risk-matrix').waitFor());

      // Filtered to the health quick win: its two risks.
      const health = await page.locator('#risk-program option', { hasText: 'Layanan Kesehatan Berbasis Elektronik' }).getAttribute('value');
      await page.selectOption('#risk-program', health!);
      await expect.poll(() => page.locator('.dk-risk').count()).toBe(2);
      expect(await page.locator('#risk-title').innerText()).toContain('“Layanan Kesehatan Berbasis Elektronik” (2 belum ditutup)');

      // Add one; a missing description is said before anything is sent.
      await page.locator('.dk-new-risk summary').click();
      await page.click('#new-risk button[type="submit"]');
      await page.locator('#new-risk .dk-notice.dk-error', { hasText: 'Tulis risikonya' }).waitFor();
      await page.fill('#risk-description', 'Server rekam medis elektronik belum punya cadangan harian');
      await page.selectOption('#risk-likelihood', '3');
      await page.selectOption('#risk-impact', '5');
      await page.click('#new-risk button[type="submit"]');
      await page.locator('#new-risk .dk-notice.dk-ok').waitFor();
      await expect.poll(() => page.locator('.dk-risk').count()).toBe(3);
      expect(await page.locator('#risk-title').innerText()).toContain('(3 belum ditutup)');
      await capture(page, 'risiko-quick-win', () => page.locator('#risk-matrix').waitFor());
    } finally {
      await context.close();
    }
  });

  it('"Nasional": a platform admin compares the cities; each header sorts with aria-sort; a city admin has no such page', async () => {
    const { context, page } = await open(1280, 800);
    try {
      await loginAs(page, 'admin@pantau.demo');
      await page.locator('.city-choice', { hasText: 'Tanjungpinang' }).click();
      await page.locator('.dk-nav a[data-page="nasional"]').waitFor();
      await go(page, 'halaman=nasional');
      await page.locator('#national-table tbody tr').first().waitFor();
      expect(await page.locator('#national-title').innerText()).toBe('Perbandingan 2 kota');
      expect(await page.locator('#national-table th[aria-sort="ascending"]').innerText()).toContain('Kota');
      const names = () => page.locator('#national-table tbody th').evaluateAll((ths) => ths.map((th) => th.firstChild?.textContent ?? ''));
      expect(await names()).toEqual(['Tanjungpinang', 'Tebingtinggi']);
      // The index as it stands ("2,35 dari 4") and the readiness gaps, from the evaluation module.
      const first = page.locator('#national-table tbody tr').first();
      expect(await first.locator('td[data-label="Indeks"]').innerText()).toMatch(/^\d+,\d{2} dari \d+$/);
      expect(Number(await first.locator('td[data-label="Kekurangan"]').innerText())).toBeGreaterThan(0);
      await capture(page, 'nasional', () => page.locator('#national-table tbody tr').first().waitFor());

      // Most late first, then the other way; then by the visit, soonest first.
      const late = async () => (await page.locator('#national-table tbody td:nth-of-type(3)').allInnerTexts()).map(Number);
      const values = await late();
      await page.click('[data-sort="LATE"]');
      await expect.poll(() => page.locator('th:has([data-sort="LATE"])').getAttribute('aria-sort')).toBe('descending');
      await expect.poll(late).toEqual([...values].sort((a, b) => b - a));
      await page.click('[data-sort="LATE"]');
      await expect.poll(() => page.locator('th:has([data-sort="LATE"])').getAttribute('aria-sort')).toBe('ascending');
      await expect.poll(late).toEqual([...values].sort((a, b) => a - b));
      expect(await page.locator('#national-table th[aria-sort="none"]').count()).toBe(7);
      await page.click('[data-sort="DAYS_TO_VISIT"]');
      await expect.poll(() => page.locator('th:has([data-sort="DAYS_TO_VISIT"])').getAttribute('aria-sort')).toBe('ascending');
      await expect.poll(names).toEqual(['Tanjungpinang', 'Tebingtinggi']);
      await page.screenshot({ path: path.join(SHOTS, 'nasional-sorted-1280x800.png'), fullPage: true });

      // The city switcher in the menu: another city, the same page, no logout.
      await page.selectOption('#city-switch', { label: 'Tebingtinggi' });
      await page.locator('#city-switch option:checked', { hasText: 'Tebingtinggi' }).waitFor({ state: 'attached' });
      await page.locator('#national-table tbody tr').first().waitFor();
      await go(page, 'halaman=risiko');
      await page.locator('#risk-matrix').waitFor();
      expect(await page.locator('#city-switch option:checked').innerText()).toBe('Tebingtinggi');

      // Nasional as a page of its own: from the city picker, before any city; a city's name opens its desk.
      await page.click('#logout');
      await loginAs(page, 'admin@pantau.demo');
      await page.locator('#to-national').click();
      await page.locator('#national-table tbody tr').first().waitFor();
      expect(await page.locator('#city-switch').count()).toBe(0);
      await capture(page, 'nasional-tanpa-kota', () => page.locator('#national-table tbody tr').first().waitFor());
      await page.locator('#national-table [data-open-city]', { hasText: 'Tanjungpinang' }).click();
      await page.locator('#city-switch option:checked', { hasText: 'Tanjungpinang' }).waitFor({ state: 'attached' });
      await page.locator('.dk-nav').waitFor();

      await page.click('#logout');
      await loginAs(page, 'bappelitbang@tanjungpinang.demo');
      await page.locator('.dk-nav a[data-page="risiko"]').waitFor();
      expect(await page.locator('.dk-nav a[data-page="nasional"]').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('an evaluator assigned two cities opens "Nasional" (read-only pages only)', async () => {
    const admin = await login(server!.url, 'admin@pantau.demo');
    const { cities } = await ok<{ cities: { id: string }[] }>(server!.url, '{ cities { id } }', {}, admin);
    await ok(
      server!.url,
      'mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }',
      {
        input: {
          email: 'penilai@kominfo.test',
          name: 'Tim Penilai',
          password: 'penilai-password-1',
          role: 'EVALUATOR',
          evaluatorCityIds: cities.map((c) => c.id),
        },
      },
      admin,
    );
    const { context, page } = await open(1280, 800);
    try {
      await loginAs(page, 'penilai@kominfo.test', 'penilai-password-1');
      await page.locator('.city-choice').first().click();
      await page.locator('.stage').waitFor();
      await go(page, 'halaman=nasional');
      await page.locator('#national-table tbody tr').nth(1).waitFor();
      expect(await page.locator('.dk-nav a').allInnerTexts()).toEqual(['Risiko', 'Penilaian mandiri', 'Nasional', 'Layar kota (langsung)']);
      expect(await page.locator('button', { hasText: /simpan|kirim/i }).count()).toBe(0);
      await page.screenshot({ path: path.join(SHOTS, 'nasional-evaluator-1280x800.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });

  it("the kiosk's Ringkasan shows the next three agenda items without breaking its layout (1920×1080, 1280×720)", async () => {
    const { createScreenToken } = await ok<{ createScreenToken: { token: string } }>(
      server!.url,
      'mutation ($input: CreateScreenTokenInput!) { createScreenToken(input: $input) { token } }',
      { input: { cityId, label: 'Ruang Rapat Monev' } },
      adminToken,
    );
    for (const [width, height] of [
      [1920, 1080],
      [1280, 720],
    ] as const) {
      const { context, page } = await open(width, height);
      try {
        await page.goto(`${server!.url}/dashboard/#city=${cityId}&token=${createScreenToken.token}&views=ringkasan&rotate=0&lang=id`);
        await page.locator('.stage[data-status="live"]').waitFor();
        await page.locator('.agenda-row').nth(2).waitFor();
        const rows = await page.locator('.agenda-row').allInnerTexts();
        expect(rows).toHaveLength(3);
        // The demo: a deliverable done in 2 days, the masterplan deadline and its document in 9.
        expect(rows[0]).toMatch(/2 hari lagi/);
        expect(rows[0]).toContain('sudah diserahkan');
        expect(rows.slice(1).join('\n')).toMatch(/Tenggat masterplan/);
        // Nothing spills off the screen: every panel ends inside the viewport, no scrollbars.
        const fits = await page.evaluate(() => {
          const bottom = Math.max(
            ...Array.from(document.querySelectorAll('.ringkasan .panel, .ringkasan .tile')).map((e) => e.getBoundingClientRect().bottom),
          );
          return {
            bottom,
            height: innerHeight,
            scroll: document.documentElement.scrollHeight <= innerHeight + 1 && document.documentElement.scrollWidth <= innerWidth + 1,
          };
        });
        expect(fits.bottom).toBeLessThanOrEqual(fits.height);
        expect(fits.scroll).toBe(true);
        for (const row of await page.locator('.agenda-row .row-main').all()) {
          const box = await row.boundingBox();
          expect(box!.x + box!.width).toBeLessThanOrEqual(width);
        }
        await page.waitForTimeout(500);
        await page.screenshot({ path: path.join(SHOTS, `ringkasan-agenda-${width}x${height}.png`) });
      } finally {
        await context.close();
      }
    }
  });
});
