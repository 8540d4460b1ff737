// Issue 11 §6: the risk register per quick win — CRUD for the city's admins, audited, validated,
// scoped to the city; the 5×5 matrix counts what is not closed. On both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../server/modules/audit/audit.entity';
import { Risk } from '../../server/modules/risks/risk.entity';
import { riskLevel, riskMatrix } from '../../server/modules/risks/severity';
import { testDialects } from '../helpers/db';
import { codeOf, gql, login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';

const RISKS = `query ($id: ID!, $programId: ID, $status: RiskStatus) { city(id: $id) {
  risks(programId: $programId, status: $status) { id version description likelihood impact score level status mitigation program { id name quickWin } ownerOpd { abbreviation } }
  riskMatrix(programId: $programId) { total cells { likelihood impact score level count } }
} }`;
const CREATE = `mutation ($input: CreateRiskInput!) { createRisk(input: $input) { id version score level status program { id } ownerOpd { id } } }`;
const UPDATE = `mutation ($input: UpdateRiskInput!) { updateRisk(input: $input) { id version likelihood impact score level status mitigation ownerOpd { id } } }`;

describe('risk severity (pure)', () => {
  it('bands likelihood × impact and lays the 25 cells out likelihood 5→1, impact 1→5', () => {
    expect([1, 4, 5, 9, 10, 14, 15, 25].map(riskLevel)).toEqual([
      'LOW',
      'LOW',
      'MEDIUM',
      'MEDIUM',
      'HIGH',
      'HIGH',
      'VERY_HIGH',
      'VERY_HIGH',
    ]);
    const cells = riskMatrix([
      { likelihood: 5, impact: 1 },
      { likelihood: 5, impact: 1 },
      { likelihood: 1, impact: 5 },
    ]);
    expect(cells).toHaveLength(25);
    expect(cells[0]).toEqual({ likelihood: 5, impact: 1, score: 5, level: 'MEDIUM', count: 2 });
    expect(cells[24]).toEqual({ likelihood: 1, impact: 5, score: 5, level: 'MEDIUM', count: 1 });
    expect(cells.reduce((n, c) => n + c.count, 0)).toBe(3);
  });
});

describe.each(await testDialects())('risk register on %s', (dialect) => {
  let server: TestServer;
  let admin: string;
  let tpiAdmin: string;
  let tebingAdmin: string;
  let reporter: string;
  let viewer: string;
  let tpi: string;
  let tebing: string;
  const f = {} as Record<'health' | 'data' | 'notQuickWin' | 'tebingQuickWin' | 'dinkes' | 'tebingOpd', string>;
  const audits = () => server.orm.em.fork().count(AuditEntry, {});
  const risks = () => server.orm.em.fork().count(Risk, {});

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
    const load = async (name: string) =>
      (
        await ok<any>(
          server.url,
          'query ($id: ID!) { city(id: $id) { id opds { id abbreviation } masterplans { programs { id name quickWin } } } }',
          { id: cities.find((c: any) => c.name === name).id },
          admin,
        )
      ).city;
    const t = await load('Tanjungpinang');
    const b = await load('Tebingtinggi');
    tpi = t.id;
    tebing = b.id;
    const programs = t.masterplans.flatMap((m: any) => m.programs);
    f.health = programs.find((p: any) => p.name === 'Layanan Kesehatan Berbasis Elektronik').id;
    f.data = programs.find((p: any) => p.name === 'Integrasi Data dan Satu Data Tanjungpinang').id;
    f.notQuickWin = programs.find((p: any) => !p.quickWin).id;
    f.tebingQuickWin = b.masterplans.flatMap((m: any) => m.programs).find((p: any) => p.quickWin).id;
    f.dinkes = t.opds.find((o: any) => o.abbreviation === 'Dinkes').id;
    f.tebingOpd = b.opds[0].id;
  });
  afterAll(async () => server?.close());

  it('reads the demo register riskiest first, filtered by quick win and status, and its matrix counts what is not closed', async () => {
    const { city } = await ok<any>(server.url, RISKS, { id: tpi }, viewer);
    expect(city.risks.length).toBe(5);
    const scores = city.risks.map((r: any) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(city.risks[0]).toMatchObject({ likelihood: 4, impact: 5, score: 20, level: 'VERY_HIGH', program: { quickWin: true } });
    expect(city.riskMatrix.total).toBe(5);
    expect(city.riskMatrix.cells).toHaveLength(25);
    expect(city.riskMatrix.cells.find((c: any) => c.likelihood === 4 && c.impact === 4)).toEqual({
      likelihood: 4,
      impact: 4,
      score: 16,
      level: 'VERY_HIGH',
      count: 1,
    });
    const health = (await ok<any>(server.url, RISKS, { id: tpi, programId: f.health }, viewer)).city;
    expect(health.risks.map((r: any) => r.program.id)).toEqual([f.health, f.health]);
    expect(health.riskMatrix.total).toBe(2);
    const mitigated = (await ok<any>(server.url, RISKS, { id: tpi, status: 'MITIGATED' }, viewer)).city.risks;
    expect(mitigated.map((r: any) => r.status)).toEqual(['MITIGATED']);
    // A program of another city, or no program, is a typed error on the argument.
    for (const programId of [f.tebingQuickWin, 'nope']) {
      const r = await gql(server.url, RISKS, { id: tpi, programId }, viewer);
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'programId' });
    }
    // Another city's register is NOT_FOUND with its city.
    expect(codeOf(await gql(server.url, RISKS, { id: tpi }, tebingAdmin))).toBe('NOT_FOUND');
  });

  it('a city admin creates, changes, closes and archives a risk; each write is audited and the matrix follows', async () => {
    const created = (
      await ok<any>(
        server.url,
        CREATE,
        { input: { programId: f.data, description: 'Vendor aplikasi berhenti mendukung', likelihood: 2, impact: 3, ownerOpdId: f.dinkes } },
        tpiAdmin,
      )
    ).createRisk;
    expect(created).toMatchObject({
      version: 1,
      score: 6,
      level: 'MEDIUM',
      status: 'OPEN',
      program: { id: f.data },
      ownerOpd: { id: f.dinkes },
    });
    const updated = (
      await ok<any>(
        server.url,
        UPDATE,
        {
          input: {
            id: created.id,
            expectedVersion: 1,
            likelihood: 5,
            impact: 4,
            mitigation: 'Kode sumber diserahkan ke Diskominfo',
            ownerOpdId: null,
          },
        },
        tpiAdmin,
      )
    ).updateRisk;
    expect(updated).toMatchObject({
      version: 2,
      score: 20,
      level: 'VERY_HIGH',
      mitigation: 'Kode sumber diserahkan ke Diskominfo',
      ownerOpd: null,
    });
    let matrix = (await ok<any>(server.url, RISKS, { id: tpi, programId: f.data }, viewer)).city.riskMatrix;
    expect(matrix.cells.find((c: any) => c.likelihood === 5 && c.impact === 4).count).toBe(1);
    // A stale version is CONFLICT and changes nothing.
    expect(codeOf(await gql(server.url, UPDATE, { input: { id: created.id, expectedVersion: 1, status: 'CLOSED' } }, tpiAdmin))).toBe(
      'CONFLICT',
    );
    await ok(server.url, UPDATE, { input: { id: created.id, expectedVersion: 2, status: 'CLOSED' } }, tpiAdmin);
    matrix = (await ok<any>(server.url, RISKS, { id: tpi, programId: f.data }, viewer)).city.riskMatrix;
    expect(matrix.cells.find((c: any) => c.likelihood === 5 && c.impact === 4).count).toBe(0);
    const archived = (
      await ok<any>(
        server.url,
        `mutation ($input: VersionedInput!) { archiveRisk(input: $input) { archivedAt } }`,
        { input: { id: created.id, expectedVersion: 3 } },
        tpiAdmin,
      )
    ).archiveRisk;
    expect(archived.archivedAt).toBeTruthy();
    expect((await ok<any>(server.url, RISKS, { id: tpi }, viewer)).city.risks.map((r: any) => r.id)).not.toContain(created.id);
    const trail = await server.orm.em.fork().find(AuditEntry, { entity: 'Risk', entityId: created.id }, { orderBy: { id: 'asc' } });
    expect(trail.map((e) => e.action)).toEqual(['CREATE', 'UPDATE', 'UPDATE', 'ARCHIVE']);
    expect(trail[1]!.changes.likelihood).toEqual({ before: 2, after: 5 });
    expect(trail[0]!.city?.id).toBe(tpi);
    // Each write is a city event too.
    const { city } = await ok<any>(server.url, 'query ($id: ID!) { city(id: $id) { overview { seq } } }', { id: tpi }, viewer);
    expect(city.overview.seq).toBeGreaterThan(0);
  });

  it('refuses likelihood 0 or 6, a program that is no quick win, and foreign objects with typed errors, writing nothing', async () => {
    const base = { programId: f.health, description: 'Risiko uji', likelihood: 3, impact: 3 };
    const beforeAudit = await audits();
    const beforeRisks = await risks();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ ...base, likelihood: 0 }, tpiAdmin, 'input.likelihood'],
      [{ ...base, likelihood: 6 }, tpiAdmin, 'input.likelihood'],
      [{ ...base, impact: 6 }, tpiAdmin, 'input.impact'],
      [{ ...base, impact: -1 }, tpiAdmin, 'input.impact'],
      [{ ...base, description: ' ' }, tpiAdmin, 'input.description'],
      [{ ...base, description: 'x'.repeat(2_001) }, tpiAdmin, 'input.description'],
      [{ ...base, programId: f.notQuickWin }, tpiAdmin, 'input.programId'],
      [{ ...base, programId: f.tebingQuickWin }, tpiAdmin, 'input.programId'],
      [{ ...base, ownerOpdId: f.tebingOpd }, tpiAdmin, 'input.ownerOpdId'],
      [{ ...base }, tebingAdmin, 'input.programId'],
    ];
    for (const [input, token, field] of cases) {
      const r = await gql(server.url, CREATE, { input }, token);
      expect(r.errors?.[0]?.extensions, JSON.stringify(input).slice(0, 80)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    // An Int that is no number at all is refused by GraphQL before anything runs.
    expect(codeOf(await gql(server.url, CREATE, { input: { ...base, likelihood: 2.5 } }, tpiAdmin))).toMatch(
      /BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/,
    );
    // Within the city, readers and OPD reporters may not write the register.
    expect(codeOf(await gql(server.url, CREATE, { input: base }, reporter))).toBe('FORBIDDEN');
    expect(codeOf(await gql(server.url, CREATE, { input: base }, viewer))).toBe('FORBIDDEN');
    // Another city's risk answers like an unknown id.
    const { city } = await ok<any>(server.url, RISKS, { id: tpi }, viewer);
    const theirs = city.risks[0];
    for (const input of [
      { id: theirs.id, expectedVersion: theirs.version, likelihood: 1 },
      { id: theirs.id, expectedVersion: theirs.version, status: 'CLOSED' },
    ]) {
      const r = await gql(server.url, UPDATE, { input }, tebingAdmin);
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.id' });
      expect(JSON.stringify(r.errors)).not.toContain('Tanjungpinang');
    }
    expect(
      codeOf(await gql(server.url, UPDATE, { input: { id: theirs.id, expectedVersion: theirs.version, likelihood: 0 } }, tpiAdmin)),
    ).toBe('BAD_USER_INPUT');
    expect(
      codeOf(
        await gql(server.url, UPDATE, { input: { id: theirs.id, expectedVersion: theirs.version, programId: f.notQuickWin } }, tpiAdmin),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(await audits()).toBe(beforeAudit);
    expect(await risks()).toBe(beforeRisks);
    const again = (await ok<any>(server.url, RISKS, { id: tpi }, viewer)).city.risks.find((r: any) => r.id === theirs.id);
    expect(again).toEqual(theirs);
    // Tebingtinggi's register is its own.
    expect((await ok<any>(server.url, RISKS, { id: tebing }, tebingAdmin)).city.risks).toHaveLength(1);
  });
});
