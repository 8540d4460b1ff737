// A long verification queue (issue 25 §4): one card per plan with its older reports folded under
// the newest, pages of 20 plans, filters by OPD and by plan, verifying several plans at once, and
// verifying a plan's newest report settling its older ones explicitly — each report verified (and
// audited) on its own. Reports are made through the API; screenshots at 1366×768 and 390×844 go to
// test-results/desk-queue/.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, releaseBrowser, sharedBrowser } from '../helpers/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { checkAxe, DESK_SIZES, goTo, loginAs } from './desk-browser';

const TIMEOUT = 180_000;
const SHOTS = path.resolve(__dirname, '..', '..', 'test-results', 'desk-queue');
const hasChromium = existsSync(CHROMIUM);
const inCI = process.env['CI'] === 'true';
if (!hasChromium && !inCI) console.warn(`\n!! SKIPPING desk queue e2e tests: ${CHROMIUM} not found.\n`);
const suite = hasChromium || inCI ? describe : describe.skip;

const ADMIN = 'bappelitbang@tanjungpinang.demo';
interface Plan {
  id: string;
  version: number;
  title: string;
  progress: number;
  ownerOpd: { id: string; abbreviation: string };
}
const REPORT = 'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { version } }';
const STATUS = `query ($id: ID!) { actionPlan(id: $id) { progressReports(first: 10) { edges { node { id status reviewComment } } } } }`;

