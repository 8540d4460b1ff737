import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/db';
import { gql, login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';

const REPORT = 'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { version progress } }';
const LATEST =
  'query ($id: ID!) { actionPlan(id: $id) { version weight progressReports(first: 1) { edges { node { percent } } } indicators { id latestValue { value } } } }';

describe.each(await testDialects())('stored numbers are rounded to a documented precision on %s', (dialect) => {
  let server: TestServer;
  let admin: string;
  let planId: string;

  beforeAll(async () => {
    server = await startServer({ dialect, demo: true });
    admin = await login(server.url, 'bappelitbang@tanjungpinang.demo');
    const me = await ok<any>(server.url, '{ me { cityId } }', {}, admin);
    const list = await ok<any>(
      server.url,
      'query ($c: ID!) { city(id: $c) { actionPlans(first: 50) { edges { node { id indicators { id } } } } } }',
      { c: me.me.cityId },
      admin,
    );
    planId = list.city.actionPlans.edges.find((e: any) => e.node.indicators.length > 0).node.id;
  });
  afterAll(async () => server?.close());

  async function plan(): Promise<any> {
    return (await ok<any>(server.url, LATEST, { id: planId }, admin)).actionPlan;
  }

  it('percent: two decimals (5e-324 is 0, 33.33333 is 33.33)', async () => {
    for (const [sent, stored] of [
      [5e-324, 0],
      [33.333333, 33.33],
      [66.666666, 66.67],
      [99.999, 100],
    ] as const) {
      const { version } = await plan();
      await ok(
        server.url,
        REPORT,
        { input: { actionPlanId: planId, percent: sent, expectedVersion: version, narrative: `kirim ${sent}` } },
        admin,
      );
      expect((await plan()).progressReports.edges[0].node.percent, String(sent)).toBe(stored);
    }
  });

  it('weight and indicator values: six decimals; a weight that rounds to 0 is refused', async () => {
    const first = await plan();
    const indicators = first.indicators;
    let version = first.version;
    await ok(
      server.url,
      'mutation ($input: UpdateActionPlanInput!) { updateActionPlan(input: $input) { version } }',
      { input: { id: planId, expectedVersion: version, weight: 1.23456789 } },
      admin,
    );
    ({ version } = await plan());
    expect((await plan()).weight).toBe(1.234568);
    const tiny = await gql(
      server.url,
      'mutation ($input: UpdateActionPlanInput!) { updateActionPlan(input: $input) { version } }',
      { input: { id: planId, expectedVersion: version, weight: 5e-324 } },
      admin,
    );
    expect(tiny.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.weight' });
    await ok(
      server.url,
      'mutation ($input: RecordIndicatorValueInput!) { recordIndicatorValue(input: $input) { value } }',
      { input: { indicatorId: indicators[0].id, period: '2031', value: 5e-324 } },
      admin,
    );
    const recorded = await ok<any>(
      server.url,
      'mutation ($input: RecordIndicatorValueInput!) { recordIndicatorValue(input: $input) { value } }',
      { input: { indicatorId: indicators[0].id, period: '2031', value: 0.1234567 } },
      admin,
    );
    expect(recorded.recordIndicatorValue.value).toBe(0.123457);
    const zero = await ok<any>(
      server.url,
      'mutation ($input: RecordIndicatorValueInput!) { recordIndicatorValue(input: $input) { value } }',
      { input: { indicatorId: indicators[0].id, period: '2032', value: 5e-324 } },
      admin,
    );
    expect(zero.recordIndicatorValue.value).toBe(0);
  });
});
