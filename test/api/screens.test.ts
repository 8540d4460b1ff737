import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { getSchema } from '../../server/graphql/schema';
import { AuditAction, AuditEntry } from '../../server/modules/audit/audit.entity';
import { ScreenToken } from '../../server/modules/screens/screen-token.entity';
import { CityEvent } from '../../server/events/event.entity';
import { testDialects } from '../helpers/db';
import { codeOf, gql, login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';

const CREATE =
  'mutation ($input: CreateScreenTokenInput!) { createScreenToken(input: $input) { token screenToken { id label version city { id name } createdAt revokedAt createdByName } } }';
const REVOKE = 'mutation ($input: VersionedInput!) { revokeScreenToken(input: $input) { id version revokedAt } }';
const LIST = 'query ($cityId: ID!) { screenTokens(cityId: $cityId) { id label revokedAt lastUsedAt city { id } } }';
const SUMMARY = 'subscription ($id: ID!) { citySummary(cityId: $id) { progress seq } }';
const TOKEN_RE = /^pst_([0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

/** A value the input type accepts: only its required fields, with made-up values (random ids). */
function sampleInput(type: GraphQLInputType): unknown {
  const t = getNullableType(type);
  if (isListType(t)) return [];
  if (isEnumType(t)) return t.getValues()[0]!.value;
  if (isInputObjectType(t)) {
    return Object.fromEntries(
      Object.values(t.getFields())
        .filter((f) => isNonNullType(f.type) && f.defaultValue === undefined)
        .map((f) => [f.name, sampleInput(f.type)]),
    );
  }
  switch (getNamedType(t).name) {
    case 'ID':
      return randomUUID();
    case 'String':
      return 'x';
    case 'Int':
    case 'Float':
    case 'SafeInt':
      return 1;
    case 'Boolean':
      return false;
    case 'DateTimeISO':
      return '2026-01-01T00:00:00.000Z';
    case 'JSON':
      return {};
  }
  throw new Error(`no sample for ${String(t)}`);
}

/** A graphql-ws client that connects at once and records how it closes. */
function screenSocket(url: string, token: string): { client: Client; closed: Promise<{ code: number; at: number }> } {
  let onClosed: (v: { code: number; at: number }) => void = () => {};
  const closed = new Promise<{ code: number; at: number }>((resolve) => (onClosed = resolve));
  const client = createClient({
    url: `${url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => {},
    on: { closed: (e) => onClosed({ code: (e as { code: number }).code, at: Date.now() }) },
  });
  return { client, closed };
}

/** The first value of a subscription (or its error). */
function firstValue<T = any>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  timeoutMs = 10_000,
): Promise<{ data?: T; errors?: readonly { extensions?: Record<string, unknown> }[] }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no value in ${timeoutMs} ms`)), timeoutMs);
    client.subscribe<T>(
      { query, variables },
      {
        next: (v) => {
          clearTimeout(timer);
          resolve(v as never);
        },
        error: (e) => {
          clearTimeout(timer);
          resolve({
            errors: Array.isArray(e) ? e : [{ extensions: { code: 'SOCKET', detail: String((e as { code?: number }).code ?? e) } }],
          });
        },
        complete: () => {},
      },
    );
  });
}