suite('a long verification queue', { timeout: TIMEOUT }, () => {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  let token = '';
  let cityId = '';
  let plans: Plan[] = [];
  const findings: string[] = [];

  /** Each OPD's reporter (made on first use): the city team's own reports need no verification. */
  const reporters = new Map<string, string>();
  async function reporterOf(opd: Plan['ownerOpd']): Promise<string> {
    let t = reporters.get(opd.id);
    if (!t) {
      const email = `antre-${reporters.size}@tanjungpinang.test`;
      await ok(
        server!.url,
        'mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }',
        {
          input: { email, name: `Pelapor ${opd.abbreviation}`, password: 'pelapor-antrean-1', role: 'OPD_REPORTER', cityId, opdId: opd.id },
        },
        token,
      );
      t = await login(server!.url, email, 'pelapor-antrean-1');
      reporters.set(opd.id, t);
    }
    return t;
  }

  /** A report on a plan, through the API, by its OPD's reporter: it waits for verification. */
  async function report(plan: Plan, narrative: string): Promise<void> {
    const percent = Math.min(100, Math.floor(plan.progress) + 1);
    const d = await ok<{ reportProgress: { version: number } }>(
      server!.url,
      REPORT,
      { input: { actionPlanId: plan.id, percent, expectedVersion: plan.version, narrative } },
      await reporterOf(plan.ownerOpd),
    );
    plan.version = d.reportProgress.version;
    plan.progress = percent;
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startServer({ demo: true });
    browser = await sharedBrowser();
    token = await login(server.url, ADMIN);
    cityId = (await ok<{ me: { cityId: string } }>(server.url, '{ me { cityId } }', {}, token)).me.cityId;
    const d = await ok<{ city: { actionPlans: { edges: { node: Plan & { state: string; status: string } }[] } } }>(
      server.url,
      'query ($id: ID!) { city(id: $id) { actionPlans(first: 100) { edges { node { id version title progress state status ownerOpd { id abbreviation } } } } } }',
      { id: cityId },
      token,
    );
    plans = d.city.actionPlans.edges.map((e) => e.node).filter((p) => p.status === 'ACTIVE' && p.progress < 95);
    expect(plans.length).toBeGreaterThanOrEqual(22);
    // Three reports on the first plan; one on each of the next 21 (more than a page of 20 plans).
    for (const n of [1, 2, 3]) await report(plans[0]!, `Laporan ke-${n} rencana pertama`);
    for (const p of plans.slice(1, 22)) await report(p, `Laporan antre ${p.title}`);
  }, TIMEOUT);

  afterAll(async () => {
    await releaseBrowser();
    await server?.close();
    if (findings.length) console.log(`[desk-queue] axe (moderate/minor, not failing):\n${findings.join('\n')}`);
  }, TIMEOUT);

  async function open(): Promise<Page> {
    const context = await browser!.newContext({ viewport: { width: 1366, height: 768 }, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await loginAs(page, server!.url, ADMIN);
    await page.locator('#queue > li').first().waitFor();
    return page;
  }

  const cards = (page: Page) => page.locator('#queue > li');
  const planIds = (page: Page) => cards(page).evaluateAll((lis) => lis.map((li) => li.getAttribute('data-plan') ?? ''));

  it("shows a plan's reports together, pages by 20 plans, filters by OPD and by plan; verifying the newest settles the older ones", async () => {
    const page = await open();
    try {
      expect(await cards(page).count()).toBe(20);
      // The next page holds the rest.
      const onFirst = await planIds(page);
      await page.click('#page-next');
      await expect.poll(async () => (await planIds(page)).some((id) => onFirst.includes(id))).toBe(false);
      expect(await page.locator('#queue-shown').innerText()).toContain('halaman 2 dari');
      await page.click('#page-prev');

      // By OPD: only its plans, all of them; then one plan: its three reports on one card.
      const opd = plans[0]!.ownerOpd;
      await page.selectOption('#filter-opd', opd.id);
      await expect
        .poll(async () => new Set(await cards(page).evaluateAll((lis) => lis.map((li) => li.getAttribute('data-opd')))))
        .toEqual(new Set([opd.id]));
      const shown = await planIds(page);
      for (const p of plans.slice(0, 22).filter((x) => x.ownerOpd.id === opd.id)) expect(shown).toContain(p.id);
      await page.selectOption('#filter-plan', plans[0]!.id);
      await expect.poll(() => planIds(page)).toEqual([plans[0]!.id]);
      const first = page.locator(`#queue > li[data-plan="${plans[0]!.id}"]`);
      expect(await first.locator('[data-older]').getAttribute('data-older')).toBe('2');
      expect(await first.locator('.dk-narrative').first().innerText()).toBe('Laporan ke-3 rencana pertama');
      expect(await first.locator('[data-action="verify"]').innerText()).toContain('2 laporan lama');
      await first.locator('.dk-older summary').click();
      await capture(page, 'antrean-saring');

      // Verifying the newest settles the two older ones: three verified reports, the older two with a note.
      await page.locator(`#queue > li[data-plan="${plans[0]!.id}"] [data-action="verify"]`).click();
      await page.locator(`#queue > li[data-plan="${plans[0]!.id}"]`).waitFor({ state: 'detached' });
      const reports = (await ok<any>(server!.url, STATUS, { id: plans[0]!.id }, token)).actionPlan.progressReports.edges.map(
        (e: { node: { status: string; reviewComment: string | null } }) => e.node,
      );
      expect(reports.slice(0, 3).map((r: { status: string }) => r.status)).toEqual(['VERIFIED', 'VERIFIED', 'VERIFIED']);
      expect(reports[0].reviewComment).toBeNull();
      expect(reports[1].reviewComment).toMatch(/^Diselesaikan bersama laporan terbaru/);
      expect(reports[2].reviewComment).toMatch(/^Diselesaikan bersama laporan terbaru/);
      // Each report audited on its own.
      for (const r of reports.slice(0, 3)) {
        const audit = await ok<any>(
          server!.url,
          'query ($city: ID!, $id: ID!) { auditLog(cityId: $city, first: 5, filter: { entityId: $id }) { edges { node { action entity } } } }',
          { city: cityId, id: r.id },
          token,
        );
        expect(audit.auditLog.edges.map((e: { node: { action: string } }) => e.node.action)).toContain('UPDATE');
      }
    } finally {
      await page.context().close();
    }
  });

  it('verifies several plans at once, each report on its own', async () => {
    const page = await open();
    try {
      const title = page.locator('#queue-title');
      const before = Number((await title.innerText()).match(/\((\d+)\)/)![1]);
      await page.click('#select-page');
      const chosen = await planIds(page);
      expect(chosen).toHaveLength(20);
      const label = await page.locator('#bulk-verify').innerText();
      expect(label).toMatch(/Verifikasi \d+ laporan terpilih \(20 rencana aksi\)/);
      const count = Number(label.match(/Verifikasi (\d+) laporan/)![1]);
      await capture(page, 'antrean-pilih');
      await page.click('#bulk-verify');
      await page.locator('.dk-notice.dk-ok', { hasText: `${count} laporan diverifikasi` }).waitFor({ timeout: 60_000 });
      await expect.poll(async () => Number((await title.innerText()).match(/\((\d+)\)/)![1])).toBe(before - count);
      for (const id of chosen.slice(0, 5)) {
        const latest = (await ok<any>(server!.url, STATUS, { id }, token)).actionPlan.progressReports.edges[0].node;
        expect(latest.status).toBe('VERIFIED');
      }
    } finally {
      await page.context().close();
    }
  });

  async function capture(page: Page, name: string): Promise<void> {
    for (const [width, height] of DESK_SIZES) {
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(250);
      await page.screenshot({ path: path.join(SHOTS, `${name}-${width}x${height}.png`) });
      await checkAxe(page, `${name} ${width}x${height}`, findings);
      if (width < 600) expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth + 1)).toBe(true);
    }
    await page.setViewportSize({ width: 1366, height: 768 });
  }

  it('goes to the queue from the menu', async () => {
    const page = await open();
    try {
      await goTo(page, 'halaman=risiko');
      await page.locator('#risk-matrix').waitFor();
      await goTo(page, 'halaman=verifikasi');
      await page.locator('#queue-tools').waitFor();
    } finally {
      await page.context().close();
    }
  });
});
