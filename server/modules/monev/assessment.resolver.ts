import { Arg, Ctx, Field, FieldResolver, Float, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { policy } from '../../auth/policy';
import type { Context } from '../../context';
import { notFound } from '../../errors';
import { isUuid } from '../../util/ids';
import { ActionPlan } from '../action-plans/action-plan.entity';
import { City } from '../cities/city.entity';
import { VersionedInput } from '../../graphql/crud';
import { Program } from '../masterplan/masterplan.entity';
import { Opd } from '../opds/opd.entity';
import { AssessmentItem, SelfAssessment } from './assessment.entity';
import {
  assessmentData,
  figures,
  liveItems,
  maySeeAssessorScores,
  recordAssessorScore,
  RecordAssessorScoreInput,
  startSelfAssessment,
  StartSelfAssessmentInput,
  submitSelfAssessment,
  updateAssessmentItem,
  UpdateAssessmentItemInput,
} from './assessment.service';
import { EvaluationDimension, evaluationDimensionLabel, EvaluationFramework, RubricItem } from './framework.entity';
import type { IndexFigures } from './score';

/** One evaluation dimension's computed score. */
@ObjectType({
  description: "An evaluation dimension's score: the weighted mean of its items' scores (an unscored item counts as the scale's minimum).",
})
export class DimensionScore {
  @Field(() => EvaluationDimension) dimension!: EvaluationDimension;
  @Field(() => String) label!: string;
  @Field(() => Float, { description: 'Its weight in the index, percent.' }) weight!: number;
  @Field(() => Float, { description: 'On the framework scale, two decimals.' }) score!: number;
  @Field(() => Int) itemCount!: number;
  @Field(() => Int) scoredCount!: number;
}

function dimensionScores(f: IndexFigures, ctx: Context): DimensionScore[] {
  return f.dimensions.map((d) => ({ ...d, label: evaluationDimensionLabel(d.dimension, ctx.locale) }));
}

/** Reads an assessment the viewer may read; NOT_FOUND otherwise (another city's too). */
async function readableAssessment(ctx: Context, id: string): Promise<SelfAssessment> {
  const assessment = isUuid(id) ? await ctx.loaders.byId(SelfAssessment).load(id) : null;
  if (!assessment) throw notFound('SelfAssessment', id);
  policy.assertRead(ctx.principal, assessment.city.id, 'SelfAssessment', id);
  return assessment;
}

/** Whether this viewer may see the assessors' scores of this assessment (see `maySeeAssessorScores`). */
async function assessorVisible(ctx: Context, assessment: SelfAssessment): Promise<boolean> {
  const [city, framework] = await Promise.all([
    ctx.loaders.byId(City).load(assessment.city.id),
    ctx.loaders.byId(EvaluationFramework).load(assessment.framework.id),
  ]);
  return city !== null && framework !== null && maySeeAssessorScores(ctx.principal, city, framework, ctx.now);
}

/** Self-assessments: the city's answers, the computed index, and the assessors' scores when visible. */
@Resolver(() => SelfAssessment)
export class SelfAssessmentResolver {
  @Query(() => SelfAssessment, { description: 'One self-assessment (of a city you may read).' })
  selfAssessment(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<SelfAssessment> {
    return readableAssessment(ctx, id);
  }

  @Mutation(() => SelfAssessment, { description: "Starts a city's self-assessment on a framework revision (city admins)." })
  startSelfAssessment(
    @Arg('input', () => StartSelfAssessmentInput) input: StartSelfAssessmentInput,
    @Ctx() ctx: Context,
  ): Promise<SelfAssessment> {
    return startSelfAssessment(ctx, input);
  }

  @Mutation(() => SelfAssessment, {
    description: 'Submits a self-assessment (city admins): it can no longer change, and its framework revision is frozen.',
  })
  submitSelfAssessment(@Arg('input', () => VersionedInput) input: VersionedInput, @Ctx() ctx: Context): Promise<SelfAssessment> {
    return submitSelfAssessment(ctx, input);
  }

  @FieldResolver(() => ID)
  cityId(@Root() a: SelfAssessment): string {
    return a.city.id;
  }

  @FieldResolver(() => EvaluationFramework)
  async framework(@Root() a: SelfAssessment, @Ctx() ctx: Context): Promise<EvaluationFramework> {
    return (await assessmentData(ctx, a)).framework;
  }

  @FieldResolver(() => [AssessmentItem], { description: 'One answer per live rubric item, in rubric order.' })
  async items(@Root() a: SelfAssessment, @Ctx() ctx: Context): Promise<AssessmentItem[]> {
    return liveItems(await assessmentData(ctx, a)).map((x) => x.item);
  }

  @FieldResolver(() => Float, {
    description:
      "The achievement index from the city's own scores, as it stands (unscored items count as the scale's minimum), two decimals.",
  })
  async index(@Root() a: SelfAssessment, @Ctx() ctx: Context): Promise<number> {
    return figures(await assessmentData(ctx, a), 'self').index;
  }

  @FieldResolver(() => [DimensionScore], { description: "Each evaluation dimension's score from the city's own scores." })
  async dimensions(@Root() a: SelfAssessment, @Ctx() ctx: Context): Promise<DimensionScore[]> {
    return dimensionScores(figures(await assessmentData(ctx, a), 'self'), ctx);
  }

  @FieldResolver(() => Int, { description: 'How many items have a self-score.' })
  async scoredItemCount(@Root() a: SelfAssessment, @Ctx() ctx: Context): Promise<number> {
    return figures(await assessmentData(ctx, a), 'self').scoredCount;
  }

  @FieldResolver(() => Boolean, {
    description:
      "Whether you may see the assessors' scores: evaluators and platform admins always, the city from the framework's publish date.",
  })
  assessorScoresVisible(@Root() a: SelfAssessment, @Ctx() ctx: Context): Promise<boolean> {
    return assessorVisible(ctx, a);
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: "The index from the assessors' scores; null until you may see them (`assessorScoresVisible`) or while no item has one.",
  })
  async assessorIndex(@Root() a: SelfAssessment, @Ctx() ctx: Context): Promise<number | null> {
    if (!(await assessorVisible(ctx, a))) return null;
    const data = await assessmentData(ctx, a);
    return data.assessor.size === 0 ? null : figures(data, 'assessor').index;
  }

  @FieldResolver(() => [DimensionScore], {
    nullable: true,
    description: "Each dimension's score from the assessors' scores; null until you may see them.",
  })
  async assessorDimensions(@Root() a: SelfAssessment, @Ctx() ctx: Context): Promise<DimensionScore[] | null> {
    if (!(await assessorVisible(ctx, a))) return null;
    const data = await assessmentData(ctx, a);
    return data.assessor.size === 0 ? null : dimensionScores(figures(data, 'assessor'), ctx);
  }
}

/** One item's answer, and the assessor's score beside it when visible. */
@Resolver(() => AssessmentItem)
export class AssessmentItemResolver {
  @Mutation(() => AssessmentItem, { description: "Changes the city's answer to one item of a draft self-assessment (city admins)." })
  updateAssessmentItem(
    @Arg('input', () => UpdateAssessmentItemInput) input: UpdateAssessmentItemInput,
    @Ctx() ctx: Context,
  ): Promise<AssessmentItem> {
    return updateAssessmentItem(ctx, input);
  }

  @Mutation(() => AssessmentItem, {
    description:
      "Records an assessor's score and notes on an item (the city's EVALUATORs and platform admins). The city sees them only from the framework's publish date.",
  })
  recordAssessorScore(
    @Arg('input', () => RecordAssessorScoreInput) input: RecordAssessorScoreInput,
    @Ctx() ctx: Context,
  ): Promise<AssessmentItem> {
    return recordAssessorScore(ctx, input);
  }

  @FieldResolver(() => ID)
  assessmentId(@Root() item: AssessmentItem): string {
    return item.assessment.id;
  }

  @FieldResolver(() => RubricItem)
  async rubricItem(@Root() item: AssessmentItem, @Ctx() ctx: Context): Promise<RubricItem> {
    const row = await ctx.loaders.byId(RubricItem).load(item.rubricItem.id);
    if (!row) throw notFound('RubricItem', item.rubricItem.id);
    return row;
  }

  @FieldResolver(() => Float, { nullable: true, description: "The city's own score; null while unscored." })
  score(@Root() item: AssessmentItem): number | null {
    return item.score;
  }

  @FieldResolver(() => Opd, { nullable: true, description: 'The OPD that must supply the evidence (who must act).' })
  async responsibleOpd(@Root() item: AssessmentItem, @Ctx() ctx: Context): Promise<Opd | null> {
    return item.responsibleOpd ? ctx.loaders.byId(Opd).load(item.responsibleOpd.id) : null;
  }

  @FieldResolver(() => [ActionPlan], { description: 'Action plans that support it.' })
  async actionPlans(@Root() item: AssessmentItem): Promise<ActionPlan[]> {
    return (await item.actionPlans.loadItems()).filter((p) => p.archivedAt === null);
  }

  @FieldResolver(() => [Program], { description: 'Quick wins that support it.' })
  async quickWins(@Root() item: AssessmentItem): Promise<Program[]> {
    return (await item.quickWins.loadItems()).filter((p) => p.archivedAt === null);
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description:
      "The assessor's score; null until you may see it (evaluators and platform admins always, the city from the publish date) or while there is none.",
  })
  async assessorScore(@Root() item: AssessmentItem, @Ctx() ctx: Context): Promise<number | null> {
    const a = await ctx.loaders.byId(SelfAssessment).load(item.assessment.id);
    if (!a || !(await assessorVisible(ctx, a))) return null;
    return (await assessmentData(ctx, a)).assessor.get(item.id)?.score ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: "The assessor's notes; hidden like `assessorScore`." })
  async assessorNotes(@Root() item: AssessmentItem, @Ctx() ctx: Context): Promise<string | null> {
    const a = await ctx.loaders.byId(SelfAssessment).load(item.assessment.id);
    if (!a || !(await assessorVisible(ctx, a))) return null;
    return (await assessmentData(ctx, a)).assessor.get(item.id)?.notes ?? null;
  }
}

/** `City.selfAssessments` and `City.selfAssessment(year)`. */
@Resolver(() => City)
export class CityAssessmentResolver {
  @FieldResolver(() => [SelfAssessment], { description: "The city's self-assessments, newest year and framework revision first." })
  async selfAssessments(@Root() city: City, @Ctx() ctx: Context): Promise<SelfAssessment[]> {
    policy.assertRead(ctx.principal, city.id, 'City', city.id);
    return ctx.em.find(SelfAssessment, { city: city.id, archivedAt: null }, { orderBy: { year: 'desc', framework: { revision: 'desc' } } });
  }

  @FieldResolver(() => SelfAssessment, {
    nullable: true,
    description: "The city's self-assessment of a year on the latest framework revision it has one for; null without one.",
  })
  async selfAssessment(@Root() city: City, @Arg('year', () => Int) year: number, @Ctx() ctx: Context): Promise<SelfAssessment | null> {
    policy.assertRead(ctx.principal, city.id, 'City', city.id);
    return ctx.em.findOne(SelfAssessment, { city: city.id, year, archivedAt: null }, { orderBy: { framework: { revision: 'desc' } } });
  }
}
