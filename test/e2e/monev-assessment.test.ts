// End-to-end test of the desk's "Penilaian mandiri" page (issue 11) in headless Chromium against a
// real server with the demo: a city admin scores an unscored item, writes its narrative, uploads a
// real PDF and adds a link as its evidence (data dukung), downloads the file, sees a disguised HTML
// file refused in Indonesian, meets a conflicting edit, and submits; the index and the gap counts
// follow `City.readiness(year)` fetched through the API. An OPD reporter adds evidence to its own
// OPD's item only; a viewer reads the page with no edit control. axe-core at 1280×800 and 390×844; screenshots go to test-results/monev/penilaian-*.png.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, releaseBrowser, sharedBrowser } from '../helpers/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { checkAxe, goTo, loginAs as formLogin } from './desk-browser';

// Edit controls, leaving out the "Laporan monev" panel (issue 24): its date, language and buttons
// read reports and change nothing, so every role has them.
const NOT_REPORTS = ':not(#report-panel *)';
const EDIT_CONTROLS = ['main select', 'main textarea', 'main input:not([type="checkbox"])', '[data-action]']
  .map((s) => `${s}${NOT_REPORTS}`)
  .join(', ');
const EDIT_CONTROLS_OWN_OPD = ['main select', 'main textarea', '[data-action="save-item"]', '[data-action="submit"]']
  .map((s) => `${s}${NOT_REPORTS}`)
  .join(', ');
const TIMEOUT = 180_000;
const SHOTS = path.resolve(__dirname, '..', '..', 'test-results', 'monev');
const SIZES = [
  [1280, 800],
  [390, 844],
] as const;
const ADMIN = 'bappelitbang@tanjungpinang.demo';
const VIEWER = 'viewer@tanjungpinang.demo';
/** A small but real PDF (the server sniffs `%PDF-`). */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);
/** HTML wearing a .pdf name: refused by its content. */
const DISGUISED = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>\n');

const hasChromium = existsSync(CHROMIUM);
const inCI = process.env['CI'] === 'true';
if (!hasChromium && !inCI)
  console.warn(`\n!! SKIPPING self-assessment e2e tests: ${CHROMIUM} not found (apt-get install chromium); in CI they fail instead.\n`);
const suite = hasChromium || inCI ? describe : describe.skip;

interface ReadinessNow {
  year: number;
  index: number;
  scaleMax: number;
  scoredCount: number;
  gaps: { unscored: number; missingEvidence: number };
  items: { code: string; score: number | null; evidenceCount: number }[];
}

