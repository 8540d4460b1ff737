// Issue 11 §5: the programme calendar — activities and visits with owners and deliverables, and
// `City.upcoming(days)`: what is due in the next days, ordered by date, on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../server/modules/audit/audit.entity';
import { addDays, todayIn } from '../../server/util/dates';
import { testDialects } from '../helpers/db';
import { codeOf, gql, login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';

const UPCOMING = `query ($id: ID!, $days: Int, $first: Int) { city(id: $id) { upcoming(days: $days, first: $first) {
  kind date startDate endDate daysAway title activityKind done ownerName ownerOpd { abbreviation }
  activity { id title } evaluationVisit { id year }
} } }`;

const CREATE = `mutation ($input: CreateActivityInput!) { createActivity(input: $input) {
  id version kind title ownerName ownerOpd { id abbreviation } deliverables { title dueDate done }
} }`;

describe.each(await testDialects())('programme calendar on %s', (dialect) => {
  let server: TestServer;
  let admin: string;
  let tpiAdmin: string;
  let tebingAdmin: string;
  let viewer: string;
  let reporter: string;
  let tpi: string;
  let tebing: string;
  let today: string;
  const opd = {} as Record<'tpiDinkes' | 'tebingDinkes', string>;
  const audits = () => server.orm.em.fork().count(AuditEntry, {});

  beforeAll(async () => {
    server = await startServer({ dialect, demo: true });
    today = todayIn('Asia/Jakarta');
    [admin, tpiAdmin, tebingAdmin, viewer, reporter] = (await Promise.all(
      [
        'admin@pantau.demo',
        'bappelitbang@tanjungpinang.demo',
        'bappeda@tebingtinggi.demo',
        'viewer@tanjungpinang.demo',
        'dinkes@tanjungpinang.demo',
      ].map((e) => login(server.url, e)),
    )) as [string, string, string, string, string];
    const { cities } = await ok<any>(server.url, '{ cities { id name opds { id abbreviation } } }', {}, admin);
    const byName = (n: string) => cities.find((c: any) => c.name === n);
    tpi = byName('Tanjungpinang').id;
    tebing = byName('Tebingtinggi').id;
    opd.tpiDinkes = byName('Tanjungpinang').opds.find((o: any) => o.abbreviation === 'Dinkes').id;
    opd.tebingDinkes = byName('Tebingtinggi').opds.find((o: any) => o.abbreviation === 'Dinkes').id;
  });
  afterAll(async () => server?.close());

  it("lists the demo's next 30 days in date order: events with owners, deliverables done or not, nothing outside the window", async () => {
    const { city } = await ok<any>(server.url, UPCOMING, { id: tpi, days: 30 }, viewer);
    const entries = city.upcoming;
    expect(entries.length).toBeGreaterThan(4);
    const dates = entries.map((e: any) => e.date);
    expect(dates).toEqual([...dates].sort());
    for (const e of entries) {
      expect(e.date >= today && e.date <= addDays(today, 30), e.title).toBe(true);
      expect(e.daysAway).toBe(Math.round((Date.parse(e.date) - Date.parse(today)) / 86_400_000));
    }
    const deadline = entries.find((e: any) => e.activityKind === 'MASTERPLAN_DEADLINE' && e.kind === 'ACTIVITY');
    expect(deadline).toMatchObject({
      date: addDays(today, 9),
      daysAway: 9,
      ownerName: 'Kepala Bappelitbang',
      ownerOpd: { abbreviation: 'Bappelitbang' },
    });
    const done = entries.find((e: any) => e.kind === 'DELIVERABLE' && e.date === addDays(today, 2));
    expect(done).toMatchObject({ done: true, activityKind: 'MASTERPLAN_DEADLINE', activity: { id: deadline.activity.id } });
    // The visit starts in 40 days, so only its deliverable due in 20 days is in this window.
    expect(entries.filter((e: any) => e.kind === 'EVALUATION_VISIT')).toEqual([]);
    expect(entries.find((e: any) => e.kind === 'DELIVERABLE' && e.evaluationVisit)).toMatchObject({
      daysAway: 20,
      done: false,
      ownerOpd: { abbreviation: 'Bappelitbang' },
    });
    // On the same day an event comes before its deliverable.
    const sameDay = entries.filter((e: any) => e.date === addDays(today, 9)).map((e: any) => e.kind);
    expect(sameDay).toEqual(['ACTIVITY', 'DELIVERABLE']);
  });

  it('looks up to 366 days ahead (the visit and the yearly review), caps with `first`, and refuses other windows with BAD_USER_INPUT on days', async () => {
    const year = (await ok<any>(server.url, UPCOMING, { id: tpi, days: 366 }, viewer)).city.upcoming;
    expect(year.find((e: any) => e.kind === 'EVALUATION_VISIT')).toMatchObject({
      daysAway: 40,
      title: expect.stringMatching(/^Kunjungan monev \d{4}$/),
    });
    expect(year.some((e: any) => e.activityKind === 'YEARLY_REVIEW')).toBe(true);
    const three = (await ok<any>(server.url, UPCOMING, { id: tpi, days: 366, first: 3 }, viewer)).city.upcoming;
    expect(three).toEqual(year.slice(0, 3));
    const defaults = (await ok<any>(server.url, `query ($id: ID!) { city(id: $id) { upcoming { date } } }`, { id: tpi }, viewer)).city
      .upcoming;
    expect(defaults.every((e: any) => e.date <= addDays(today, 30))).toBe(true);
    for (const days of [10_000, 367, -1]) {
      const r = await gql(server.url, UPCOMING, { id: tpi, days }, viewer);
      expect(r.errors?.[0]?.extensions, `days ${days}`).toMatchObject({ code: 'BAD_USER_INPUT', field: 'days' });
      expect(r.errors?.[0]?.message).toMatch(/hari/);
    }
    expect(codeOf(await gql(server.url, UPCOMING, { id: tpi, days: 30, first: 1_000 }, viewer))).toBe('BAD_USER_INPUT');
    const en = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${viewer}`, 'accept-language': 'en' },
      body: JSON.stringify({ query: UPCOMING, variables: { id: tpi, days: 366 } }),
    }).then((r) => r.json() as Promise<any>);
    expect(en.data.city.upcoming.find((e: any) => e.kind === 'EVALUATION_VISIT').title).toMatch(/^Evaluation visit \d{4}$/);
  });

  it('a city admin records a yearly review with an owner and deliverables; updates replace them; every write is audited and the calendar follows', async () => {
    const created = (
      await ok<any>(
        server.url,
        CREATE,
        {
          input: {
            cityId: tpi,
            kind: 'YEARLY_REVIEW',
            title: 'Reviu tahunan uji',
            startDate: addDays(today, 3),
            ownerOpdId: opd.tpiDinkes,
            ownerName: 'Sekretaris Dinkes',
            deliverables: [
              { title: 'Laporan B', dueDate: addDays(today, 6) },
              { title: 'Laporan A', dueDate: addDays(today, 4), done: true },
            ],
          },
        },
        tpiAdmin,
      )
    ).createActivity;
    expect(created).toMatchObject({ kind: 'YEARLY_REVIEW', ownerName: 'Sekretaris Dinkes', ownerOpd: { abbreviation: 'Dinkes' } });
    // Kept earliest due first.
    expect(created.deliverables).toEqual([
      { title: 'Laporan A', dueDate: addDays(today, 4), done: true },
      { title: 'Laporan B', dueDate: addDays(today, 6), done: false },
    ]);
    const listed = (await ok<any>(server.url, UPCOMING, { id: tpi, days: 7 }, viewer)).city.upcoming.filter(
      (e: any) => e.activity?.id === created.id,
    );
    expect(listed.map((e: any) => [e.kind, e.title, e.daysAway])).toEqual([
      ['ACTIVITY', 'Reviu tahunan uji', 3],
      ['DELIVERABLE', 'Laporan A', 4],
      ['DELIVERABLE', 'Laporan B', 6],
    ]);

    const updated = (
      await ok<any>(
        server.url,
        `mutation ($input: UpdateActivityInput!) { updateActivity(input: $input) { version ownerOpd { id } deliverables { title done } } }`,
        {
          input: {
            id: created.id,
            expectedVersion: created.version,
            ownerOpdId: null,
            deliverables: [{ title: 'Laporan B', dueDate: addDays(today, 6), done: true }],
          },
        },
        tpiAdmin,
      )
    ).updateActivity;
    expect(updated).toMatchObject({ version: created.version + 1, ownerOpd: null, deliverables: [{ title: 'Laporan B', done: true }] });
    const entries = await server.orm.em.fork().find(AuditEntry, { entity: 'Activity', entityId: created.id }, { orderBy: { id: 'asc' } });
    expect(entries.map((e) => e.action)).toEqual(['CREATE', 'UPDATE']);
    // A JSON column's change is kept as its JSON text.
    const after = entries[1]!.changes.deliverables?.after;
    expect(typeof after === 'string' ? JSON.parse(after) : after).toEqual([{ title: 'Laporan B', dueDate: addDays(today, 6), done: true }]);
    expect(entries[1]!.changes.ownerOpd).toEqual({ before: opd.tpiDinkes, after: null });

    // A visit gets deliverables the same way.
    const { city } = await ok<any>(
      server.url,
      `query ($id: ID!) { city(id: $id) { evaluationVisits { id version startDate } } }`,
      { id: tpi },
      tpiAdmin,
    );
    const next = city.evaluationVisits.find((v: any) => v.startDate >= today);
    const visit = (
      await ok<any>(
        server.url,
        `mutation ($input: UpdateEvaluationVisitInput!) { updateEvaluationVisit(input: $input) { ownerName deliverables { title dueDate } } }`,
        {
          input: {
            id: next.id,
            expectedVersion: next.version,
            ownerName: 'Asisten II',
            deliverables: [{ title: 'Daftar inovasi berbasis TI', dueDate: addDays(today, 1) }],
          },
        },
        tpiAdmin,
      )
    ).updateEvaluationVisit;
    expect(visit).toEqual({ ownerName: 'Asisten II', deliverables: [{ title: 'Daftar inovasi berbasis TI', dueDate: addDays(today, 1) }] });
    const soon = (await ok<any>(server.url, UPCOMING, { id: tpi, days: 1 }, viewer)).city.upcoming;
    expect(soon.find((e: any) => e.title === 'Daftar inovasi berbasis TI')).toMatchObject({
      kind: 'DELIVERABLE',
      ownerName: 'Asisten II',
      evaluationVisit: { id: next.id },
    });
  });

  it('refuses bad deliverables, another city’s OPD and foreign cities with typed errors, and writes nothing', async () => {
    const base = { cityId: tpi, kind: 'MASTERPLAN_DEADLINE', title: 'Batas uji', startDate: today };
    const before = await audits();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ ...base, deliverables: [{ title: 'A', dueDate: '2026-02-30' }] }, tpiAdmin, 'input.deliverables.0.dueDate'],
      [
        {
          ...base,
          deliverables: [
            { title: 'A', dueDate: today },
            { title: '  ', dueDate: today },
          ],
        },
        tpiAdmin,
        'input.deliverables.1.title',
      ],
      [
        { ...base, deliverables: Array.from({ length: 31 }, (_, i) => ({ title: `D${i}`, dueDate: today })) },
        tpiAdmin,
        'input.deliverables',
      ],
      [{ ...base, deliverables: [{ title: 'x'.repeat(301), dueDate: today }] }, tpiAdmin, 'input.deliverables.0.title'],
      // An OPD of another city is unknown here.
      [{ ...base, ownerOpdId: opd.tebingDinkes }, tpiAdmin, 'input.ownerOpdId'],
      [{ ...base, ownerOpdId: 'not-a-uuid' }, tpiAdmin, 'input.ownerOpdId'],
      // Another city's admin cannot name Tanjungpinang at all.
      [{ ...base }, tebingAdmin, 'input.cityId'],
    ];
    for (const [input, token, field] of cases) {
      const r = await gql(server.url, CREATE, { input }, token);
      expect(r.errors?.[0]?.extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect(codeOf(await gql(server.url, CREATE, { input: base }, reporter))).toBe('FORBIDDEN');
    expect(codeOf(await gql(server.url, CREATE, { input: base }, viewer))).toBe('FORBIDDEN');
    expect(await audits()).toBe(before);
    // Reading another city's calendar is NOT_FOUND, like the city itself.
    expect(codeOf(await gql(server.url, UPCOMING, { id: tpi, days: 30 }, tebingAdmin))).toBe('NOT_FOUND');
    expect((await ok<any>(server.url, UPCOMING, { id: tebing, days: 30 }, tebingAdmin)).city.upcoming.length).toBeGreaterThan(0);
  });
});
