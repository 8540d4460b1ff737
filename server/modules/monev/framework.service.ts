import type { EntityManager } from '@mikro-orm/core';
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { policy } from '../../auth/policy';
import type { Context } from '../../context';
import { entityLabel } from '../../i18n';
import { badInput } from '../../errors';
import { isUuid } from '../../util/ids';
import { VersionedInput } from '../../graphql/crud';
import { check, given } from '../../util/validate';
import { inTransaction, loadForWrite } from '../../events/writes';
import { Dimension } from '../masterplan/dimension';
import { AssessmentItem, AssessmentStatus, SelfAssessment } from './assessment.entity';
import { EVALUATION_DIMENSIONS, EvaluationDimension, EvaluationFramework, RubricItem, type DimensionWeights } from './framework.entity';

/** The most items one rubric may hold. */
export const MAX_RUBRIC_ITEMS = 300;

@InputType({ description: "One evaluation dimension's weight, in percent; the five sum to 100." })
export class DimensionWeightInput {
  @Field(() => EvaluationDimension) dimension!: EvaluationDimension;
  @Field(() => Float) weight!: number;
}

@InputType({
  description:
    'One rubric item. Items are identified by `code` within a framework: an edit keeps, changes, adds or (when left out) archives them.',
})
export class RubricItemInput {
  @Field(() => String, { description: 'e.g. "OUT-02": letters, digits, . _ -; at most 40.' }) code!: string;
  @Field(() => String) question!: string;
  @Field(() => String, { description: 'What evidence (data dukung) the item expects.' }) expectedEvidence!: string;
  @Field(() => EvaluationDimension) dimension!: EvaluationDimension;
  @Field(() => Dimension, { nullable: true }) smartCityDimension?: Dimension | null;
  @Field(() => Float, { nullable: true, description: 'Weight within its dimension; default 1.' }) weight?: number | null;
  @Field(() => String, { nullable: true, description: 'Which kind of OPD usually supplies it.' }) supplierHint?: string | null;
}

@InputType({ description: 'A new evaluation framework (platform admins).' })
export class CreateEvaluationFrameworkInput {
  @Field(() => Int) year!: number;
  @Field(() => String) name!: string;
  @Field(() => String, {
    description:
      'YYYY-MM-DD: assessor scores become visible to the cities at 00:00 WIB that day (every city at once, whatever its time zone).',
  })
  publishDate!: string;
  @Field(() => Int, { nullable: true, description: 'Default 0.' }) scaleMin?: number | null;
  @Field(() => Int, { nullable: true, description: 'Default 4.' }) scaleMax?: number | null;
  @Field(() => [DimensionWeightInput]) weights!: DimensionWeightInput[];
  @Field(() => [RubricItemInput]) items!: RubricItemInput[];
}

@InputType({
  description:
    'Changes to a framework. On a frozen framework (used by a submitted self-assessment) they make a new revision, which is returned.',
})
export class UpdateEvaluationFrameworkInput extends VersionedInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) publishDate?: string | null;
  @Field(() => Int, { nullable: true }) scaleMin?: number | null;
  @Field(() => Int, { nullable: true }) scaleMax?: number | null;
  @Field(() => [DimensionWeightInput], { nullable: true }) weights?: DimensionWeightInput[] | null;
  @Field(() => [RubricItemInput], { nullable: true, description: 'The whole list of items (replaces the current one, matched by code).' })
  items?: RubricItemInput[] | null;
}

@InputType({ description: "Copies a framework (e.g. last year's) to a year, as that year's next revision." })
export class CopyEvaluationFrameworkInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) year!: number;
  @Field(() => String, { nullable: true, description: 'Default: the source name with its year replaced.' }) name?: string | null;
  @Field(() => String, { nullable: true, description: 'Default: the source publish date moved by the years between them.' }) publishDate?:
    string | null;
}

/** Validates the five weights: each dimension once, none negative, summing to 100. */
export function checkWeights(field: string, input: readonly DimensionWeightInput[]): DimensionWeights {
  const weights = {} as DimensionWeights;
  for (const [i, w] of input.entries()) {
    if (weights[w.dimension] !== undefined) throw badInput(`input.${field}`, 'weightsDimensions');
    weights[w.dimension] = check.number(`${field}.${i}.weight`, w.weight, { min: 0, max: 100 });
  }
  if (EVALUATION_DIMENSIONS.some((d) => weights[d] === undefined)) throw badInput(`input.${field}`, 'weightsDimensions');
  const sum = EVALUATION_DIMENSIONS.reduce((s, d) => s + weights[d], 0);
  if (Math.abs(sum - 100) > 1e-6) throw badInput(`input.${field}`, 'weightsSum', { sum: Number(sum.toFixed(6)) });
  return weights;
}

