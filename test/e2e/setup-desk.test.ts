// Issue 21 §1: a city set up from nothing, only through the desk, in headless Chromium against a
// real server. The platform admin creates the city and its first admin on the city picker; the
// city admin logs in and enters the profile, three OPDs, the council and the team with members, a
// masterplan with two programs, five action plans, indicators and a milestone, and an evaluation
// visit; a screen token made on the desk shows the city on the kiosk, and a change made on the desk
// shows there live. Along the way: validation under the field, CONFLICT with the other person's
// change and "keep mine", archive behind a confirmation, a program's weight sum as you type, the
// tree's filter, keyboard only, axe-core at 1366×768 and 390×844, and every page in both languages
// (screenshots in test-results/desk/setup-*.png).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { CHROMIUM, releaseBrowser, sharedBrowser } from '../helpers/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { checkAxe, DESK_SIZES, goTo, loginAs } from './desk-browser';

const TIMEOUT = 180_000;
const SHOTS = path.resolve(__dirname, '..', '..', 'test-results', 'desk');

const hasChromium = existsSync(CHROMIUM);
const inCI = process.env['CI'] === 'true';
if (!hasChromium && !inCI) console.warn(`\n!! SKIPPING setup desk e2e tests: ${CHROMIUM} not found; in CI they fail instead.\n`);
const suite = hasChromium || inCI ? describe : describe.skip;

const PLATFORM = 'admin@pantau.demo';
const NEW_ADMIN = 'admin@bitungkota.go.id';