describe.each(await testDialects())('meeting-room screen tokens on %s', (dialect) => {
  let server: TestServer;
  let schema: GraphQLSchema;
  const tok = {} as Record<'platform' | 'admin' | 'viewer' | 'reporter' | 'tebing', string>;
  let tpi: { id: string; name: string };
  let tebing: { id: string; name: string };
  let screen: { id: string; token: string };
  // The server's clock runs ahead by this much (to pass the lastUsedAt interval).
  let clockOffsetMs = 0;

  const audits = () => server.orm.em.fork().count(AuditEntry, {});
  const create = (cityId: string, label: string, token = tok.admin) => gql<any>(server.url, CREATE, { input: { cityId, label } }, token);

  beforeAll(async () => {
    server = await startServer({ dialect, demo: true, clock: () => new Date(Date.now() + clockOffsetMs) });
    schema = await getSchema();
    tok.platform = await login(server.url, 'admin@pantau.demo');
    tok.admin = await login(server.url, 'bappelitbang@tanjungpinang.demo');
    tok.viewer = await login(server.url, 'viewer@tanjungpinang.demo');
    tok.reporter = await login(server.url, 'dinkes@tanjungpinang.demo');
    tok.tebing = await login(server.url, 'bappeda@tebingtinggi.demo');
    const cities = await ok<any>(server.url, '{ cities { id name } }', {}, tok.platform);
    tpi = cities.cities.find((c: any) => c.name.includes('Tanjungpinang'));
    tebing = cities.cities.find((c: any) => c.name.includes('Tebingtinggi'));
    const r = await create(tpi.id, 'Ruang Rapat Bappelitbang');
    expect(r.errors).toBeUndefined();
    screen = { id: r.data.createScreenToken.screenToken.id, token: r.data.createScreenToken.token };
  });
  afterAll(async () => server?.close());

  it('creates a token shown once, stores only the hash of its secret, and audits and events the write', async () => {
    const before = await audits();
    const r = await create(tpi.id, '  Ruang Rapat Wali Kota  ');
    expect(r.errors).toBeUndefined();
    const { token, screenToken } = r.data.createScreenToken;
    const [, id, secret] = TOKEN_RE.exec(token) ?? [];
    expect(id).toBe(screenToken.id);
    expect(screenToken).toMatchObject({
      label: 'Ruang Rapat Wali Kota',
      version: 1,
      city: { id: tpi.id, name: tpi.name },
      revokedAt: null,
      createdByName: expect.any(String),
    });
    expect(Date.parse(screenToken.createdAt)).not.toBeNaN();

    const em = server.orm.em.fork();
    const row = await em.findOneOrFail(ScreenToken, { id: screenToken.id });
    expect(row.tokenHash).toBe(createHash('sha256').update(secret!).digest('hex'));
    const raw = await em.getConnection().execute('select * from screen_tokens where id = ?', [screenToken.id]);
    expect(JSON.stringify(raw)).not.toContain(secret);

    expect(await audits()).toBe(before + 1);
    const entry = await em.findOneOrFail(AuditEntry, { entity: 'ScreenToken', entityId: screenToken.id });
    expect(entry).toMatchObject({ action: 'CREATE', city: { id: tpi.id } });
    expect(entry.changes.tokenHash).toEqual({ before: null, after: '***' });
    expect(JSON.stringify(entry.changes)).not.toContain(secret);
    expect(await em.count(CityEvent, { entity: 'ScreenToken', entityId: screenToken.id, kind: 'SCREEN_TOKEN_CREATED' })).toBe(1);

    // The list shows it, never the token or its hash.
    const list = await ok<any>(server.url, LIST, { cityId: tpi.id }, tok.admin);
    expect(list.screenTokens.map((t: any) => t.id)).toEqual(expect.arrayContaining([screen.id, screenToken.id]));
    expect(JSON.stringify(list)).not.toContain(secret);
    const all = await ok<any>(server.url, LIST, { cityId: tpi.id }, tok.platform);
    expect(all.screenTokens.length).toBe(list.screenTokens.length);
  });

  it('answers the kiosk dashboard URL: this server, the city and a token that works, in the fragment', async () => {
    const mutation =
      'mutation ($input: CreateScreenTokenInput!) { createScreenToken(input: $input) { token dashboardUrl screenToken { id } } }';
    const r = await ok<any>(server.url, mutation, { input: { cityId: tpi.id, label: 'Ruang Rapat Wali Kota' } }, tok.admin);
    const { token, dashboardUrl } = r.createScreenToken;
    const url = new URL(dashboardUrl);
    expect(url.origin).toBe(server.url);
    expect(url.pathname).toBe('/dashboard/');
    expect(url.search).toBe('');
    const fragment = new URLSearchParams(url.hash.slice(1));
    expect([...fragment.keys()]).toEqual(['city', 'token', 'views', 'rotate', 'lang']);
    expect(fragment.get('city')).toBe(tpi.id);
    expect(fragment.get('token')).toBe(token);
    expect(fragment.get('token')).toMatch(TOKEN_RE);
    expect(fragment.get('views')!.split(',')).toEqual(['ringkasan', 'opd', 'dimensi', 'tren']);
    expect(fragment.get('rotate')).toBe('30');
    expect(fragment.get('lang')).toBe('id');
    expect(dashboardUrl).toBe(`${server.url}/dashboard/#city=${tpi.id}&token=${token}&views=ringkasan,opd,dimensi,tren&rotate=30&lang=id`);
    // The token in the URL reads the city in the URL.
    const read = await ok<any>(server.url, '{ me { name } }', {}, fragment.get('token')!);
    expect(read.me.name).toBe('Ruang Rapat Wali Kota');
    const city = await ok<any>(
      server.url,
      'query ($id: ID!) { city(id: $id) { id name } }',
      { id: fragment.get('city') },
      fragment.get('token')!,
    );
    expect(city.city).toEqual({ id: tpi.id, name: tpi.name });
    // Not even a trusted proxy's X-Forwarded-Host shapes it (it is the client's Host): without
    // PUBLIC_URL a host other than loopback gets a path (test/api/screen-links.test.ts).
    const proxied = await gql<any>(server.url, mutation, { input: { cityId: tpi.id, label: 'Layar lobi' } }, tok.admin, {
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'pantau.tanjungpinangkota.go.id',
    });
    expect(proxied.data.createScreenToken.dashboardUrl).toMatch(/^\/dashboard\/#city=/);
  });

  it('reads its one city as a read-only viewer named after its label', async () => {
    const me = await ok<any>(server.url, '{ me { id name email role cityId cityIds opdId permissions } }', {}, screen.token);
    expect(me.me).toEqual({
      id: `screen:${screen.id}`,
      name: 'Ruang Rapat Bappelitbang',
      email: '',
      role: 'VIEWER',
      cityId: tpi.id,
      cityIds: [tpi.id],
      opdId: null,
      permissions: ['city:read'],
    });

    const city = await ok<any>(
      server.url,
      'query ($id: ID!) { city(id: $id) { name overview { progress counts { total } } actionPlans(first: 1) { edges { node { id } } } } cities { id } }',
      { id: tpi.id },
      screen.token,
    );
    expect(city.city.name).toBe(tpi.name);
    expect(city.city.overview.counts.total).toBeGreaterThan(0);
    expect(city.cities).toEqual([{ id: tpi.id }]);

    // Another city, or one of its plans: as if it did not exist.
    expect(codeOf(await gql(server.url, 'query ($id: ID!) { city(id: $id) { name } }', { id: tebing.id }, screen.token))).toBe('NOT_FOUND');
    const tebingPlan = await ok<any>(
      server.url,
      'query ($id: ID!) { city(id: $id) { actionPlans(first: 1) { edges { node { id } } } } }',
      { id: tebing.id },
      tok.tebing,
    );
    expect(
      codeOf(
        await gql(
          server.url,
          'query ($id: ID!) { actionPlan(id: $id) { id } }',
          { id: tebingPlan.city.actionPlans.edges[0].node.id },
          screen.token,
        ),
      ),
    ).toBe('NOT_FOUND');

    // Nothing an administrator reads.
    expect(codeOf(await gql(server.url, LIST, { cityId: tpi.id }, screen.token))).toBe('FORBIDDEN');
    expect(codeOf(await gql(server.url, LIST, { cityId: tebing.id }, screen.token))).toBe('NOT_FOUND');
    expect(codeOf(await gql(server.url, 'query ($id: ID!) { auditLog(cityId: $id) { totalCount } }', { id: tpi.id }, screen.token))).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(await gql(server.url, 'query ($id: ID!) { users(cityId: $id) { totalCount } }', { id: tpi.id }, screen.token))).toBe(
      'FORBIDDEN',
    );
  });

  it('notes lastUsedAt at most once a minute, without touching the version', async () => {
    const row = () => server.orm.em.fork().findOneOrFail(ScreenToken, { id: screen.id });
    await ok(server.url, '{ me { name } }', {}, screen.token);
    const first = (await row()).lastUsedAt;
    expect(first).toBeInstanceOf(Date);
    await ok(server.url, '{ me { name } }', {}, screen.token);
    expect((await row()).lastUsedAt).toEqual(first);
    clockOffsetMs += 61_000;
    await ok(server.url, '{ me { name } }', {}, screen.token);
    const later = await row();
    expect(later.lastUsedAt!.getTime()).toBeGreaterThanOrEqual(first!.getTime() + 61_000);
    // So revoking with the version one read still works.
    expect(later.version).toBe(1);
    const listed = await ok<any>(server.url, LIST, { cityId: tpi.id }, tok.admin);
    expect(Date.parse(listed.screenTokens.find((t: any) => t.id === screen.id).lastUsedAt)).toBe(later.lastUsedAt!.getTime());
  });

  it('is FORBIDDEN every mutation of the schema, before looking anything up, and writes nothing', async () => {
    const mutations = Object.values(schema.getMutationType()!.getFields());
    expect(mutations.map((m) => m.name)).toContain('createScreenToken');
    const before = await audits();
    for (const m of mutations) {
      const arg = m.args[0]!;
      const r = await gql(
        server.url,
        `mutation ($input: ${String(arg.type)}) { ${m.name}(${arg.name}: $input) { __typename } }`,
        { input: sampleInput(arg.type) },
        screen.token,
      );
      expect(codeOf(r), `${m.name}: ${JSON.stringify(r.errors)}`).toBe('FORBIDDEN');
    }
    // With real ids of its own city, too.
    const mine = await ok<any>(
      server.url,
      'query ($id: ID!) { city(id: $id) { version opds { id version } } }',
      { id: tpi.id },
      screen.token,
    );
    expect(
      codeOf(
        await gql(
          server.url,
          'mutation ($input: UpdateCityInput!) { updateCity(input: $input) { id } }',
          { input: { id: tpi.id, expectedVersion: mine.city.version, province: 'Riau' } },
          screen.token,
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(
      codeOf(
        await gql(
          server.url,
          'mutation ($input: VersionedInput!) { archiveOpd(input: $input) { id } }',
          { input: { id: mine.city.opds[0].id, expectedVersion: mine.city.opds[0].version } },
          screen.token,
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(codeOf(await create(tpi.id, 'Layar tambahan', screen.token))).toBe('FORBIDDEN');
    expect(codeOf(await gql(server.url, REVOKE, { input: { id: screen.id, expectedVersion: 1 } }, screen.token))).toBe('FORBIDDEN');
    expect(
      codeOf(
        await gql(
          server.url,
          'mutation { login(input: { email: "viewer@tanjungpinang.demo", password: "pantau-demo" }) { token } }',
          {},
          screen.token,
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(await audits()).toBe(before);
    expect((await server.orm.em.fork().findOneOrFail(ScreenToken, { id: screen.id })).revokedAt).toBeNull();
  });

  it('lets only the city admins of the city and platform admins create, list and revoke', async () => {
    const before = await audits();
    for (const who of ['viewer', 'reporter'] as const) {
      expect(codeOf(await create(tpi.id, 'Layar', tok[who])), who).toBe('FORBIDDEN');
      expect(codeOf(await gql(server.url, LIST, { cityId: tpi.id }, tok[who])), who).toBe('FORBIDDEN');
      expect(codeOf(await gql(server.url, REVOKE, { input: { id: screen.id, expectedVersion: 1 } }, tok[who])), who).toBe('FORBIDDEN');
    }
    // The admin of another city: Tanjungpinang's city and tokens do not exist for it.
    const other = await create(tpi.id, 'Layar siluman', tok.tebing);
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.cityId' });
    const revoke = await gql(server.url, REVOKE, { input: { id: screen.id, expectedVersion: 1 } }, tok.tebing);
    expect(revoke.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.id' });
    expect(JSON.stringify(revoke.errors)).not.toContain('Tanjungpinang');
    expect(codeOf(await gql(server.url, LIST, { cityId: tpi.id }, tok.tebing))).toBe('NOT_FOUND');
    // A Tanjungpinang admin is refused Tebingtinggi the same way.
    expect((await create(tebing.id, 'Layar', tok.admin)).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.cityId',
    });
    // Bad input.
    expect((await create(tpi.id, '   ')).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.label' });
    expect((await create(tpi.id, 'x'.repeat(201))).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.label' });
    expect((await create(randomUUID(), 'Layar')).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.cityId' });
    expect(codeOf(await gql(server.url, LIST, { cityId: tpi.id }))).toBe('UNAUTHENTICATED');
    expect(await audits()).toBe(before);

    // A platform admin may create one for any city; Tebingtinggi's admin sees only its own.
    const t = await create(tebing.id, 'Ruang Rapat Bappeda', tok.platform);
    expect(t.errors).toBeUndefined();
    const list = await ok<any>(server.url, LIST, { cityId: tebing.id }, tok.tebing);
    expect(list.screenTokens.map((x: any) => x.label)).toEqual(['Ruang Rapat Bappeda']);
  });

  it('stops working once revoked (401 UNAUTHENTICATED), audited, with optimistic locking', async () => {
    const created = await create(tpi.id, 'Ruang Rapat Sekda');
    const { token, screenToken } = created.data.createScreenToken;
    await ok(server.url, '{ me { name } }', {}, token);
    const before = await audits();
    expect(codeOf(await gql(server.url, REVOKE, { input: { id: screenToken.id, expectedVersion: 7 } }, tok.admin))).toBe('CONFLICT');
    const revoked = await ok<any>(server.url, REVOKE, { input: { id: screenToken.id, expectedVersion: 1 } }, tok.admin);
    expect(revoked.revokeScreenToken).toMatchObject({ id: screenToken.id, version: 2, revokedAt: expect.any(String) });
    expect(await audits()).toBe(before + 1);
    const entry = await server.orm.em
      .fork()
      .findOneOrFail(AuditEntry, { entity: 'ScreenToken', entityId: screenToken.id, action: AuditAction.UPDATE });
    expect(Object.keys(entry.changes)).toEqual(['revokedAt']);

    const r = await gql(server.url, '{ me { name } }', {}, token);
    expect(r.status).toBe(401);
    expect(codeOf(r)).toBe('UNAUTHENTICATED');
    // Revoking again changes nothing; the list still shows it, revoked.
    const again = await ok<any>(server.url, REVOKE, { input: { id: screenToken.id, expectedVersion: 2 } }, tok.admin);
    expect(again.revokeScreenToken).toEqual(revoked.revokeScreenToken);
    expect(await audits()).toBe(before + 1);
    const list = await ok<any>(server.url, LIST, { cityId: tpi.id }, tok.admin);
    expect(list.screenTokens.find((t: any) => t.id === screenToken.id).revokedAt).toBe(revoked.revokeScreenToken.revokedAt);
  });

  it('refuses malformed, unknown and forged tokens, and tokens of an archived city', async () => {
    const [, id, secret] = TOKEN_RE.exec(screen.token)!;
    const forged = [
      'pst_',
      'pst_garbage',
      `pst_${id}`,
      `pst_${id}.${secret!.slice(0, -1)}`,
      `pst_${id}.${secret!.slice(0, -1)}${secret!.endsWith('A') ? 'B' : 'A'}`,
      `pst_${randomUUID()}.${secret}`,
      `pst_${id!.toUpperCase()}.${secret}`,
      `${screen.token}x`,
    ];
    for (const token of forged) {
      const r = await gql(server.url, '{ me { name } }', {}, token);
      expect(r.status, token).toBe(401);
      expect(codeOf(r), token).toBe('UNAUTHENTICATED');
    }
    await ok(server.url, '{ me { name } }', {}, screen.token);

    const city = await ok<any>(
      server.url,
      'mutation { createCity(input: { name: "Kota Layar", province: "Riau" }) { id version } }',
      {},
      tok.platform,
    );
    const t = await create(city.createCity.id, 'Layar', tok.platform);
    await ok(server.url, '{ me { name } }', {}, t.data.createScreenToken.token);
    await ok(
      server.url,
      'mutation ($input: VersionedInput!) { archiveCity(input: $input) { id } }',
      { input: { id: city.createCity.id, expectedVersion: city.createCity.version } },
      tok.platform,
    );
    expect((await gql(server.url, '{ me { name } }', {}, t.data.createScreenToken.token)).status).toBe(401);
  });

  it('reads live updates over WebSocket, writes nothing there either, and is disconnected within seconds when revoked', async () => {
    const created = await create(tpi.id, 'Ruang Rapat Bappelitbang (layar 2)');
    const { token, screenToken } = created.data.createScreenToken;
    const { client, closed } = screenSocket(server.url, token);
    try {
      const first = await firstValue(client, SUMMARY, { id: tpi.id });
      expect(first.errors).toBeUndefined();
      expect(first.data.citySummary).toMatchObject({ progress: expect.any(Number), seq: expect.any(Number) });
      // Not another city, and no mutation over the socket.
      const other = await firstValue(client, SUMMARY, { id: tebing.id });
      expect(other.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const write = await firstValue(client, 'mutation ($input: CreateScreenTokenInput!) { createScreenToken(input: $input) { token } }', {
        input: { cityId: tpi.id, label: 'Layar siluman' },
      });
      expect(write.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

      const revokedAt = Date.now();
      await ok(server.url, REVOKE, { input: { id: screenToken.id, expectedVersion: 1 } }, tok.admin);
      const result = await Promise.race([closed, new Promise<null>((resolve) => setTimeout(() => resolve(null), 5_000))]);
      expect(result, 'the socket closed within 5 s').not.toBeNull();
      expect(result!.code).toBe(4401);
      expect(result!.at - revokedAt).toBeLessThan(5_000);
    } finally {
      await client.dispose();
    }

    // A revoked token cannot connect again.
    const again = screenSocket(server.url, token);
    try {
      const r = await Promise.race([again.closed, new Promise<null>((resolve) => setTimeout(() => resolve(null), 5_000))]);
      expect(r?.code).toBe(4403);
    } finally {
      await again.client.dispose();
    }
  });
});

describe.each(await testDialects())('screen dashboard URL with PUBLIC_URL on %s', (dialect) => {
  const ADMIN = { PANTAU_ADMIN_EMAIL: 'root@pantau.test', PANTAU_ADMIN_PASSWORD: 'correct-horse-battery' };
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ dialect, demo: false, env: { ...ADMIN, PUBLIC_URL: 'https://kota.go.id/pantau/' } });
  });
  afterAll(async () => server?.close());

  it('starts with PUBLIC_URL, whatever address the request came in at', async () => {
    const token = await login(server.url, ADMIN.PANTAU_ADMIN_EMAIL, ADMIN.PANTAU_ADMIN_PASSWORD);
    const city = await ok<any>(server.url, 'mutation { createCity(input: { name: "Kota Uji", province: "Riau" }) { id } }', {}, token);
    const r = await ok<any>(
      server.url,
      'mutation ($input: CreateScreenTokenInput!) { createScreenToken(input: $input) { token dashboardUrl } }',
      { input: { cityId: city.createCity.id, label: 'Layar' } },
      token,
    );
    const { dashboardUrl, token: screenToken } = r.createScreenToken;
    expect(dashboardUrl).toBe(
      `https://kota.go.id/pantau/dashboard/#city=${city.createCity.id}&token=${screenToken}&views=ringkasan,opd,dimensi,tren&rotate=30&lang=id`,
    );
    const fragment = new URLSearchParams(new URL(dashboardUrl).hash.slice(1));
    expect((await ok<any>(server.url, '{ me { name } }', {}, fragment.get('token')!)).me.name).toBe('Layar');
  });
});
