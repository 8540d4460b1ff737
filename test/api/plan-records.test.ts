import { ReferenceKind } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionPlan, BudgetSource } from '../../server/modules/action-plans/action-plan.entity';
import { loadPlanRecords } from '../../server/modules/overview/city-data';
import { testDialects } from '../helpers/db';
import { login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';

/*
 * Plan lists and the overview's late plans serve plain records read with one statement, not ORM
 * entities (issue 9: an entity costs ten times its row). A record must be the entity, column for
 * column, and GraphQL must answer the same for both.
 */

/** Every field of `ActionPlan` a record answers (its own and its resolvers'), as `actionPlan(id)` answers it from the entity. */
const PLAN_FIELDS = `id createdAt updatedAt version archivedAt code title description dimension startDate dueDate status weight
  progress verifiedProgress lastReportedAt state expectedProgress budget { amount source formatted }
  ownerOpd { id name } program { id name } supportingOpds { id } indicators { id } milestones { id } tags { id } evidence { id }
  progressReports(first: 2) { totalCount edges { node { id percent } } }`;

describe.each(await testDialects())('plan records on %s', (dialect) => {
  let server: TestServer;
  let token: string;
  let cityId: string;

  beforeAll(async () => {
    server = await startServer({ dialect });
    token = await login(server.url, 'bappelitbang@tanjungpinang.demo');
    cityId = (await ok<any>(server.url, '{ me { cityId } }', {}, token)).me.cityId;
    // Every nullable column set on some plan: a budget, a description, an archive mark.
    const em = server.orm.em.fork();
    const plans = await em.find(ActionPlan, { city: cityId }, { orderBy: { dueDate: 'asc', id: 'asc' } });
    plans[0]!.budgetAmount = 1_250_000_000;
    plans[0]!.budgetSource = BudgetSource.APBD;
    plans[0]!.description = 'Uraian rencana aksi\ndengan dua baris';
    plans[1]!.archivedAt = new Date('2026-01-05T06:07:08.009Z');
    await em.flush();
  });
  afterAll(async () => server?.close());

  it('holds every column of the entity, relations by id', async () => {
    const records = await loadPlanRecords(server.orm.em.fork(), cityId);
    const entities = await server.orm.em.fork().find(ActionPlan, { city: cityId }, { orderBy: { dueDate: 'asc', id: 'asc' } });
    expect(records.map((r) => r.id)).toEqual(entities.map((e) => e.id));
    const props = Object.values(server.orm.getMetadata().get(ActionPlan.name).properties);
    // A collection is not a column: the record leaves it to its resolver. Any other property must be there.
    const kinds = [ReferenceKind.SCALAR, ReferenceKind.MANY_TO_ONE, ReferenceKind.MANY_TO_MANY, ReferenceKind.ONE_TO_MANY];
    expect(props.filter((p) => !kinds.includes(p.kind)).map((p) => p.name)).toEqual([]);
    const columns = props.filter((p) => p.kind === ReferenceKind.SCALAR || p.kind === ReferenceKind.MANY_TO_ONE);
    const plain = (value: unknown) =>
      value instanceof Date ? value.toISOString() : typeof value === 'object' && value !== null ? (value as { id: string }).id : value;
    const seen = new Set<string>();
    records.forEach((record, i) => {
      const entity = entities[i] as unknown as Record<string, unknown>;
      for (const prop of columns) {
        const value = (record as unknown as Record<string, unknown>)[prop.name];
        expect(prop.name in record, prop.name).toBe(true);
        expect(plain(value), `${record.id}.${prop.name}`).toEqual(plain(entity[prop.name]));
        if (value !== null) seen.add(prop.name);
      }
    });
    // The nullable columns were read with values too, not only as nulls.
    expect([...seen].sort()).toEqual(columns.map((p) => p.name).sort());
  });

  it('answers every field as the entity does, in lists and among the late plans', async () => {
    // In pages (the cost limit): every plan of the city, archived ones too, then the late plans.
    const listed: any[] = [];
    let after: string | null = null;
    do {
      const page: any = await ok<any>(
        server.url,
        `query ($id: ID!, $after: String) { city(id: $id) {
          actionPlans(first: 10, after: $after, filter: { includeArchived: true }) { pageInfo { endCursor hasNextPage } edges { node { ${PLAN_FIELDS} } } } } }`,
        { id: cityId, after },
        token,
      );
      listed.push(...page.city.actionPlans.edges.map((e: any) => e.node));
      after = page.city.actionPlans.pageInfo.hasNextPage ? page.city.actionPlans.pageInfo.endCursor : null;
    } while (after);
    const list = await ok<any>(
      server.url,
      `query ($id: ID!) { city(id: $id) { overview { counts { late } lateActionPlans(first: 10) { ${PLAN_FIELDS} } } } }`,
      { id: cityId },
      token,
    );
    const late = list.city.overview.lateActionPlans;
    expect(listed.length).toBeGreaterThan(10);
    expect(late.length).toBe(Math.min(10, list.city.overview.counts.late));
    expect(late.length).toBeGreaterThan(0);
    expect(listed.some((p: any) => /^Rp\s1\.250\.000\.000$/.test(p.budget?.formatted ?? '') && p.description?.includes('\n'))).toBe(true);
    expect(listed.some((p: any) => p.archivedAt === '2026-01-05T06:07:08.009Z')).toBe(true);
    for (const plan of [...listed, ...late]) {
      const one = await ok<any>(server.url, `query ($id: ID!) { actionPlan(id: $id) { ${PLAN_FIELDS} } }`, { id: plan.id }, token);
      expect(plan).toEqual(one.actionPlan);
    }
  });
});
