import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getNamedType, isObjectType, type GraphQLObjectType } from 'graphql';
import { CityEvent } from '../../server/events/event.entity';
import { getSchema } from '../../server/graphql/schema';
import { testDialects } from '../helpers/db';
import { codeOf, gql, login, ok } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { collect, wsClient } from '../helpers/ws';

/*
 * Issue 11 §1–2: the rubric as data, the self-assessment and its computed index, copy-on-write of a
 * frozen framework, and the assessor's scores kept from the city until the publish date.
 */

const FRAMEWORK = `id year revision name publishDate scaleMin scaleMax frozen previousId version
  dimensions { dimension weight } items { id code dimension weight }`;
const CREATE = `mutation ($input: CreateEvaluationFrameworkInput!) { createEvaluationFramework(input: $input) { ${FRAMEWORK} } }`;
const COPY = `mutation ($input: CopyEvaluationFrameworkInput!) { copyEvaluationFramework(input: $input) { ${FRAMEWORK} } }`;
const UPDATE = `mutation ($input: UpdateEvaluationFrameworkInput!) { updateEvaluationFramework(input: $input) { ${FRAMEWORK} } }`;
const ASSESSMENT = `id status version index scoredItemCount dimensions { dimension weight score itemCount scoredCount }
  items { id version score rubricItem { code } }`;
const START = `mutation ($input: StartSelfAssessmentInput!) { startSelfAssessment(input: $input) { ${ASSESSMENT} } }`;
const SCORE = 'mutation ($input: UpdateAssessmentItemInput!) { updateAssessmentItem(input: $input) { id version score } }';
const SUBMIT = 'mutation ($input: VersionedInput!) { submitSelfAssessment(input: $input) { id status version } }';
const ASSESSOR = 'mutation ($input: RecordAssessorScoreInput!) { recordAssessorScore(input: $input) { id assessorScore assessorNotes } }';
const READ = `query ($id: ID!) { selfAssessment(id: $id) { ${ASSESSMENT} assessorScoresVisible assessorIndex assessorDimensions { score } items { assessorScore assessorNotes } } }`;

const weights = (b: number, o: number, c: number, i: number, q: number) => [
  { dimension: 'BASELINE', weight: b },
  { dimension: 'OUTPUT', weight: o },
  { dimension: 'OUTCOME', weight: c },
  { dimension: 'IMPACT', weight: i },
  { dimension: 'QUICK_WIN', weight: q },
];
const item = (code: string, dimension: string, weight = 1) => ({
  code,
  dimension,
  weight,
  question: `Pertanyaan ${code}`,
  expectedEvidence: `Bukti ${code}`,
});
const ITEMS = [
  item('B1', 'BASELINE'),
  item('O1', 'OUTPUT', 1),
  item('O2', 'OUTPUT', 3),
  item('C1', 'OUTCOME'),
  item('I1', 'IMPACT'),
  item('Q1', 'QUICK_WIN'),
];

