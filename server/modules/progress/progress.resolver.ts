import { Arg, Args, Ctx, Field, FieldResolver, Float, ID, InputType, Int, Mutation, Resolver, Root } from 'type-graphql';
import { policy } from '../../auth/policy';
import type { Context } from '../../context';
import { badInput, notFound } from '../../errors';
import { ActionPlan } from '../action-plans/action-plan.entity';
import type { PlanRecord } from '../action-plans/plan-record';
import { pageOfQuery, PageArgs, type Page } from '../../graphql/connection';
import { check } from '../../util/validate';
import { inTransaction, loadForWrite } from '../../events/writes';
import { ProgressReportConnection, reportProgress } from './progress.service';
import { User } from '../users/user.entity';
import { ProgressReport, ReportStatus } from './progress-report.entity';
import { VersionedInput } from '../../graphql/crud';
import { City } from '../cities/city.entity';
import { cityVerifiedProgress } from '../overview/city-data';

@InputType({ description: 'A progress report on an action plan.' })
export class ReportProgressInput {
  @Field(() => ID) actionPlanId!: string;
  @Field(() => Float, { description: 'Percent complete, 0–100; kept to two decimals (0.01).' }) percent!: number;
  @Field(() => String, { description: 'What was done (narasi).' }) narrative!: string;
  @Field(() => String, { nullable: true, description: 'Obstacles (kendala).' }) obstacles?: string | null;
  @Field(() => [String], { nullable: true, description: 'Links to evidence, http(s), at most 20.' }) evidenceUrls?: string[] | null;
  @Field(() => Int, {
    description: "The plan's `version` you read; if someone reported since, the answer is CONFLICT and nothing is saved.",
  })
  expectedVersion!: number;
}

@InputType({ description: "The city team's decision on a submitted report." })
export class ReviewProgressReportInput extends VersionedInput {
  @Field(() => String, { nullable: true, description: 'Why (required when returning).' }) comment?: string | null;
}

/**
 * Verifies or returns a SUBMITTED report (city admins of its city), in one transaction. The plan
 * itself does not change: verified progress is read from the verified reports.
 */
export async function reviewReport(
  ctx: Context,
  input: ReviewProgressReportInput,
  decision: ReportStatus.VERIFIED | ReportStatus.RETURNED,
): Promise<ProgressReport> {
  const comment =
    decision === ReportStatus.RETURNED ? check.text('comment', input.comment, 2_000) : check.optionalText('comment', input.comment, 2_000);
  return inTransaction(ctx, 'ProgressReport', async (em) => {
    const report = await loadForWrite(em, ProgressReport, 'ProgressReport', input.id, input.expectedVersion, (r) =>
      policy.assertManage(ctx.principal, r.city.id, 'ProgressReport', r.id),
    );
    if (report.status !== ReportStatus.SUBMITTED) throw badInput('input.id', 'notReviewable');
    report.status = decision;
    report.reviewComment = comment;
    report.reviewedAt = ctx.services.clock();
    if (ctx.principal) report.reviewedBy = em.getReference(User, ctx.principal.userId);
    return report;
  });
}

/** Progress reports: the reporting mutation and the report history of a plan. */
@Resolver(() => ProgressReport)
export class ProgressResolver {
  @Mutation(() => ActionPlan, {
    description: "Reports progress on an action plan (its owner OPD's reporters, or city admins). Returns the plan with its new version.",
  })
  async reportProgress(@Arg('input', () => ReportProgressInput) input: ReportProgressInput, @Ctx() ctx: Context): Promise<ActionPlan> {
    return reportProgress(ctx, input);
  }

  @Mutation(() => ProgressReport, {
    description: 'Verifies a SUBMITTED report (city admins). Verified reports count in `overview(basis: VERIFIED)`.',
  })
  async verifyProgressReport(
    @Arg('input', () => ReviewProgressReportInput) input: ReviewProgressReportInput,
    @Ctx() ctx: Context,
  ): Promise<ProgressReport> {
    return reviewReport(ctx, input, ReportStatus.VERIFIED);
  }

  @Mutation(() => ProgressReport, {
    description: 'Returns a SUBMITTED report to its OPD with a comment (city admins); the OPD then reports again.',
  })
  async returnProgressReport(
    @Arg('input', () => ReviewProgressReportInput) input: ReviewProgressReportInput,
    @Ctx() ctx: Context,
  ): Promise<ProgressReport> {
    return reviewReport(ctx, input, ReportStatus.RETURNED);
  }

  @FieldResolver(() => ID)
  actionPlanId(@Root() report: ProgressReport): string {
    return report.actionPlan.id;
  }

  @FieldResolver(() => ActionPlan, {
    description: 'The action plan the report is on (archived plans too), so a list of reports can name its plans without reading them all.',
  })
  async actionPlan(@Root() report: ProgressReport, @Ctx() ctx: Context): Promise<ActionPlan> {
    const plan = await ctx.loaders.byId(ActionPlan).load(report.actionPlan.id);
    if (!plan) throw notFound('ActionPlan', report.actionPlan.id);
    // A report is readable only in a readable city, and its plan is in the same city; check anyway.
    policy.assertRead(ctx.principal, plan.city.id, 'ActionPlan', plan.id);
    return plan;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Who reviewed it.' })
  async reviewerName(@Root() report: ProgressReport, @Ctx() ctx: Context): Promise<string | null> {
    if (!report.reviewedBy) return null;
    const user = await ctx.loaders.byId(User).load(report.reviewedBy.id);
    return user?.name ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Who reported it.' })
  async reporterName(@Root() report: ProgressReport, @Ctx() ctx: Context): Promise<string | null> {
    if (!report.reporter) return null;
    const user = await ctx.loaders.byId(User).load(report.reporter.id);
    return user?.name ?? null;
  }
}

/** `ActionPlan.progressReports`: newest first. */
@Resolver(() => ActionPlan)
export class ActionPlanReportsResolver {
  @FieldResolver(() => ProgressReportConnection, { description: 'Progress reports, newest first.' })
  async progressReports(
    @Root() plan: PlanRecord,
    @Args(() => PageArgs) args: PageArgs,
    @Arg('status', () => ReportStatus, { nullable: true }) status: ReportStatus | null,
    @Ctx() ctx: Context,
  ): Promise<Page<ProgressReport>> {
    policy.assertRead(ctx.principal, plan.city.id, 'ActionPlan', plan.id);
    return pageOfQuery(ctx.em, ProgressReport, { actionPlan: plan.id, ...(status ? { status } : {}) }, args, 'desc');
  }

  @FieldResolver(() => Float, { description: 'Progress of the latest VERIFIED report (0 before any).' })
  async verifiedProgress(@Root() plan: PlanRecord, @Ctx() ctx: Context): Promise<number> {
    return (await cityVerifiedProgress(ctx, plan.city.id)).get(plan.id) ?? 0;
  }
}

/** `City.progressReports`: the verification queue and the city's report history. */
@Resolver(() => City)
export class CityReportsResolver {
  @FieldResolver(() => ProgressReportConnection, {
    description: "The city's progress reports, newest first; `status: SUBMITTED` is the verification queue.",
  })
  async progressReports(
    @Root() city: City,
    @Args(() => PageArgs) args: PageArgs,
    @Arg('status', () => ReportStatus, { nullable: true }) status: ReportStatus | null,
    @Ctx() ctx: Context,
  ): Promise<Page<ProgressReport>> {
    policy.assertRead(ctx.principal, city.id, 'City', city.id);
    return pageOfQuery(ctx.em, ProgressReport, { city: city.id, ...(status ? { status } : {}) }, args, 'desc');
  }
}