function checkScale(min: number, max: number): void {
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max > 100 || min >= max)
    throw badInput('input.scaleMax', 'scaleRange');
}

interface CleanItem {
  code: string;
  question: string;
  expectedEvidence: string;
  dimension: EvaluationDimension;
  smartCityDimension: Dimension | null;
  weight: number;
  supplierHint: string | null;
}

/** Validates a rubric's items: codes unique and tidy, texts bounded, weights positive. */
export function checkItems(items: readonly RubricItemInput[]): CleanItem[] {
  if (items.length > MAX_RUBRIC_ITEMS) throw badInput('input.items', 'tooMany', { max: MAX_RUBRIC_ITEMS });
  const seen = new Set<string>();
  return items.map((item, i) => {
    const code = check.text(`items.${i}.code`, item.code, 40);
    if (!/^[A-Za-z0-9._-]+$/.test(code)) throw badInput(`input.items.${i}.code`, 'rubricCode');
    if (seen.has(code)) throw badInput(`input.items.${i}.code`, 'duplicateCode', { code });
    seen.add(code);
    return {
      code,
      question: check.text(`items.${i}.question`, item.question, 2_000),
      expectedEvidence: check.text(`items.${i}.expectedEvidence`, item.expectedEvidence, 2_000),
      dimension: item.dimension,
      smartCityDimension: item.smartCityDimension ?? null,
      weight: item.weight === null || item.weight === undefined ? 1 : check.positive(`items.${i}.weight`, item.weight),
      supplierHint: check.optionalText(`items.${i}.supplierHint`, item.supplierHint, 200),
    };
  });
}

function applyItem(row: RubricItem, item: CleanItem, position: number): void {
  row.question = item.question;
  row.expectedEvidence = item.expectedEvidence;
  row.dimension = item.dimension;
  row.smartCityDimension = item.smartCityDimension;
  row.weight = item.weight;
  row.supplierHint = item.supplierHint;
  row.position = position;
  row.archivedAt = null;
}

/** The next revision number of a year (1 for a year without frameworks). */
async function nextRevision(em: EntityManager, year: number): Promise<number> {
  const last = await em.findOne(EvaluationFramework, { year }, { orderBy: { revision: 'desc' } });
  return (last?.revision ?? 0) + 1;
}

/** Whether a submitted self-assessment uses the framework (then it is frozen: edits make a new revision). */
export async function isFrozen(em: EntityManager, frameworkId: string): Promise<boolean> {
  return (await em.count(SelfAssessment, { framework: frameworkId, status: AssessmentStatus.SUBMITTED })) > 0;
}

/** The live (not archived) items of a framework, in order. */
export function frameworkItems(em: EntityManager, frameworkId: string): Promise<RubricItem[]> {
  return em.find(RubricItem, { framework: frameworkId, archivedAt: null }, { orderBy: { position: 'asc', code: 'asc' } });
}

/** A copy of `source` (its items too) for `year`, as that year's next revision; unsaved fields set by the caller. */
async function copyOf(em: EntityManager, source: EvaluationFramework, year: number): Promise<EvaluationFramework> {
  const copy = new EvaluationFramework(year, source.name, source.publishDate, { ...source.weights });
  copy.revision = await nextRevision(em, year);
  copy.scaleMin = source.scaleMin;
  copy.scaleMax = source.scaleMax;
  em.persist(copy);
  for (const item of await frameworkItems(em, source.id)) {
    const row = new RubricItem(copy, item.code, item.question, item.expectedEvidence, item.dimension);
    applyItem(row, { ...item }, item.position);
    em.persist(row);
  }
  return copy;
}

/** Creates a framework with its items (platform admins). */
export function createFramework(ctx: Context, input: CreateEvaluationFrameworkInput): Promise<EvaluationFramework> {
  policy.assertManageCities(ctx.principal);
  const year = check.year('year', input.year);
  const name = check.text('name', input.name, 300);
  const publishDate = check.date('publishDate', input.publishDate);
  const scaleMin = input.scaleMin ?? 0;
  const scaleMax = input.scaleMax ?? 4;
  checkScale(scaleMin, scaleMax);
  const weights = checkWeights('weights', input.weights);
  const items = checkItems(input.items);
  return inTransaction(ctx, 'EvaluationFramework', async (em) => {
    const framework = new EvaluationFramework(year, name, publishDate, weights);
    framework.revision = await nextRevision(em, year);
    framework.scaleMin = scaleMin;
    framework.scaleMax = scaleMax;
    em.persist(framework);
    items.forEach((item, i) => {
      const row = new RubricItem(framework, item.code, item.question, item.expectedEvidence, item.dimension);
      applyItem(row, item, i);
      em.persist(row);
    });
    return framework;
  });
}

