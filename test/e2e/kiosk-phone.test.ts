// End-to-end tests of the meeting-room screen on a phone and on the wall, against a real server in
// headless Chromium: at 390×844 every view has a layout of its own (one column, nothing outside the
// viewport, no text under 14 px, nothing cut with "…"), and screenshots of every view at the three
// screen sizes and at 390×844 under test-results/kiosk/ (look at them).
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, releaseBrowser, sharedBrowser } from '../helpers/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';

const TIMEOUT = 180_000;
const SHOTS = path.resolve(__dirname, '..', '..', 'test-results', 'kiosk');
const VIEWS = ['ringkasan', 'opd', 'dimensi', 'tren', 'kesiapan'] as const;
const PHONE = [390, 844] as const;
const SIZES = [[1920, 1080], [1280, 720], [3840, 2160], PHONE] as const;

const hasChromium = existsSync(CHROMIUM);
const inCI = process.env['CI'] === 'true';
if (!hasChromium && !inCI)
  console.warn(`\n!! SKIPPING the kiosk phone e2e tests: ${CHROMIUM} not found (apt-get install chromium); in CI they fail instead.\n`);
const suite = hasChromium || inCI ? describe : describe.skip;

/** What a phone reader would miss: texts outside the viewport's width, under 14 px, or cut off. */
interface Misses {
  outside: string[];
  small: string[];
  cut: string[];
  scrollWidth: number;
}

/** Every element of the screen with text of its own, measured as laid out. */
function measure(page: Page): Promise<Misses> {
  return page.evaluate(() => {
    const misses = {
      outside: [] as string[],
      small: [] as string[],
      cut: [] as string[],
      scrollWidth: document.documentElement.scrollWidth,
    };
    const width = window.innerWidth;
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('.stage *'))) {
      const text = Array.from(el.childNodes)
        .filter((n) => n.nodeType === 3)
        .map((n) => n.textContent!.trim())
        .join(' ')
        .trim();
      if (!text) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue; // not shown (a hidden view)
      const label = `${el.className || el.tagName}: ${text.slice(0, 40)}`;
      if (box.left < -0.5 || box.right > width + 0.5) misses.outside.push(label);
      if (parseFloat(getComputedStyle(el).fontSize) < 14) misses.small.push(`${label} (${getComputedStyle(el).fontSize})`);
      const style = getComputedStyle(el);
      if (style.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1) misses.cut.push(label);
      if (style.webkitLineClamp !== 'none' && el.scrollHeight > el.clientHeight + 1) misses.cut.push(label);
    }
    return misses;
  });
}