suite('setting up a city from nothing on the desk (#halaman=pengaturan)', { timeout: TIMEOUT }, () => {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  let cityId = '';
  let password = '';
  const axeFindings: string[] = [];

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`Chromium not found at ${CHROMIUM} (CI=true: a failure, not a skip).`);
    mkdirSync(SHOTS, { recursive: true });
    server = await startServer({ demo: true });
    browser = await sharedBrowser();
  }, TIMEOUT);

  afterAll(async () => {
    await releaseBrowser();
    await server?.close();
    if (axeFindings.length) console.log(`[setup desk] axe (moderate/minor, not failing):\n${axeFindings.join('\n')}`);
  }, TIMEOUT);

  async function open(width = 1366, height = 768): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser!.newContext({
      viewport: { width, height },
      locale: 'id-ID',
      timezoneId: 'Asia/Makassar',
      acceptDownloads: true,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    return { context, page };
  }

  /** Screenshots at both sizes (full page), axe at each, nothing wider than a phone. */
  async function capture(page: Page, name: string, ready: () => Promise<unknown>): Promise<void> {
    for (const [width, height] of DESK_SIZES) {
      await page.setViewportSize({ width, height });
      await ready();
      await page.waitForTimeout(250);
      await page.screenshot({ path: path.join(SHOTS, `setup-${name}-${width}x${height}.png`), fullPage: true });
      await checkAxe(page, `${name} ${width}x${height}`, axeFindings);
      if (width < 600)
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth + 1), `${name} fits a phone`).toBe(true);
    }
    await page.setViewportSize({ width: 1366, height: 768 });
  }

  /** Fills a form of the setup pages: each key is the field's key (its id ends with `-<key>`). */
  async function fill(form: Locator, values: Record<string, string | boolean>): Promise<void> {
    for (const [key, value] of Object.entries(values)) {
      const field = form.locator(`[id$="-${key}"]`).first();
      const tag = await field.evaluate((el) => `${el.tagName}:${(el as HTMLInputElement).type}`);
      if (tag.startsWith('SELECT')) await field.selectOption(String(value));
      else if (tag === 'INPUT:checkbox') await field.setChecked(value === true);
      else await field.fill(String(value));
    }
  }

  const part = async (page: Page, key: string, heading: RegExp): Promise<void> => {
    await page.click(`.su-tabs [data-part="${key}"]`);
    await expect.poll(() => page.locator('.dk-main h1').innerText()).toMatch(heading);
  };

  it('a platform admin creates the city and its first admin on the city picker, and opens it', async () => {
    const { context, page } = await open();
    try {
      await loginAs(page, server!.url, PLATFORM);
      await page.locator('.city-list [data-city]').first().waitFor();
      await page.click('#new-city');
      const form = page.locator('#new-city-form');
      await form.waitFor();
      // Checked as you type: nothing is sent while a required field is empty.
      await page.click('#create-city');
      expect(await page.locator('#nc-name-h').innerText()).toBe('Nama kota atau kabupaten wajib diisi.');
      expect(await page.locator('#nc-adminEmail-h').innerText()).toBe('Email admin wajib diisi.');
      await fill(form, {
        name: 'Bitung',
        province: 'Sulawesi Utara',
        timeZone: 'Asia/Makassar',
        joinedYear: '2024',
        adminName: 'Rahmat Lumintang',
        adminEmail: NEW_ADMIN,
      });
      password = await page.inputValue('#nc-adminPassword');
      expect(password.length).toBeGreaterThanOrEqual(12);
      await capture(page, 'kota-baru-pemilih', () => form.waitFor());
      await page.click('#create-city');
      await page.locator('#new-city-done').waitFor();
      expect(await page.locator('#new-admin-email').innerText()).toBe(NEW_ADMIN);
      await page.click('#open-new-city');
      await expect.poll(() => page.locator('.dk-brand').innerText()).toContain('Bitung');
      await expect.poll(() => page.locator('.dk-main h1').innerText()).toBe('Profil Bitung');
      // The platform admin may create more cities from the desk too.
      await part(page, 'kota-baru', /^Kota baru$/);
      await capture(page, 'kota-baru', () => page.locator('#new-city-form').waitFor());
      const token = await login(server!.url, PLATFORM);
      const cities = await ok<{ cities: { id: string; name: string; timeZone: string; joinedYear: number }[] }>(
        server!.url,
        '{ cities { id name timeZone joinedYear } }',
        {},
        token,
      );
      const bitung = cities.cities.find((c) => c.name === 'Bitung')!;
      expect(bitung).toMatchObject({ timeZone: 'Asia/Makassar', joinedYear: 2024 });
      cityId = bitung.id;
    } finally {
      await context.close();
    }
  });

  it('the new city admin sets up the profile and three OPDs: validation under the field, rename, archive behind a confirmation', async () => {
    const { context, page } = await open();
    try {
      await loginAs(page, server!.url, NEW_ADMIN, password);
      await page.locator('[data-page="pengaturan"]').click();
      await expect.poll(() => page.locator('.dk-main h1').innerText()).toBe('Profil Bitung');
      await page.locator('.su-tabs .dk-live-live').waitFor();
      const profile = page.locator('#city-form');
      await fill(profile, { joinedYear: '2023', province: '' });
      await profile.locator('[data-action="save"]').click();
      expect(await page.locator('#city-province-h').innerText()).toBe('Provinsi wajib diisi.');
      await fill(profile, { province: 'Sulawesi Utara' });
      await profile.locator('[data-action="save"]').click();
      await profile.locator('.dk-notice.dk-ok', { hasText: 'Tersimpan.' }).waitFor();
      await capture(page, 'profil', () => profile.waitFor());

      await part(page, 'opd', /^OPD Bitung \(0\)$/);
      const add = page.locator('#new-opd-form');
      await add.locator('[data-action="save"]').click();
      expect(await page.locator('#new-opd-name-h').innerText()).toBe('Nama OPD wajib diisi.');
      const opds = [
        { name: 'Dinas Komunikasi dan Informatika', abbreviation: 'Diskominfo', head: 'Frans Lumowa', leadingSector: true },
        { name: 'Badan Perencanaan Pembangunan Daerah', abbreviation: 'Bappeda', head: '', leadingSector: false },
        { name: 'Dinas Kesehatan', abbreviation: 'Dinkes', head: '', leadingSector: false },
        { name: 'Dinas Pariwisata', abbreviation: 'Dispar', head: '', leadingSector: false },
      ];
      for (const o of opds) {
        await fill(add, o);
        await add.locator('[data-action="save"]').click();
        await page.locator(`#opds [data-row="${o.abbreviation}"]`).waitFor();
      }
      // Rename one.
      const dinkes = page.locator('#opds [data-row="Dinkes"]');
      await dinkes.locator('[data-action="edit"]').click();
      await fill(dinkes.locator('form'), { name: 'Dinas Kesehatan Kota Bitung' });
      await dinkes.locator('[data-action="save"]').click();
      await page.locator('#opds [data-row="Dinkes"]', { hasText: 'Dinas Kesehatan Kota Bitung' }).waitFor();
      // Archive one, behind a confirmation.
      const dispar = page.locator('#opds [data-row="Dispar"]');
      await dispar.locator('[data-action="edit"]').click();
      await dispar.locator('[data-action="archive"]').click();
      await dispar.locator('[data-action="archive-confirm"]').click();
      await page.locator('#opds [data-row="Dispar"]').waitFor({ state: 'detached' });
      await expect.poll(() => page.locator('.dk-main h1').innerText()).toBe('OPD Bitung (3)');
      await page.locator('#opds [data-row="Diskominfo"] [data-action="edit"]').click();
      await capture(page, 'opd', () => page.locator('#opds').waitFor());
    } finally {
      await context.close();
    }
  });

  it('a CONFLICT shows the other person’s change and keeps mine on request; an open page follows changes live', async () => {
    const mine = await open();
    const other = await open();
    try {
      await loginAs(mine.page, server!.url, NEW_ADMIN, password);
      await loginAs(other.page, server!.url, NEW_ADMIN, password);
      for (const p of [mine.page, other.page]) {
        await p.locator('[data-page="pengaturan"]').click();
        await part(p, 'opd', /^OPD Bitung \(3\)$/);
        await p.locator('.su-tabs .dk-live-live').waitFor();
      }
      const row = (p: Page) => p.locator('#opds [data-row="Bappeda"]');
      await row(mine.page).locator('[data-action="edit"]').click();
      await fill(row(mine.page).locator('form'), { head: 'Maxi Tumbelaka' });
      // Meanwhile someone else renames it.
      await row(other.page).locator('[data-action="edit"]').click();
      await fill(row(other.page).locator('form'), {
        name: 'Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah',
        abbreviation: 'Bappelitbangda',
      });
      await row(other.page).locator('[data-action="save"]').click();
      // Mine is still open with what I typed; it says what the other person changed.
      const form = mine.page.locator('#opds form.su-form');
      const conflict = form.locator('.su-conflict');
      await conflict.waitFor();
      expect(await form.locator('[id$="-head"]').inputValue()).toBe('Maxi Tumbelaka');
      await expect.poll(() => conflict.innerText()).toContain('Rahmat Lumintang');
      expect(await conflict.innerText()).toContain('Bappelitbangda');
      expect(await conflict.innerText()).toContain('Data ini sudah diubah orang lain.');
      await capture(mine.page, 'konflik', () => conflict.waitFor());
      await conflict.locator('[data-action="keep-mine"]').click();
      await mine.page.locator('#opds [data-row="Bappelitbangda"]', { hasText: 'Maxi Tumbelaka' }).waitFor();
      // Saving on a stale version answers CONFLICT, shown the same way (the other page saves on what it read).
      await other.page.locator('#opds [data-row="Bappelitbangda"]', { hasText: 'Maxi Tumbelaka' }).waitFor();
    } finally {
      await mine.context.close();
      await other.context.close();
    }
  });

  it('council and team by decree, with their members', async () => {
    const { context, page } = await open();
    try {
      await loginAs(page, server!.url, NEW_ADMIN, password);
      await goTo(page, 'halaman=pengaturan&bagian=dewan-tim');
      await expect.poll(() => page.locator('.dk-main h1').innerText()).toBe('Dewan Smart City dan tim pelaksana Bitung');
      const council = page.locator('#councils');
      await fill(council.locator('form'), { decreeNumber: '188.45/HKM/123/2024', decreeDate: '2024-03-15' });
      await council.locator('[data-action="save"]').click();
      await council.locator('.dk-meta', { hasText: 'SK 188.45/HKM/123/2024, Jumat, 15 Maret 2024' }).waitFor();
      for (const m of [
        { name: 'Maurits Mantiri', position: 'Ketua', organisation: 'Pemerintah Kota Bitung', category: 'GOVERNMENT' },
        { name: 'Prof. Ellen Joan Kumaat', position: 'Anggota', organisation: 'Universitas Sam Ratulangi', category: 'UNIVERSITY' },
      ]) {
        await council.locator('[data-action^="add-cm-new"]').click();
        await fill(council.locator('form.su-form'), m);
        await council.locator('form.su-form [data-action="save"]').click();
        await council.locator(`[data-row="${m.name}"]`).waitFor();
      }
      const team = page.locator('#teams');
      await fill(team.locator('form'), { decreeNumber: '188.45/HKM/124/2024', decreeDate: '2024-03-15' });
      await team.locator('[data-action="save"]').click();
      await team.locator('.dk-meta', { hasText: 'SK 188.45/HKM/124/2024' }).waitFor();
      for (const m of [
        { name: 'Rahmat Lumintang', role: 'LEADER', position: 'Kepala Bappelitbangda' },
        { name: 'Frans Lumowa', role: 'SECRETARY', position: 'Kepala Diskominfo' },
      ]) {
        await team.locator('[data-action^="add-tm-new"]').click();
        const form = team.locator('form.su-form');
        await fill(form, m);
        await form.locator('[id$="-opdId"]').selectOption({
          label:
            m.role === 'LEADER' ? 'Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah' : 'Dinas Komunikasi dan Informatika',
        });
        await form.locator('[data-action="save"]').click();
        await team.locator(`[data-row="${m.name}"]`).waitFor();
      }
      expect(await team.locator('[data-row]').first().innerText()).toContain('Ketua');
      await capture(page, 'dewan-tim', () => team.locator('[data-row="Frans Lumowa"]').waitFor());
    } finally {
      await context.close();
    }
  });

  it('the masterplan as a tree: two programs, five action plans, indicators and a milestone; weights sum as you type; the filter', async () => {
    const { context, page } = await open();
    try {
      await loginAs(page, server!.url, NEW_ADMIN, password);
      await goTo(page, 'halaman=pengaturan&bagian=masterplan');
      const create = page.locator('#new-masterplan-form');
      await create.waitFor();
      await fill(create, { title: 'Masterplan Smart City Bitung 2024–2028', startYear: '2024', endYear: '2023' });
      await create.locator('[data-action="save"]').click();
      expect(await page.locator('#new-masterplan-endYear-h').innerText()).toBe('Tahun selesai tidak boleh sebelum tahun mulai.');
      await fill(create, { endYear: '2028' });
      await create.locator('[data-action="save"]').click();
      await expect.poll(() => page.locator('.dk-main h1').innerText()).toBe('Masterplan Bitung 2024–2028');

      const programs = [
        { dimension: 'GOVERNANCE', name: 'Satu Data Bitung', quickWin: true },
        { dimension: 'SOCIETY', name: 'Layanan kesehatan elektronik', quickWin: false },
      ];
      for (const p of programs) {
        const dim = page.locator(`li[data-dimension="${p.dimension}"]`);
        await dim.locator(`[data-action="add-new-program-${p.dimension}"]`).click();
        const form = dim.locator('form.su-form');
        await fill(form, { name: p.name, quickWin: p.quickWin });
        if (p.quickWin) await fill(form, { quickWinYear: '2024' });
        await form.locator('[data-action="save"]').click();
        await page.locator(`li[data-program="${p.name}"]`).waitFor();
      }
      const plans = [
        {
          program: 'Satu Data Bitung',
          title: 'Portal Satu Data Bitung',
          code: 'TK-01',
          owner: 'Diskominfo',
          start: '2024-01-02',
          due: '2025-06-30',
          weight: '2',
          budget: '1.250.000.000',
        },
        {
          program: 'Satu Data Bitung',
          title: 'Forum data OPD',
          code: 'TK-02',
          owner: 'Bappelitbangda',
          start: '2024-02-01',
          due: '2024-12-31',
          weight: '1',
          budget: '',
        },
        {
          program: 'Satu Data Bitung',
          title: 'Katalog metadata statistik sektoral',
          code: 'TK-03',
          owner: 'Diskominfo',
          start: '2024-03-01',
          due: '2026-12-31',
          weight: '1',
          budget: '350.000.000',
        },
        {
          program: 'Layanan kesehatan elektronik',
          title: 'Aplikasi e-puskesmas',
          code: 'MS-01',
          owner: 'Dinkes',
          start: '2024-01-15',
          due: '2025-12-31',
          weight: '3',
          budget: '2.000.000.000',
        },
        {
          program: 'Layanan kesehatan elektronik',
          title: 'Informasi ketersediaan tempat tidur rumah sakit',
          code: 'MS-02',
          owner: 'Dinkes',
          start: '2024-04-01',
          due: '2026-06-30',
          weight: '1',
          budget: '',
        },
      ];
      for (const p of plans) {
        const program = page.locator(`li[data-program="${p.program}"]`);
        await program.locator('[data-action^="add-new-plan-"]').click();
        const form = program.locator('form.su-form');
        await fill(form, { title: p.title, code: p.code, startDate: p.start, dueDate: p.due, weight: p.weight, budgetAmount: p.budget });
        await form.locator('[id$="-ownerOpdId"]').selectOption({ label: await optionLabel(form, p.owner) });
        if (p.budget) await form.locator('[id$="-budgetSource"]').selectOption('APBD');
        if (p.code === 'TK-01') {
          // A check only the server makes, shown under its field: the owner cannot also support.
          await form
            .locator('.su-multi', { hasText: 'OPD pendukung' })
            .locator('label', { hasText: '(Diskominfo)' })
            .locator('input')
            .check();
          await form.locator('[data-action="save"]').click();
          await expect
            .poll(() => form.locator('[id$="-supportingOpdIds-h"]').innerText())
            .toBe('OPD pemilik tidak perlu dicantumkan sebagai OPD pendukung.');
          await form
            .locator('.su-multi', { hasText: 'OPD pendukung' })
            .locator('label', { hasText: '(Bappelitbangda)' })
            .locator('input')
            .check();
          await form
            .locator('.su-multi', { hasText: 'OPD pendukung' })
            .locator('label', { hasText: '(Diskominfo)' })
            .locator('input')
            .uncheck();
        }
        await form.locator('[data-action="save"]').click();
        await page.locator(`li[data-plan="${p.title}"]`).waitFor();
      }
      const satu = page.locator('li[data-program="Satu Data Bitung"]');
      expect(await satu.locator('[data-weight-sum]').first().getAttribute('data-weight-sum')).toBe('4');
      // The program sums its plans' weights as one is typed, before it is saved.
      const portal = page.locator('li[data-plan="Portal Satu Data Bitung"]');
      await portal.locator('.su-node-head [data-action="edit"]').first().click();
      const planForm = portal.locator('form.su-form');
      await fill(planForm, { weight: '5' });
      await expect.poll(() => satu.locator('[data-weight-sum]').first().getAttribute('data-weight-sum')).toBe('7');
      expect(await satu.locator('[data-weight-sum]').first().innerText()).toContain('jumlah bobot 4 → 7 (belum disimpan)');
      // Tags, in place.
      await planForm.locator('.su-multi').last().locator('label', { hasText: 'I-04' }).locator('input').check();
      await planForm.locator('[data-action="save"]').click();
      await expect.poll(() => satu.locator('[data-weight-sum]').first().innerText()).toBe('jumlah bobot 7');
      await portal.locator('.su-node-meta', { hasText: 'tag I-04' }).waitFor();

      // Indicators and a milestone under the portal.
      await portal.locator('.su-fold').first().click();
      for (const ind of [
        { name: 'Dataset terbuka di portal', unit: 'dataset', baseline: '0', target: '250', frequency: 'QUARTERLY' },
        { name: 'OPD yang mengirim data', unit: 'OPD', baseline: '3', target: '30', frequency: 'YEARLY' },
      ]) {
        await portal.locator('[data-action^="add-new-indicator-"]').click();
        const form = portal.locator('form.su-form');
        await fill(form, ind);
        await form.locator('[data-action="save"]').click();
        await portal.locator(`li[data-indicator="${ind.name}"]`).waitFor();
      }
      await portal.locator('[data-action^="add-new-milestone-"]').click();
      const ms = portal.locator('form.su-form');
      await fill(ms, { title: 'Portal diluncurkan wali kota', dueDate: '2024-10-01', doneDate: '2024-09-20' });
      await ms.locator('[data-action="save"]').click();
      await portal.locator('li[data-milestone="Portal diluncurkan wali kota"]', { hasText: 'Selesai' }).waitFor();
      await capture(page, 'masterplan', () => portal.locator('li[data-indicator]').first().waitFor());

      // The filter: by OPD.
      await page.selectOption('#f-opd', { label: 'Dinas Kesehatan Kota Bitung' });
      await expect.poll(() => page.locator('#tree-count').innerText()).toBe('Menampilkan 2 dari 5 rencana aksi.');
      expect(await page.locator('li[data-plan]').count()).toBe(2);
      expect(await page.locator('li[data-program="Satu Data Bitung"]').count()).toBe(0);
      await page.selectOption('#f-opd', '');
      await page.selectOption('#f-state', 'LATE');
      await expect.poll(() => page.locator('#tree-count').innerText()).toMatch(/^Menampilkan \d dari 5 rencana aksi\.$/);
      await page.click('[data-action="clear-filter"]');
      await expect.poll(() => page.locator('#tree-count').innerText()).toBe('5 rencana aksi.');

      const token = await login(server!.url, NEW_ADMIN, password);
      const tree = await ok<any>(
        server!.url,
        'query ($id: ID!) { city(id: $id) { actionPlans(first: 10) { totalCount edges { node { title weight budget { amount } program { name quickWin quickWinYear } ownerOpd { abbreviation } tags { code } indicators { name frequency } milestones { doneDate } } } } } }',
        { id: cityId },
        token,
      );
      const rows = tree.city.actionPlans.edges.map((e: any) => e.node);
      expect(tree.city.actionPlans.totalCount).toBe(5);
      expect(rows.filter((r: any) => r.program.name === 'Satu Data Bitung').length).toBe(3);
      const portalRow = rows.find((n: any) => n.title === 'Portal Satu Data Bitung');
      expect(portalRow).toMatchObject({
        weight: 5,
        budget: { amount: 1_250_000_000 },
        program: { quickWin: true, quickWinYear: 2024 },
        ownerOpd: { abbreviation: 'Diskominfo' },
        tags: [{ code: 'I-04' }],
      });
      expect(portalRow.indicators).toEqual([
        { name: 'Dataset terbuka di portal', frequency: 'QUARTERLY' },
        { name: 'OPD yang mengirim data', frequency: 'YEARLY' },
      ]);
      expect(portalRow.milestones).toEqual([{ doneDate: '2024-09-20' }]);
    } finally {
      await context.close();
    }
  });

  it('the calendar: an evaluation visit with its deliverables; an OPD added with the keyboard only', async () => {
    const { context, page } = await open();
    try {
      await loginAs(page, server!.url, NEW_ADMIN, password);
      await goTo(page, 'halaman=pengaturan&bagian=kalender');
      await expect.poll(() => page.locator('.dk-main h1').innerText()).toBe('Kalender program Bitung');
      // The visit some weeks ahead, so the kiosk counts down to it.
      const start = ymd(40);
      const end = ymd(43);
      await page.click('[data-action="add-new-visit"]');
      const form = page.locator('#new-visit-form');
      await fill(form, { evaluator: 'Tim Evaluasi Kemenkomdigi', startDate: start, endDate: ymd(38) });
      await form.locator('[data-action="add-deliverable"]').click();
      await form.locator('[id$="-deliverables-0-t"]').fill('Bahan paparan wali kota');
      await form.locator('[data-action="save"]').click();
      expect(await page.locator('#new-visit-endDate-h').innerText()).toBe('Tanggal selesai tidak boleh sebelum tanggal mulai.');
      expect(await page.locator('#new-visit-deliverables-h').innerText()).toBe('Luaran ke-1 perlu judul dan tanggal tenggat.');
      await fill(form, { endDate: end });
      await form.locator('[id$="-deliverables-0-d"]').fill(ymd(35));
      await form
        .locator('[id$="-ownerOpdId"]')
        .selectOption({ label: 'Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah' });
      await form.locator('[data-action="save"]').click();
      const visit = page.locator(`#visits [data-row="Tim Evaluasi Kemenkomdigi ${start.slice(0, 4)}"]`);
      await visit.waitFor();
      expect(await visit.innerText()).toContain(`${longDate(start)} – ${longDate(end)}`);
      expect(await visit.innerText()).toContain('0 dari 1 luaran siap');
      // An activity: the first bimtek phase, with its place.
      await page.click('[data-action="add-new-activity"]');
      const activity = page.locator('#new-activity-form');
      await fill(activity, { title: 'Bimtek Tahap I penyusunan masterplan', kind: 'BIMTEK' });
      await fill(activity, { phase: '1', startDate: '2024-02-20', endDate: '2024-02-22', place: 'Ruang Rapat Wali Kota Bitung' });
      await activity.locator('[data-action="save"]').click();
      await page.locator('#activities [data-row="Bimtek Tahap I penyusunan masterplan"]', { hasText: 'Bimtek tahap I' }).waitFor();
      await capture(page, 'kalender', () => visit.waitFor());

      // Keyboard only: to the OPD part, a new OPD typed and sent with Enter.
      await page.focus('.su-tabs [data-part="opd"]');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('.dk-main h1').innerText()).toBe('OPD Bitung (3)');
      for (let i = 0; i < 12 && (await page.evaluate(() => document.activeElement?.id)) !== 'new-opd-name'; i++)
        await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('new-opd-name');
      await page.keyboard.type('Dinas Pariwisata dan Kebudayaan');
      await page.keyboard.press('Tab');
      await page.keyboard.type('Disparbud');
      await page.keyboard.press('Enter');
      await page.locator('#opds [data-row="Disparbud"]').waitFor();
      // …and archived with the keyboard, behind its confirmation.
      await page.focus('#opds [data-row="Disparbud"] [data-action="edit"]');
      await page.keyboard.press('Enter');
      await page.focus('#opds [data-row="Disparbud"] [data-action="archive"]');
      await page.keyboard.press('Enter');
      await page.focus('#opds [data-row="Disparbud"] [data-action="archive-confirm"]');
      await page.keyboard.press('Space');
      await page.locator('#opds [data-row="Disparbud"]').waitFor({ state: 'detached' });
    } finally {
      await context.close();
    }
  });

  it('a screen token made on the desk shows the city on the kiosk, and a change on the desk shows there live', async () => {
    const { context, page } = await open();
    const tv = await open(1920, 1080);
    try {
      await loginAs(page, server!.url, NEW_ADMIN, password);
      await page.click('[data-page="layar"]');
      await page.fill('#s-label', 'Ruang Rapat Bappelitbangda');
      await page.click('#create-screen');
      const url = await page.inputValue('#screen-url');
      await tv.page.goto(url.replace(/views=[^&]+/, 'views=ringkasan').replace(/rotate=\d+/, 'rotate=0'));
      const stage = tv.page.locator('.stage[data-status="live"]');
      await stage.waitFor();
      await expect.poll(() => stage.innerText()).toMatch(/BITUNG/i);
      expect(await stage.innerText()).toContain('Satu Data Bitung');
      expect(await stage.innerText()).toContain('Kunjungan monev: 40 hari lagi');
      await tv.page.screenshot({ path: path.join(SHOTS, 'setup-kiosk-1920x1080.png') });
      // Renaming the quick win on the desk reaches the screen without a reload.
      await goTo(page, 'halaman=pengaturan&bagian=masterplan');
      const program = page.locator('li[data-program="Satu Data Bitung"]');
      await program.locator('[data-action="edit"]').first().click();
      await fill(program.locator('form.su-form').first(), { name: 'Satu Data Kota Bitung' });
      await program.locator('form.su-form [data-action="save"]').first().click();
      await expect.poll(() => stage.innerText(), { timeout: 10_000 }).toContain('Satu Data Kota Bitung');
    } finally {
      await tv.context.close();
      await context.close();
    }
  });

  it('every part in English, at both sizes', async () => {
    const { context, page } = await open();
    try {
      await page.goto(`${server!.url}/dashboard/`);
      await page.click('#login-form button.link');
      await page.fill('#login-email', NEW_ADMIN);
      await page.fill('#login-password', password);
      await page.click('#login-submit');
      await page.locator('[data-page="pengaturan"]').click();
      const parts: [string, string, () => Promise<unknown>][] = [
        ['profil', 'Profile of Bitung', () => page.locator('#city-form').waitFor()],
        ['opd', 'OPDs of Bitung (3)', () => page.locator('#opds').waitFor()],
        ['dewan-tim', 'Smart City council and implementation team of Bitung', () => page.locator('#teams [data-row]').first().waitFor()],
        ['masterplan', 'Masterplan of Bitung 2024–2028', () => page.locator('li[data-plan]').first().waitFor()],
        ['kalender', 'Programme calendar of Bitung', () => page.locator('#visits [data-row]').waitFor()],
        ['spreadsheet', 'Import and export the masterplan of Bitung', () => page.locator('#import').waitFor()],
      ];
      for (const [key, title, ready] of parts) {
        await page.click(`.su-tabs [data-part="${key}"]`);
        await expect.poll(() => page.locator('.dk-main h1').innerText()).toBe(title);
        if (key === 'masterplan') {
          await page.click('[data-action="unfold-all"]');
          expect(await page.locator('li[data-plan="Portal Satu Data Bitung"]').innerText()).toContain('Tuesday, 2 January 2024');
          expect(await page.locator('li[data-program="Satu Data Kota Bitung"] [data-weight-sum]').first().innerText()).toBe(
            'weights add up to 7',
          );
        }
        await capture(page, `${key}-en`, ready);
      }
    } finally {
      await context.close();
    }
  });

  it('a city with a history (the demo’s Tanjungpinang): the whole tree, folded and unfolded, and filtered by tag', async () => {
    const { context, page } = await open();
    try {
      await loginAs(page, server!.url, 'bappelitbang@tanjungpinang.demo');
      await page.locator('#queue-title').waitFor();
      await goTo(page, 'halaman=pengaturan&bagian=masterplan');
      await page.locator('li[data-plan]').first().waitFor();
      const total = Number(/^(\d+) rencana aksi\.$/.exec(await page.locator('#tree-count').innerText())?.[1]);
      expect(total).toBeGreaterThan(20);
      expect(await page.locator('li[data-plan]').count()).toBe(total);
      await page.click('[data-action="fold-all"]');
      expect(await page.locator('li[data-plan]').count()).toBe(0);
      await page.click('[data-action="unfold-all"]');
      expect(await page.locator('li[data-indicator]').count()).toBeGreaterThan(0);
      const tagged = await page.locator('#f-tag option').nth(1).getAttribute('value');
      await page.selectOption('#f-tag', tagged!);
      await expect.poll(() => page.locator('#tree-count').innerText()).toMatch(/^Menampilkan \d+ dari \d+ rencana aksi\.$/);
      await page.click('[data-action="clear-filter"]');
      await page.click('[data-action="fold-all"]');
      await page.locator('li[data-dimension] .su-fold').first().click();
      await capture(page, 'masterplan-demo', () => page.locator('li[data-program]').first().waitFor());
      await goTo(page, 'halaman=pengaturan&bagian=dewan-tim');
      await page.locator('#councils [data-row]').first().waitFor();
      await capture(page, 'dewan-tim-demo', () => page.locator('#teams [data-row]').first().waitFor());
    } finally {
      await context.close();
    }
  });

  it('the spreadsheet part in Indonesian (its server routes arrive with the spreadsheets branch)', async () => {
    const { context, page } = await open();
    try {
      await loginAs(page, server!.url, NEW_ADMIN, password);
      await goTo(page, 'halaman=pengaturan&bagian=spreadsheet');
      await expect.poll(() => page.locator('.dk-main h1').innerText()).toBe('Impor dan ekspor masterplan Bitung');
      await page.click('#import-check');
      expect(await page.locator('#import-file-h').innerText()).toBe('Pilih berkas .xlsx atau .csv dulu.');
      await capture(page, 'spreadsheet', () => page.locator('#import').waitFor());
    } finally {
      await context.close();
    }
  });

  // Runs once the spreadsheet routes (setup-sheets: GET /templates|/exports/masterplan.xlsx, POST
  // /imports/masterplan) are on the branch; until then it is skipped with a note. The bad file is
  // built from the city's own export, so it follows whatever columns the template has.
  it('spreadsheets from the desk: template and export download, 1,000 bad rows listed a page at a time, a changed file applied', async (t) => {
    const token = await login(server!.url, NEW_ADMIN, password);
    const probe = await fetch(`${server!.url}/templates/masterplan.xlsx?cityId=${cityId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const importProbe = await fetch(`${server!.url}/imports/masterplan?cityId=${cityId}&dryRun=true`, { method: 'POST' });
    if (probe.status === 404 || importProbe.status === 404) {
      console.warn(
        '[setup desk] SKIPPED the spreadsheet round trip: no /templates or /imports route on this branch (they come with setup-sheets).',
      );
      t.skip();
    }
    const ExcelJS = (await import('exceljs')).default;
    const { context, page } = await open();
    const dir = mkdtempSync(path.join(tmpdir(), 'pantau-sheets-'));
    try {
      await loginAs(page, server!.url, NEW_ADMIN, password);
      await goTo(page, 'halaman=pengaturan&bagian=spreadsheet');
      await page.locator('#import').waitFor();
      const [template] = await Promise.all([page.waitForEvent('download'), page.click('#download-template')]);
      expect(template.suggestedFilename()).toMatch(/\.xlsx$/);
      const [exported] = await Promise.all([page.waitForEvent('download'), page.click('#download-export')]);
      const exportPath = path.join(dir, 'export.xlsx');
      await exported.saveAs(exportPath);

      // 1,000 bad rows: copies of the sheet with the most rows, every date made wrong and every code new.
      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile(exportPath);
      // (A data sheet: the instructions sheet, `Petunjuk`, is never imported.)
      const sheet = [...book.worksheets].filter((ws) => ws.name !== 'Petunjuk').sort((a, b) => b.rowCount - a.rowCount)[0]!;
      const header = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? '').toLowerCase());
      const sample = sheet.getRow(2).values as unknown[];
      for (let i = 0; i < 1_000; i++) {
        sheet.addRow(
          sample
            .slice(1)
            .map((v, c) =>
              v instanceof Date || /^\d{4}-\d{2}-\d{2}$/.test(String(v))
                ? 'bukan tanggal'
                : /kode|code/.test(header[c + 1] ?? '')
                  ? `RUSAK-${i}`
                  : v,
            ),
        );
      }
      const badPath = path.join(dir, 'rusak.xlsx');
      await book.xlsx.writeFile(badPath);
      await page.setInputFiles('#import-file', badPath);
      await page.evaluate(() => {
        const w = window as unknown as { sawProgress: boolean };
        w.sawProgress = false;
        new MutationObserver(() => {
          if (document.getElementById('import-progress')) w.sawProgress = true;
        }).observe(document.body, { childList: true, subtree: true });
      });
      await page.click('#import-check');
      const dry = page.locator('#import-dry h3');
      await dry.waitFor({ timeout: 60_000 });
      const problems = Number((/^([\d.]+) masalah/.exec(await dry.innerText())?.[1] ?? '0').replace(/\./g, ''));
      expect(problems).toBeGreaterThanOrEqual(1_000);
      expect(await page.locator('#import-errors tbody tr').count()).toBe(50);
      expect(await page.locator('.su-pager [role="status"]').innerText()).toMatch(/^Halaman 1 dari \d+$/);
      await page.click('[data-action="next-page"]');
      expect(await page.locator('.su-pager [role="status"]').innerText()).toMatch(/^Halaman 2 dari /);
      expect(await page.locator('#import-apply').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { sawProgress: boolean }).sawProgress)).toBe(true);
      await capture(page, 'spreadsheet-masalah', () => page.locator('#import-errors').waitFor());

      // The export with one title changed: checked, then applied; the tree shows it.
      const good = new ExcelJS.Workbook();
      await good.xlsx.readFile(exportPath);
      let changed = 0;
      good.eachSheet((ws) =>
        ws.eachRow((row) =>
          row.eachCell((cell) => {
            if (cell.value === 'Forum data OPD') {
              cell.value = 'Forum data OPD se-Kota Bitung';
              changed++;
            }
          }),
        ),
      );
      expect(changed).toBe(1);
      const goodPath = path.join(dir, 'masterplan.xlsx');
      await good.xlsx.writeFile(goodPath);
      await page.setInputFiles('#import-file', goodPath);
      await page.click('#import-check');
      await page.locator('#import-dry h3', { hasText: 'Tidak ada masalah' }).waitFor({ timeout: 60_000 });
      expect(JSON.parse((await page.locator('#import-dry [data-counts]').getAttribute('data-counts'))!)[1]).toBeGreaterThanOrEqual(1);
      await page.click('#import-apply');
      await page.locator('#import-applied .dk-notice.dk-ok').waitFor({ timeout: 60_000 });
      await goTo(page, 'halaman=pengaturan&bagian=masterplan');
      await page.locator('li[data-plan="Forum data OPD se-Kota Bitung"]').waitFor();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await context.close();
    }
  });
});

/**
 * The day `days` from today in Bitung (Asia/Makassar, UTC+8), YYYY-MM-DD: the city's own today, as
 * the kiosk counts the days to a visit (UTC's today was a day behind from 16:00 UTC: a CI flake).
 */
function ymd(days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Makassar' }).format(new Date());
  return new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** "Senin, 5 Oktober 2026", as the desk says a date. */
function longDate(day: string): string {
  return new Intl.DateTimeFormat('id-ID', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

/** The label of the option whose text mentions `abbreviation` (OPD options read "Name (Abbr)"). */
async function optionLabel(form: Locator, abbreviation: string): Promise<string> {
  const labels = await form.locator('[id$="-ownerOpdId"] option').allInnerTexts();
  const hit = labels.find((l) => l.endsWith(`(${abbreviation})`));
  if (!hit) throw new Error(`no OPD option for ${abbreviation}: ${labels.join(' | ')}`);
  return hit;
}
