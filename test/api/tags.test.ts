// Issue 11 §7: cross-index tags — catalogues seeded as data, plans and indicators tagged by their
// city's admins (audited, scoped), and `actionPlans(filter: { tag })`. On both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../server/modules/audit/audit.entity';
import { ActionPlanTag } from '../../server/modules/tags/tag.entity';
import { TAG_CATALOGS } from '../../server/modules/tags/catalogs';
import { testDialects } from '../helpers/db';
import { codeOf, gql, login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';

const BY_TAG = `query ($id: ID!, $tag: ID, $state: ActionPlanState, $first: Int) { city(id: $id) {
  actionPlans(first: $first, filter: { tag: $tag, state: $state }) { totalCount edges { node { id code ownerOpd { id } tags { id code catalog { code } } } } }
} }`;
const SET_PLAN = `mutation ($input: SetActionPlanTagsInput!) { setActionPlanTags(input: $input) { id version tags { id code } } }`;
const SET_INDICATOR = `mutation ($input: SetIndicatorTagsInput!) { setIndicatorTags(input: $input) { id tags { id code catalog { code } } } }`;

describe.each(await testDialects())('cross-index tags on %s', (dialect) => {
  let server: TestServer;
  let admin: string;
  let tpiAdmin: string;
  let tebingAdmin: string;
  let reporter: string;
  let viewer: string;
  let tpi: string;
  let tebing: string;
  const tag = {} as Record<string, string>;
  const audits = () => server.orm.em.fork().count(AuditEntry, {});

  beforeAll(async () => {
    server = await startServer({ dialect, demo: true });
    [admin, tpiAdmin, tebingAdmin, reporter, viewer] = (await Promise.all(
      [
        'admin@pantau.demo',
        'bappelitbang@tanjungpinang.demo',
        'bappeda@tebingtinggi.demo',
        'dinkes@tanjungpinang.demo',
        'viewer@tanjungpinang.demo',
      ].map((e) => login(server.url, e)),
    )) as [string, string, string, string, string];
    const { cities } = await ok<any>(server.url, '{ cities { id name } }', {}, admin);
    tpi = cities.find((c: any) => c.name === 'Tanjungpinang').id;
    tebing = cities.find((c: any) => c.name === 'Tebingtinggi').id;
    const { tagCatalogs } = await ok<any>(server.url, '{ tagCatalogs { code tags { id code } } }', {}, viewer);
    for (const c of tagCatalogs) for (const t of c.tags) tag[`${c.code}:${t.code}`] = t.id;
  });
  afterAll(async () => server?.close());

  it('serves the three catalogues as data (a dozen entries each, code and name) to anyone logged in', async () => {
    const { tagCatalogs } = await ok<any>(
      server.url,
      '{ tagCatalogs { code name description tags { code name catalog { code } } } }',
      {},
      reporter,
    );
    expect(tagCatalogs.map((c: any) => c.code)).toEqual(['ISO_37122', 'SAKIP_IKU', 'SPBE']);
    for (const c of tagCatalogs) {
      expect(c.tags.length).toBeGreaterThanOrEqual(12);
      expect(c.tags.every((t: any) => t.code && t.name && t.catalog.code === c.code)).toBe(true);
      expect(c.tags.length).toBe(TAG_CATALOGS.find((d) => d.code === c.code)!.tags.length);
    }
    expect(codeOf(await gql(server.url, '{ tagCatalogs { code } }'))).toBe('UNAUTHENTICATED');
  });

  it("lists a city's plans by tag — only that city's, with the other filters too", async () => {
    const own = (await ok<any>(server.url, BY_TAG, { id: tpi, tag: tag['SPBE:I-19'] }, viewer)).city.actionPlans;
    expect(own.edges.map((e: any) => e.node.code)).toEqual(['GOV-01']);
    expect(own.edges[0].node.tags.map((t: any) => `${t.catalog.code}:${t.code}`).sort()).toEqual([
      'ISO_37122:10.1',
      'SAKIP_IKU:IKU-04',
      'SPBE:I-19',
    ]);
    const theirs = (await ok<any>(server.url, BY_TAG, { id: tebing, tag: tag['SPBE:I-19'] }, tebingAdmin)).city.actionPlans;
    expect(theirs.totalCount).toBe(1);
    expect(theirs.edges[0].node.id).not.toBe(own.edges[0].node.id);
    // Tags shared by several plans; a combined filter narrows further.
    const iku = (await ok<any>(server.url, BY_TAG, { id: tpi, tag: tag['SAKIP_IKU:IKU-05'] }, viewer)).city.actionPlans;
    expect(iku.edges.map((e: any) => e.node.code)).toEqual(['SOC-01']);
    const untagged = (await ok<any>(server.url, BY_TAG, { id: tpi, tag: tag['ISO_37122:19.4'] }, viewer)).city.actionPlans;
    expect(untagged).toEqual({ totalCount: 0, edges: [] });
    const all = (await ok<any>(server.url, BY_TAG, { id: tpi, first: 100 }, viewer)).city.actionPlans;
    const late = (await ok<any>(server.url, BY_TAG, { id: tpi, state: 'LATE', first: 100 }, viewer)).city.actionPlans;
    const lateTagged = (await ok<any>(server.url, BY_TAG, { id: tpi, state: 'LATE', tag: tag['SPBE:I-19'], first: 100 }, viewer)).city
      .actionPlans;
    expect(lateTagged.edges.map((e: any) => e.node.id)).toEqual(
      late.edges.map((e: any) => e.node.id).filter((id: string) => id === own.edges[0].node.id),
    );
    expect(all.totalCount).toBeGreaterThan(own.totalCount);
    // An unknown tag is a typed error on the filter.
    for (const bad of ['00000000-0000-7000-8000-000000000000', 'SPBE:I-19', 'x'.repeat(5_000)]) {
      const r = await gql(server.url, BY_TAG, { id: tpi, tag: bad }, viewer);
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.tag' });
    }
  });

  it('a city admin sets a plan’s tags: removed ones are archived, set again revived, each change audited; the filter follows', async () => {
    const { city } = await ok<any>(server.url, BY_TAG, { id: tpi, first: 100 }, viewer);
    const plan = city.actionPlans.edges.map((e: any) => e.node).find((p: any) => p.tags.length === 0);
    const [a, b] = [tag['ISO_37122:19.4']!, tag['SAKIP_IKU:IKU-07']!];
    const listed = async (t: string) =>
      (await ok<any>(server.url, BY_TAG, { id: tpi, tag: t, first: 100 }, viewer)).city.actionPlans.edges.map((e: any) => e.node.id);

    const first = (await ok<any>(server.url, SET_PLAN, { input: { actionPlanId: plan.id, tagIds: [a, b, a] } }, tpiAdmin))
      .setActionPlanTags;
    expect(first.tags.map((t: any) => t.id).sort()).toEqual([a, b].sort());
    expect(await listed(a)).toEqual([plan.id]);
    await ok(server.url, SET_PLAN, { input: { actionPlanId: plan.id, tagIds: [b] } }, tpiAdmin);
    expect(await listed(a)).toEqual([]);
    expect(await listed(b)).toEqual([plan.id]);
    await ok(server.url, SET_PLAN, { input: { actionPlanId: plan.id, tagIds: [a, b] } }, tpiAdmin);
    expect(await listed(a)).toEqual([plan.id]);
    // Rows are never deleted: one row per (plan, tag), revived.
    expect(await server.orm.em.fork().count(ActionPlanTag, { actionPlan: plan.id })).toBe(2);
    const trail = await server.orm.em.fork().find(AuditEntry, { entity: 'ActionPlanTag', city: tpi }, { orderBy: { id: 'asc' } });
    expect(trail.map((e) => e.action)).toEqual(['CREATE', 'CREATE', 'ARCHIVE', 'UPDATE']);
    expect(trail.every((e) => e.actorName?.includes('bappelitbang@tanjungpinang.demo'))).toBe(true);
    // An empty list removes every tag.
    expect(
      (await ok<any>(server.url, SET_PLAN, { input: { actionPlanId: plan.id, tagIds: [] } }, tpiAdmin)).setActionPlanTags.tags,
    ).toEqual([]);
  });

  it('tags indicators the same way', async () => {
    const { city } = await ok<any>(
      server.url,
      `query ($id: ID!) { city(id: $id) { actionPlans(first: 5, filter: { tag: "${tag['SPBE:I-19']}" }) { edges { node { indicators { id tags { code } } } } } } }`,
      { id: tpi },
      viewer,
    );
    const indicator = city.actionPlans.edges[0].node.indicators[0];
    expect(indicator.tags).toEqual([{ code: 'I-19' }]);
    const set = (
      await ok<any>(
        server.url,
        SET_INDICATOR,
        { input: { indicatorId: indicator.id, tagIds: [tag['ISO_37122:10.1'], tag['SPBE:I-19']] } },
        tpiAdmin,
      )
    ).setIndicatorTags;
    expect(set.tags.map((t: any) => `${t.catalog.code}:${t.code}`)).toEqual(['ISO_37122:10.1', 'SPBE:I-19']);
  });

  it("refuses another city's plan or indicator, unknown tags and too many, and non-admins, writing nothing", async () => {
    const tebingPlan = (await ok<any>(server.url, BY_TAG, { id: tebing, first: 1 }, tebingAdmin)).city.actionPlans.edges[0].node;
    const tpiPlan = (await ok<any>(server.url, BY_TAG, { id: tpi, first: 1 }, viewer)).city.actionPlans.edges[0].node;
    const before = await audits();
    const cases: [string, Record<string, unknown>, string, string][] = [
      [SET_PLAN, { actionPlanId: tebingPlan.id, tagIds: [tag['SPBE:I-01']] }, tpiAdmin, 'input.actionPlanId'],
      [SET_PLAN, { actionPlanId: tpiPlan.id, tagIds: [tag['SPBE:I-01']] }, tebingAdmin, 'input.actionPlanId'],
      [SET_PLAN, { actionPlanId: 'nope', tagIds: [] }, tpiAdmin, 'input.actionPlanId'],
      [
        SET_PLAN,
        { actionPlanId: tpiPlan.id, tagIds: [tag['SPBE:I-01'], '00000000-0000-7000-8000-000000000000'] },
        tpiAdmin,
        'input.tagIds.1',
      ],
      [SET_PLAN, { actionPlanId: tpiPlan.id, tagIds: Object.values(tag).slice(0, 31) }, tpiAdmin, 'input.tagIds'],
      [SET_INDICATOR, { indicatorId: tebingPlan.id, tagIds: [] }, tpiAdmin, 'input.indicatorId'],
    ];
    for (const [query, input, token, field] of cases) {
      const r = await gql(server.url, query, { input }, token);
      expect(r.errors?.[0]?.extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(JSON.stringify(r.errors)).not.toMatch(/Tanjungpinang|Tebingtinggi/);
    }
    expect(codeOf(await gql(server.url, SET_PLAN, { input: { actionPlanId: tpiPlan.id, tagIds: [tag['SPBE:I-01']] } }, reporter))).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(await gql(server.url, SET_PLAN, { input: { actionPlanId: tpiPlan.id, tagIds: [tag['SPBE:I-01']] } }, viewer))).toBe(
      'FORBIDDEN',
    );
    expect(await audits()).toBe(before);
    const again = (await ok<any>(server.url, BY_TAG, { id: tpi, first: 1 }, viewer)).city.actionPlans.edges[0].node;
    expect(again.tags).toEqual(tpiPlan.tags);
  });
});
