import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPrincipal, loadScreenPrincipal, principalOf, screenPrincipalOf } from '../../server/auth/principal';
import { City } from '../../server/modules/cities/city.entity';
import { formatScreenToken, hashScreenSecret, newScreenSecret } from '../../server/modules/screens/screen-secret';
import { ScreenToken } from '../../server/modules/screens/screen-token.entity';
import { Role, User } from '../../server/modules/users/user.entity';
import { testDialects } from '../helpers/db';
import { startServer, type TestServer } from '../helpers/server';

// A request's principal is read with one prepared statement, not an entity (issue 9). It must be
// exactly the principal of the user entity, for every role, and refuse what the entity refuses;
// a screen token's the principal of its token entity, refused when revoked, archived or its city is.

describe.each(await testDialects())('loading a principal on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ dialect });
  });
  afterAll(async () => server?.close());

  it("is the user entity's principal for every demo user, an evaluator of two cities among them", async () => {
    const em = server.orm.em.fork();
    const cities = await em.find(City, {}, { orderBy: { name: 'asc' } });
    const evaluator = new User('penilai@kementerian.demo', 'Penilai Kementerian', 'x', Role.EVALUATOR);
    evaluator.evaluatorCityIds = cities.slice(0, 2).map((c) => c.id);
    await em.persist(evaluator).flush();
    const users = await server.orm.em.fork().find(User, { archivedAt: null });
    expect(new Set(users.map((u) => u.role)).size).toBeGreaterThanOrEqual(4);
    for (const user of users) {
      const loaded = await loadPrincipal(server.orm, { sub: user.id, gen: user.sessionGeneration });
      expect(loaded, user.email).toEqual(principalOf(user));
    }
    expect((await loadPrincipal(server.orm, { sub: evaluator.id, gen: evaluator.sessionGeneration }))?.cityIds).toHaveLength(2);
  });

  it('refuses an earlier session generation, an archived user and an unknown id', async () => {
    const em = server.orm.em.fork();
    const [user, other] = await em.find(User, { role: Role.OPD_REPORTER }, { limit: 2 });
    expect(await loadPrincipal(server.orm, { sub: user!.id, gen: user!.sessionGeneration + 1 })).toBeNull();
    other!.archivedAt = new Date();
    await em.flush();
    expect(await loadPrincipal(server.orm, { sub: other!.id, gen: other!.sessionGeneration })).toBeNull();
    expect(await loadPrincipal(server.orm, { sub: 'bukan-pengguna', gen: 0 })).toBeNull();
  });

  /** A screen token of `city` created as `createScreenToken` does; answers the entity and the token text. */
  async function screen(city: City): Promise<{ entity: ScreenToken; token: string }> {
    const em = server.orm.em.fork();
    const admin = await em.findOneOrFail(User, { role: Role.PLATFORM_ADMIN });
    const secret = newScreenSecret();
    const entity = new ScreenToken(em.getReference(City, city.id), 'Ruang Rapat Bappelitbang', hashScreenSecret(secret), admin);
    await em.persist(entity).flush();
    return { entity, token: formatScreenToken(entity.id, secret) };
  }

  it("is a screen token's principal as its entity gives it, and notes lastUsedAt at most once a minute without a new version", async () => {
    const [city] = await server.orm.em.fork().find(City, { archivedAt: null }, { orderBy: { name: 'asc' }, limit: 1 });
    const { entity, token } = await screen(city!);
    const now = new Date('2026-11-30T08:00:00Z');
    const loaded = await loadScreenPrincipal(server.orm, token, now);
    expect(loaded).toEqual(screenPrincipalOf(entity));
    expect(loaded).toMatchObject({ userId: `screen:${entity.id}`, role: Role.VIEWER, cityIds: [city!.id], isScreen: true });
    const read = async () => server.orm.em.fork().findOneOrFail(ScreenToken, { id: entity.id });
    const first = await read();
    expect(first.lastUsedAt?.getTime()).toBe(now.getTime());
    expect(first.version).toBe(entity.version);
    // Within the minute: not written again; after it: written.
    await loadScreenPrincipal(server.orm, token, new Date(now.getTime() + 30_000));
    expect((await read()).lastUsedAt?.getTime()).toBe(now.getTime());
    const later = new Date(now.getTime() + 61_000);
    expect(await loadScreenPrincipal(server.orm, token, later)).toEqual(loaded);
    expect((await read()).lastUsedAt?.getTime()).toBe(later.getTime());
    expect((await read()).version).toBe(entity.version);
  });

  it('refuses a screen token that is malformed, unknown, has the wrong secret, is revoked or archived, or whose city is archived', async () => {
    const now = new Date('2026-11-30T09:00:00Z');
    const cities = await server.orm.em.fork().find(City, { archivedAt: null }, { orderBy: { name: 'asc' } });
    expect(cities.length).toBeGreaterThanOrEqual(2);
    const { entity, token } = await screen(cities[0]!);
    expect(await loadScreenPrincipal(server.orm, 'pst_tanpa-titik', now)).toBeNull();
    expect(await loadScreenPrincipal(server.orm, formatScreenToken(entity.id, newScreenSecret()), now)).toBeNull();
    expect(
      await loadScreenPrincipal(server.orm, formatScreenToken('00000000-0000-4000-8000-000000000000', newScreenSecret()), now),
    ).toBeNull();
    const revoked = await screen(cities[0]!);
    const archived = await screen(cities[0]!);
    const ofArchivedCity = await screen(cities[1]!);
    for (const t of [revoked, archived, ofArchivedCity]) expect(await loadScreenPrincipal(server.orm, t.token, now)).not.toBeNull();
    const em = server.orm.em.fork();
    (await em.findOneOrFail(ScreenToken, { id: revoked.entity.id })).revokedAt = now;
    (await em.findOneOrFail(ScreenToken, { id: archived.entity.id })).archivedAt = now;
    (await em.findOneOrFail(City, { id: cities[1]!.id })).archivedAt = now;
    await em.flush();
    for (const t of [revoked, archived, ofArchivedCity]) expect(await loadScreenPrincipal(server.orm, t.token, now)).toBeNull();
    expect(await loadScreenPrincipal(server.orm, token, now)).not.toBeNull();
  });
});
