import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getNamedType, type GraphQLSchema } from 'graphql';
import { getSchema } from '../../server/graphql/schema';
import { testDialects } from '../helpers/db';
import { codeOf, gql, login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';

// Everything a city's reader can reach from one city, in parts that stay under the cost limit.
const PARTS = [
  `query ($id: ID!) { city(id: $id) {
    id name province kind joinedYear timeZone version
    overview {
      progress today counts { total late }
      dimensions { dimension progress actionPlanCount }
      quickWins { id name progress }
      opds { id name progress }
      lateActionPlans { id title ownerOpd { id name } }
      nextEvaluationVisit { id startDate evaluator }
    }
    verified: overview(basis: VERIFIED) { progress quickWins { id progress } }
    programs { id name }
  } }`,
  `query ($id: ID!) { city(id: $id) { opds { id name head actionPlans(first: 5) { totalCount edges { node { id } } } } } }`,
  `query ($id: ID!) { city(id: $id) { masterplans { id title vision programs { id name progress actionPlans(first: 3) { totalCount edges { node { id } } } } } } }`,
  `query ($id: ID!) { city(id: $id) {
    councils { id name members(first: 50) { totalCount edges { node { id name organisation } } } }
    teams { id name members { id name opd { id name } } }
    activities(first: 50) { totalCount edges { node { id title place outcome } } }
    evaluationVisits { id agenda }
    progressReports(first: 50) { totalCount edges { node { id actionPlanId narrative reporterName reviewerName } } }
  } }`,
  `query ($id: ID!) { city(id: $id) {
    selfAssessments { id index framework { id } items { id narrative responsibleOpd { id } actionPlans { id } quickWins { id } } }
    evidence(first: 50) { totalCount edges { node { id title url supplierName } } }
  } }`,
  `query ($id: ID!) { city(id: $id) {
    readiness { assessmentId index gaps { total } opds { opdId name } items { assessmentItemId opdId } gapList { title assessmentItemId actionPlanId progressReportId opdId } }
  } }`,
  `query ($id: ID!, $after: String) { city(id: $id) {
    actionPlans(first: 10, after: $after) {
      totalCount
      edges { node {
        id title description code state verifiedProgress budget { formatted }
        program { id name masterplan { id } } ownerOpd { id } supportingOpds { id }
        indicators { id name values { id value } latestValue { value } }
        milestones { id title }
        progressReports(first: 3) { totalCount edges { node { id narrative obstacles evidenceUrls } } }
      } }
      pageInfo { hasNextPage endCursor }
    }
  } }`,
];

/** Every page of a part (only the plan list has pages). */
async function allPages(url: string, query: string, id: string, token: string): Promise<any[]> {
  const out = [];
  let after: string | null = null;
  do {
    const data: any = (await ok<any>(url, query, { id, after }, token)).city;
    out.push(data);
    after = data.actionPlans?.pageInfo.hasNextPage ? data.actionPlans.pageInfo.endCursor : null;
  } while (after);
  return out;
}

/** Everything a viewer reads of each of its cities. */
async function everything(url: string, token: string): Promise<{ names: string[]; dump: any[] }> {
  const { cities } = await ok<any>(url, '{ cities { id name } }', {}, token);
  const dump = [];
  for (const c of cities) for (const q of PARTS) dump.push(...(await allPages(url, q, c.id, token)));
  return { names: cities.map((c: any) => c.name), dump };
}

describe.each(await testDialects())('tenancy on %s', (dialect) => {
  let server: TestServer;
  let schema: GraphQLSchema;
  let admin: string;
  let tebing: string;
  const tpi: { ids: Set<string>; cityId: string; byKind: Record<string, string> } = { ids: new Set(), cityId: '', byKind: {} };

  beforeAll(async () => {
    server = await startServer({ dialect, demo: true });
    schema = await getSchema();
    admin = await login(server.url, 'admin@pantau.demo');
    tebing = await login(server.url, 'bappeda@tebingtinggi.demo');
    const { cities } = await ok<any>(server.url, '{ cities { id name } }', {}, admin);
    tpi.cityId = cities.find((c: any) => c.name === 'Tanjungpinang').id;
    const parts = [];
    for (const q of PARTS) parts.push(...(await allPages(server.url, q, tpi.cityId, admin)));
    const city = parts;
    // Every id anywhere under Tanjungpinang.
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) {
          if ((k === 'id' || k.endsWith('Id')) && typeof x === 'string') tpi.ids.add(x);
          walk(x);
        }
    };
    walk(city);
    const first = Object.assign({}, ...parts);
    tpi.byKind = {
      City: tpi.cityId,
      Opd: first.opds[0].id,
      Program: first.programs[0].id,
      ActionPlan: first.actionPlans.edges[0].node.id,
      SelfAssessment: first.selfAssessments[0].id,
      Evidence: first.evidence.edges[0].node.id,
    };
    expect(tpi.ids.size).toBeGreaterThan(300);
  });
  afterAll(async () => server?.close());

  it('shows a Tebingtinggi admin nothing of Tanjungpinang through everything it can reach', async () => {
    const { names, dump } = await everything(server.url, tebing);
    expect(names).toEqual(['Tebingtinggi']);
    const body = JSON.stringify(dump);
    expect(body.length).toBeGreaterThan(20_000);
    expect(body).not.toMatch(/Tanjungpinang|Penyengat/);
    const leaked = [...tpi.ids].filter((id) => body.includes(id));
    expect(leaked).toEqual([]);
  });

  it('answers every root query that takes an id with NOT_FOUND for a Tanjungpinang id, and no data', async () => {
    const fields = Object.values(schema.getQueryType()!.getFields()).filter((f) => f.args.some((a) => getNamedType(a.type).name === 'ID'));
    expect(fields.map((f) => f.name).sort()).toEqual([
      'actionPlan',
      'auditLog',
      'city',
      'evaluationFramework',
      'opd',
      'program',
      'screenTokens',
      'selfAssessment',
      'users',
    ]);
    for (const field of fields) {
      for (const [kind, id] of Object.entries(tpi.byKind)) {
        const arg = field.args.find((a) => getNamedType(a.type).name === 'ID')!;
        const selection = getNamedType(field.type).name.endsWith('Connection') ? '{ totalCount }' : '{ __typename }';
        const r = await gql(server.url, `query ($id: ID!) { ${field.name}(${arg.name}: $id) ${selection} }`, { id }, tebing);
        const label = `${field.name}(${arg.name}: <Tanjungpinang ${kind}>)`;
        expect(r.data ?? null, label).toBeNull();
        expect(codeOf(r), label).toMatch(
          ['users', 'auditLog', 'screenTokens'].includes(field.name) ? /^(NOT_FOUND|FORBIDDEN)$/ : /^NOT_FOUND$/,
        );
        expect(JSON.stringify(r.errors), label).not.toMatch(/Tanjungpinang/);
      }
    }
  });

  it('gives the same answer for another city and for an id that does not exist', async () => {
    const q = 'query ($id: ID!) { actionPlan(id: $id) { id } }';
    const foreign = await gql(server.url, q, { id: tpi.byKind.ActionPlan }, tebing);
    const missing = await gql(server.url, q, { id: '01a20000-0000-7000-8000-000000000000' }, tebing);
    expect({ ...foreign.errors?.[0], extensions: { ...foreign.errors?.[0]?.extensions, id: 'x' } }).toEqual({
      ...missing.errors?.[0],
      extensions: { ...missing.errors?.[0]?.extensions, id: 'x' },
    });
  });

  it("never matches another city's ids in filters", async () => {
    const mine = await ok<any>(server.url, '{ cities { id } }', {}, tebing);
    const r = await ok<any>(
      server.url,
      'query ($c: ID!, $o: ID!, $p: ID!) { city(id: $c) { a: actionPlans(filter: { opdId: $o }) { totalCount } b: actionPlans(filter: { programId: $p }) { totalCount } } }',
      { c: mine.cities[0].id, o: tpi.byKind.Opd, p: tpi.byKind.Program },
      tebing,
    );
    expect(r.city).toEqual({ a: { totalCount: 0 }, b: { totalCount: 0 } });
  });

  it('lets an evaluator read exactly its assigned cities', async () => {
    await ok(
      server.url,
      'mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }',
      {
        input: {
          email: 'evaluator@kemenkominfo.test',
          name: 'Evaluator',
          password: 'evaluator-password-1',
          role: 'EVALUATOR',
          evaluatorCityIds: [tpi.cityId],
        },
      },
      admin,
    );
    const ev = await login(server.url, 'evaluator@kemenkominfo.test', 'evaluator-password-1');
    const cities = await ok<any>(server.url, '{ cities { name } me { role cityIds permissions } }', {}, ev);
    expect(cities.cities).toEqual([{ name: 'Tanjungpinang' }]);
    expect(cities.me).toEqual({ role: 'EVALUATOR', cityIds: [tpi.cityId], permissions: ['city:read'] });
    const tebingCity = await ok<any>(server.url, '{ cities { id } }', {}, tebing);
    expect(codeOf(await gql(server.url, 'query ($id: ID!) { city(id: $id) { name } }', { id: tebingCity.cities[0].id }, ev))).toBe(
      'NOT_FOUND',
    );
    expect(codeOf(await gql(server.url, 'query ($id: ID!) { auditLog(cityId: $id) { totalCount } }', { id: tpi.cityId }, ev))).toBe(
      'FORBIDDEN',
    );
  });
});
