import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/db';
import { gql, login, ok, type GqlResult } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';

const UPDATE = 'mutation ($input: UpdateUserInput!) { updateUser(input: $input) { id } }';
const ARCHIVE = 'mutation ($input: VersionedInput!) { archiveUser(input: $input) { id } }';
const USERS = 'query ($id: ID) { users(cityId: $id) { totalCount } }';
const CREATE = 'mutation ($input: CreateUserInput!) { createUser(input: $input) { id email } }';

/** What a client can learn from an answer: everything but the id it sent (echoed back in `extensions.id`). */
function answer(r: GqlResult): unknown {
  return { data: r.data ?? null, errors: r.errors?.map((e) => ({ ...e, extensions: { ...e.extensions, id: undefined } })) };
}

describe.each(await testDialects())('addressing users reveals nothing about who exists, on %s', (dialect) => {
  let server: TestServer;
  let admin: string;
  let tebingAdmin: string;
  let tebing: string;
  let tpiOpd: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    server = await startServer({ dialect, demo: true });
    admin = await login(server.url, 'admin@pantau.demo');
    tebingAdmin = await login(server.url, 'bappeda@tebingtinggi.demo');
    const { cities } = await ok<any>(server.url, '{ cities { id name } }', {}, admin);
    tebing = cities.find((c: any) => c.name === 'Tebingtinggi').id;
    ids.tpiCity = cities.find((c: any) => c.name === 'Tanjungpinang').id;
    // A second city admin in Tebingtinggi: own city, a role Tebingtinggi's admin may not manage.
    await ok(
      server.url,
      'mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }',
      {
        input: { email: 'kominfo@tebingtinggi.test', name: 'Kominfo', password: 'kominfo-password-1', role: 'CITY_ADMIN', cityId: tebing },
      },
      admin,
    );
    const users = await ok<any>(server.url, '{ users(first: 100) { edges { node { id email role } } } }', {}, admin);
    const byEmail = (email: string) => users.users.edges.find((e: any) => e.node.email === email).node.id as string;
    ids.platformAdmin = byEmail('admin@pantau.demo');
    ids.otherCityAdmin = byEmail('bappelitbang@tanjungpinang.demo');
    ids.otherCityViewer = byEmail('viewer@tanjungpinang.demo');
    ids.otherCityReporter = byEmail('dinkes@tanjungpinang.demo');
    ids.ownCityAdmin = byEmail('kominfo@tebingtinggi.test');
    ids.ownReporter = byEmail('diskominfo@tebingtinggi.demo');
    tpiOpd = (await ok<any>(server.url, '{ me { opdId } }', {}, await login(server.url, 'dinkes@tanjungpinang.demo'))).me.opdId;
  });
  afterAll(async () => server?.close());

  it.each([
    ['updateUser', UPDATE, (id: string) => ({ input: { id, expectedVersion: 999, name: 'Diubah' } })],
    ['archiveUser', ARCHIVE, (id: string) => ({ input: { id, expectedVersion: 999 } })],
  ] as const)(
    "%s: an unknown id, another city's user of any role and the platform admin get the same answer",
    async (_name, mutation, variables) => {
      const unknown = await gql(server.url, mutation, variables('01a20000-0000-7000-8000-000000000000'), tebingAdmin);
      expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.id' });
      for (const who of ['platformAdmin', 'otherCityAdmin', 'otherCityViewer', 'otherCityReporter'] as const) {
        const r = await gql(server.url, mutation, variables(ids[who]!), tebingAdmin);
        expect(answer(r), who).toEqual(answer(unknown));
      }
      // Nothing was changed.
      const after = await ok<any>(server.url, '{ users(first: 100) { edges { node { name archivedAt } } } }', {}, admin);
      expect(after.users.edges.filter((e: any) => e.node.name === 'Diubah' || e.node.archivedAt)).toEqual([]);
      // Within its own city (whose users it lists) it may be told FORBIDDEN, and a stale version CONFLICT.
      expect((await gql(server.url, mutation, variables(ids.ownCityAdmin!), tebingAdmin)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await gql(server.url, mutation, variables(ids.ownReporter!), tebingAdmin)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    },
  );

  it('createUser: an email of another city, of the platform or of nobody gets the same answer to a request that fails for any other reason', async () => {
    const emails = ['dinkes@tanjungpinang.demo', 'admin@pantau.demo', 'kominfo@tebingtinggi.test', 'belum-ada-7c1e@tebingtinggi.test'];
    const valid = { name: 'Staf Baru', password: 'password-staf-baru-1', role: 'VIEWER', cityId: tebing };
    const invalid: Record<string, Record<string, unknown>> = {
      'a short password': { password: 'pendek' },
      'an empty name': { name: '   ' },
      'a reporter without an OPD': { role: 'OPD_REPORTER' },
      'an OPD of another city': { role: 'OPD_REPORTER', opdId: tpiOpd },
      'an OPD for a viewer': { opdId: tpiOpd },
    };
    for (const [why, change] of Object.entries(invalid)) {
      const answers = await Promise.all(
        emails.map(async (email) => answer(await gql(server.url, CREATE, { input: { ...valid, email, ...change } }, tebingAdmin))),
      );
      expect((answers[0] as any).errors?.[0]?.extensions?.code, why).toBe('BAD_USER_INPUT');
      expect((answers[0] as any).errors[0].extensions.field, why).not.toBe('input.email');
      for (const [i, a] of answers.entries()) expect(a, `${why}: ${emails[i]}`).toEqual(answers[0]);
    }
    // Valid in every other way: an email in use anywhere (another city, the platform, this city) is
    // refused with one answer, and nothing is created; a free one creates the account.
    const taken = await Promise.all(
      emails.slice(0, 3).map(async (email) => answer(await gql(server.url, CREATE, { input: { ...valid, email } }, tebingAdmin))),
    );
    expect((taken[0] as any).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.email' });
    for (const a of taken) expect(a).toEqual(taken[0]);
    const created = await ok<any>(server.url, CREATE, { input: { ...valid, email: emails[3] } }, tebingAdmin);
    expect(created.createUser.email).toBe(emails[3]);
    const all = await ok<any>(server.url, '{ users(first: 100) { edges { node { email } } } }', {}, admin);
    expect(all.users.edges.filter((e: any) => emails.includes(e.node.email))).toHaveLength(4);
  });

  it('users(cityId): another city and an unknown city get the same answer', async () => {
    const unknown = await gql(server.url, USERS, { id: '01a20000-0000-7000-8000-000000000000' }, tebingAdmin);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(answer(await gql(server.url, USERS, { id: ids.tpiCity }, tebingAdmin))).toEqual(answer(unknown));
  });
});
