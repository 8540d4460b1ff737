// Chasing only those with something to do (issue 25 §6) and the early warning on the desk (issue 24
// §3): the follow-up page lists as silent only OPDs with a running plan (an OPD whose plans are all
// done or not started is not chased), writes a reminder only to OPDs with a late plan, and lists the
// plans expected to be late (`City.atRiskActionPlans`) with their expected date and days late; an
// OPD's own plan list warns on each such plan. Expectations are read from the API, not the demo's
// numbers. Screenshots at 1366×768 and 390×844 go to test-results/desk-chase/.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, releaseBrowser, sharedBrowser } from '../helpers/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { checkAxe, DESK_SIZES, goTo, loginAs } from './desk-browser';

const TIMEOUT = 180_000;
const SHOTS = path.resolve(__dirname, '..', '..', 'test-results', 'desk-chase');
const hasChromium = existsSync(CHROMIUM);
const inCI = process.env['CI'] === 'true';
if (!hasChromium && !inCI) console.warn(`\n!! SKIPPING desk chase e2e tests: ${CHROMIUM} not found.\n`);
const suite = hasChromium || inCI ? describe : describe.skip;

interface Plan {
  id: string;
  state: string;
  status: string;
  startDate: string;
  ownerOpd: { id: string; abbreviation: string };
}
interface AtRisk {
  id: string;
  ownerOpd: { id: string; abbreviation: string };
  forecast: { expectedCompletion: string | null; daysLate: number | null };
}

const FACTS = `query ($id: ID!) { city(id: $id) {
  overview { today lateActionPlans(first: 100) { id ownerOpd { id abbreviation } } }
  atRiskActionPlans(first: 100) { edges { node { id ownerOpd { id abbreviation } forecast { expectedCompletion daysLate } } } }
  actionPlans(first: 100) { edges { node { id state status startDate ownerOpd { id abbreviation } } } }
} }`;

suite('chasing those with something to do, and the early warning', { timeout: TIMEOUT }, () => {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const findings: string[] = [];
  let facts: { today: string; late: { id: string; ownerOpd: { id: string } }[]; atRisk: AtRisk[]; plans: Plan[] };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startServer({ demo: true });
    browser = await sharedBrowser();
    const token = await login(server.url, 'bappelitbang@tanjungpinang.demo');
    const cityId = (await ok<{ me: { cityId: string } }>(server.url, '{ me { cityId } }', {}, token)).me.cityId;
    const d = await ok<any>(server.url, FACTS, { id: cityId }, token);
    facts = {
      today: d.city.overview.today,
      late: d.city.overview.lateActionPlans,
      atRisk: d.city.atRiskActionPlans.edges.map((e: { node: AtRisk }) => e.node),
      plans: d.city.actionPlans.edges.map((e: { node: Plan }) => e.node),
    };
    expect(facts.late.length).toBeGreaterThan(0);
    expect(facts.atRisk.length).toBeGreaterThan(0);
  }, TIMEOUT);

  afterAll(async () => {
    await releaseBrowser();
    await server?.close();
    if (findings.length) console.log(`[desk-chase] axe (moderate/minor, not failing):\n${findings.join('\n')}`);
  }, TIMEOUT);

  async function open(email: string): Promise<Page> {
    const context = await browser!.newContext({ viewport: { width: 1366, height: 768 }, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await loginAs(page, server!.url, email);
    return page;
  }

  async function capture(page: Page, name: string): Promise<void> {
    for (const [width, height] of DESK_SIZES) {
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(250);
      await page.screenshot({ path: path.join(SHOTS, `${name}-${width}x${height}.png`), fullPage: true });
      await checkAxe(page, `${name} ${width}x${height}`, findings);
      if (width < 600) expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth + 1)).toBe(true);
    }
    await page.setViewportSize({ width: 1366, height: 768 });
  }

  it('flags as silent only OPDs with a running plan, reminds only OPDs with a late plan, lists the plans expected to be late', async () => {
    const page = await open('bappelitbang@tanjungpinang.demo');
    try {
      await page.locator('#queue-title').waitFor();
      await goTo(page, 'halaman=tindak-lanjut');
      await page.locator('#at-risk').waitFor();
      // Reminders: exactly the OPDs with a late plan.
      const lateOpds = [...new Set(facts.late.map((p) => p.ownerOpd.id))].sort();
      expect((await page.locator('#chase > li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-opd')))).sort()).toEqual(
        lateOpds,
      );
      // Silent over 60 days: only OPDs with a running plan (active, started, not done), each saying how many.
      await page.locator('button', { hasText: '60 hari' }).click();
      const running = new Set(
        facts.plans.filter((p) => p.status === 'ACTIVE' && p.state !== 'DONE' && p.startDate <= facts.today).map((p) => p.ownerOpd.id),
      );
      const idle = [...new Set(facts.plans.map((p) => p.ownerOpd.id))].filter((id) => !running.has(id));
      const silent = await page.locator('#silent li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-opd') ?? ''));
      for (const id of silent) expect(running.has(id), `silent OPD ${id} has a running plan`).toBe(true);
      for (const id of idle) expect(silent).not.toContain(id);
      for (const text of await page.locator('#silent li').allInnerTexts()) expect(text).toMatch(/\d+ rencana aksi berjalan/);
      // The early warning: every plan expected to be late, with its expected date and days late.
      const rows = page.locator('#at-risk li[data-plan]');
      expect(await rows.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-plan')))).toEqual(facts.atRisk.map((p) => p.id));
      expect(await page.locator('#at-risk-title').innerText()).toBe(`Diperkirakan terlambat (${facts.atRisk.length})`);
      for (const p of facts.atRisk) {
        const text = await page.locator(`#at-risk li[data-plan="${p.id}"]`).innerText();
        expect(text).toContain(p.ownerOpd.abbreviation);
        if (p.forecast.expectedCompletion)
          expect(text).toMatch(new RegExp(`perkiraan selesai .+ \\d{4}, ${p.forecast.daysLate} hari setelah tenggat`));
        else expect(text).toContain('tidak bergerak');
      }
      await capture(page, 'tindak-lanjut');
    } finally {
      await page.context().close();
    }
  });

  it("an OPD's own plan list warns on each plan expected to be late, with the expected date", async () => {
    const mine = facts.atRisk.filter((p) => p.ownerOpd.abbreviation === 'Diskominfo');
    expect(mine.length).toBeGreaterThan(0);
    const page = await open('diskominfo@tanjungpinang.demo');
    try {
      await page.locator('#own-plans').waitFor();
      for (const p of mine) {
        const warning = page.locator(`#own-plans li[data-plan="${p.id}"] [data-forecast="AT_RISK"]`);
        expect(await warning.innerText()).toMatch(
          p.forecast.expectedCompletion
            ? new RegExp(`Diperkirakan terlambat: .+ \\d{4}, ${p.forecast.daysLate} hari setelah tenggat`)
            : /tidak naik/,
        );
      }
      expect(await page.locator('#own-plans [data-forecast="AT_RISK"]').count()).toBe(mine.length);
      expect(await page.locator('#at-risk-count').innerText()).toBe(`${mine.length} diperkirakan terlambat`);
      await capture(page, 'lapor-diskominfo');
    } finally {
      await page.context().close();
    }
  });
});
