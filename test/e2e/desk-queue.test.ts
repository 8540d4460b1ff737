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
import { TcpProxy } from '../helpers/tcp-proxy';
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
const VERIFY = 'mutation ($input: ReviewProgressReportInput!) { verifyProgressReport(input: $input) { id } }';
const VERSION = `query ($id: ID!) { actionPlan(id: $id) { progressReports(first: 10) { edges { node { id version } } } } }`;
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

  /** The GraphQL requests over HTTP a page sends from now on, with the size of each answer. */
  function countRequests(page: Page): { sent: { body: string; answer: Promise<string> }[] } {
    const log = { sent: [] as { body: string; answer: Promise<string> }[] };
    page.on('request', (req) => {
      if (req.method() !== 'POST' || !req.url().endsWith('/graphql')) return;
      log.sent.push({
        body: req.postData() ?? '',
        answer: req
          .response()
          .then(async (res) => (res ? (await res.body()).toString('utf8') : ''))
          .catch(() => ''),
      });
    });
    return log;
  }

  /** The plans whose reports an answer carries. */
  const plansIn = (answer: string): string[] => [...new Set([...answer.matchAll(/"actionPlan":\{"id":"([^"]+)"/g)].map((m) => m[1]!))];

  /** A plan with no report waiting (its waiting reports verified through the API if every plan has some). */
  async function planWithNothingWaiting(): Promise<Plan> {
    const waiting = await ok<any>(
      server!.url,
      'query ($id: ID!) { city(id: $id) { progressReports(first: 100, status: SUBMITTED) { edges { node { id version actionPlan { id } } } } } }',
      { id: cityId },
      token,
    );
    const nodes: { id: string; version: number; actionPlan: { id: string } }[] = waiting.city.progressReports.edges.map((e: any) => e.node);
    const free = plans.find((p) => !nodes.some((n) => n.actionPlan.id === p.id));
    if (free) return free;
    const plan = plans[plans.length - 1]!;
    for (const n of nodes.filter((x) => x.actionPlan.id === plan.id))
      await ok(server!.url, VERIFY, { input: { id: n.id, expectedVersion: n.version } }, token);
    return plan;
  }

  it("follows another user's changes with one small request each: a new report's card appears, another verifier's verdict removes it", async () => {
    const plan = await planWithNothingWaiting();
    // Another verifier of the city.
    const platform = await login(server!.url, 'admin@pantau.demo');
    await ok(
      server!.url,
      'mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }',
      {
        input: {
          email: 'verifikator-2@tanjungpinang.test',
          name: 'Verifikator Dua',
          password: 'verifikator-dua-1',
          role: 'CITY_ADMIN',
          cityId,
        },
      },
      platform,
    );
    const other = await login(server!.url, 'verifikator-2@tanjungpinang.test', 'verifikator-dua-1');
    // Another plan waits too, so the whole queue is more than that plan.
    await report(
      plans.find((p) => p.id !== plan.id)!,
      'Laporan rencana lain',
    );
    const page = await open();
    try {
      await page.locator('[data-live="live"]').waitFor();
      // The queue as read when it opened: every waiting plan's reports (the demo's queue is never empty).
      const opening = countRequests(page);
      await page.reload();
      await page.locator('#queue > li').first().waitFor();
      await page.locator('[data-live="live"]').waitFor();
      await page.waitForTimeout(1_500);
      const whole = await Promise.all(opening.sent.filter((r) => r.body.includes('query DeskQueue(')).map((r) => r.answer));
      expect(plansIn(whole.join('')).length).toBeGreaterThan(1);
      const titleCount = async () => Number((await page.locator('#queue-title').innerText()).match(/\((\d+)\)/)![1]);
      const before = await titleCount();

      // A new report by the plan's OPD: its card appears, read with one request for that plan alone.
      let log = countRequests(page);
      await report(plan, 'Laporan baru saat antrean terbuka');
      const card = page.locator(`#queue > li[data-plan="${plan.id}"]`);
      await page.selectOption('#filter-opd', plan.ownerOpd.id);
      await card.waitFor();
      expect(await card.locator('.dk-narrative').innerText()).toBe('Laporan baru saat antrean terbuka');
      await expect.poll(titleCount).toBe(before + 1);
      await page.waitForTimeout(1_000);
      expect(log.sent.map((r) => r.body.match(/query (\w+)/)?.[1])).toEqual(['DeskQueuePlans']);
      // Only that plan's reports come back, not the whole queue.
      expect(plansIn(await log.sent[0]!.answer)).toEqual([plan.id]);

      // The verifier starts returning it, and the OPD sends a newer report: a new card for the newest
      // report, without the open comment box.
      const first = (await card.getAttribute('data-report'))!;
      await card.locator('[data-action="return"]').click();
      await page.fill(`#c-${first}`, 'Lampirkan foto lokasi');
      await report(plan, 'Laporan lebih baru');
      await expect.poll(() => card.getAttribute('data-report')).not.toBe(first);
      expect(await card.locator('.dk-narrative').first().innerText()).toBe('Laporan lebih baru');
      expect(await card.locator('textarea').count()).toBe(0);
      expect(await card.locator('[data-older]').getAttribute('data-older')).toBe('1');
      await capture(page, 'antrean-langsung');

      // Another verifier settles both: the card leaves, again with one request.
      await page.waitForTimeout(1_000);
      log = countRequests(page);
      const waiting = (await ok<any>(server!.url, STATUS, { id: plan.id }, token)).actionPlan.progressReports.edges
        .map((e: any) => e.node)
        .filter((n: { status: string }) => n.status === 'SUBMITTED');
      expect(waiting).toHaveLength(2);
      for (const n of waiting.reverse()) {
        const v = (await ok<any>(server!.url, VERSION, { id: plan.id }, other)).actionPlan.progressReports.edges.find(
          (e: any) => e.node.id === n.id,
        ).node;
        await ok(server!.url, VERIFY, { input: { id: n.id, expectedVersion: v.version } }, other);
      }
      await card.waitFor({ state: 'detached' });
      await expect.poll(titleCount).toBe(before);
      await page.waitForTimeout(1_000);
      expect(log.sent.length).toBeGreaterThanOrEqual(1);
      expect(log.sent.length).toBeLessThanOrEqual(2);
      for (const r of log.sent) {
        expect(r.body).toContain('DeskQueuePlans');
        expect(plansIn(await r.answer).every((id) => id === plan.id)).toBe(true);
      }
    } finally {
      await page.context().close();
    }
  });

  it('reads the whole queue again when its socket comes back, with the report sent while it was down', async () => {
    const plan = await planWithNothingWaiting();
    // The browser reaches the server through a link the test can cut.
    const link = new TcpProxy(Number(new URL(server!.url).port));
    await link.start();
    const context = await browser!.newContext({ viewport: { width: 1366, height: 768 }, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    try {
      await loginAs(page, `http://127.0.0.1:${link.port}`, ADMIN);
      await page.locator('#queue > li').first().waitFor();
      await page.locator('[data-live="live"]').waitFor();
      await page.selectOption('#filter-opd', plan.ownerOpd.id);
      const log = countRequests(page);
      // The link goes quiet, a report is made (its event never reaches the page), the connection drops.
      link.cut();
      await report(plan, 'Laporan saat soket terputus');
      link.drop();
      link.heal();
      await page.locator(`#queue > li[data-plan="${plan.id}"]`).waitFor();
      expect(log.sent.some((r) => r.body.includes('query DeskQueue('))).toBe(true);
    } finally {
      await context.close();
      await link.close();
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
