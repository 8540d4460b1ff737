import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/db';
import { login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';

/*
 * Issue 24 §1: the monev report (`GET /reports/monev`) — every figure equals the API's answer for
 * the same date, text from the database is escaped, the workbook carries the same figures with
 * formula-like text neutralised, and only readers of the city get it.
 */

const EVALUATOR = { email: 'evaluator@kemenkominfo.test', password: 'evaluasi-rahasia-2026' };

/** Every `data-figure` of a report page, by name: its raw value and its text. */
function figures(html: string): Map<string, { value: string; text: string }> {
  const out = new Map<string, { value: string; text: string }>();
  for (const m of html.matchAll(/<span data-figure="([^"]+)" data-value="([^"]*)">([^<]*)<\/span>/g))
    out.set(m[1]!, { value: m[2]!, text: m[3]! });
  return out;
}

async function get(server: TestServer, token: string | null, query: Record<string, string>): Promise<Response> {
  return fetch(`${server.url}/reports/monev?${new URLSearchParams(query).toString()}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}

describe.each(await testDialects())('the monev report on %s', (dialect) => {
  let server: TestServer;
  let admin: string;
  let platform: string;
  let other: string;
  let reporter: string;
  let cityId: string;
  let otherCityId: string;
  let today: string;
  let year: number;

  beforeAll(async () => {
    server = await startServer({ dialect });
    [admin, platform, other, reporter] = (await Promise.all(
      ['bappelitbang@tanjungpinang.demo', 'admin@pantau.demo', 'bappeda@tebingtinggi.demo', 'dinkes@tanjungpinang.demo'].map((e) =>
        login(server.url, e),
      ),
    )) as [string, string, string, string];
    cityId = (await ok<any>(server.url, '{ me { cityId } }', {}, admin)).me.cityId;
    otherCityId = (await ok<any>(server.url, '{ me { cityId } }', {}, other)).me.cityId;
    today = (await ok<any>(server.url, 'query ($id: ID!) { city(id: $id) { overview { today } } }', { id: cityId }, admin)).city.overview
      .today;
    year = Number(today.slice(0, 4));
  });
  afterAll(async () => server?.close());

  /** What the API answers for the figures of a report of `asOf`. */
  async function apiFigures(asOf: string, forYear: number) {
    return (
      await ok<any>(
        server.url,
        `query ($id: ID!, $d: String!, $y: Int!) { city(id: $id) {
          progressHistory(from: $d, to: $d, interval: DAY) { city dimensions { dimension values } }
          overview { progress counts { total notStarted onTrack late done } }
          readiness(year: $y) { index gaps { unscored missingEvidence unverifiedReports latePlans } daysToVisit visitStartDate }
          actionPlans(first: 100) { edges { node { id progress status } } }
        } }`,
        { id: cityId, d: asOf, y: forYear },
        admin,
      )
    ).city;
  }

  it("today's report: every figure equals the API's answer for today, in one language", async () => {
    const res = await get(server, admin, { cityId, year: String(year), asOf: today, lang: 'id' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).not.toContain('script-src');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('<html lang="id">');
    expect(html).toContain('Laporan Monitoring dan Evaluasi Smart City');
    expect(html).not.toContain('Smart City Monitoring and Evaluation Report');
    expect(html).not.toMatch(/<script/i);
    const f = figures(html);
    const api = await apiFigures(today, year);
    expect(Number(f.get('progress')!.value)).toBe(api.progressHistory.city[0]);
    // Today, as of the end of the day, the history's figure is the overview's.
    expect(Number(f.get('progress')!.value)).toBe(api.overview.progress);
    expect(f.get('progress')!.text).toBe(`${new Intl.NumberFormat('id-ID', { maximumFractionDigits: 1 }).format(api.overview.progress)} %`);
    for (const d of api.progressHistory.dimensions) expect(Number(f.get(`dimension:${d.dimension}`)!.value), d.dimension).toBe(d.values[0]);
    const c = api.overview.counts;
    expect(Number(f.get('count:TOTAL')!.value)).toBe(c.total);
    expect(Number(f.get('count:NOT_STARTED')!.value)).toBe(c.notStarted);
    expect(Number(f.get('count:ON_TRACK')!.value)).toBe(c.onTrack);
    expect(Number(f.get('count:LATE')!.value)).toBe(c.late);
    expect(Number(f.get('count:DONE')!.value)).toBe(c.done);
    expect(Number(f.get('index')!.value)).toBe(api.readiness.index);
    for (const [k, v] of Object.entries(api.readiness.gaps)) expect(Number(f.get(`gap:${k}`)!.value), k).toBe(v);
    if (api.readiness.visitStartDate?.startsWith(String(year))) expect(Number(f.get('daysToVisit')!.value)).toBe(api.readiness.daysToVisit);
    const plans = api.actionPlans.edges.map((e: any) => e.node).filter((p: any) => p.status !== 'CANCELLED');
    expect(plans.length).toBeGreaterThan(0);
    for (const p of plans) expect(Number(f.get(`plan:${p.id}`)?.value), p.id).toBe(p.progress);

    const en = await (await get(server, admin, { cityId, year: String(year), lang: 'en' })).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('Smart City Monitoring and Evaluation Report');
    expect(en).not.toContain('Laporan Monitoring dan Evaluasi');
  });

  it("the 2022 visit day's report: the progress figures are the history's for that day", async () => {
    const asOf = '2022-10-03';
    const html = await (await get(server, platform, { cityId, year: '2022', asOf, lang: 'id' })).text();
    const f = figures(html);
    const api = await apiFigures(asOf, 2022);
    expect(Number(f.get('progress')!.value)).toBe(api.progressHistory.city[0]);
    for (const d of api.progressHistory.dimensions) expect(Number(f.get(`dimension:${d.dimension}`)!.value), d.dimension).toBe(d.values[0]);
    expect(f.get('daysToVisit')!.value).toBe('0');
    // The plans listed are the plans that counted then, each with its progress as of that day.
    const listed = [...f.keys()].filter((k) => k.startsWith('plan:'));
    const total = Number(f.get('count:TOTAL')!.value);
    expect(listed.length).toBe(total);
    expect(html).toContain('3 Oktober 2022');
  });

  it('escapes stored text: a narrative holding markup shows as text and never runs', async () => {
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)> "quoted" & </td></table>';
    const a = (
      await ok<any>(
        server.url,
        'query ($id: ID!, $y: Int!) { city(id: $id) { selfAssessment(year: $y) { items { id version } } } }',
        { id: cityId, y: year },
        admin,
      )
    ).city.selfAssessment.items[0];
    await ok(
      server.url,
      'mutation ($input: UpdateAssessmentItemInput!) { updateAssessmentItem(input: $input) { id } }',
      { input: { id: a.id, expectedVersion: a.version, narrative: `=HYPERLINK("http://evil.test","klik") ${hostile}` } },
      admin,
    );
    const plan = (
      await ok<any>(
        server.url,
        'query ($id: ID!) { city(id: $id) { actionPlans(first: 100) { edges { node { id version ownerOpd { abbreviation } } } } } }',
        { id: cityId },
        admin,
      )
    ).city.actionPlans.edges
      .map((e: any) => e.node)
      .find((p: any) => p.ownerOpd.abbreviation === 'Dinkes');
    await ok(
      server.url,
      'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { id } }',
      {
        input: {
          actionPlanId: plan.id,
          expectedVersion: plan.version,
          percent: 55,
          narrative: hostile,
          obstacles: '<b>bold</b>',
          evidenceUrls: ['https://example.org/bukti?a=1&b=2'],
        },
      },
      admin,
    );
    const html = await (await get(server, admin, { cityId, year: String(year) })).text();
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>bold</b>');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('&#60;b&#62;bold&#60;/b&#62;');
    expect(html).toContain('href="https://example.org/bukti?a=1&#38;b=2"');

    // The workbook: the same text, formula-like cells neutralised.
    const res = await get(server, admin, { cityId, year: String(year), format: 'xlsx', lang: 'en' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    const items = book.getWorksheet('Self-assessment')!;
    const narratives = items.getColumn(5).values.filter((v): v is string => typeof v === 'string');
    expect(narratives).toContain(`'=HYPERLINK("http://evil.test","klik") ${hostile}`);
    expect(narratives.some((n) => n.startsWith('='))).toBe(false);
    const summary = book.getWorksheet('Summary')!;
    const rows = new Map<string, unknown>();
    summary.eachRow((row) => rows.set(String(row.getCell(1).value), row.getCell(2).value));
    const api = await apiFigures(today, year);
    expect(rows.get('City progress')).toBe(api.overview.progress);
    expect(rows.get('Achievement index (self-assessment, as it stands)')).toBe(api.readiness.index);
    expect(rows.get('Action plans by state: Late')).toBe(api.overview.counts.late);
    const plans = book.getWorksheet('Action plans')!;
    expect(plans.rowCount - 1).toBe(api.overview.counts.total);
  });

  it("refuses anyone who cannot read the city: another city's users and unassigned evaluators get 404, no token 401", async () => {
    const q = { cityId, year: String(year) };
    expect((await get(server, null, q)).status).toBe(401);
    expect((await get(server, 'not-a-token', q)).status).toBe(401);
    const refused = await get(server, other, q);
    expect(refused.status).toBe(404);
    expect((await refused.json()).errors[0].extensions.code).toBe('NOT_FOUND');
    expect((await get(server, other, { ...q, format: 'xlsx' })).status).toBe(404);
    expect((await get(server, reporter, q)).status).toBe(200);
    expect((await get(server, platform, q)).status).toBe(200);
    expect((await get(server, other, { cityId: otherCityId, year: String(year) })).status).toBe(200);
    await ok(
      server.url,
      'mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }',
      { input: { ...EVALUATOR, name: 'Tim Evaluasi', role: 'EVALUATOR', evaluatorCityIds: [otherCityId] } },
      platform,
    );
    const evaluator = await login(server.url, EVALUATOR.email, EVALUATOR.password);
    expect((await get(server, evaluator, q)).status).toBe(404);
    expect((await get(server, evaluator, { cityId: otherCityId, year: String(year) })).status).toBe(200);
  });

  it('refuses bad parameters with typed errors', async () => {
    const refusal = async (query: Record<string, string>, field: string) => {
      const res = await get(server, admin, { cityId, ...query });
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect((await res.json()).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    };
    await refusal({ asOf: '2999-01-01' }, 'asOf');
    await refusal({ asOf: '2022-13-01' }, 'asOf');
    await refusal({ lang: 'fr' }, 'lang');
    await refusal({ format: 'pdf' }, 'format');
    await refusal({ year: '22' }, 'year');
    await refusal({ basis: 'SOME' }, 'basis');
  });
});
