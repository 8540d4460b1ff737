// The desk in both languages (issue 21 §4), in headless Chromium against a real server with the
// demo: as each demo role, every desk page (and the login, the city choice, a page not for the role,
// the live city screen) in Indonesian and in English, with some of their messages shown (form
// checks, a confirmation, the offline banner). On each, the page's text — text nodes, hidden ones
// too, labels for assistive technology (aria-label, title, placeholder, alt, data-label), read-only
// text areas (the reminder letter) and the document title — may not hold a word of the other
// language: words derived from the dictionaries themselves (test/e2e/desk-words.ts), after taking
// out the data the page received from the API (titles, names, narratives stay as entered). An
// element marked with another `lang` (the switch, the screen's language choice) is left out.
// The switch in the menu changes the language in place and is remembered per browser. Screenshots
// of every page in both languages at 1366×768 and 390×844 go to test-results/desk-i18n/.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, releaseBrowser, sharedBrowser } from '../helpers/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lang } from '../../dashboard/src/i18n';
import { login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { checkAxe, goTo } from './desk-browser';
import { dataStrings, dictionaryWords, distinctiveWords, dropData, foreignWords, SHARED } from './desk-words';

const TIMEOUT = 300_000;
const SHOTS = path.resolve(__dirname, '..', '..', 'test-results', 'desk-i18n');
const SIZES = [
  [1366, 768],
  [390, 844],
] as const;

const hasChromium = existsSync(CHROMIUM);
const inCI = process.env['CI'] === 'true';
if (!hasChromium && !inCI)
  console.warn(`\n!! SKIPPING desk i18n e2e tests: ${CHROMIUM} not found (apt-get install chromium); in CI they fail instead.\n`);
const suite = hasChromium || inCI ? describe : describe.skip;

const ADMIN = 'bappelitbang@tanjungpinang.demo';
const DINKES = 'dinkes@tanjungpinang.demo';
const VIEWER = 'viewer@tanjungpinang.demo';
const PLATFORM = 'admin@pantau.demo';

/** A browser tab of one person, with everything the API sent it (HTTP answers and socket frames). */
interface Tab {
  context: BrowserContext;
  page: Page;
  data: Set<string>;
  pending: Promise<unknown>[];
}

suite('the desk in Indonesian and in English', { timeout: TIMEOUT }, () => {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  let dinkesPlanId = '';
  const words = distinctiveWords();
  const axeFindings: string[] = [];

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`Chromium not found at ${CHROMIUM} (CI=true, so this is a failure, not a skip).`);
    mkdirSync(SHOTS, { recursive: true });
    server = await startServer({ demo: true });
    browser = await sharedBrowser();
    const token = await login(server.url, DINKES);
    const me = await ok<{ me: { cityId: string; opdId: string } }>(server.url, '{ me { cityId opdId } }', {}, token);
    const plans = await ok<{ city: { actionPlans: { edges: { node: { id: string; indicators: { id: string }[] } }[] } } }>(
      server.url,
      'query ($id: ID!, $opd: ID!) { city(id: $id) { actionPlans(first: 100, filter: { opdId: $opd }) { edges { node { id indicators { id } } } } } }',
      { id: me.me.cityId, opd: me.me.opdId },
      token,
    );
    // A plan with indicators, so its page shows every part.
    dinkesPlanId = plans.city.actionPlans.edges.map((e) => e.node).find((p) => p.indicators.length)?.id ?? '';
    expect(dinkesPlanId).not.toBe('');
  }, TIMEOUT);

  afterAll(async () => {
    await releaseBrowser();
    await server?.close();
    if (axeFindings.length) console.log(`[desk-i18n] axe (moderate/minor, not failing):\n${axeFindings.join('\n')}`);
  }, TIMEOUT);

  async function open(): Promise<Tab> {
    const context = await browser!.newContext({ viewport: { width: 1366, height: 768 }, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const tab: Tab = { context, page, data: new Set(), pending: [] };
    const take = (body: unknown): void => {
      const message = body as { data?: unknown; payload?: { data?: unknown } } | null;
      for (const s of dataStrings(message?.data ?? message?.payload?.data)) tab.data.add(s);
    };
    page.on('response', (response) => {
      if (!response.url().includes('/graphql') || response.request().method() !== 'POST') return;
      tab.pending.push(response.json().then(take, () => {}));
    });
    page.on('websocket', (ws) =>
      ws.on('framereceived', (frame) => {
        try {
          take(JSON.parse(String(frame.payload)));
        } catch {
          // not JSON: nothing to take
        }
      }),
    );
    return tab;
  }

  /** Opens the login page in `lang` with its switch (Indonesian first: the default), then logs in. */
  async function loginIn(tab: Tab, lang: Lang, email: string): Promise<void> {
    await tab.page.goto(`${server!.url}/dashboard/`);
    await tab.page.locator('#login-form').waitFor();
    expect(await tab.page.getAttribute('html', 'lang')).toBe('id');
    if (lang === 'en') {
      await tab.page.click('#lang-switch');
      await tab.page.locator('html[lang="en"]').waitFor();
    }
    await tab.page.fill('#login-email', email);
    await tab.page.fill('#login-password', 'pantau-demo');
    await tab.page.click('#login-submit');
  }

  /** The text of the page a person reads or hears, leaving out what is marked with another language. */
  function pageTexts(page: Page, lang: Lang): Promise<string[]> {
    return page.evaluate((pageLang) => {
      const foreign = (el: Element): boolean => {
        const marked = el.closest('[lang]');
        return !!marked && marked !== document.documentElement && marked.getAttribute('lang') !== pageLang;
      };
      const out: string[] = [document.title];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        // <noscript> is not shown to anyone running the page (and nobody without JavaScript can choose a language).
        if (parent && !parent.closest('script, style, noscript') && !foreign(parent)) out.push(node.textContent ?? '');
      }
      for (const el of Array.from(document.body.querySelectorAll('*'))) {
        if (foreign(el)) continue;
        for (const name of ['aria-label', 'title', 'placeholder', 'alt', 'data-label']) {
          const value = el.getAttribute(name);
          if (value) out.push(value);
        }
        if (el instanceof HTMLTextAreaElement && el.readOnly) out.push(el.value);
      }
      return out;
    }, lang);
  }

  /** Fails (at the end) on any word of the other language in the page's text, without its data. */
  async function checkWords(tab: Tab, lang: Lang, name: string, problems: string[]): Promise<void> {
    await Promise.all(tab.pending);
    expect(await tab.page.getAttribute('html', 'lang'), name).toBe(lang);
    const texts = dropData(await pageTexts(tab.page, lang), tab.data);
    for (const { word, text } of foreignWords(texts, words[lang === 'id' ? 'en' : 'id'])) problems.push(`${name}: “${word}” in “${text}”`);
  }

  /** The live city screen is the kiosk's (its words and axe are tested in dashboard.test.ts): only its words here. */
  const LIVE = new Set(['layar-kota', 'pemirsa']);

  /** Screenshots at both sizes (and axe at each on desk pages; nothing wider than a phone's screen). */
  async function shoot(tab: Tab, lang: Lang, name: string): Promise<void> {
    const { page } = tab;
    for (const [width, height] of SIZES) {
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(SHOTS, `${lang}-${name}-${width}x${height}.png`), fullPage: true });
      if (!LIVE.has(name)) await checkAxe(page, `${lang} ${name} ${width}x${height}`, axeFindings);
      if (width < 600) expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth + 1), name).toBe(true);
    }
    await page.setViewportSize({ width: 1366, height: 768 });
  }

  /** A page: wait for it, check it, shoot it; then show some of its messages and check again. */
  async function visit(
    tab: Tab,
    lang: Lang,
    name: string,
    hash: string | null,
    ready: string,
    problems: string[],
    reveal?: (page: Page) => Promise<void>,
  ): Promise<void> {
    if (hash !== null) await goTo(tab.page, hash);
    await tab.page.locator(ready).first().waitFor();
    await tab.page.waitForTimeout(300);
    await checkWords(tab, lang, name, problems);
    await shoot(tab, lang, name);
    if (reveal) {
      await reveal(tab.page);
      await checkWords(tab, lang, `${name} (messages)`, problems);
    }
  }

  it('derives the words of each language from the dictionaries; a word in both is a shared one on purpose', () => {
    const id = dictionaryWords('id');
    const en = dictionaryWords('en');
    // An English entry left in Indonesian would put its words in both: it must not pass unnoticed.
    expect([...id].filter((w) => en.has(w) && !SHARED.has(w))).toEqual([]);
    expect(words.id.size).toBeGreaterThan(300);
    expect(words.en.size).toBeGreaterThan(300);
    for (const w of ['terlambat', 'kirim', 'laporan', 'pengguna', 'kembalikan', 'oktober', 'lalu', 'yth']) expect(words.id).toContain(w);
    for (const w of ['late', 'send', 'report', 'users', 'return', 'october', 'ago', 'dear']) expect(words.en).toContain(w);
    // The check itself: it finds a word of the other language, and leaves the data out.
    expect(foreignWords(['Kirim laporan'], words.id).map((f) => f.word)).toEqual(['kirim', 'laporan']);
    expect(foreignWords(dropData(['Action plans of Dinas Kesehatan'], ['Dinas Kesehatan']), words.id)).toEqual([]);
    expect(foreignWords(dropData(['Report “Uji coba laporan…”'], ['Uji coba laporan kemajuan']), words.id)).toEqual([]);
  });

  for (const lang of ['id', 'en'] as const) {
    it(`every desk page in ${lang === 'id' ? 'Indonesian' : 'English'} has no word of the other language`, async () => {
      const problems: string[] = [];
      const tabs: Tab[] = [];
      try {
        // Logged out: the login page (in the language chosen with its switch).
        const guest = await open();
        tabs.push(guest);
        await guest.page.goto(`${server!.url}/dashboard/`);
        if (lang === 'en') await guest.page.click('#lang-switch');
        await visit(guest, lang, 'login', null, `html[lang="${lang}"] #login-form`, problems, async (page) => {
          await page.fill('#login-email', DINKES);
          await page.fill('#login-password', 'not-the-password');
          await page.click('#login-submit');
          await page.locator('#login-error').waitFor();
        });

        // An OPD reporter: its plans, one plan, the risks, the self-assessment, a page not for it, the live screen.
        const reporter = await open();
        tabs.push(reporter);
        await loginIn(reporter, lang, DINKES);
        await visit(reporter, lang, 'lapor', null, '#own-plans .dk-card', problems, async (page) => {
          await reporter.context.setOffline(true);
          await page.locator('.dk-offline').waitFor();
          await checkWords(reporter, lang, 'lapor (offline)', problems);
          await reporter.context.setOffline(false);
          await page.locator('.dk-offline').waitFor({ state: 'detached' });
        });
        await visit(reporter, lang, 'lapor-rencana', `halaman=lapor&rencana=${dinkesPlanId}`, '#history', problems, async (page) => {
          await page.click('#send-report');
          await page.locator('#h-narrative.dk-error').waitFor();
          await page.fill('#f-narrative', `Uji coba ${lang}`);
          await page.click('#send-report');
          await page.locator('#history [data-status="SUBMITTED"]').first().waitFor();
          await page.locator('.dk-notice.dk-ok').waitFor();
          await page.locator('.dk-indicator button[type="submit"]').first().click();
          await page.locator('.dk-indicator .dk-notice.dk-error').first().waitFor();
        });
        await visit(reporter, lang, 'lapor-risiko', 'halaman=risiko', '#risk-matrix', problems);
        await visit(reporter, lang, 'lapor-penilaian', 'halaman=penilaian', '#assessment-index', problems);
        await visit(reporter, lang, 'bukan-peran', 'halaman=pengguna', '.dk-main section h1', problems);
        await visit(reporter, lang, 'layar-kota', 'halaman=layar-kota', '.stage[data-status="live"]', problems);

        // The city admin: every page it has, with a message or two on each.
        const admin = await open();
        tabs.push(admin);
        await loginIn(admin, lang, ADMIN);
        await visit(admin, lang, 'verifikasi', null, '#queue .dk-card', problems, async (page) => {
          const card = page.locator('#queue .dk-card').first();
          await card.locator('[data-action="return"]').click();
          await card.locator('[data-action="return-confirm"]').click();
          await card.locator('.dk-error').waitFor();
        });
        await visit(admin, lang, 'tindak-lanjut', 'halaman=tindak-lanjut', '#chase .dk-card', problems, async (page) => {
          await page.locator('#chase details summary').first().click();
          await page.locator('#chase .dk-reminder').first().waitFor();
        });
        await shoot(admin, lang, 'tindak-lanjut-pesan');
        await visit(
          admin,
          lang,
          'layar',
          'halaman=layar',
          '#screens .dk-item, .dk-panel:has(#screens) > p:not([role="status"])',
          problems,
          async (page) => {
            await page.click('#create-screen');
            await page.locator('#s-label-h.dk-error').waitFor();
            await page.fill('#s-label', `Ruang Uji ${lang}`);
            await page.click('#create-screen');
            await page.locator('#screen-created').waitFor();
            await page.locator('#screens [data-action="revoke"]').first().click();
          },
        );
        await shoot(admin, lang, 'layar-dibuat');
        await visit(admin, lang, 'pengguna', 'halaman=pengguna', '#users .dk-item', problems, async (page) => {
          await page.click('#invite-submit');
          await page.locator('#u-name-h.dk-error').waitFor();
          await page.locator('#users [data-action="archive"]').first().click();
          await page.locator('#users [data-action="reset"]').first().click();
          await page.locator('#users .dk-inline-form').waitFor();
        });
        await visit(admin, lang, 'risiko', 'halaman=risiko', '#risk-matrix', problems, async (page) => {
          await page.click('.dk-new-risk summary');
          await page.click('#new-risk button[type="submit"]');
          await page.locator('#new-risk .dk-notice.dk-error').waitFor();
        });
        await visit(admin, lang, 'penilaian', 'halaman=penilaian', '#assessment-index', problems, async (page) => {
          await page.locator('#submit-panel [data-action="submit"]').click();
          await page.locator('#submit-panel .dk-confirm').waitFor();
        });
        const year = Number(
          await admin.page
            .locator('#other-years a')
            .first()
            .innerText()
            .then((t) => t.slice(0, 4)),
        );
        await visit(admin, lang, 'penilaian-lalu', `halaman=penilaian&tahun=${year}`, '#read-only', problems);
        await visit(admin, lang, 'penilaian-kosong', `halaman=penilaian&tahun=${year + 5}`, '#start-panel', problems);

        // A platform admin: the city choice, then the national view.
        const platform = await open();
        tabs.push(platform);
        await loginIn(platform, lang, PLATFORM);
        await visit(platform, lang, 'pilih-kota', null, '.city-choice', problems);
        await platform.page.locator('.city-choice').first().click();
        await platform.page.locator('.dk-nav').waitFor();
        await visit(platform, lang, 'nasional', 'halaman=nasional', '#national-table tbody tr', problems);

        // A viewer: the live screen, and the read-only pages.
        const viewer = await open();
        tabs.push(viewer);
        await loginIn(viewer, lang, VIEWER);
        await visit(viewer, lang, 'pemirsa', null, '.stage[data-status="live"]', problems);
        await visit(viewer, lang, 'pemirsa-risiko', 'halaman=risiko', '#risk-matrix', problems);
        await visit(viewer, lang, 'pemirsa-penilaian', 'halaman=penilaian', '#read-only', problems);
      } finally {
        for (const tab of tabs) await tab.context.close();
      }
      expect(problems, problems.join('\n')).toEqual([]);
    });
  }

  it('the switch in the menu changes the language in place; the choice is kept per browser, also over a logout', async () => {
    const tab = await open();
    const { page } = tab;
    try {
      await loginIn(tab, 'id', ADMIN);
      await page.locator('#queue-title').waitFor();
      expect(await page.locator('#queue-title').innerText()).toMatch(/^Laporan menunggu verifikasi/);
      expect(await page.locator('#lang-switch').innerText()).toBe('English');
      await page.click('#lang-switch');
      await page.locator('html[lang="en"]').waitFor();
      expect(await page.locator('#queue-title').innerText()).toMatch(/^Reports awaiting verification/);
      expect(await page.locator('.dk-nav a').allInnerTexts()).toContain('Follow-up');
      expect(await page.title()).toMatch(/^Reports awaiting verification/);
      // Remembered: a reload, another page, a logout and the login page all stay in English.
      await page.reload();
      await page.locator('#queue-title', { hasText: 'Reports awaiting verification' }).waitFor();
      await goTo(page, 'halaman=tindak-lanjut');
      await page.locator('#chase .dk-reminder').first().waitFor({ state: 'attached' });
      expect(await page.locator('#chase .dk-reminder').first().inputValue()).toMatch(/^Dear Head of /);
      await page.click('#logout');
      await page.locator('#login-form').waitFor();
      expect(await page.locator('#login-form h1').innerText()).toBe('Log in to Pantau');
      // And back to Indonesian from the login page.
      await page.click('#lang-switch');
      await page.reload();
      await page.locator('#login-form h1', { hasText: 'Masuk ke Pantau' }).waitFor();
      expect(await page.getAttribute('html', 'lang')).toBe('id');
    } finally {
      await tab.context.close();
    }
  });
});
