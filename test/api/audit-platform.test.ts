import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/db';
import { codeOf, gql, login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';

const PLATFORM =
  'query ($filter: AuditFilter) { platformAuditLog(first: 50, filter: $filter) { totalCount edges { node { entity entityId action actorId cityId changes { field after } } } } }';

describe.each(await testDialects())('the audit trail of platform-level users on %s', (dialect) => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startServer({ dialect, demo: true });
    admin = await login(server.url, 'admin@pantau.demo');
  });
  afterAll(async () => {
    await server?.close();
  });

  it("is readable by platform admins (platformAuditLog), and by nobody else; cities' logs keep their tenancy", async () => {
    const cities = (await ok<any>(server.url, '{ cities { id name } }', {}, admin)).cities;
    const tpi = cities.find((c: any) => c.name === 'Tanjungpinang').id;
    const me = (await ok<any>(server.url, '{ me { id } }', {}, admin)).me.id;
    const created = await ok<any>(
      server.url,
      'mutation ($input: CreateUserInput!) { createUser(input: $input) { id version } }',
      {
        input: {
          email: `penilai-${dialect}@kementerian.test`,
          name: 'Penilai',
          password: 'password-penilai-1',
          role: 'EVALUATOR',
          evaluatorCityIds: [tpi],
        },
      },
      admin,
    );
    const id = created.createUser.id;
    await ok(
      server.url,
      'mutation ($input: UpdateUserInput!) { updateUser(input: $input) { id } }',
      { input: { id, expectedVersion: created.createUser.version, name: 'Penilai Utama' } },
      admin,
    );

    const log = (await ok<any>(server.url, PLATFORM, { filter: { entityId: id } }, admin)).platformAuditLog;
    expect(log.totalCount).toBe(2);
    expect(log.edges.map((e: any) => e.node.action)).toEqual(['UPDATE', 'CREATE']);
    expect(log.edges[0].node).toMatchObject({ entity: 'User', entityId: id, actorId: me, cityId: null });
    expect(log.edges[0].node.changes).toContainEqual({ field: 'name', after: 'Penilai Utama' });
    // Only platform-level entries: nothing of a city.
    const all = (await ok<any>(server.url, PLATFORM, {}, admin)).platformAuditLog;
    expect(all.edges.every((e: any) => e.node.cityId === null)).toBe(true);
    // A city's log does not show them.
    const cityLog = (
      await ok<any>(
        server.url,
        'query ($c: ID!, $id: ID!) { auditLog(cityId: $c, filter: { entityId: $id }) { totalCount } }',
        { c: tpi, id },
        admin,
      )
    ).auditLog;
    expect(cityLog.totalCount).toBe(0);

    for (const email of ['bappelitbang@tanjungpinang.demo', 'viewer@tanjungpinang.demo']) {
      const token = await login(server.url, email);
      const refused = await gql(server.url, PLATFORM, {}, token, { 'accept-language': 'en' });
      expect(codeOf(refused)).toBe('FORBIDDEN');
      expect(refused.errors?.[0]?.message).toBe('You are not allowed to do this.');
    }
    expect(codeOf(await gql(server.url, PLATFORM, {}))).toBe('UNAUTHENTICATED');
  });
});
