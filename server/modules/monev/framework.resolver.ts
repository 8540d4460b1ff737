import { Arg, Ctx, Field, FieldResolver, Float, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { policy } from '../../auth/policy';
import type { Context } from '../../context';
import { notFound } from '../../errors';
import { isUuid } from '../../util/ids';
import { EVALUATION_DIMENSIONS, EvaluationDimension, evaluationDimensionLabel, EvaluationFramework, RubricItem } from './framework.entity';
import {
  copyFramework,
  CopyEvaluationFrameworkInput,
  createFramework,
  CreateEvaluationFrameworkInput,
  frameworkItems,
  isFrozen,
  updateFramework,
  UpdateEvaluationFrameworkInput,
} from './framework.service';

/** One evaluation dimension of a framework with its weight. */
@ObjectType({ description: 'An evaluation dimension of a framework and its weight (percent; the five sum to 100).' })
export class FrameworkDimension {
  @Field(() => EvaluationDimension) dimension!: EvaluationDimension;
  @Field(() => String, { description: "The dimension's name in the request's language." }) label!: string;
  @Field(() => Float) weight!: number;
}

/** Frameworks (rubrics) are national: everybody logged in reads them; platform admins write them. */
@Resolver(() => EvaluationFramework)
export class EvaluationFrameworkResolver {
  @Query(() => [EvaluationFramework], { description: 'Evaluation frameworks, newest year and revision first; `year` keeps one year.' })
  async evaluationFrameworks(
    @Arg('year', () => Int, { nullable: true }) year: number | null,
    @Ctx() ctx: Context,
  ): Promise<EvaluationFramework[]> {
    policy.requireLogin(ctx.principal);
    return ctx.em.find(
      EvaluationFramework,
      { archivedAt: null, ...(year ? { year } : {}) },
      { orderBy: { year: 'desc', revision: 'desc' } },
    );
  }

  @Query(() => EvaluationFramework, { description: 'One evaluation framework.' })
  async evaluationFramework(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<EvaluationFramework> {
    policy.requireLogin(ctx.principal);
    const framework = isUuid(id) ? await ctx.loaders.byId(EvaluationFramework).load(id) : null;
    if (!framework) throw notFound('EvaluationFramework', id);
    return framework;
  }

  @Mutation(() => EvaluationFramework, {
    description: "Creates an evaluation framework with its items (platform admins). Its revision is the year's next.",
  })
  createEvaluationFramework(
    @Arg('input', () => CreateEvaluationFrameworkInput) input: CreateEvaluationFrameworkInput,
    @Ctx() ctx: Context,
  ): Promise<EvaluationFramework> {
    return createFramework(ctx, input);
  }

  @Mutation(() => EvaluationFramework, {
    description: "Copies a framework (e.g. last year's) to a year, as that year's next revision (platform admins).",
  })
  copyEvaluationFramework(
    @Arg('input', () => CopyEvaluationFrameworkInput) input: CopyEvaluationFrameworkInput,
    @Ctx() ctx: Context,
  ): Promise<EvaluationFramework> {
    return copyFramework(ctx, input);
  }

  @Mutation(() => EvaluationFramework, {
    description:
      'Edits a framework (platform admins). A frozen one (used by a submitted self-assessment) stays as it is: the edit makes a new revision of the year, which is returned.',
  })
  updateEvaluationFramework(
    @Arg('input', () => UpdateEvaluationFrameworkInput) input: UpdateEvaluationFrameworkInput,
    @Ctx() ctx: Context,
  ): Promise<EvaluationFramework> {
    return updateFramework(ctx, input);
  }

  @FieldResolver(() => [FrameworkDimension], { description: "The five evaluation dimensions and their weights, in the ministry's order." })
  dimensions(@Root() framework: EvaluationFramework, @Ctx() ctx: Context): FrameworkDimension[] {
    return EVALUATION_DIMENSIONS.map((dimension) => ({
      dimension,
      label: evaluationDimensionLabel(dimension, ctx.locale),
      weight: framework.weights[dimension] ?? 0,
    }));
  }

  @FieldResolver(() => [RubricItem], { description: 'The items, in order.' })
  items(@Root() framework: EvaluationFramework, @Ctx() ctx: Context): Promise<RubricItem[]> {
    return frameworkItems(ctx.em, framework.id);
  }

  @FieldResolver(() => Boolean, { description: 'Whether a submitted self-assessment uses it: then an edit makes a new revision.' })
  frozen(@Root() framework: EvaluationFramework, @Ctx() ctx: Context): Promise<boolean> {
    return isFrozen(ctx.em, framework.id);
  }

  @FieldResolver(() => ID, { nullable: true, description: 'The revision this one was made from by editing it, if any.' })
  previousId(@Root() framework: EvaluationFramework): string | null {
    return framework.previous?.id ?? null;
  }
}

/** `RubricItem.dimensionLabel`. */
@Resolver(() => RubricItem)
export class RubricItemResolver {
  @FieldResolver(() => String, { description: "The evaluation dimension's name in the request's language." })
  dimensionLabel(@Root() item: RubricItem, @Ctx() ctx: Context): string {
    return evaluationDimensionLabel(item.dimension, ctx.locale);
  }
}
