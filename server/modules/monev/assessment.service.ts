import type { EntityManager } from '@mikro-orm/core';
import { Field, Float, ID, InputType } from 'type-graphql';
import { policy, type Principal } from '../../auth/policy';
import { memoize, type Context } from '../../context';
import { entityLabel } from '../../i18n';
import { badInput, forbidden } from '../../errors';
import { todayIn } from '../../util/dates';
import { isUuid } from '../../util/ids';
import { ActionPlan } from '../action-plans/action-plan.entity';
import { City } from '../cities/city.entity';
import { VersionedInput } from '../../graphql/crud';
import { check, given, roundTo } from '../../util/validate';
import { inTransaction, loadForWrite, resolveInCity, resolveManagedParent } from '../../events/writes';
import { Program } from '../masterplan/masterplan.entity';
import { Opd } from '../opds/opd.entity';
import { Role, User } from '../users/user.entity';
import { AssessmentItem, AssessmentStatus, AssessorScore, SelfAssessment } from './assessment.entity';
import { EvidenceAttachment } from './evidence.entity';
import { EvaluationFramework, RubricItem } from './framework.entity';
import { frameworkItems } from './framework.service';
import { computeIndex, type IndexFigures } from './score';

@InputType({ description: "Starts a city's self-assessment against a framework revision (city admins)." })
export class StartSelfAssessmentInput {
  @Field(() => ID) cityId!: string;
  @Field(() => ID) frameworkId!: string;
  @Field(() => ID, {
    nullable: true,
    description:
      'Another self-assessment of the same city (e.g. on the previous revision) whose scores, narratives, links and evidence are copied, item by item (by code).',
  })
  copyFromId?: string | null;
}

@InputType({ description: "The city's answer to one item; fields left out stay as they are." })
export class UpdateAssessmentItemInput extends VersionedInput {
  @Field(() => Float, { nullable: true, description: "The self-score, within the framework's scale (two decimals); null clears it." })
  score?: number | null;
  @Field(() => String, { nullable: true }) narrative?: string | null;
  @Field(() => ID, { nullable: true, description: 'The OPD that must supply the evidence; null clears it.' }) responsibleOpdId?:
    string | null;
  @Field(() => [ID], { nullable: true, description: 'Action plans of the same city that support it (replaces the list; at most 50).' })
  actionPlanIds?: string[] | null;
  @Field(() => [ID], {
    nullable: true,
    description: 'Quick wins (programs flagged quick win) of the same city (replaces the list; at most 50).',
  })
  quickWinIds?: string[] | null;
}

@InputType({
  description: "An assessor's score and notes on one item (EVALUATOR of the city, or platform admin). Recording again replaces them.",
})
export class RecordAssessorScoreInput {
  @Field(() => ID) assessmentItemId!: string;
  @Field(() => Float) score!: number;
  @Field(() => String, { nullable: true }) notes?: string | null;
}

/** A score checked against a scale: within [min, max], two decimals. */
function checkScore(field: string, value: number, framework: EvaluationFramework): number {
  if (!Number.isFinite(value)) throw badInput(`input.${field}`, 'notFinite');
  const score = roundTo(value, 2);
  if (score < framework.scaleMin || score > framework.scaleMax)
    throw badInput(`input.${field}`, 'scoreRange', { min: framework.scaleMin, max: framework.scaleMax });
  return score;
}

/**
 * The time zone the assessor-score embargo is read in, for every city: WIB, the westernmost of
 * Indonesia's zones, so the publish date has begun in all of them (at 00:00 WIB = 01:00 WITA =
 * 02:00 WIT). Never the city's own `timeZone`: the city's admin sets that, and must not be able to
 * lift the embargo early by moving the city east.
 */
export const EMBARGO_TIME_ZONE = 'Asia/Jakarta';

/**
 * Whether the principal may see assessors' scores of a city on a framework: platform admins and
 * the city's evaluators always; anybody else (the city's own roles, screens) only from 00:00 WIB
 * on the framework's publish date (`EMBARGO_TIME_ZONE`), the same instant for every city.
 */
export function maySeeAssessorScores(principal: Principal | null, city: City, framework: EvaluationFramework, now: Date): boolean {
  if (!principal) return false;
  if (!principal.isScreen && principal.role === Role.PLATFORM_ADMIN) return true;
  if (!principal.isScreen && principal.role === Role.EVALUATOR && policy.canReadCity(principal, city.id)) return true;
  return todayIn(EMBARGO_TIME_ZONE, now) >= framework.publishDate;
}

