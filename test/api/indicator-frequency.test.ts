// Issue 21 §1: an indicator says how often it is measured (`frequency`: monthly, quarterly, yearly),
// set on create, changed or cleared on update, audited; values are then recorded for periods of
// that kind only (BAD_USER_INPUT on `input.period`, in the request's language). On both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/db';
import { codeOf, gql, login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';

const CREATE = `mutation ($input: CreateIndicatorInput!) { createIndicator(input: $input) { id version frequency } }`;
const UPDATE = `mutation ($input: UpdateIndicatorInput!) { updateIndicator(input: $input) { id version frequency } }`;
const RECORD = `mutation ($input: RecordIndicatorValueInput!) { recordIndicatorValue(input: $input) { period value } }`;

describe.each(await testDialects())('indicator frequency on %s', (dialect) => {
  let server: TestServer;
  let admin: string;
  let cityId: string;
  let planId: string;

  beforeAll(async () => {
    server = await startServer({ dialect, demo: true });
    admin = await login(server.url, 'bappelitbang@tanjungpinang.demo');
    const me = await ok<any>(server.url, '{ me { cityId } }', {}, admin);
    cityId = me.me.cityId;
    const plans = await ok<any>(
      server.url,
      'query ($id: ID!) { city(id: $id) { actionPlans(first: 1) { edges { node { id } } } } }',
      {
        id: cityId,
      },
      admin,
    );
    planId = plans.city.actionPlans.edges[0].node.id;
  });
  afterAll(async () => server?.close());

  it('is null unless given, set on create, changed and cleared on update, and audited', async () => {
    const plain = await ok<any>(
      server.url,
      CREATE,
      { input: { actionPlanId: planId, name: 'Tanpa frekuensi', unit: 'unit', baseline: 0, target: 1 } },
      admin,
    );
    expect(plain.createIndicator.frequency).toBeNull();
    const made = await ok<any>(
      server.url,
      CREATE,
      { input: { actionPlanId: planId, name: 'Kunjungan situs', unit: 'kunjungan', baseline: 0, target: 1000, frequency: 'QUARTERLY' } },
      admin,
    );
    const ind = made.createIndicator;
    expect(ind.frequency).toBe('QUARTERLY');
    const changed = await ok<any>(server.url, UPDATE, { input: { id: ind.id, expectedVersion: ind.version, frequency: 'MONTHLY' } }, admin);
    expect(changed.updateIndicator.frequency).toBe('MONTHLY');
    // Left out: unchanged.
    const same = await ok<any>(
      server.url,
      UPDATE,
      { input: { id: ind.id, expectedVersion: changed.updateIndicator.version, unit: 'kunjungan situs' } },
      admin,
    );
    expect(same.updateIndicator.frequency).toBe('MONTHLY');
    const cleared = await ok<any>(
      server.url,
      UPDATE,
      { input: { id: ind.id, expectedVersion: same.updateIndicator.version, frequency: null } },
      admin,
    );
    expect(cleared.updateIndicator.frequency).toBeNull();
    const log = await ok<any>(
      server.url,
      'query ($city: ID!, $id: ID!) { auditLog(cityId: $city, filter: { entityId: $id }, first: 10) { edges { node { action changes { field before after } } } } }',
      { city: cityId, id: ind.id },
      admin,
    );
    const changes = log.auditLog.edges.flatMap((e: any) => e.node.changes).filter((c: any) => c.field === 'frequency');
    expect(changes).toContainEqual({ field: 'frequency', before: 'QUARTERLY', after: 'MONTHLY' });
    expect(changes).toContainEqual({ field: 'frequency', before: 'MONTHLY', after: null });
  });

  it('takes values only for periods of its kind; any period when not said', async () => {
    const make = async (frequency: string | null) =>
      (
        await ok<any>(
          server.url,
          CREATE,
          { input: { actionPlanId: planId, name: `Nilai ${frequency}`, unit: '%', baseline: 0, target: 100, frequency } },
          admin,
        )
      ).createIndicator.id as string;
    const cases: [string | null, string, string[]][] = [
      ['MONTHLY', '2025-10', ['2025', '2025-Q4']],
      ['QUARTERLY', '2025-Q4', ['2025', '2025-10']],
      ['YEARLY', '2025', ['2025-10', '2025-Q4']],
    ];
    for (const [frequency, good, bad] of cases) {
      const id = await make(frequency);
      const saved = await ok<any>(server.url, RECORD, { input: { indicatorId: id, period: good, value: 12 } }, admin);
      expect(saved.recordIndicatorValue.period).toBe(good);
      for (const period of bad) {
        const r = await gql(server.url, RECORD, { input: { indicatorId: id, period, value: 1 } }, admin);
        expect(codeOf(r), `${frequency} ${period}`).toBe('BAD_USER_INPUT');
        expect(r.errors?.[0]?.extensions?.field).toBe('input.period');
        expect(r.errors?.[0]?.message).toContain(good.length === 4 ? 'per tahun' : good.includes('Q') ? 'per triwulan' : 'per bulan');
      }
    }
    const english = await gql(server.url, RECORD, { input: { indicatorId: await make('YEARLY'), period: '2025-03', value: 1 } }, admin, {
      'accept-language': 'en',
    });
    expect(english.errors?.[0]?.message).toBe('This indicator is measured yearly: write the period YYYY, e.g. 2025.');
    const any = await make(null);
    for (const period of ['2025', '2025-10', '2025-Q4'])
      expect(
        (await ok<any>(server.url, RECORD, { input: { indicatorId: any, period, value: 3 } }, admin)).recordIndicatorValue.period,
      ).toBe(period);
  });

  it('refuses a frequency that is not one of the three', async () => {
    const r = await gql(
      server.url,
      CREATE,
      { input: { actionPlanId: planId, name: 'x', unit: 'x', baseline: 0, target: 1, frequency: 'WEEKLY' } },
      admin,
    );
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
  });
});
