import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/db';
import { login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { run, TRANSPORTS } from '../helpers/transports';

const REPORT = 'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { version progress } }';
const PLAN = 'query ($id: ID!) { actionPlan(id: $id) { version progress progressReports(first: 100) { totalCount } } }';

describe.each(await testDialects())('control characters in string inputs on %s', (dialect) => {
  let server: TestServer;
  let reporter: string;
  let admin: string;
  let plan: { id: string; version: number };
  let cityId: string;

  beforeAll(async () => {
    server = await startServer({ dialect, demo: true });
    [reporter, admin] = await Promise.all([
      login(server.url, 'dinkes@tanjungpinang.demo'),
      login(server.url, 'bappelitbang@tanjungpinang.demo'),
    ]);
    const me = await ok<any>(server.url, '{ me { opdId cityId } }', {}, reporter);
    cityId = me.me.cityId;
    const list = await ok<any>(
      server.url,
      'query ($c: ID!, $o: ID!) { city(id: $c) { actionPlans(first: 1, filter: { opdId: $o }) { edges { node { id version } } } } }',
      { c: cityId, o: me.me.opdId },
      reporter,
    );
    plan = list.city.actionPlans.edges[0].node;
  });
  afterAll(async () => server?.close());

  it.each(TRANSPORTS)('%s: refuses NUL and other C0 controls with BAD_USER_INPUT on the field, and writes nothing', async (transport) => {
    const before = await ok<any>(server.url, PLAN, { id: plan.id }, reporter);
    const cases: [string, Record<string, unknown>, string][] = [
      [
        REPORT,
        { input: { actionPlanId: plan.id, percent: 50, expectedVersion: plan.version, narrative: 'uji\u0000coba' } },
        'input.narrative',
      ],
      [
        REPORT,
        { input: { actionPlanId: plan.id, percent: 50, expectedVersion: plan.version, narrative: 'ok', obstacles: 'bel\u0007' } },
        'input.obstacles',
      ],
      [
        REPORT,
        {
          input: {
            actionPlanId: plan.id,
            percent: 50,
            expectedVersion: plan.version,
            narrative: 'ok',
            evidenceUrls: ['https://a.go.id/1', 'https://a.go.id/\u001b[2J'],
          },
        },
        'input.evidenceUrls.1',
      ],
      [
        `mutation { reportProgress(input: { actionPlanId: "${plan.id}", percent: 50, expectedVersion: ${plan.version}, narrative: "lit\\u0000eral" }) { version } }`,
        {},
        'input.narrative',
      ],
      [
        'query ($c: ID!, $s: String) { city(id: $c) { actionPlans(filter: { search: $s }) { totalCount } } }',
        { c: cityId, s: 'x\u0000' },
        'filter.search',
      ],
      ['query ($id: ID!) { actionPlan(id: $id) { id } }', { id: `${plan.id}\u0000` }, 'id'],
    ];
    for (const [query, variables, field] of cases) {
      const r = await run(transport, server.url, query, variables, reporter);
      expect(r.errors?.[0]?.extensions, field).toEqual({ code: 'BAD_USER_INPUT', field });
      expect(r.errors?.[0]?.message).toBe('Teks tidak boleh berisi karakter kontrol (selain tab dan baris baru).');
    }
    const en = await run(transport, server.url, REPORT, cases[0]![1], reporter, 'en');
    expect(en.errors?.[0]?.message).toBe('Text must not contain control characters (other than tab and line breaks).');
    // An admin's write is refused alike.
    const opd = await run(
      transport,
      server.url,
      'mutation ($input: CreateOpdInput!) { createOpd(input: $input) { id } }',
      { input: { cityId, name: 'Dinas\u0000Baru', abbreviation: 'DB' } },
      admin,
    );
    expect(opd.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.name' });
    // Nothing was written.
    expect(await ok<any>(server.url, PLAN, { id: plan.id }, reporter)).toEqual(before);
  });

  it('keeps tab and line breaks, and stores the text whole', async () => {
    const narrative = 'Baris satu\nBaris dua\r\n\tmenjorok';
    const data = await ok<any>(
      server.url,
      REPORT,
      { input: { actionPlanId: plan.id, percent: 51, expectedVersion: plan.version, narrative } },
      reporter,
    );
    plan.version = data.reportProgress.version;
    const read = await ok<any>(
      server.url,
      'query ($id: ID!) { actionPlan(id: $id) { progressReports(first: 1) { edges { node { narrative } } } } }',
      { id: plan.id },
      reporter,
    );
    expect(read.actionPlan.progressReports.edges[0].node.narrative).toBe(narrative);
  });
});
