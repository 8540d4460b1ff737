import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPrincipal, principalOf } from '../../server/auth/principal';
import { City } from '../../server/modules/cities/city.entity';
import { Role, User } from '../../server/modules/users/user.entity';
import { testDialects } from '../helpers/db';
import { startServer, type TestServer } from '../helpers/server';

// A request's principal is read with one prepared statement, not an entity (issue 9). It must be
// exactly the principal of the user entity, for every role, and refuse what the entity refuses.

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
});
