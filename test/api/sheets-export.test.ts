import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELP_SHEET, SHEETS } from '../../server/modules/sheets/columns';
import { login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { testDialects } from '../helpers/db';

/*
 * Issue 21 §2–3: the masterplan template and export — the sheets and columns of the template, its
 * drop-down lists, real number and date cells, neutralised formulas, and who may download what.
 */

async function get(url: string, token: string | null): Promise<Response> {
  return fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
}

async function workbookOf(res: Response): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(await res.arrayBuffer());
  return book;
}

const headersOf = (ws: ExcelJS.Worksheet) => (ws.getRow(1).values as unknown[]).slice(1);

describe.each(await testDialects())('masterplan template and export on %s', (dialect) => {
  let server: TestServer;
  let admin: string;
  let viewer: string;
  let tebing: string;
  let platform: string;
  let cityId: string;

  beforeAll(async () => {
    server = await startServer({ dialect, demo: true });
    [admin, viewer, tebing, platform] = (await Promise.all(
      ['bappelitbang@tanjungpinang.demo', 'viewer@tanjungpinang.demo', 'bappeda@tebingtinggi.demo', 'admin@pantau.demo'].map((e) =>
        login(server.url, e),
      ),
    )) as [string, string, string, string];
    cityId = (await ok<any>(server.url, '{ me { cityId } }', {}, admin)).me.cityId;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('the template: Petunjuk first, then each data sheet with its headers, drop-down lists and nothing else', async () => {
    const res = await get(`${server.url}/templates/masterplan.xlsx?cityId=${cityId}`, admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="templat-masterplan\.xlsx"/);
    const book = await workbookOf(res);
    expect(book.worksheets.map((w) => w.name)).toEqual([HELP_SHEET, 'OPD', 'Program', 'Rencana Aksi', 'Indikator', 'Tonggak']);
    const help = book.getWorksheet(HELP_SHEET)!;
    const explained = new Set<string>();
    help.eachRow((row) => explained.add(`${String(row.getCell(1).value)}|${String(row.getCell(2).value)}`));
    for (const sheet of SHEETS) {
      const ws = book.getWorksheet(sheet.name)!;
      expect(headersOf(ws)).toEqual(sheet.columns.map((c) => c.header));
      expect(ws.rowCount).toBe(1);
      for (const c of sheet.columns) expect(explained.has(`${sheet.name}|${c.header}`), `${sheet.name}.${c.header} explained`).toBe(true);
    }
    const program = book.getWorksheet('Program')!;
    expect(program.getCell('C2').dataValidation).toMatchObject({
      type: 'list',
      formulae: [expect.stringContaining('Tata kelola birokrasi')],
    });
    expect(program.getCell('E2').dataValidation).toMatchObject({ type: 'list', formulae: ['"Ya,Tidak"'] });
    const plans = book.getWorksheet('Rencana Aksi')!;
    expect(plans.getCell('E2').dataValidation).toMatchObject({ type: 'list', formulae: [expect.stringMatching(/^OPD!\$A\$2:\$A\$\d+$/)] });
    const csv = await get(`${server.url}/templates/masterplan/Rencana%20Aksi.csv`, admin);
    expect(csv.status).toBe(200);
    // The byte-order mark (fetch's text() would drop it) makes Excel read UTF-8.
    expect(Buffer.from(await csv.arrayBuffer()).toString('utf8')).toBe(`\ufeff${SHEETS[2]!.columns.map((c) => c.header).join(',')}\r\n`);
  });

  it("the export: the template's sheets and columns, the city's rows, numbers and dates as real cells, formulas neutralised", async () => {
    const plan = (
      await ok<any>(
        server.url,
        `query ($id: ID!) { city(id: $id) { actionPlans(first: 1) { edges { node { id version code } } } } }`,
        { id: cityId },
        admin,
      )
    ).city.actionPlans.edges[0].node;
    await ok(
      server.url,
      'mutation ($input: UpdateActionPlanInput!) { updateActionPlan(input: $input) { id } }',
      { input: { id: plan.id, expectedVersion: plan.version, title: '=HYPERLINK("http://x.test","klik")' } },
      admin,
    );
    const res = await get(`${server.url}/exports/masterplan.xlsx?cityId=${cityId}`, viewer);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/filename="masterplan-tanjungpinang\.xlsx"/);
    const book = await workbookOf(res);
    expect(book.worksheets.map((w) => w.name)).toEqual([HELP_SHEET, 'OPD', 'Program', 'Rencana Aksi', 'Indikator', 'Tonggak']);
    for (const sheet of SHEETS) {
      const ws = book.getWorksheet(sheet.name)!;
      expect(headersOf(ws)).toEqual(sheet.columns.map((c) => c.header));
      expect(ws.rowCount, sheet.name).toBeGreaterThan(1);
    }
    const plans = book.getWorksheet('Rencana Aksi')!;
    const row = [...Array(plans.rowCount).keys()].map((i) => plans.getRow(i + 1)).find((r) => r.getCell(1).value === plan.code)!;
    expect(row.getCell(3).value).toBe(`'=HYPERLINK("http://x.test","klik")`);
    expect(row.getCell(3).formula).toBeUndefined();
    expect(row.getCell(7).value).toBeInstanceOf(Date);
    expect(row.getCell(8).value).toBeInstanceOf(Date);
    expect(typeof row.getCell(9).value).toBe('number');
    const opd = book.getWorksheet('OPD')!;
    expect(headersOf(opd)).toEqual(['Kode', 'Nama', 'Singkatan', 'Kepala', 'Leading Sector']);
    expect((opd.getRow(2).values as unknown[]).slice(1, 3)).toEqual(['BPKPD', 'Badan Pengelolaan Keuangan dan Pendapatan Daerah']);
    const csv = await (await get(`${server.url}/exports/masterplan/Indikator.csv?cityId=${cityId}`, admin)).text();
    expect(csv.split('\r\n')[0]).toBe('Kode Rencana Aksi,Kode,Nama,Satuan,Nilai Awal,Target,Arah,Frekuensi');
    expect(csv.split('\r\n').length).toBeGreaterThan(3);
  });

  it('who may download: readers of the city export it; another city, no token and an unknown sheet are refused', async () => {
    expect((await get(`${server.url}/exports/masterplan.xlsx?cityId=${cityId}`, platform)).status).toBe(200);
    const other = await get(`${server.url}/exports/masterplan.xlsx?cityId=${cityId}`, tebing);
    expect(other.status).toBe(404);
    expect((await other.json()).errors[0].extensions.code).toBe('NOT_FOUND');
    expect((await get(`${server.url}/exports/masterplan.xlsx?cityId=${cityId}`, null)).status).toBe(401);
    expect((await get(`${server.url}/templates/masterplan.xlsx`, null)).status).toBe(401);
    expect((await get(`${server.url}/exports/masterplan.xlsx`, admin)).status).toBe(400);
    expect((await get(`${server.url}/exports/masterplan/Rahasia.csv?cityId=${cityId}`, admin)).status).toBe(404);
    expect((await get(`${server.url}/templates/masterplan.xlsx?cityId=${cityId}`, tebing)).status).toBe(404);
  });
});
