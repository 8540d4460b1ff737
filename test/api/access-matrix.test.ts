import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLSchema } from 'graphql';
import { getSchema } from '../../server/graphql/schema';
import { AuditEntry } from '../../server/modules/audit/audit.entity';
import { testDialects } from '../helpers/db';
import { codeOf, gql, login, ok } from '../helpers/gql';
import { MATRIX_ROLES, readRoleMatrix, type MatrixRole } from '../helpers/readme-matrix';
import { startServer, type TestServer } from '../helpers/server';

const EMAIL: Record<Exclude<MatrixRole, 'EVALUATOR' | 'SCREEN'>, string> = {
  PLATFORM_ADMIN: 'admin@pantau.demo',
  CITY_ADMIN: 'bappelitbang@tanjungpinang.demo',
  OPD_REPORTER: 'dinkes@tanjungpinang.demo',
  VIEWER: 'viewer@tanjungpinang.demo',
};
const EVALUATOR_EMAIL = 'evaluator@kemenkominfo.test';
const PASSWORD = 'evaluator-password-1';

const matrix = readRoleMatrix();
let unique = 0;
const u = (prefix: string) => `${prefix} ${++unique}`;

describe.each(await testDialects())('role × mutation matrix on %s (README "Roles and permissions")', (dialect) => {
  let server: TestServer;
  let schema: GraphQLSchema;
  const token = {} as Record<MatrixRole, string>;
  const f = {} as Record<
    'city' | 'dinkes' | 'otherOpd' | 'masterplan' | 'program' | 'quickWin' | 'tag' | 'council' | 'team' | 'cityVersion',
    string
  >;

  const asAdmin = <T = any>(query: string, variables: Record<string, unknown> = {}) =>
    ok<T>(server.url, query, variables, token.PLATFORM_ADMIN);
  const inputType = (mutation: string) => String(schema.getMutationType()!.getFields()[mutation]!.args[0]!.type);
  const mutate = (mutation: string, input: Record<string, unknown>, tok?: string) =>
    gql(server.url, `mutation ($input: ${inputType(mutation)}) { ${mutation}(input: $input) { __typename } }`, { input }, tok);
  const create = async (entity: string, input: Record<string, unknown>): Promise<string> => {
    const data = await asAdmin(`mutation ($input: Create${entity}Input!) { create${entity}(input: $input) { id } }`, { input });
    return data[`create${entity}`].id;
  };
  /** A new screen token of the city (as the platform admin): its id and the token. */
  const createScreen = async (): Promise<{ id: string; token: string }> => {
    const data = await asAdmin(
      'mutation ($input: CreateScreenTokenInput!) { createScreenToken(input: $input) { token screenToken { id } } }',
      { input: await createInput.ScreenToken!() },
    );
    return { id: data.createScreenToken.screenToken.id, token: data.createScreenToken.token };
  };

  const createInput: Record<string, () => Promise<Record<string, unknown>>> = {
    City: async () => ({ name: u('Kota Uji'), province: 'Riau' }),
    Opd: async () => ({ cityId: f.city, name: u('Dinas Uji'), abbreviation: 'DU' }),
    Council: async () => ({ cityId: f.city, name: u('Dewan') }),
    CouncilMember: async () => ({ councilId: f.council, name: u('Anggota'), position: 'Anggota', category: 'COMMUNITY' }),
    Team: async () => ({ cityId: f.city, name: u('Tim') }),
    TeamMember: async () => ({ teamId: f.team, name: u('Anggota tim'), role: 'MEMBER' }),
    Masterplan: async () => ({ cityId: f.city, title: u('Masterplan'), startYear: 2024, endYear: 2028 }),
    Program: async () => ({ masterplanId: f.masterplan, name: u('Program'), dimension: 'SOCIETY' }),
    ActionPlan: async () => ({
      programId: f.program,
      ownerOpdId: f.dinkes,
      title: u('Rencana'),
      startDate: '2026-01-01',
      dueDate: '2026-12-31',
    }),
    Indicator: async () => ({
      actionPlanId: await create('ActionPlan', await createInput.ActionPlan!()),
      name: u('Indikator'),
      unit: '%',
      baseline: 0,
      target: 100,
    }),
    Milestone: async () => ({
      actionPlanId: await create('ActionPlan', await createInput.ActionPlan!()),
      title: u('Tonggak'),
      dueDate: '2026-06-30',
    }),
    Activity: async () => ({ cityId: f.city, kind: 'MEETING', title: u('Rapat'), startDate: '2026-05-05' }),
    EvaluationVisit: async () => ({ cityId: f.city, startDate: '2027-10-03', endDate: '2027-10-08', evaluator: 'Kemenkomdigi' }),
    User: async () => ({
      email: `${u('user').replace(' ', '')}@tanjungpinang.test`,
      name: u('Pengguna'),
      password: 'a-long-password-1',
      role: 'VIEWER',
      cityId: f.city,
    }),
    ScreenToken: async () => ({ cityId: f.city, label: u('Ruang Rapat') }),
    Risk: async () => ({ programId: f.quickWin, description: u('Risiko'), likelihood: 3, impact: 4 }),
  };
  const updateField: Record<string, Record<string, unknown>> = {
    City: { province: 'Kepulauan Riau' },
    Opd: { head: 'Kepala baru' },
    Council: { decreeNumber: 'SK 1' },
    CouncilMember: { position: 'Ketua' },
    Team: { decreeNumber: 'SK 2' },
    TeamMember: { position: 'Sekretaris' },
    Masterplan: { vision: 'Visi baru' },
    Program: { description: 'Baru' },
    ActionPlan: { description: 'Baru' },
    Indicator: { unit: 'aplikasi' },
    Milestone: { title: 'Tonggak baru' },
    Activity: { place: 'Aula' },
    EvaluationVisit: { agenda: 'Paparan' },
    User: { name: 'Nama baru' },
    Risk: { mitigation: 'Mitigasi baru' },
  };

  /** A plan of Dinkes with one SUBMITTED report by the Dinkes reporter. */
  async function submittedReport(): Promise<string> {
    const planId = await create('ActionPlan', await createInput.ActionPlan!());
    await ok(
      server.url,
      'mutation ($input: ReportProgressInput!) { reportProgress(input: $input) { id } }',
      { input: { actionPlanId: planId, percent: 30, narrative: 'Laporan', expectedVersion: 1 } },
      token.OPD_REPORTER,
    );
    const data = await asAdmin('query ($id: ID!) { actionPlan(id: $id) { progressReports(first: 1) { edges { node { id status } } } } }', {
      id: planId,
    });
    expect(data.actionPlan.progressReports.edges[0].node.status).toBe('SUBMITTED');
    return data.actionPlan.progressReports.edges[0].node.id;
  }

  const frameworkInput = () => ({
    year: 2040,
    name: u('Instrumen'),
    publishDate: '2040-12-15',
    weights: ['BASELINE', 'OUTPUT', 'OUTCOME', 'IMPACT', 'QUICK_WIN'].map((dimension) => ({ dimension, weight: 20 })),
    items: [{ code: 'A-1', question: 'Pertanyaan', expectedEvidence: 'Bukti', dimension: 'OUTPUT' }],
  });
  const newFramework = async (): Promise<string> =>
    (
      await asAdmin('mutation ($input: CreateEvaluationFrameworkInput!) { createEvaluationFramework(input: $input) { id } }', {
        input: frameworkInput(),
      })
    ).createEvaluationFramework.id;
  /** A fresh self-assessment of the city (on a fresh framework) and its one item. */
  async function newAssessment(): Promise<{ id: string; itemId: string }> {
    const data = await asAdmin('mutation ($input: StartSelfAssessmentInput!) { startSelfAssessment(input: $input) { id items { id } } }', {
      input: { cityId: f.city, frameworkId: await newFramework() },
    });
    return { id: data.startSelfAssessment.id, itemId: data.startSelfAssessment.items[0].id };
  }

  const newLink = async (): Promise<string> =>
    (
      await asAdmin('mutation ($input: AddEvidenceLinkInput!) { addEvidenceLink(input: $input) { id } }', {
        input: { cityId: f.city, url: 'https://example.go.id/bukti.pdf', title: u('Bukti') },
      })
    ).addEvidenceLink.id;
  /** Evidence attached (by the platform admin) to a fresh plan of `opdId`: the attachment's id. */
  const newAttachment = async (opdId: string): Promise<string> => {
    const planId = await create('ActionPlan', { ...(await createInput.ActionPlan!()), ownerOpdId: opdId });
    return (
      await asAdmin('mutation ($input: AttachEvidenceInput!) { attachEvidence(input: $input) { id } }', {
        input: { evidenceId: await newLink(), actionPlanId: planId },
      })
    ).attachEvidence.id;
  };

  /** Fresh objects for one attempt of `mutation` by `role`: the input to send. */
  async function prepare(mutation: string, role: MatrixRole): Promise<Record<string, unknown>> {
    const m = /^(create|update|archive)(.+)$/.exec(mutation);
    if (m && m[2]! in createInput) {
      const [, verb, entity] = m as unknown as [string, string, string];
      if (entity === 'City' && verb !== 'create') {
        // A city admin may only ever touch its own city; a platform admin archives a fresh one.
        if (verb === 'archive' && role === 'PLATFORM_ADMIN')
          return { id: await create('City', await createInput.City!()), expectedVersion: 1 };
        const city = await asAdmin('query ($id: ID!) { city(id: $id) { version } }', { id: f.city });
        return { id: f.city, expectedVersion: city.city.version, ...(verb === 'update' ? { province: u('Kepulauan Riau') } : {}) };
      }
      if (verb === 'create') return createInput[entity]!();
      const id = await create(entity, await createInput[entity]!());
      return { id, expectedVersion: 1, ...(verb === 'update' ? updateField[entity] : {}) };
    }
    switch (mutation) {
      case 'reportProgress':
        return {
          actionPlanId: await create('ActionPlan', await createInput.ActionPlan!()),
          percent: 40,
          narrative: 'Uji',
          expectedVersion: 1,
        };
      case 'recordIndicatorValue':
        return { indicatorId: await create('Indicator', await createInput.Indicator!()), period: '2026-Q2', value: 5 };
      case 'verifyProgressReport':
      case 'returnProgressReport':
        return { id: await submittedReport(), expectedVersion: 1, comment: 'Lengkapi bukti' };
      case 'revokeScreenToken':
        return { id: (await createScreen()).id, expectedVersion: 1 };
      case 'setActionPlanTags':
        return { actionPlanId: await create('ActionPlan', await createInput.ActionPlan!()), tagIds: [f.tag] };
      case 'setIndicatorTags':
        return { indicatorId: await create('Indicator', await createInput.Indicator!()), tagIds: [f.tag] };
      case 'createEvaluationFramework':
        return frameworkInput();
      case 'copyEvaluationFramework':
        return { id: await newFramework(), year: 2041 };
      case 'updateEvaluationFramework':
        return { id: await newFramework(), expectedVersion: 1, name: u('Instrumen') };
      case 'startSelfAssessment':
        return { cityId: f.city, frameworkId: await newFramework() };
      case 'submitSelfAssessment':
        return { id: (await newAssessment()).id, expectedVersion: 1 };
      case 'updateAssessmentItem':
        return { id: (await newAssessment()).itemId, expectedVersion: 1, score: 2 };
      case 'recordAssessorScore':
        return { assessmentItemId: (await newAssessment()).itemId, score: 2 };
      case 'addEvidenceLink':
        return { cityId: f.city, url: 'https://example.go.id/bukti.pdf', title: u('Bukti') };
      case 'attachEvidence':
        return { evidenceId: await newLink(), actionPlanId: await create('ActionPlan', await createInput.ActionPlan!()) };
      case 'detachEvidence':
        return { id: await newAttachment(f.dinkes), expectedVersion: 1 };
      case 'login':
        // A screen sends its token along with valid credentials (the viewer's): still refused.
        if (role === 'SCREEN') return { email: EMAIL.VIEWER, password: 'pantau-demo' };
        return { email: role === 'EVALUATOR' ? EVALUATOR_EMAIL : EMAIL[role], password: role === 'EVALUATOR' ? PASSWORD : 'pantau-demo' };
    }
    throw new Error(`no preparation for ${mutation}`);
  }

  const auditRows = () => server.orm.em.fork().count(AuditEntry, {});

  beforeAll(async () => {
    server = await startServer({ dialect, demo: true });
    schema = await getSchema();
    for (const role of ['PLATFORM_ADMIN', 'CITY_ADMIN', 'OPD_REPORTER', 'VIEWER'] as const)
      token[role] = await login(server.url, EMAIL[role]);
    const me = await ok<any>(server.url, '{ me { cityId opdId } }', {}, token.OPD_REPORTER);
    f.city = me.me.cityId;
    f.dinkes = me.me.opdId;
    const city = await asAdmin(
      `query ($id: ID!) { city(id: $id) { opds { id } masterplans { id programs { id } } councils { id } teams { id } } }`,
      { id: f.city },
    );
    f.otherOpd = city.city.opds.find((o: any) => o.id !== f.dinkes).id;
    f.masterplan = city.city.masterplans[0].id;
    f.program = city.city.masterplans[0].programs[0].id;
    const programs = (
      await asAdmin(`query ($id: ID!) { city(id: $id) { masterplans { programs { id quickWin } } } }`, { id: f.city })
    ).city.masterplans.flatMap((m: any) => m.programs);
    f.quickWin = programs.find((p: any) => p.quickWin).id;
    f.tag = (await asAdmin('{ tagCatalogs { tags { id } } }')).tagCatalogs[0].tags[0].id;
    f.council = city.city.councils[0].id;
    f.team = city.city.teams[0].id;
    await asAdmin('mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }', {
      input: { email: EVALUATOR_EMAIL, name: 'Tim Evaluasi', password: PASSWORD, role: 'EVALUATOR', evaluatorCityIds: [f.city] },
    });
    token.EVALUATOR = await login(server.url, EVALUATOR_EMAIL, PASSWORD);
    token.SCREEN = (await createScreen()).token;
  });
  afterAll(async () => server?.close());

  it('covers every mutation of the schema, and nothing else', () => {
    const mutations = Object.keys(schema.getMutationType()!.getFields()).sort();
    expect([...matrix.keys()].sort()).toEqual(mutations);
  });

  for (const [mutation, row] of matrix) {
    it(`${mutation}: ${MATRIX_ROLES.map((r) => `${r} ${row[r]}`).join(', ')}`, async () => {
      for (const role of MATRIX_ROLES) {
        const input = await prepare(mutation, role);
        const before = await auditRows();
        const result = await mutate(mutation, input, mutation === 'login' && role !== 'SCREEN' ? undefined : token[role]);
        const cell = row[role];
        const label = `${mutation} as ${role}`;
        if (cell === 'deny') {
          expect(codeOf(result), label).toBe('FORBIDDEN');
          expect(await auditRows(), `${label} wrote nothing`).toBe(before);
        } else {
          expect(result.errors, label).toBeUndefined();
          if (mutation !== 'login') expect(await auditRows(), `${label} is audited`).toBeGreaterThan(before);
        }
        if (cell === 'own-opd') {
          // The same on another OPD's plan is FORBIDDEN and writes nothing.
          const other =
            mutation === 'reportProgress' || mutation === 'attachEvidence'
              ? { ...input, actionPlanId: await create('ActionPlan', { ...(await createInput.ActionPlan!()), ownerOpdId: f.otherOpd }) }
              : mutation === 'detachEvidence'
                ? { id: await newAttachment(f.otherOpd), expectedVersion: 1 }
                : {
                    ...input,
                    indicatorId: await create('Indicator', {
                      ...(await createInput.Indicator!()),
                      actionPlanId: await create('ActionPlan', { ...(await createInput.ActionPlan!()), ownerOpdId: f.otherOpd }),
                    }),
                  };
          const count = await auditRows();
          expect(codeOf(await mutate(mutation, other, token[role])), `${label} on another OPD`).toBe('FORBIDDEN');
          expect(await auditRows()).toBe(count);
        }
        if (cell === 'reporters-viewers' && mutation === 'createUser') {
          for (const roleToGrant of ['CITY_ADMIN', 'PLATFORM_ADMIN', 'EVALUATOR']) {
            const attempt = await mutate(
              mutation,
              {
                ...(await createInput.User!()),
                role: roleToGrant,
                ...(roleToGrant === 'CITY_ADMIN' ? {} : { cityId: null, evaluatorCityIds: roleToGrant === 'EVALUATOR' ? [f.city] : null }),
              },
              token[role],
            );
            expect(codeOf(attempt), `${label} granting ${roleToGrant}`).toBe('FORBIDDEN');
          }
        }
      }
    });
  }

  it('answers the admin of another city as if the objects did not exist, and writes nothing', async () => {
    const tebing = await login(server.url, 'bappeda@tebingtinggi.demo');
    const before = await auditRows();
    for (const entity of ['Opd', 'Program', 'ActionPlan', 'Activity', 'User']) {
      const id = await create(entity, await createInput[entity]!());
      const r = await mutate(`update${entity}`, { id, expectedVersion: 1, ...updateField[entity] }, tebing);
      expect(codeOf(r), `update${entity}`).toMatch(/^(BAD_USER_INPUT|NOT_FOUND)$/);
      expect(JSON.stringify(r.errors)).not.toContain('Tanjungpinang');
    }
    const created = await auditRows();
    const r = await mutate('createOpd', { cityId: f.city, name: 'Dinas Siluman', abbreviation: 'DS' }, tebing);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.cityId' });
    const report = await mutate(
      'reportProgress',
      { actionPlanId: await create('ActionPlan', await createInput.ActionPlan!()), percent: 1, narrative: 'x', expectedVersion: 1 },
      tebing,
    );
    expect(report.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.actionPlanId' });
    const rows = await server.orm.em.fork().find(AuditEntry, {}, { orderBy: { id: 'desc' }, limit: 5 });
    expect(await auditRows(), JSON.stringify(rows.map((r) => [r.entity, r.action, r.changes]))).toBe(created + 1);
    expect(created).toBeGreaterThan(before);
  });
});