/** Copies a framework to a year (platform admins): "copy last year's and edit it". */
export function copyFramework(ctx: Context, input: CopyEvaluationFrameworkInput): Promise<EvaluationFramework> {
  policy.assertManageCities(ctx.principal);
  const year = check.year('year', input.year);
  const name = check.optionalText('name', input.name, 300);
  const publishDate = check.optionalDate('publishDate', input.publishDate);
  return inTransaction(ctx, 'EvaluationFramework', async (em) => {
    const source = isUuid(input.id) ? await em.findOne(EvaluationFramework, { id: input.id }) : null;
    if (!source) throw badInput('input.id', 'notFound', { entity: entityLabel('EvaluationFramework') });
    const copy = await copyOf(em, source, year);
    copy.name = name ?? source.name.replaceAll(String(source.year), String(year));
    copy.publishDate =
      publishDate ??
      `${String(Number(source.publishDate.slice(0, 4)) + year - source.year).padStart(4, '0')}${source.publishDate.slice(4)}`.replace(
        /-02-29$/,
        '-02-28',
      );
    return copy;
  });
}

/**
 * Edits a framework (platform admins). A frozen one is not changed: the edit is applied to a new
 * revision of the same year (copy-on-write), which is returned; draft self-assessments stay on
 * the revision they started with.
 */
export function updateFramework(ctx: Context, input: UpdateEvaluationFrameworkInput): Promise<EvaluationFramework> {
  policy.assertManageCities(ctx.principal);
  const name = given(input.name) && input.name !== null ? check.text('name', input.name, 300) : null;
  const publishDate = input.publishDate ? check.date('publishDate', input.publishDate) : null;
  const weights = input.weights ? checkWeights('weights', input.weights) : null;
  const items = input.items ? checkItems(input.items) : null;
  return inTransaction(ctx, 'EvaluationFramework', async (em) => {
    const current = await loadForWrite(em, EvaluationFramework, 'EvaluationFramework', input.id, input.expectedVersion, () =>
      policy.assertManageCities(ctx.principal),
    );
    if (current.archivedAt) throw badInput('input.id', 'archived', { entity: entityLabel('EvaluationFramework') });
    let target = current;
    if (await isFrozen(em, current.id)) {
      target = await copyOf(em, current, current.year);
      target.previous = current;
    }
    if (name) target.name = name;
    if (publishDate) target.publishDate = publishDate;
    const scaleMin = input.scaleMin ?? target.scaleMin;
    const scaleMax = input.scaleMax ?? target.scaleMax;
    checkScale(scaleMin, scaleMax);
    target.scaleMin = scaleMin;
    target.scaleMax = scaleMax;
    if (weights) target.weights = weights;
    if (items) await replaceItems(em, target, items, ctx.services.clock());
    return target;
  });
}

/** Replaces a framework's items, matched by code; draft self-assessments on it get rows for new items. */
async function replaceItems(em: EntityManager, framework: EvaluationFramework, items: CleanItem[], now: Date): Promise<void> {
  // A copy's items are still unsaved: the query flushes them first (MikroORM's auto-flush).
  const rows = new Map<string, RubricItem>((await em.find(RubricItem, { framework: framework.id })).map((r) => [r.code, r]));
  const added: RubricItem[] = [];
  items.forEach((item, i) => {
    let row = rows.get(item.code);
    if (!row) {
      row = new RubricItem(framework, item.code, item.question, item.expectedEvidence, item.dimension);
      em.persist(row);
      added.push(row);
    }
    applyItem(row, item, i);
  });
  const kept = new Set(items.map((i) => i.code));
  for (const row of rows.values()) if (!kept.has(row.code) && row.archivedAt === null) row.archivedAt = now;
  if (added.length === 0) return;
  for (const assessment of await em.find(SelfAssessment, { framework: framework.id, status: AssessmentStatus.DRAFT })) {
    for (const item of added) em.persist(new AssessmentItem(assessment, item));
  }
}