/** Starts a self-assessment: one row per rubric item, copied from another one of the city if asked. */
export function startSelfAssessment(ctx: Context, input: StartSelfAssessmentInput): Promise<SelfAssessment> {
  return inTransaction(ctx, 'SelfAssessment', async (em) => {
    const city = await resolveManagedParent(em, City, 'City', input.cityId, 'cityId', (c) => c.id, ctx.principal);
    const framework = isUuid(input.frameworkId) ? await em.findOne(EvaluationFramework, { id: input.frameworkId, archivedAt: null }) : null;
    if (!framework) throw badInput('input.frameworkId', 'notFound', { entity: entityLabel('EvaluationFramework') });
    if (await em.count(SelfAssessment, { city: city.id, framework: framework.id })) throw badInput('input.frameworkId', 'duplicate');
    const source = input.copyFromId
      ? await resolveInCity(em, SelfAssessment, 'SelfAssessment', input.copyFromId, city.id, 'copyFromId')
      : null;
    const assessment = new SelfAssessment(city, framework);
    em.persist(assessment);
    const previous = new Map<string, AssessmentItem>();
    if (source) {
      for (const row of await em.find(AssessmentItem, { assessment: source.id }, { populate: ['rubricItem', 'actionPlans', 'quickWins'] }))
        previous.set(row.rubricItem.code, row);
    }
    for (const rubricItem of await frameworkItems(em, framework.id)) {
      const item = new AssessmentItem(assessment, rubricItem);
      const from = previous.get(rubricItem.code);
      if (from) {
        item.score = from.score === null ? null : Math.min(framework.scaleMax, Math.max(framework.scaleMin, from.score));
        item.narrative = from.narrative;
        item.responsibleOpd = from.responsibleOpd;
        item.scoredAt = from.scoredAt;
        item.actionPlans.set(from.actionPlans.getItems());
        item.quickWins.set(from.quickWins.getItems());
        for (const a of await em.find(EvidenceAttachment, { assessmentItem: from.id, archivedAt: null })) {
          const copy = new EvidenceAttachment(a.evidence);
          copy.assessmentItem = item;
          copy.attachedBy = a.attachedBy;
          copy.attachedAt = a.attachedAt;
          em.persist(copy);
        }
      }
      em.persist(item);
    }
    return assessment;
  });
}

/** Loads an assessment item for a write by the city team: BAD_USER_INPUT unknown/elsewhere, FORBIDDEN, CONFLICT, submitted. */
async function itemForWrite(ctx: Context, em: EntityManager, id: string, expectedVersion: number): Promise<AssessmentItem> {
  const item = await loadForWrite(em, AssessmentItem, 'AssessmentItem', id, expectedVersion, (r) =>
    policy.assertManage(ctx.principal, r.city.id, 'AssessmentItem', r.id),
  );
  await em.populate(item, ['assessment.framework']);
  if (item.assessment.status !== AssessmentStatus.DRAFT) throw badInput('input.id', 'assessmentSubmitted');
  return item;
}

/** Changes the city's answer to one item (city admins; draft assessments only). */
export function updateAssessmentItem(ctx: Context, input: UpdateAssessmentItemInput): Promise<AssessmentItem> {
  const narrative = given(input.narrative) ? check.optionalText('narrative', input.narrative, 10_000) : undefined;
  if ((input.actionPlanIds?.length ?? 0) > 50) throw badInput('input.actionPlanIds', 'tooMany', { max: 50 });
  if ((input.quickWinIds?.length ?? 0) > 50) throw badInput('input.quickWinIds', 'tooMany', { max: 50 });
  return inTransaction(ctx, 'AssessmentItem', async (em) => {
    const item = await itemForWrite(ctx, em, input.id, input.expectedVersion);
    const cityId = item.city.id;
    if (given(input.score)) {
      item.score = input.score === null ? null : checkScore('score', input.score, item.assessment.framework);
      item.scoredAt = ctx.services.clock();
    }
    if (narrative !== undefined) item.narrative = narrative;
    if (given(input.responsibleOpdId))
      item.responsibleOpd =
        input.responsibleOpdId === null ? null : await resolveInCity(em, Opd, 'Opd', input.responsibleOpdId, cityId, 'responsibleOpdId');
    if (input.actionPlanIds) {
      const plans: ActionPlan[] = [];
      for (const [i, id] of [...new Set(input.actionPlanIds)].entries())
        plans.push(await resolveInCity(em, ActionPlan, 'ActionPlan', id, cityId, `actionPlanIds.${i}`));
      await item.actionPlans.init();
      item.actionPlans.set(plans);
    }
    if (input.quickWinIds) {
      const programs: Program[] = [];
      for (const [i, id] of [...new Set(input.quickWinIds)].entries()) {
        const program = await resolveInCity(em, Program, 'Program', id, cityId, `quickWinIds.${i}`);
        if (!program.quickWin) throw badInput(`input.quickWinIds.${i}`, 'notQuickWin');
        programs.push(program);
      }
      await item.quickWins.init();
      item.quickWins.set(programs);
    }
    return item;
  });
}