suite('"Penilaian mandiri" in the browser', { timeout: TIMEOUT }, () => {
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
    adminToken = await login(server.url, ADMIN);
    cityId = (await ok<{ me: { cityId: string } }>(server.url, '{ me { cityId } }', {}, adminToken)).me.cityId;
  }, TIMEOUT);

  afterAll(async () => {
    await releaseBrowser();
    await server?.close();
    if (axeFindings.length) console.log(`[penilaian] axe (moderate/minor, not failing):\n${axeFindings.join('\n')}`);
  }, TIMEOUT);

  const readiness = async (): Promise<ReadinessNow> =>
    (
      await ok<{ city: { readiness: ReadinessNow } }>(
        server!.url,
        'query ($id: ID!) { city(id: $id) { readiness { year index scaleMax scoredCount gaps { unscored missingEvidence } items { code score evidenceCount } } } }',
        { id: cityId },
        adminToken,
      )
    ).city.readiness;
  const evidenceCount = async (): Promise<number> =>
    (
      await ok<{ city: { evidence: { totalCount: number } } }>(
        server!.url,
        'query ($id: ID!) { city(id: $id) { evidence(first: 1) { totalCount } } }',
        { id: cityId },
        adminToken,
      )
    ).city.evidence.totalCount;
  /** "2,35 dari 4", as the page says it. */
  const indexText = (r: ReadinessNow): string => `${r.index.toFixed(2).replace('.', ',')} dari ${r.scaleMax}`;

  async function open(width: number, height: number): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser!.newContext({
      viewport: { width, height },
      locale: 'id-ID',
      timezoneId: 'Asia/Jakarta',
      acceptDownloads: true,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    return { context, page };
  }

  const loginAs = (page: Page, email: string): Promise<void> => formLogin(page, server!.url, email);

  const go = goTo;

  const axe = (page: Page, name: string): Promise<void> => checkAxe(page, name, axeFindings);

  async function capture(page: Page, name: string): Promise<void> {
    for (const [width, height] of SIZES) {
      await page.setViewportSize({ width, height });
      await page.locator('#assessment-index').waitFor();
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(SHOTS, `${name}-${width}x${height}.png`), fullPage: true });
      await axe(page, `${name} ${width}x${height}`);
      if (width < 600) {
        const wide = await page.evaluate(() =>
          document.documentElement.scrollWidth <= innerWidth + 1
            ? []
            : Array.from(document.querySelectorAll('body *'))
                .filter((e) => e.getBoundingClientRect().right > innerWidth + 1)
                .slice(0, 5)
                .map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
        );
        expect(wide, `${name}: nothing wider than a phone`).toEqual([]);
      }
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  it('an OPD reporter reads the scores and adds evidence only to the items its OPD answers for', async () => {
    const { context, page } = await open(390, 844);
    try {
      await loginAs(page, 'dinkes@tanjungpinang.demo');
      await page.locator('#own-plans').waitFor();
      await go(page, 'halaman=penilaian');
      await page.locator('#assessment-index').waitFor();
      expect(await page.locator(EDIT_CONTROLS_OWN_OPD).count()).toBe(0);
      // The demo makes Dinkes answer for OCM-02 only.
      const adders = await page
        .locator('.dk-item-card:has(.dk-add-evidence)')
        .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-code')));
      expect(adders).toEqual(['OCM-02']);
      const card = page.locator('#item-OCM-02');
      await card.locator('.dk-add-evidence summary').click();
      await card.locator('input[id$="-title"]').fill('Daftar puskesmas uji coba e-puskesmas');
      await card.locator('input[type="url"]').fill('https://dinkes.tanjungpinangkota.go.id/e-puskesmas');
      await card.locator('[data-action="add-link"]').click();
      await card.locator('[data-evidence][data-kind="LINK"]').waitFor();
      expect(await card.locator('[data-kind="LINK"]').innerText()).toContain('Dari Andi Saputra (Dinkes)');
      await card.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, 'penilaian-opd-390x844.png') });
    } finally {
      await context.close();
    }
  });

  it('a city admin scores an item, attaches a PDF and a link, is refused a disguised file, meets a conflict and submits', async () => {
    const before = await readiness();
    const storedBefore = await evidenceCount();
    // The demo's draft: every other item scored, every fourth with evidence.
    const target = before.items.find((i) => i.score === null && i.evidenceCount === 0)!;
    expect(target, 'an unscored item without evidence in the demo').toBeTruthy();
    const { context, page } = await open(1280, 800);
    try {
      await loginAs(page, ADMIN);
      await page.locator('.dk-nav a[data-page="penilaian"]').waitFor();
      await page.click('.dk-nav a[data-page="penilaian"]');
      await page.locator('#assessment-index').waitFor();
      expect(await page.locator('#assessment-title').innerText()).toBe(`Penilaian mandiri Tanjungpinang ${before.year}`);
      expect(await page.locator('#assessment-index').innerText()).toBe(indexText(before));
      expect(await page.locator('#gap-unscored').innerText()).toBe(String(before.gaps.unscored));
      expect(await page.locator('#gap-evidence').innerText()).toBe(String(before.gaps.missingEvidence));
      expect(await page.locator('#assessment-status').innerText()).toBe('Draf');
      expect(await page.locator('#assessment-scored').innerText()).toBe(`${before.scoredCount} dari ${before.items.length}`);
      // Five evaluation dimensions with their weights.
      expect(await page.locator('.dk-dimension h2').allInnerTexts()).toEqual([
        expect.stringMatching(/bobot 10%$/),
        expect.stringMatching(/bobot 20%$/),
        expect.stringMatching(/bobot 30%$/),
        expect.stringMatching(/bobot 20%$/),
        expect.stringMatching(/bobot 20%$/),
      ]);
      const card = page.locator(`#item-${target.code}`);
      expect(await card.locator('.dk-gap').allInnerTexts()).toEqual([
        expect.stringContaining('Belum dinilai'),
        expect.stringContaining('Data dukung belum ada'),
      ]);
      await capture(page, 'penilaian');
      // Only the items with a gap, as readiness counts them.
      await page.locator('#only-gaps input').check();
      expect(await page.locator('.dk-item-card:visible').count()).toBe(
        before.items.filter((i) => i.score === null || i.evidenceCount === 0).length,
      );
      await page.locator('#only-gaps input').uncheck();
      expect(await page.locator('.dk-item-card:visible').count()).toBe(before.items.length);

      // Score and narrative.
      await card.locator('select[id$="-score"]').selectOption('3');
      await card.locator('textarea').fill('SK Wali Kota sudah ditetapkan dan dipublikasikan di situs pemerintah kota.');
      expect(await card.locator('.dk-warn-text').innerText()).toContain('belum disimpan');
      await card.locator('[data-action="save-item"]').click();
      await card.locator('.dk-notice.dk-ok', { hasText: `Butir ${target.code} tersimpan.` }).waitFor();
      await expect.poll(() => page.locator('#gap-unscored').innerText()).toBe(String(before.gaps.unscored - 1));
      expect(await card.locator('.dk-gap').allInnerTexts()).toEqual([expect.stringContaining('Data dukung belum ada')]);

      // A disguised HTML file is refused by its content: said in Indonesian, nothing stored or attached.
      await card.locator('.dk-add-evidence summary').click();
      await card.locator('input[type="file"]').setInputFiles({ name: 'Laporan.pdf', mimeType: 'application/pdf', buffer: DISGUISED });
      await card.locator('[data-action="upload"]').click();
      await card.locator('.dk-notice.dk-error', { hasText: 'Jenis berkas ini tidak diterima' }).waitFor();
      expect(await card.locator('[data-evidence]').count()).toBe(0);
      expect(await evidenceCount()).toBe(storedBefore);
      expect((await readiness()).gaps.missingEvidence).toBe(before.gaps.missingEvidence);
      await page.screenshot({ path: path.join(SHOTS, 'penilaian-ditolak-1280x800.png') });

      // A real PDF, uploaded and attached.
      await card.locator('input[type="file"]').setInputFiles({ name: 'SK Dewan Smart City.pdf', mimeType: 'application/pdf', buffer: PDF });
      await card.locator('[data-action="upload"]').click();
      await card.locator('[data-evidence][data-kind="FILE"]').waitFor();
      await card.locator('.dk-notice.dk-ok', { hasText: 'dilampirkan' }).waitFor();
      expect(await card.locator('[data-kind="FILE"]').innerText()).toMatch(
        /SK Dewan Smart City\.pdf[\s\S]*Dari Sri Wahyuni · .* pukul \d{2}\.\d{2}/,
      );
      await expect.poll(() => page.locator('#gap-evidence').innerText()).toBe(String(before.gaps.missingEvidence - 1));
      expect(await card.locator('.dk-gap').allInnerTexts()).toEqual([expect.stringContaining('Lengkap')]);

      // And a link; a missing address is said before anything is sent.
      await card.locator('input[id$="-title"]').fill('Berita SK di situs Pemko');
      await card.locator('[data-action="add-link"]').click();
      await card.locator('.dk-error', { hasText: 'https://' }).waitFor();
      await card.locator('input[type="url"]').fill('https://tanjungpinangkota.go.id/berita/sk-dewan-smart-city');
      await card.locator('[data-action="add-link"]').click();
      await card.locator('[data-evidence][data-kind="LINK"]').waitFor();
      expect(await card.locator('[data-kind="LINK"] a').getAttribute('href')).toBe(
        'https://tanjungpinangkota.go.id/berita/sk-dewan-smart-city',
      );

      // The file downloads with the session (fetch + Blob), byte for byte.
      const [download] = await Promise.all([page.waitForEvent('download'), card.locator('[data-kind="FILE"] button.dk-link').click()]);
      expect(download.suggestedFilename()).toBe('SK Dewan Smart City.pdf');
      expect(readFileSync((await download.path())!)).toEqual(PDF);

      // The page agrees with the API's readiness.
      const after = await readiness();
      expect(after.gaps.unscored).toBe(before.gaps.unscored - 1);
      expect(after.gaps.missingEvidence).toBe(before.gaps.missingEvidence - 1);
      expect(after.index).toBeGreaterThan(before.index);
      expect(after.items.find((i) => i.code === target.code)).toMatchObject({ score: 3, evidenceCount: 2 });
      await expect.poll(() => page.locator('#assessment-index').innerText()).toBe(indexText(after));
      expect(await page.locator('#gap-unscored').innerText()).toBe(String(after.gaps.unscored));
      expect(await page.locator('#gap-evidence').innerText()).toBe(String(after.gaps.missingEvidence));
      expect(await page.locator('#assessment-scored').innerText()).toBe(`${after.scoredCount} dari ${after.items.length}`);
      await card.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, 'penilaian-butir-1280x800.png') });

      // Somebody else changes another item meanwhile: saving says so and shows their version.
      const other = after.items.find((i) => i.score !== null && i.code !== target.code)!;
      const { city } = await ok<{ city: { selfAssessment: { items: { id: string; version: number; rubricItem: { code: string } }[] } } }>(
        server!.url,
        'query ($id: ID!, $y: Int!) { city(id: $id) { selfAssessment(year: $y) { items { id version rubricItem { code } } } } }',
        { id: cityId, y: after.year },
        adminToken,
      );
      const row = city.selfAssessment.items.find((i) => i.rubricItem.code === other.code)!;
      const otherCard = page.locator(`#item-${other.code}`);
      await otherCard.locator('textarea').fill('Narasi saya yang belum tersimpan.');
      await ok(
        server!.url,
        'mutation ($input: UpdateAssessmentItemInput!) { updateAssessmentItem(input: $input) { id } }',
        { input: { id: row.id, expectedVersion: row.version, narrative: 'Diubah oleh rekan di Bappelitbang.' } },
        adminToken,
      );
      await otherCard.locator('[data-action="save-item"]').click();
      await otherCard.locator('[data-conflict]', { hasText: 'Data ini sudah diubah orang lain' }).waitFor();
      await expect.poll(() => otherCard.locator('textarea').inputValue()).toBe('Diubah oleh rekan di Bappelitbang.');
      await otherCard.locator('button', { hasText: 'Pakai isian saya lagi' }).click();
      expect(await otherCard.locator('textarea').inputValue()).toBe('Narasi saya yang belum tersimpan.');
      await otherCard.locator('[data-action="save-item"]').click();
      await otherCard.locator('.dk-notice.dk-ok').waitFor();

      // Submit (asked once more): then everything is read-only.
      await page.click('[data-action="submit"]');
      await page.click('[data-action="submit-confirm"]');
      await expect.poll(() => page.locator('#assessment-status').innerText()).toBe('Terkirim');
      await page.locator('#read-only', { hasText: 'sudah dikirim' }).waitFor();
      expect(await page.locator(EDIT_CONTROLS).count()).toBe(0);
      expect(
        (
          await ok<{ city: { readiness: { assessmentStatus: string } } }>(
            server!.url,
            'query ($id: ID!) { city(id: $id) { readiness { assessmentStatus } } }',
            { id: cityId },
            adminToken,
          )
        ).city.readiness.assessmentStatus,
      ).toBe('SUBMITTED');
      await page.screenshot({ path: path.join(SHOTS, 'penilaian-terkirim-1280x800.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('a viewer reads the page with no edit control; last year shows the published assessor scores', async () => {
    const { context, page } = await open(1280, 800);
    try {
      await loginAs(page, VIEWER);
      await page.locator('.stage').waitFor();
      await go(page, 'halaman=penilaian');
      await page.locator('#assessment-index').waitFor();
      await page.locator('#read-only').waitFor();
      expect(await page.locator(`${EDIT_CONTROLS}, .dk-add-evidence`).count()).toBe(0);
      expect(await page.locator('#assessment-index').innerText()).toBe(indexText(await readiness()));
      await capture(page, 'penilaian-pemirsa');

      // Last year's submitted assessment, its framework published: the assessors' scores show.
      const year = (await readiness()).year;
      await page.click(`#other-years a[href$="tahun=${year - 1}"]`);
      await page.locator('#assessor-index').waitFor();
      expect(await page.locator('#assessment-status').innerText()).toBe('Terkirim');
      expect(await page.locator('[data-assessor]').count()).toBeGreaterThan(0);
      await page.screenshot({ path: path.join(SHOTS, `penilaian-${year - 1}-1280x800.png`), fullPage: true });
    } finally {
      await context.close();
    }
  });
});
