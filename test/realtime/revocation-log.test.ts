import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/core';
import { migrate } from '../../server/db/migrate';
import { openOrm } from '../../server/db/orm';
import { recordRevocations, RevocationFeed } from '../../server/events/revocations';
import { EVERY_SUBJECT } from '../../server/events/topics';
import { createTestDatabase, testDialects, type TestDatabase } from '../helpers/db';

/** The bound of the feeds here: short, as only the order of events matters. */
const BOUND_MS = 1_000;

describe.each(await testDialects())('the revocation log on %s', (dialect) => {
  let db: TestDatabase;
  let orm: MikroORM;

  /** A feed that has read the log's head (and reads it again only when told: no timer), its deliveries collected. */
  async function feed(): Promise<{ feed: RevocationFeed; heard: string[] }> {
    const heard: string[] = [];
    const f = new RevocationFeed(orm, { boundMs: BOUND_MS, log: () => {} });
    f.listen((subject) => heard.push(subject));
    await f.read();
    return { feed: f, heard };
  }

  /** Commits one transaction that revokes `subjects`; returns their numbers. */
  async function revoke(...subjects: string[]): Promise<number[]> {
    const revoked = await orm.em.fork().transactional((em) => recordRevocations(em, subjects, new Date()));
    return revoked.map((r) => r.seq!);
  }

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    orm = await openOrm(db.target);
    await migrate(orm);
  });

  afterAll(async () => {
    await orm?.close(true);
    await db?.drop();
  });

  it('numbers concurrent transactions one after another, with no gap and no collision', async () => {
    const before = (await revoke('u-0'))[0]!;
    const seqs = (await Promise.all(Array.from({ length: 12 }, (_, i) => revoke(`u-${i}a`, `u-${i}b`)))).flat();
    expect(seqs.sort((x, y) => x - y)).toEqual(Array.from({ length: 24 }, (_, i) => before + 1 + i));
  });

  it('delivers each revocation once, however it arrives (the write path, pub/sub, the log), in order', async () => {
    const { feed: f, heard } = await feed();
    const [first, second] = await revoke('user-1', 'screen:2');
    // Heard over pub/sub before the log is read: not delivered again from the log.
    f.deliver([{ seq: second!, subject: 'screen:2' }]);
    await f.read();
    expect(heard).toEqual(['screen:2', 'user-1']);
    // …nor again over pub/sub (a late echo), while a notice without a number always is.
    f.deliver([
      { seq: first!, subject: 'user-1' },
      { seq: null, subject: 'city:3' },
    ]);
    expect(heard).toEqual(['screen:2', 'user-1', 'city:3']);
    // Two instances: both hear it from the log; a notice that carried its number with another
    // subject (a wrong or forged one) hides nothing.
    const other = await feed();
    const [third] = await revoke('user-4');
    other.feed.deliver([{ seq: third!, subject: 'someone-else' }]);
    await Promise.all([f.read(), other.feed.read()]);
    expect(heard.at(-1)).toBe('user-4');
    expect(other.heard).toEqual(['someone-else', 'user-4']);
    expect(third).toBe(second! + 1);
  });

  it('re-checks everything when entries it never read are gone from the log', async () => {
    const { feed: f, heard } = await feed();
    const [gone] = await revoke('user-pruned');
    await revoke('user-kept');
    await orm.em.getConnection().execute('delete from revocations where seq = ?', [gone]);
    await f.read();
    expect(heard).toEqual([EVERY_SUBJECT, 'user-kept']);
  });

  it('is confirmed only while its last complete read began within the bound', async () => {
    const { feed: f } = await feed();
    expect(f.confirmed).toBe(true);
    const conn = orm.em.getConnection();
    await conn.execute('alter table revocations rename to revocations_away');
    try {
      // Every read fails from now on: the last good one began before this.
      await f.read();
      await new Promise((resolve) => setTimeout(resolve, BOUND_MS + 20));
      await f.read();
      expect(f.confirmed).toBe(false);
    } finally {
      await conn.execute('alter table revocations_away rename to revocations');
    }
    await f.read();
    expect(f.confirmed).toBe(true);
  });
});