/** Submits a self-assessment (city admins): it and its framework revision are frozen from now on. */
export function submitSelfAssessment(ctx: Context, input: VersionedInput): Promise<SelfAssessment> {
  return inTransaction(ctx, 'SelfAssessment', async (em) => {
    const assessment = await loadForWrite(em, SelfAssessment, 'SelfAssessment', input.id, input.expectedVersion, (r) =>
      policy.assertManage(ctx.principal, r.city.id, 'SelfAssessment', r.id),
    );
    if (assessment.status !== AssessmentStatus.DRAFT) throw badInput('input.id', 'assessmentSubmitted');
    assessment.status = AssessmentStatus.SUBMITTED;
    assessment.submittedAt = ctx.services.clock();
    if (ctx.principal) assessment.submittedBy = em.getReference(User, ctx.principal.userId);
    return assessment;
  });
}

/**
 * Records an assessor's score beside the city's (the city's evaluators and platform admins). The
 * city's own roles get FORBIDDEN (they can see the item); anybody who can't see it, BAD_USER_INPUT.
 */
export function recordAssessorScore(ctx: Context, input: RecordAssessorScoreInput): Promise<AssessmentItem> {
  const notes = check.optionalText('notes', input.notes, 10_000);
  return inTransaction(ctx, 'AssessorScore', async (em) => {
    const p = policy.requireLogin(ctx.principal);
    const item = isUuid(input.assessmentItemId)
      ? await em.findOne(AssessmentItem, { id: input.assessmentItemId }, { populate: ['assessment.framework'] })
      : null;
    if (!item || !policy.canReadCity(p, item.city.id))
      throw badInput('input.assessmentItemId', 'notFound', { entity: entityLabel('AssessmentItem') });
    if (p.isScreen || (p.role !== Role.EVALUATOR && p.role !== Role.PLATFORM_ADMIN)) throw forbidden();
    const score = checkScore('score', input.score, item.assessment.framework);
    let row = await em.findOne(AssessorScore, { assessmentItem: item.id });
    if (!row) {
      row = new AssessorScore(item, score);
      em.persist(row);
    }
    row.score = score;
    row.notes = notes;
    row.assessor = em.getReference(User, p.userId);
    row.recordedAt = ctx.services.clock();
    return item;
  });
}

/** What an assessment's figures are computed from, loaded once per request. */
export interface AssessmentData {
  framework: EvaluationFramework;
  rubric: RubricItem[];
  items: AssessmentItem[];
  /** Assessor score per assessment item id. */
  assessor: Map<string, AssessorScore>;
}

/** Loads an assessment's framework, rubric, items and assessor scores: four statements, once per request. */
export function assessmentData(ctx: Context, assessment: SelfAssessment): Promise<AssessmentData> {
  return memoize(ctx, `assessment:${assessment.id}`, async () => {
    const framework = await ctx.em.findOneOrFail(EvaluationFramework, { id: assessment.framework.id });
    const [rubric, items, scores] = await Promise.all([
      frameworkItems(ctx.em, framework.id),
      ctx.em.find(AssessmentItem, { assessment: assessment.id }),
      ctx.em.find(AssessorScore, { assessmentId: assessment.id }),
    ]);
    return { framework, rubric, items, assessor: new Map(scores.map((s) => [s.assessmentItem.id, s])) };
  });
}

/** The items of an assessment that count: those whose rubric item is live, in rubric order. */
export function liveItems(data: AssessmentData): { rubric: RubricItem; item: AssessmentItem }[] {
  const byRubric = new Map(data.items.map((i) => [i.rubricItem.id, i]));
  return data.rubric.flatMap((rubric) => {
    const item = byRubric.get(rubric.id);
    return item ? [{ rubric, item }] : [];
  });
}

/** The city's index (self-scores), or the assessors' (their scores; an item they did not score counts as the minimum). */
export function figures(data: AssessmentData, whose: 'self' | 'assessor'): IndexFigures {
  const items = liveItems(data).map(({ rubric, item }) => ({
    dimension: rubric.dimension,
    weight: rubric.weight,
    score: whose === 'self' ? item.score : (data.assessor.get(item.id)?.score ?? null),
  }));
  return computeIndex(data.framework, data.framework.weights, items);
}