suite('the meeting-room screen on a phone and on the wall', { timeout: TIMEOUT }, () => {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  let cityId = '';
  let token = '';

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`Chromium not found at ${CHROMIUM} (CI=true, so this is a failure, not a skip).`);
    mkdirSync(SHOTS, { recursive: true });
    server = await startServer({ demo: true });
    browser = await sharedBrowser();
    const admin = await login(server.url, 'bappelitbang@tanjungpinang.demo');
    cityId = (await ok<{ me: { cityId: string } }>(server.url, '{ me { cityId } }', {}, admin)).me.cityId;
    token = (
      await ok<{ createScreenToken: { token: string } }>(
        server.url,
        'mutation ($input: CreateScreenTokenInput!) { createScreenToken(input: $input) { token } }',
        { input: { cityId, label: 'Layar uji ponsel' } },
        admin,
      )
    ).createScreenToken.token;
  }, TIMEOUT);

  afterAll(async () => {
    await releaseBrowser();
    await server?.close();
  }, TIMEOUT);

  async function show(page: Page, view: string, extra = ''): Promise<void> {
    await page.goto('about:blank');
    await page.goto(`${server!.url}/dashboard/#city=${cityId}&token=${token}&views=${view}&rotate=0&lang=id${extra}`);
    await page.locator('.stage[data-status="live"]').waitFor();
    await page.locator(`.slot.on [data-view="${view}"]`).waitFor();
    if (view === 'tren') await page.locator('.slot.on .chart canvas').waitFor();
    if (view === 'kesiapan') await page.locator('.slot.on .kesiapan-hero').waitFor();
    // Let the count-ups settle.
    await page.waitForTimeout(900);
  }

  it('gives every view a one-column layout at 390×844: no text outside the viewport, none under 14 px, none cut', async () => {
    const context = await browser!.newContext({ viewport: { width: PHONE[0], height: PHONE[1] } });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      for (const view of VIEWS) {
        await show(page, view);
        const misses = await measure(page);
        expect({ view, ...misses }).toEqual({ view, outside: [], small: [], cut: [], scrollWidth: PHONE[0] });
        // One column: the view's blocks stack, none beside another.
        const columns = await page.evaluate(() => {
          const view = document.querySelector('.slot.on .view')!;
          return new Set(Array.from(view.children).map((c) => Math.round(c.getBoundingClientRect().left))).size;
        });
        expect(columns, view).toBe(1);
      }
    } finally {
      await context.close();
    }
  });

  it("gives a viewer's live view (their only page) the same phone layout, its menu included", async () => {
    const context = await browser!.newContext({ viewport: { width: PHONE[0], height: PHONE[1] } });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto(`${server!.url}/dashboard/`);
      await page.fill('#login-email', 'viewer@tanjungpinang.demo');
      await page.fill('#login-password', 'pantau-demo');
      await page.click('#login-submit');
      await page.locator('.stage[data-status="live"]').waitFor();
      for (const view of ['ringkasan', 'opd', 'dimensi', 'tren']) {
        await page.click(`[data-menu="${view}"]`);
        await page.locator(`.stage[data-view="${view}"]`).waitFor();
        await page.waitForTimeout(900);
        const misses = await measure(page);
        expect({ view, ...misses }).toEqual({ view, outside: [], small: [], cut: [], scrollWidth: PHONE[0] });
      }
      await page.screenshot({ path: path.join(SHOTS, `desk-viewer-tren-${PHONE[0]}x${PHONE[1]}.png`), fullPage: true });
    } finally {
      await context.close();
    }
  });

  /** The names on the current page of every Dimensi card, their lines, and whether each fits (nothing hidden). */
  function dimensiNames(page: Page): Promise<{ name: string; lines: number; fits: boolean }[]> {
    return page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('.slot.on .program-name, .slot.on .plan-title')).map((el) => ({
        name: el.textContent!.trim(),
        lines: Math.round(el.clientHeight / parseFloat(getComputedStyle(el).lineHeight)),
        fits: el.scrollHeight <= el.clientHeight + 1 && el.scrollWidth <= el.clientWidth + 1,
      })),
    );
  }

  it('names programs and plans in full on the wall (three lines at most), and Kesiapan keeps its weights', async () => {
    const context = await browser!.newContext({ viewport: { width: 1920, height: 1080 } });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await show(page, 'dimensi');
      const pages = await page.evaluate(() =>
        Math.max(1, ...Array.from(document.querySelectorAll('.slot.on .dim-card')).map((c) => c.querySelectorAll('.dot').length)),
      );
      const seen = new Map<string, { lines: number; fits: boolean }>();
      for (let i = 0; i < pages; i++) {
        if (i > 0) await page.waitForTimeout(7_100);
        for (const n of await dimensiNames(page)) seen.set(n.name, n);
      }
      expect(seen.size).toBeGreaterThan(30);
      expect([...seen].filter(([, n]) => !n.fits || n.lines > 3).map(([name]) => name)).toEqual([]);
      // More than one line where a name needs it: no name is cut to fit one line.
      expect([...seen.values()].some((n) => n.lines === 2)).toBe(true);

      await show(page, 'kesiapan');
      const dims = await page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLElement>('.slot.on .kesiapan-dim-label')).map((el) => {
          const name = el.querySelector<HTMLElement>('.kesiapan-dim-name')!;
          const weight = el.querySelector<HTMLElement>('.kesiapan-dim-weight')!.getBoundingClientRect();
          const box = el.getBoundingClientRect();
          return {
            text: el.textContent!.trim(),
            weightShown: weight.width > 0 && weight.right <= box.right + 0.5,
            nameFits: name.scrollHeight <= name.clientHeight + 1,
          };
        }),
      );
      expect(dims.length).toBeGreaterThan(3);
      for (const d of dims) expect(d, d.text).toMatchObject({ weightShown: true, nameFits: true });
      expect(dims.every((d) => /· \d+(,\d+)?\s?%$/.test(d.text))).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('says which reports the headline counts, and counts verified ones only with basis=verified', async () => {
    const admin = await login(server!.url, 'bappelitbang@tanjungpinang.demo');
    const { city } = await ok<{ city: { all: { progress: number }; verified: { progress: number } } }>(
      server!.url,
      'query ($id: ID!) { city(id: $id) { all: overview { progress } verified: overview(basis: VERIFIED) { progress } } }',
      { id: cityId },
      admin,
    );
    const context = await browser!.newContext({ viewport: { width: 1920, height: 1080 } });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await show(page, 'ringkasan');
      await expect.poll(() => page.locator('.slot.on .headline-basis').textContent()).toBe('semua laporan');
      expect(Number(await page.locator('.slot.on .headline-value').getAttribute('data-value'))).toBe(city.all.progress);
      await show(page, 'ringkasan', '&basis=verified');
      await expect.poll(() => page.locator('.slot.on .headline-basis').textContent()).toBe('✓ hanya laporan terverifikasi');
      expect(Number(await page.locator('.slot.on .headline-value').getAttribute('data-value'))).toBe(city.verified.progress);
      await page.screenshot({ path: path.join(SHOTS, 'ringkasan-verified-1920x1080.png') });
      // The demo has reports waiting for verification, so the two differ.
      expect(city.verified.progress).not.toBe(city.all.progress);
    } finally {
      await context.close();
    }
  });

  it("shows the demo's revised masterplan period, and Tren counts this period's plans with marks where plans joined", async () => {
    const year = Number(new Date().toISOString().slice(0, 4));
    const context = await browser!.newContext({ viewport: { width: 1920, height: 1080 } });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await show(page, 'tren');
      const period = (await page.locator('.city-plan').innerText()).match(/(\d{4})–(\d{4})/)!;
      expect(Number(period[1])).toBeLessThanOrEqual(year);
      expect(Number(period[2])).toBeGreaterThanOrEqual(year);
      await expect.poll(() => page.locator('.slot.on .legend-plans').textContent()).toBe(`Rencana aksi periode ini (sejak ${period[1]})`);
      expect(Number(await page.locator('.slot.on .chart-panel').getAttribute('data-marks'))).toBeGreaterThan(0);
      await page.locator('.slot.on .legend-joined').waitFor();
      await show(page, 'tren', '&tren=semua');
      await expect.poll(() => page.locator('.slot.on .legend-plans').textContent()).toBe('Semua rencana aksi');
      await page.screenshot({ path: path.join(SHOTS, 'tren-all-plans-1920x1080.png') });
    } finally {
      await context.close();
    }
  });

  it('saves a screenshot of every view at 1920×1080, 1280×720, 3840×2160 and 390×844', async () => {
    for (const [width, height] of SIZES) {
      const context = await browser!.newContext({ viewport: { width, height } });
      try {
        const page = await context.newPage();
        page.setDefaultTimeout(20_000);
        for (const view of VIEWS) {
          await show(page, view);
          await page.screenshot({ path: path.join(SHOTS, `${view}-${width}x${height}.png`), fullPage: width === PHONE[0] });
          // The wall keeps its one fixed layout: nothing scrolls there.
          if (width !== PHONE[0]) expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(height);
        }
      } finally {
        await context.close();
      }
    }
  });
});