describe.each(await testDialects())('monev: frameworks, self-assessment and index on %s', (dialect) => {
  let server: TestServer;
  let admin: string;
  let cityAdmin: string;
  let reporter: string;
  let viewer: string;
  let evaluator: string;
  let screen: string;
  let tebing: string;
  let cityId: string;
  let y2031: any;
  let y2032: any;
  let assessment: any;
  let revisedAssessment: any;
  const byCode = (a: any) => Object.fromEntries(a.items.map((i: any) => [i.rubricItem.code, i]));

  beforeAll(async () => {
    server = await startServer({ dialect, demo: true });
    [admin, cityAdmin, reporter, viewer, tebing] = (await Promise.all(
      [
        'admin@pantau.demo',
        'bappelitbang@tanjungpinang.demo',
        'dinkes@tanjungpinang.demo',
        'viewer@tanjungpinang.demo',
        'bappeda@tebingtinggi.demo',
      ].map((e) => login(server.url, e)),
    )) as [string, string, string, string, string];
    cityId = (await ok<any>(server.url, '{ me { cityId } }', {}, cityAdmin)).me.cityId;
    await ok(
      server.url,
      'mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }',
      {
        input: {
          email: 'penilai@kemenkomdigi.test',
          name: 'Tim Penilai',
          password: 'penilai-password-1',
          role: 'EVALUATOR',
          evaluatorCityIds: [cityId],
        },
      },
      admin,
    );
    evaluator = await login(server.url, 'penilai@kemenkomdigi.test', 'penilai-password-1');
    screen = (
      await ok<any>(
        server.url,
        'mutation ($input: CreateScreenTokenInput!) { createScreenToken(input: $input) { token } }',
        { input: { cityId, label: 'Ruang Rapat' } },
        cityAdmin,
      )
    ).createScreenToken.token;
  });
  afterAll(async () => server?.close());

  it('loads two yearly frameworks with different weights: created, copied to the next year and edited', async () => {
    y2031 = (
      await ok<any>(
        server.url,
        CREATE,
        { input: { year: 2031, name: 'Instrumen 2031', publishDate: '2031-12-15', weights: weights(10, 20, 30, 30, 10), items: ITEMS } },
        admin,
      )
    ).createEvaluationFramework;
    expect(y2031).toMatchObject({ year: 2031, revision: 1, scaleMin: 0, scaleMax: 4, frozen: false });
    expect(y2031.items.map((i: any) => i.code)).toEqual(['B1', 'O1', 'O2', 'C1', 'I1', 'Q1']);
    const copy = (await ok<any>(server.url, COPY, { input: { id: y2031.id, year: 2032 } }, admin)).copyEvaluationFramework;
    expect(copy).toMatchObject({ year: 2032, revision: 1, name: 'Instrumen 2032', publishDate: '2032-12-15' });
    // Not frozen: edited in place (same id, next version).
    y2032 = (
      await ok<any>(
        server.url,
        UPDATE,
        { input: { id: copy.id, expectedVersion: copy.version, weights: weights(10, 20, 30, 20, 20) } },
        admin,
      )
    ).updateEvaluationFramework;
    expect(y2032.id).toBe(copy.id);
    expect(y2032.dimensions.map((d: any) => d.weight)).toEqual([10, 20, 30, 20, 20]);
    expect(y2031.dimensions.map((d: any) => d.weight)).toEqual([10, 20, 30, 30, 10]);
    const listed = await ok<any>(server.url, '{ evaluationFrameworks { year revision } }', {}, viewer);
    expect(listed.evaluationFrameworks.slice(0, 2)).toEqual([
      { year: 2032, revision: 1 },
      { year: 2031, revision: 1 },
    ]);
  });

  it('refuses bad frameworks with typed errors and writes nothing', async () => {
    const before = (await ok<any>(server.url, '{ evaluationFrameworks { id } }', {}, admin)).evaluationFrameworks.length;
    const bad = async (input: Record<string, unknown>, field: string) => {
      const r = await gql(
        server.url,
        CREATE,
        { input: { year: 2033, name: 'x', publishDate: '2033-12-01', weights: weights(10, 20, 30, 30, 10), items: ITEMS, ...input } },
        admin,
      );
      expect(r.errors?.[0]?.extensions, JSON.stringify(r.errors)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    };
    await bad({ weights: weights(10, 20, 30, 30, 9) }, 'input.weights');
    await bad({ weights: weights(10, 20, 30, 30, 10).slice(1) }, 'input.weights');
    await bad({ items: [item('A', 'OUTPUT'), item('A', 'IMPACT')] }, 'input.items.1.code');
    await bad({ items: [item('../x', 'OUTPUT')] }, 'input.items.0.code');
    await bad({ items: [{ ...item('A', 'OUTPUT'), weight: 0 }] }, 'input.items.0.weight');
    await bad({ scaleMin: 4, scaleMax: 4 }, 'input.scaleMax');
    await bad({ items: Array.from({ length: 301 }, (_, i) => item(`X${i}`, 'OUTPUT')) }, 'input.items');
    expect(
      codeOf(
        await gql(
          server.url,
          CREATE,
          { input: { year: 2033, name: 'x', publishDate: '2033-12-01', weights: weights(10, 20, 30, 30, 10), items: ITEMS } },
          cityAdmin,
        ),
      ),
    ).toBe('FORBIDDEN');
    expect((await ok<any>(server.url, '{ evaluationFrameworks { id } }', {}, admin)).evaluationFrameworks.length).toBe(before);
  });

  it('scores the city and computes the index by hand: weighted item means per dimension, dimensions × weights', async () => {
    assessment = (await ok<any>(server.url, START, { input: { cityId, frameworkId: y2031.id } }, cityAdmin)).startSelfAssessment;
    expect(assessment).toMatchObject({ status: 'DRAFT', index: 0, scoredItemCount: 0 });
    const items = byCode(assessment);
    const score = async (code: string, value: number | null) => {
      const i = items[code];
      const r = await ok<any>(server.url, SCORE, { input: { id: i.id, expectedVersion: i.version, score: value } }, cityAdmin);
      i.version = r.updateAssessmentItem.version;
    };
    await score('B1', 4);
    await score('O1', 2);
    await score('O2', 4);
    await score('C1', 3);
    await score('Q1', 1);
    // BASELINE 4; OUTPUT (1×2 + 3×4) / 4 = 3.5; OUTCOME 3; IMPACT unscored → 0 (the minimum); QUICK_WIN 1.
    // Index = (10×4 + 20×3.5 + 30×3 + 30×0 + 10×1) / 100 = (40 + 70 + 90 + 0 + 10) / 100 = 2.10.
    let read = (await ok<any>(server.url, READ, { id: assessment.id }, viewer)).selfAssessment;
    expect(read.index).toBe(2.1);
    expect(read.dimensions.map((d: any) => d.score)).toEqual([4, 3.5, 3, 0, 1]);
    expect(read.dimensions.find((d: any) => d.dimension === 'IMPACT')).toMatchObject({ itemCount: 1, scoredCount: 0 });
    await score('I1', 2);
    // IMPACT 2: index = (40 + 70 + 90 + 30×2 + 10) / 100 = 2.70.
    read = (await ok<any>(server.url, READ, { id: assessment.id }, viewer)).selfAssessment;
    expect(read.index).toBe(2.7);
    expect(read.scoredItemCount).toBe(6);
  });

  it('refuses scores out of scale, links to another city and non-quick-win programs; other roles and cities get typed errors', async () => {
    const i = byCode(assessment).C1;
    const r1 = await gql(server.url, SCORE, { input: { id: i.id, expectedVersion: i.version, score: 4.5 } }, cityAdmin);
    expect(r1.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.score' });
    const tebingCity = (await ok<any>(server.url, '{ me { cityId } }', {}, tebing)).me.cityId;
    const otherPlan = (
      await ok<any>(
        server.url,
        'query ($id: ID!) { city(id: $id) { actionPlans(first: 1) { edges { node { id } } } } }',
        { id: tebingCity },
        tebing,
      )
    ).city.actionPlans.edges[0].node.id;
    const r2 = await gql(server.url, SCORE, { input: { id: i.id, expectedVersion: i.version, actionPlanIds: [otherPlan] } }, cityAdmin);
    expect(r2.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.actionPlanIds.0' });
    const programs = (
      await ok<any>(
        server.url,
        'query ($id: ID!) { city(id: $id) { masterplans { programs { id quickWin } } } }',
        { id: cityId },
        cityAdmin,
      )
    ).city.masterplans.flatMap((m: any) => m.programs);
    const plain = programs.find((p: any) => !p.quickWin);
    const r3 = await gql(server.url, SCORE, { input: { id: i.id, expectedVersion: i.version, quickWinIds: [plain.id] } }, cityAdmin);
    expect(r3.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.quickWinIds.0' });
    const quickWin = programs.find((p: any) => p.quickWin);
    const linked = await ok<any>(
      server.url,
      'mutation ($input: UpdateAssessmentItemInput!) { updateAssessmentItem(input: $input) { version quickWins { id } } }',
      { input: { id: i.id, expectedVersion: i.version, quickWinIds: [quickWin.id] } },
      cityAdmin,
    );
    expect(linked.updateAssessmentItem.quickWins).toEqual([{ id: quickWin.id }]);
    i.version = linked.updateAssessmentItem.version;
    expect(codeOf(await gql(server.url, SCORE, { input: { id: i.id, expectedVersion: i.version, score: 1 } }, reporter))).toBe('FORBIDDEN');
    const r4 = await gql(server.url, SCORE, { input: { id: i.id, expectedVersion: i.version, score: 1 } }, tebing);
    expect(r4.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.id' });
    expect(codeOf(await gql(server.url, READ, { id: assessment.id }, tebing))).toBe('NOT_FOUND');
    expect(codeOf(await gql(server.url, SCORE, { input: { id: i.id, expectedVersion: i.version - 1, score: 1 } }, cityAdmin))).toBe(
      'CONFLICT',
    );
    // Nothing of the refused writes landed.
    expect((await ok<any>(server.url, READ, { id: assessment.id }, viewer)).selfAssessment.index).toBe(2.7);
  });

  it('freezes the framework on submission: an edit makes a new revision; the old assessment keeps its own index', async () => {
    const submitted = (await ok<any>(server.url, SUBMIT, { input: { id: assessment.id, expectedVersion: assessment.version } }, cityAdmin))
      .submitSelfAssessment;
    expect(submitted.status).toBe('SUBMITTED');
    const c1 = byCode(assessment).C1;
    const late = await gql(server.url, SCORE, { input: { id: c1.id, expectedVersion: c1.version, score: 4 } }, cityAdmin);
    expect(late.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.id' });
    const frozen = (
      await ok<any>(server.url, `query ($id: ID!) { evaluationFramework(id: $id) { ${FRAMEWORK} } }`, { id: y2031.id }, admin)
    ).evaluationFramework;
    expect(frozen.frozen).toBe(true);
    const revised = (
      await ok<any>(
        server.url,
        UPDATE,
        { input: { id: frozen.id, expectedVersion: frozen.version, weights: weights(10, 20, 30, 20, 20) } },
        admin,
      )
    ).updateEvaluationFramework;
    expect(revised).toMatchObject({ year: 2031, revision: 2, previousId: y2031.id, frozen: false });
    expect(revised.id).not.toBe(y2031.id);
    const old = (await ok<any>(server.url, `query ($id: ID!) { evaluationFramework(id: $id) { ${FRAMEWORK} } }`, { id: y2031.id }, admin))
      .evaluationFramework;
    expect(old.dimensions.map((d: any) => d.weight)).toEqual([10, 20, 30, 30, 10]);
    expect(old.version).toBe(frozen.version);
    // The city carries its scores into the new revision: same scores, new weights.
    // (10×4 + 20×3.5 + 30×3 + 20×2 + 20×1) / 100 = (40 + 70 + 90 + 40 + 20) / 100 = 2.60.
    const next = (await ok<any>(server.url, START, { input: { cityId, frameworkId: revised.id, copyFromId: assessment.id } }, cityAdmin))
      .startSelfAssessment;
    expect(next.index).toBe(2.6);
    revisedAssessment = next;
    expect((await ok<any>(server.url, READ, { id: assessment.id }, viewer)).selfAssessment.index).toBe(2.7);
    const latest = await ok<any>(
      server.url,
      'query ($id: ID!) { city(id: $id) { selfAssessment(year: 2031) { id index } } }',
      { id: cityId },
      viewer,
    );
    expect(latest.city.selfAssessment).toEqual({ id: next.id, index: 2.6 });
  });

  it('edits the items of a frozen framework in a new revision; draft assessments on an unfrozen one get the new items', async () => {
    const base = (
      await ok<any>(
        server.url,
        CREATE,
        {
          input: {
            year: 2034,
            name: 'Instrumen 2034',
            publishDate: '2034-12-15',
            weights: weights(20, 20, 20, 20, 20),
            items: [item('A1', 'OUTPUT')],
          },
        },
        admin,
      )
    ).createEvaluationFramework;
    const draft = (await ok<any>(server.url, START, { input: { cityId, frameworkId: base.id } }, cityAdmin)).startSelfAssessment;
    // Not frozen: edited in place, and the draft gets a row for the new item.
    const edited = (
      await ok<any>(
        server.url,
        UPDATE,
        { input: { id: base.id, expectedVersion: base.version, items: [item('A1', 'OUTPUT'), item('A2', 'IMPACT', 2)] } },
        admin,
      )
    ).updateEvaluationFramework;
    expect(edited).toMatchObject({ id: base.id, revision: 1 });
    expect((await ok<any>(server.url, READ, { id: draft.id }, viewer)).selfAssessment.items.map((i: any) => i.rubricItem.code)).toEqual([
      'A1',
      'A2',
    ]);
    await ok(server.url, SUBMIT, { input: { id: draft.id, expectedVersion: draft.version } }, cityAdmin);
    // Frozen: the item edit goes to revision 2; revision 1 keeps A1 and A2 untouched.
    const revised = (
      await ok<any>(
        server.url,
        UPDATE,
        { input: { id: base.id, expectedVersion: edited.version, items: [item('A2', 'IMPACT', 5), item('A3', 'QUICK_WIN')] } },
        admin,
      )
    ).updateEvaluationFramework;
    expect(revised).toMatchObject({ year: 2034, revision: 2, previousId: base.id });
    expect(revised.items.map((i: any) => [i.code, i.weight])).toEqual([
      ['A2', 5],
      ['A3', 1],
    ]);
    const old = (await ok<any>(server.url, `query ($id: ID!) { evaluationFramework(id: $id) { ${FRAMEWORK} } }`, { id: base.id }, viewer))
      .evaluationFramework;
    expect(old.items.map((i: any) => [i.code, i.weight])).toEqual([
      ['A1', 1],
      ['A2', 2],
    ]);
    expect((await ok<any>(server.url, READ, { id: draft.id }, viewer)).selfAssessment.items.map((i: any) => i.rubricItem.code)).toEqual([
      'A1',
      'A2',
    ]);
  });

  it('attaches evidence and lists the gaps as they stand, checked by hand', async () => {
    const items = byCode(revisedAssessment);
    const dinkes = (await ok<any>(server.url, '{ me { opdId } }', {}, reporter)).me.opdId;
    const change = async (code: string, input: Record<string, unknown>) => {
      const i = items[code];
      i.version = (
        await ok<any>(server.url, SCORE, { input: { id: i.id, expectedVersion: i.version, ...input } }, cityAdmin)
      ).updateAssessmentItem.version;
    };
    await change('I1', { score: null });
    await change('C1', { responsibleOpdId: dinkes });
    const LINK = 'mutation ($input: AddEvidenceLinkInput!) { addEvidenceLink(input: $input) { id supplierName } }';
    const ATTACH = 'mutation ($input: AttachEvidenceInput!) { attachEvidence(input: $input) { id assessmentItemId } }';
    const sk = (
      await ok<any>(
        server.url,
        LINK,
        { input: { cityId, url: 'https://jdih.tanjungpinangkota.go.id/perwako-smart-city.pdf', title: 'Perwako kota cerdas' } },
        cityAdmin,
      )
    ).addEvidenceLink.id;
    await ok(server.url, ATTACH, { input: { evidenceId: sk, assessmentItemId: items.B1.id } }, cityAdmin);
    await ok(server.url, ATTACH, { input: { evidenceId: sk, assessmentItemId: items.O2.id } }, cityAdmin);
    // Dinkes answers for C1: its reporter supplies and attaches the evidence; Q1 is not its item.
    const survey = (
      await ok<any>(
        server.url,
        LINK,
        { input: { cityId, url: 'https://dinkes.tanjungpinangkota.go.id/e-puskesmas.pdf', title: 'Laporan e-puskesmas' } },
        reporter,
      )
    ).addEvidenceLink.id;
    await ok(server.url, ATTACH, { input: { evidenceId: survey, assessmentItemId: items.C1.id } }, reporter);
    expect(codeOf(await gql(server.url, ATTACH, { input: { evidenceId: survey, assessmentItemId: items.Q1.id } }, reporter))).toBe(
      'FORBIDDEN',
    );
    const other = await gql(server.url, LINK, { input: { cityId, url: 'https://x.test/a', title: 'x' } }, tebing);
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.cityId' });

    const READINESS = `query ($id: ID!) { city(id: $id) {
      overview { counts { late } daysToNextEvaluation opds { id lateCount } }
      progressReports(status: SUBMITTED, first: 1) { totalCount }
      readiness(year: 2031) { assessmentId index itemCount scoredCount daysToVisit unassignedItemGaps
        gaps { unscored missingEvidence unverifiedReports latePlans total }
        dimensions { dimension score gaps { unscored missingEvidence } }
        opds { opdId gaps { missingEvidence latePlans unverifiedReports } }
        items { code score evidenceCount opdId }
        gapList { kind code assessmentItemId actionPlanId opdId } } } }`;
    const city = (await ok<any>(server.url, READINESS, { id: cityId }, viewer)).city;
    const r = city.readiness;
    expect(r.assessmentId).toBe(revisedAssessment.id);
    // As it stands, I1 unscored: (10×4 + 20×3.5 + 30×3 + 20×0 + 20×1) / 100 = (40 + 70 + 90 + 0 + 20) / 100 = 2.20.
    expect(r).toMatchObject({ index: 2.2, itemCount: 6, scoredCount: 5 });
    // Unscored: I1. Evidence: B1, O2 (the Perwako), C1 (Dinkes' report); missing: O1, I1, Q1.
    expect(r.gapList.filter((g: any) => g.assessmentItemId).map((g: any) => `${g.kind} ${g.code}`)).toEqual([
      'UNSCORED I1',
      'MISSING_EVIDENCE O1',
      'MISSING_EVIDENCE I1',
      'MISSING_EVIDENCE Q1',
    ]);
    expect(r.items.map((i: any) => [i.code, i.evidenceCount])).toEqual([
      ['B1', 1],
      ['O1', 0],
      ['O2', 1],
      ['C1', 1],
      ['I1', 0],
      ['Q1', 0],
    ]);
    expect(r.dimensions.map((d: any) => [d.dimension, d.score, d.gaps.unscored, d.gaps.missingEvidence])).toEqual([
      ['BASELINE', 4, 0, 0],
      ['OUTPUT', 3.5, 0, 1],
      ['OUTCOME', 3, 0, 0],
      ['IMPACT', 0, 1, 1],
      ['QUICK_WIN', 1, 0, 1],
    ]);
    // O1, I1 and Q1 have gaps and nobody answers for them yet.
    expect(r.unassignedItemGaps).toBe(3);
    // Plans and reports: the overview's late plans, the verification queue, the overview's countdown.
    expect(r.gaps).toEqual({
      unscored: 1,
      missingEvidence: 3,
      unverifiedReports: city.progressReports.totalCount,
      latePlans: city.overview.counts.late,
      total: 4 + city.progressReports.totalCount + city.overview.counts.late,
    });
    expect(r.gapList.filter((g: any) => g.kind === 'LATE_PLAN')).toHaveLength(city.overview.counts.late);
    expect(r.daysToVisit).toBe(city.overview.daysToNextEvaluation);
    const dinkesRow = r.opds.find((o: any) => o.opdId === dinkes);
    expect(dinkesRow?.gaps.missingEvidence ?? 0).toBe(0);
    expect(dinkesRow?.gaps.latePlans ?? 0).toBe(city.overview.opds.find((o: any) => o.id === dinkes).lateCount);
    // Scoring I1 closes its UNSCORED gap: (40 + 70 + 90 + 20×3 + 20) / 100 = 2.80.
    await change('I1', { score: 3 });
    const after = (await ok<any>(server.url, READINESS, { id: cityId }, viewer)).city.readiness;
    expect(after).toMatchObject({ index: 2.8, scoredCount: 6, gaps: { unscored: 0, missingEvidence: 3 } });

    // "Who must act" lists only OPDs with something to do: one answering for a complete item (B1:
    // scored, with evidence), with no late plan and no report waiting, is not in it.
    const gapOpds = new Set((await ok<any>(server.url, READINESS, { id: cityId }, viewer)).city.readiness.gapList.map((g: any) => g.opdId));
    const quiet = city.overview.opds.find((o: any) => !gapOpds.has(o.id))?.id;
    expect(quiet).toBeTruthy();
    await change('B1', { responsibleOpdId: quiet });
    const listed = (await ok<any>(server.url, READINESS, { id: cityId }, viewer)).city.readiness.opds;
    expect(listed.map((o: any) => o.opdId)).not.toContain(quiet);
    expect(listed.filter((o: any) => o.gaps.missingEvidence + o.gaps.latePlans + o.gaps.unverifiedReports === 0)).toEqual([]);
  });

  it("answers readiness and the items' evidence in one request (the readiness reads whole rows into the shared entity manager)", async () => {
    const year = Number(new Date().toISOString().slice(0, 4));
    const { city } = await ok<any>(
      server.url,
      `query ($id: ID!, $year: Int!) { city(id: $id) {
        readiness(year: $year) { gaps { total missingEvidence } }
        selfAssessment(year: $year) { items { evidence { id version attachedAt } } }
        progressReports(status: SUBMITTED, first: 5) { edges { node { id version narrative } } }
      } }`,
      { id: cityId, year },
      cityAdmin,
    );
    const attachments = (city.selfAssessment?.items ?? []).flatMap((i: any) => i.evidence);
    for (const a of attachments) expect(a.version).toEqual(expect.any(Number));
    for (const e of city.progressReports.edges) expect(e.node.version).toEqual(expect.any(Number));
    expect(city.readiness.gaps.total).toBeGreaterThanOrEqual(city.readiness.gaps.missingEvidence);
  });

  it("keeps the assessor's scores from the city before the publish date, through every entry point", async () => {
    const items = byCode(assessment);
    const seqBefore = (await ok<any>(server.url, 'query ($id: ID!) { city(id: $id) { overview { seq } } }', { id: cityId }, cityAdmin)).city
      .overview.seq;
    const NOTE = 'Catatan rahasia penilai 7f3a';
    const recorded = await ok<any>(server.url, ASSESSOR, { input: { assessmentItemId: items.B1.id, score: 3, notes: NOTE } }, evaluator);
    expect(recorded.recordAssessorScore).toMatchObject({ assessorScore: 3, assessorNotes: NOTE });
    await ok(server.url, ASSESSOR, { input: { assessmentItemId: items.O2.id, score: 2 } }, evaluator);
    // Mutation entry point: the city's roles may not record one, and the error carries nothing of it.
    for (const token of [cityAdmin, reporter, viewer]) {
      const r = await gql(server.url, ASSESSOR, { input: { assessmentItemId: items.B1.id, score: 1 } }, token);
      expect(codeOf(r)).toBe('FORBIDDEN');
      expect(JSON.stringify(r)).not.toContain(NOTE);
    }
    expect(codeOf(await gql(server.url, ASSESSOR, { input: { assessmentItemId: items.B1.id, score: 1 } }, screen))).toBe('FORBIDDEN');
    const other = await gql(server.url, ASSESSOR, { input: { assessmentItemId: items.B1.id, score: 1 } }, tebing);
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.assessmentItemId' });
    const outOfScale = await gql(server.url, ASSESSOR, { input: { assessmentItemId: items.B1.id, score: 9 } }, evaluator);
    expect(outOfScale.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.score' });

    // The evaluator sees them: B1 3, O2 2 (others unscored → 0): BASELINE 3, OUTPUT (1×0 + 3×2)/4 = 1.5.
    // Assessor index = (10×3 + 20×1.5) / 100 = 0.60.
    const seen = (await ok<any>(server.url, READ, { id: assessment.id }, evaluator)).selfAssessment;
    expect(seen).toMatchObject({ assessorScoresVisible: true, assessorIndex: 0.6 });
    expect(seen.items.find((i: any) => i.id === items.B1.id)).toMatchObject({ assessorScore: 3, assessorNotes: NOTE });

    // Query and nested fields: null for every role of the city, a screen too.
    for (const token of [cityAdmin, reporter, viewer, screen]) {
      const r = await gql(server.url, READ, { id: assessment.id }, token);
      expect(r.errors).toBeUndefined();
      const a = r.data!.selfAssessment;
      expect(a).toMatchObject({ assessorScoresVisible: false, assessorIndex: null, assessorDimensions: null });
      expect(a.items.every((i: any) => i.assessorScore === null && i.assessorNotes === null)).toBe(true);
      expect(JSON.stringify(r)).not.toContain(NOTE);
      const nested = await gql(
        server.url,
        'query ($id: ID!) { city(id: $id) { selfAssessments { year assessorIndex items { assessorScore assessorNotes } } } }',
        { id: cityId },
        token,
      );
      // (The demo's last year is published: its scores are visible, see the next test.)
      expect(JSON.stringify(nested.data!.city.selfAssessments.filter((a: any) => a.year === 2031))).not.toMatch(
        new RegExp(`${NOTE}|"assessorIndex":[0-9]|"assessorScore":[0-9]`),
      );
    }
    // Audit log: the city's has no entry of it (platform-level objects go to the platform log).
    const audit = await ok<any>(
      server.url,
      'query ($id: ID!) { auditLog(cityId: $id, first: 100) { edges { node { entity changes { field after } } } } }',
      { id: cityId },
      cityAdmin,
    );
    expect(audit.auditLog.edges.some((e: any) => e.node.entity === 'AssessorScore')).toBe(false);
    expect(JSON.stringify(audit)).not.toContain(NOTE);
    const platform = await ok<any>(server.url, '{ platformAuditLog(first: 100) { edges { node { entity } } } }', {}, admin);
    expect(platform.platformAuditLog.edges.some((e: any) => e.node.entity === 'AssessorScore')).toBe(true);
    // Live entry points: no city event, so neither cityEvents (nor any hub fed by it) carries it.
    expect(await server.orm.em.fork().count(CityEvent, { entity: 'AssessorScore' })).toBe(0);
    const seqAfter = (await ok<any>(server.url, 'query ($id: ID!) { city(id: $id) { overview { seq } } }', { id: cityId }, cityAdmin)).city
      .overview.seq;
    expect(seqAfter).toBe(seqBefore);
    const ws = wsClient(server.url, viewer);
    try {
      const events = collect<any>(
        ws,
        'subscription ($id: ID!, $after: Int) { cityEvents(cityId: $id, afterSeq: $after) { seq kind entity } }',
        { id: cityId, after: Math.max(0, seqAfter - 50) },
      );
      await events.until((v) => v.cityEvents.seq === seqAfter, 5_000);
      expect(events.values.some((v) => v.cityEvents.entity === 'AssessorScore')).toBe(false);
      events.stop();
    } finally {
      await ws.dispose();
    }
  });

  it('the live readiness carries no assessor data at all: no field reachable from it is one', async () => {
    // Shared subscriptions run once for every reader of a city (realtime/shared.ts), so nothing
    // role-dependent may be reachable from `readiness`; nor may any subscription reach an assessment.
    const schema = await getSchema();
    const seen = new Set<string>();
    const walk = (type: GraphQLObjectType, path: string): string[] => {
      if (seen.has(type.name)) return [];
      seen.add(type.name);
      return Object.values(type.getFields()).flatMap((f) => {
        const named = getNamedType(f.type);
        const here = `${path}.${f.name}`;
        return [
          ...(/assessor/i.test(f.name) || ['SelfAssessment', 'AssessmentItem'].includes(named.name) ? [here] : []),
          ...(isObjectType(named) ? walk(named, here) : []),
        ];
      });
    };
    const subscriptions = schema.getSubscriptionType()!.getFields();
    expect(walk(getNamedType(subscriptions.readiness!.type) as GraphQLObjectType, 'readiness')).toEqual([]);
    for (const [name, field] of Object.entries(subscriptions)) {
      seen.clear();
      const named = getNamedType(field.type);
      expect(isObjectType(named) ? walk(named, name) : [], name).toEqual([]);
    }
  });

  it("shows the assessors' scores to the city once the publish date has passed (the demo's last year)", async () => {
    const year = Number(
      (
        await ok<any>(server.url, 'query ($id: ID!) { city(id: $id) { overview { today } } }', { id: cityId }, viewer)
      ).city.overview.today.slice(0, 4),
    );
    const last = await ok<any>(
      server.url,
      'query ($id: ID!, $y: Int!) { city(id: $id) { selfAssessment(year: $y) { status index assessorScoresVisible assessorIndex framework { publishDate } } } }',
      { id: cityId, y: year - 1 },
      viewer,
    );
    expect(last.city.selfAssessment).toMatchObject({ status: 'SUBMITTED', assessorScoresVisible: true });
    expect(last.city.selfAssessment.assessorIndex).toEqual(expect.any(Number));
    const current = await ok<any>(
      server.url,
      'query ($id: ID!, $y: Int!) { city(id: $id) { selfAssessment(year: $y) { status scoredItemCount items { id } } } }',
      { id: cityId, y: year },
      viewer,
    );
    expect(current.city.selfAssessment.status).toBe('DRAFT');
    expect(current.city.selfAssessment.scoredItemCount).toBeLessThan(current.city.selfAssessment.items.length);
  });
});
