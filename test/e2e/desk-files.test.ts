// Photo and file evidence in the report form (issue 25 §3): a photo chosen in the form (a file
// input in the test, as the phone's camera would fill it) is made smaller in the browser (a
// 2400×1600 PNG becomes a JPEG of at most 2048 px), kept with the draft, and reaches the server
// with the report: uploaded to POST /uploads and attached to the new report. Chosen online, sent
// offline: the report waits with its files, and both go when the network is back. Screenshots at
// 390×844 and 1366×768 go to test-results/desk-files/.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { CHROMIUM, releaseBrowser, sharedBrowser } from '../helpers/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { checkAxe, DESK_SIZES, goTo, loginAs } from './desk-browser';

const TIMEOUT = 180_000;
const SHOTS = path.resolve(__dirname, '..', '..', 'test-results', 'desk-files');
const hasChromium = existsSync(CHROMIUM);
const inCI = process.env['CI'] === 'true';
if (!hasChromium && !inCI) console.warn(`\n!! SKIPPING desk files e2e tests: ${CHROMIUM} not found.\n`);
const suite = hasChromium || inCI ? describe : describe.skip;

/** A PNG of `width`×`height` with a gradient (so it does not compress to nothing). */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) raw.set([(x * 7) & 255, (y * 5) & 255, ((x ^ y) * 3) & 255], row + 1 + x * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

interface Evidence {
  title: string;
  contentType: string | null;
  size: number | null;
}
const LATEST = `query ($id: ID!) { actionPlan(id: $id) { progressReports(first: 1) { edges { node { narrative evidence { evidence { title contentType size } } } } } } }`;

suite('photos and files in the report form', { timeout: TIMEOUT }, () => {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  let admin = '';
  let plans: { id: string; progress: number }[] = [];
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
    plans = d.city.actionPlans.edges.map((e) => e.node).filter((p) => p.state !== 'DONE' && p.progress < 90);
    expect(plans.length).toBeGreaterThanOrEqual(2);
  }, TIMEOUT);

  afterAll(async () => {
    await releaseBrowser();
    await server?.close();
    if (findings.length) console.log(`[desk-files] axe (moderate/minor, not failing):\n${findings.join('\n')}`);
  }, TIMEOUT);

  async function evidenceOf(planId: string, narrative: string): Promise<Evidence[]> {
    const d = await ok<any>(server!.url, LATEST, { id: planId }, admin);
    const node = d.actionPlan.progressReports.edges[0]?.node;
    return node?.narrative === narrative ? node.evidence.map((a: { evidence: Evidence }) => a.evidence) : [];
  }

  it('a photo taken in the form is made smaller and reaches the server with the report, with a PDF', async () => {
    const plan = plans[0]!;
    const context = await browser!.newContext({ viewport: { width: 390, height: 844 }, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    try {
      await loginAs(page, server!.url, 'dinkes@tanjungpinang.demo');
      await page.locator('#own-plans').waitFor();
      await goTo(page, `halaman=lapor&rencana=${plan.id}`);
      await page.locator('#report-form').waitFor();
      expect(await page.getAttribute('#f-photo', 'capture')).toBe('environment');
      expect(await page.getAttribute('#f-photo', 'accept')).toBe('image/*');
      expect(await page.getAttribute('#f-files', 'accept')).toContain('image/*');
      const photo = png(2400, 1600);
      await page.setInputFiles('#f-photo', { name: 'foto-lapangan.png', mimeType: 'image/png', buffer: photo });
      await page.locator('#f-file-list li[data-file="foto-lapangan.jpg"]').waitFor();
      await page.setInputFiles('#f-files', { name: 'berita-acara.pdf', mimeType: 'application/pdf', buffer: PDF });
      await page.locator('#f-file-list li[data-file="berita-acara.pdf"]').waitFor();
      // Kept with the draft: a reload still has them.
      await page.fill('#f-percent', String(Math.round(plan.progress) + 3));
      const narrative = 'Pemasangan perangkat di puskesmas, foto terlampir.';
      await page.fill('#f-narrative', narrative);
      await page.reload();
      await page.locator('#f-file-list li').nth(1).waitFor();
      for (const [width, height] of DESK_SIZES) {
        await page.setViewportSize({ width, height });
        await page.locator('#f-file-list').scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(SHOTS, `lapor-berkas-${width}x${height}.png`) });
        await checkAxe(page, `lapor berkas ${width}x${height}`, findings);
      }
      await page.click('#send-report');
      await page.locator('.dk-notice.dk-ok').waitFor();
      const evidence = await evidenceOf(plan.id, narrative);
      const photoEvidence = evidence.find((e) => e.title === 'foto-lapangan.jpg');
      expect(photoEvidence?.contentType).toBe('image/jpeg');
      expect(photoEvidence!.size!).toBeLessThan(photo.length);
      expect(evidence.find((e) => e.title === 'berita-acara.pdf')?.size).toBe(PDF.length);
      expect(await page.locator('#f-file-list li').count()).toBe(0);
      // In the plan's history, and in the city team's queue, each file to open.
      await page.locator('#history li').first().locator('[data-evidence]').nth(1).waitFor();
      await page.setViewportSize({ width: 1366, height: 768 });
      await page.click('#logout');
      await loginAs(page, server!.url, 'bappelitbang@tanjungpinang.demo');
      const card = page.locator(`#queue > li[data-plan="${plan.id}"]`);
      await card.waitFor();
      expect(await card.locator('[data-evidence]').allInnerTexts()).toEqual(['⤓ foto-lapangan.jpg', '⤓ berita-acara.pdf']);
      const download = page.waitForEvent('download');
      await card.locator('[data-evidence]').first().click();
      expect((await download).suggestedFilename()).toBe('foto-lapangan.jpg');
    } finally {
      await context.close();
    }
  });

  it('files chosen, then the report sent offline: both wait, and go together when the network is back', async () => {
    const plan = plans[1]!;
    const context = await browser!.newContext({ viewport: { width: 390, height: 844 }, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    try {
      await loginAs(page, server!.url, 'dinkes@tanjungpinang.demo');
      await page.locator('#own-plans').waitFor();
      await goTo(page, `halaman=lapor&rencana=${plan.id}`);
      await page.locator('#report-form').waitFor();
      await context.setOffline(true);
      await page.setInputFiles('#f-photo', { name: 'foto-kecil.png', mimeType: 'image/png', buffer: png(64, 48) });
      await page.locator('#f-file-list li[data-file="foto-kecil.png"]').waitFor();
      const narrative = 'Dikirim dari lokasi tanpa sinyal, dengan foto.';
      await page.fill('#f-percent', String(Math.round(plan.progress) + 2));
      await page.fill('#f-narrative', narrative);
      await page.click('#send-report');
      await page.locator('#pending').waitFor();
      expect(await evidenceOf(plan.id, narrative)).toEqual([]);
      await context.setOffline(false);
      await page.locator('.dk-notice.dk-ok', { hasText: 'sudah terkirim' }).waitFor({ timeout: 40_000 });
      await expect.poll(async () => (await evidenceOf(plan.id, narrative)).map((e) => e.title)).toEqual(['foto-kecil.png']);
    } finally {
      await context.close();
    }
  });
});
