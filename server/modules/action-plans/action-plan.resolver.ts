import DataLoader from 'dataloader';
import { GraphQLSafeInt } from 'graphql-scalars';
import { Arg, Args, Ctx, Field, FieldResolver, Float, ID, InputType, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { policy } from '../../auth/policy';
import { memoize, type Context } from '../../context';
import { badInput, notFound } from '../../errors';
import { formatRupiah, todayIn } from '../../util/dates';
import { City } from '../cities/city.entity';
import { cityOpdsById, cityPrograms } from '../overview/city-data';
import { PageArgs, type Page } from '../../graphql/connection';
import { crudResolver, VersionedInput } from '../../graphql/crud';
import { check, given } from '../../util/validate';
import { resolveInCity, resolveManagedParent } from '../../events/writes';
import { Program } from '../masterplan/masterplan.entity';
import { Opd } from '../opds/opd.entity';
import { ActionPlan, ActionPlanStatus, BudgetSource } from './action-plan.entity';
import { ActionPlanConnection, ActionPlanFilter, listActionPlans, listAtRiskPlans, readablePlan } from './action-plan.service';
import { ActionPlanForecast, forecastOf } from './forecast';
import { ProgressBasis } from '../overview/overview';
import type { PlanRecord } from './plan-record';
import { Indicator, Milestone } from './indicator.entity';
import { ActionPlanState, expectedProgress, planState } from './state';

/** The money behind a plan. */
@ObjectType({ description: "A plan's budget in rupiah." })
export class Budget {
  @Field(() => GraphQLSafeInt, { description: 'Whole rupiah.' }) amount!: number;
  @Field(() => BudgetSource, { nullable: true }) source!: BudgetSource | null;
  @Field(() => String, { description: 'The amount for people, e.g. "Rp 1.250.000.000".' }) formatted!: string;
}

@InputType({ description: 'A new action plan. Its city and dimension come from the program.' })
class CreateActionPlanInput {
  @Field(() => ID) programId!: string;
  @Field(() => ID) ownerOpdId!: string;
  @Field(() => [ID], { nullable: true }) supportingOpdIds?: string[] | null;
  @Field(() => String, { nullable: true }) code?: string | null;
  @Field(() => String) title!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => String, { description: 'YYYY-MM-DD' }) startDate!: string;
  @Field(() => String, { description: 'YYYY-MM-DD, not before startDate' }) dueDate!: string;
  @Field(() => GraphQLSafeInt, { nullable: true, description: 'Whole rupiah.' }) budgetAmount?: number | null;
  @Field(() => BudgetSource, { nullable: true }) budgetSource?: BudgetSource | null;
  @Field(() => ActionPlanStatus, { nullable: true }) status?: ActionPlanStatus | null;
  @Field(() => Float, { nullable: true, description: 'Weight in roll-ups, > 0 (default 1).' }) weight?: number | null;
}

@InputType({ description: 'Changes to an action plan; fields left out stay as they are. Progress is changed only by reportProgress.' })
class UpdateActionPlanInput extends VersionedInput {
  @Field(() => ID, { nullable: true }) programId?: string | null;
  @Field(() => ID, { nullable: true }) ownerOpdId?: string | null;
  @Field(() => [ID], { nullable: true, description: 'Replaces the supporting OPDs.' }) supportingOpdIds?: string[] | null;
  @Field(() => String, { nullable: true }) code?: string | null;
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => String, { nullable: true }) startDate?: string | null;
  @Field(() => String, { nullable: true }) dueDate?: string | null;
  @Field(() => GraphQLSafeInt, { nullable: true }) budgetAmount?: number | null;
  @Field(() => BudgetSource, { nullable: true }) budgetSource?: BudgetSource | null;
  @Field(() => ActionPlanStatus, { nullable: true }) status?: ActionPlanStatus | null;
  @Field(() => Float, { nullable: true }) weight?: number | null;
}

type PlanFields = Omit<CreateActionPlanInput, 'programId' | 'ownerOpdId' | 'title' | 'startDate' | 'dueDate'> & {
  title?: string | null;
  startDate?: string | null;
  dueDate?: string | null;
};

async function applyPlanFields(em: Parameters<typeof resolveInCity>[0], plan: ActionPlan, input: PlanFields): Promise<void> {
  if (given(input.title) && input.title !== null) plan.title = check.text('title', input.title, 300);
  if (given(input.code)) plan.code = check.optionalText('code', input.code, 40);
  if (given(input.description)) plan.description = check.optionalText('description', input.description, 10_000);
  if (given(input.startDate) && input.startDate !== null) plan.startDate = check.date('startDate', input.startDate);
  if (given(input.dueDate) && input.dueDate !== null) plan.dueDate = check.date('dueDate', input.dueDate);
  check.order('dueDate', plan.startDate, plan.dueDate, 'dueBeforeStart');
  if (given(input.budgetAmount))
    plan.budgetAmount = input.budgetAmount === null ? null : check.number('budgetAmount', input.budgetAmount, { min: 0 });
  if (given(input.budgetSource)) plan.budgetSource = input.budgetSource;
  if (input.status) plan.status = input.status;
  if (given(input.weight) && input.weight !== null) plan.weight = check.positive('weight', input.weight);
  if (given(input.supportingOpdIds) && input.supportingOpdIds !== null) {
    const ids = [...new Set(input.supportingOpdIds)];
    if (ids.length > 50) throw badInput('input.supportingOpdIds', 'tooMany', { max: 50 });
    if (ids.includes(plan.ownerOpd.id)) throw badInput('input.supportingOpdIds', 'ownerNotSupporting');
    const opds = [];
    for (const id of ids) opds.push(await resolveInCity(em, Opd, 'Opd', id, plan.city.id, 'supportingOpdIds'));
    plan.supportingOpds.set(opds);
  }
}

/** create/update/archive ActionPlan: city admins of the plan's city. */
export const ActionPlanCrudResolver = crudResolver({
  name: 'ActionPlan',
  entity: ActionPlan,
  createInput: CreateActionPlanInput,
  updateInput: UpdateActionPlanInput,
  cityIdOf: (p) => p.city.id,
  async create(em, input, principal) {
    const program = await resolveManagedParent(em, Program, 'Program', input.programId, 'programId', (r) => r.city.id, principal);
    const owner = await resolveInCity(em, Opd, 'Opd', input.ownerOpdId, program.city.id, 'ownerOpdId');
    const plan = new ActionPlan(
      program,
      owner,
      check.text('title', input.title, 300),
      check.date('startDate', input.startDate),
      check.date('dueDate', input.dueDate),
    );
    await applyPlanFields(em, plan, input);
    return plan;
  },
  async update(em, plan, input) {
    if (input.programId) {
      plan.program = await resolveInCity(em, Program, 'Program', input.programId, plan.city.id, 'programId');
      plan.dimension = plan.program.dimension;
    }
    if (input.ownerOpdId) {
      plan.ownerOpd = await resolveInCity(em, Opd, 'Opd', input.ownerOpdId, plan.city.id, 'ownerOpdId');
      if (!input.supportingOpdIds) {
        // The new owner stops being a supporter of its own plan.
        await plan.supportingOpds.init();
        plan.supportingOpds.remove((o) => o.id === plan.ownerOpd.id);
      }
    }
    await applyPlanFields(em, plan, input);
  },
});

/** The `today` of a plan's city, once per city and request. */
async function cityToday(ctx: Context, cityId: string): Promise<string> {
  return memoize(ctx, `today:${cityId}`, async () => {
    const city = await ctx.loaders.byId(City).load(cityId);
    return todayIn(city?.timeZone ?? 'Asia/Jakarta', ctx.now);
  });
}

function supportingLoader(ctx: Context): DataLoader<string, Opd[]> {
  const key = 'loader:supportingOpds';
  let loader = ctx.memo.get(key) as unknown as DataLoader<string, Opd[]> | undefined;
  if (!loader) {
    loader = new DataLoader<string, Opd[]>(async (ids) => {
      const plans = await ctx.em.find(ActionPlan, { id: { $in: [...ids] } }, { populate: ['supportingOpds'] });
      const byId = new Map(plans.map((p) => [p.id, p.supportingOpds.getItems().filter((o) => o.archivedAt === null)]));
      return ids.map((id) => byId.get(id) ?? []);
    });
    ctx.memo.set(key, loader as unknown as Promise<unknown>);
  }
  return loader;
}

/** Queries on action plans, their derived fields, and the plan lists of cities. */
@Resolver(() => ActionPlan)
export class ActionPlanResolver {
  @Query(() => ActionPlan, { description: 'One action plan; NOT_FOUND for one the viewer may not see.' })
  async actionPlan(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ActionPlan> {
    return readablePlan(ctx, id);
  }

  @FieldResolver(() => ActionPlanState, { description: 'Where the plan stands against its schedule today (derived).' })
  async state(@Root() plan: PlanRecord, @Ctx() ctx: Context): Promise<ActionPlanState> {
    return planState(plan, await cityToday(ctx, plan.city.id));
  }

  @FieldResolver(() => Float, { description: 'The progress a straight-line schedule expects today, 0–100.' })
  async expectedProgress(@Root() plan: PlanRecord, @Ctx() ctx: Context): Promise<number> {
    return Math.round(expectedProgress(plan, await cityToday(ctx, plan.city.id)) * 10) / 10;
  }

  @FieldResolver(() => ActionPlanForecast, {
    nullable: true,
    description: [
      'When the plan will be done at its recent pace, from its own report history: the verdict (ON_TRACK, AT_RISK, NO_PACE), the expected completion, the days late and what it rests on.',
      'Null for a plan that is archived, cancelled or done. The method is in the README (How the API behaves).',
    ].join(' '),
  })
  async forecast(
    @Root() plan: PlanRecord,
    @Arg('basis', () => ProgressBasis, {
      defaultValue: ProgressBasis.ALL,
      description: 'ALL reports but returned ones (default), or VERIFIED ones only.',
    })
    basis: ProgressBasis,
    @Ctx() ctx: Context,
  ): Promise<ActionPlanForecast | null> {
    const city = await ctx.loaders.byId(City).load(plan.city.id);
    if (!city) throw notFound('City', plan.city.id);
    return forecastOf(ctx, city, plan, basis);
  }

  @FieldResolver(() => Opd)
  async ownerOpd(@Root() plan: PlanRecord, @Ctx() ctx: Context): Promise<Opd> {
    const opd = (await cityOpdsById(ctx, plan.city.id)).get(plan.ownerOpd.id);
    if (!opd) throw notFound('Opd', plan.ownerOpd.id);
    return opd;
  }

  @FieldResolver(() => [Opd], { description: 'OPDs that support the owner.' })
  async supportingOpds(@Root() plan: PlanRecord, @Ctx() ctx: Context): Promise<Opd[]> {
    return supportingLoader(ctx).load(plan.id);
  }

  @FieldResolver(() => Program)
  async program(@Root() plan: PlanRecord, @Ctx() ctx: Context): Promise<Program> {
    const program = (await cityPrograms(ctx, plan.city.id)).get(plan.program.id);
    if (!program) throw notFound('Program', plan.program.id);
    return program;
  }

  @FieldResolver(() => Budget, { nullable: true })
  budget(@Root() plan: PlanRecord, @Ctx() ctx: Context): Budget | null {
    if (plan.budgetAmount === null) return null;
    return { amount: plan.budgetAmount, source: plan.budgetSource, formatted: formatRupiah(plan.budgetAmount, ctx.locale) };
  }

  @FieldResolver(() => [Indicator])
  async indicators(@Root() plan: PlanRecord, @Ctx() ctx: Context): Promise<Indicator[]> {
    return ctx.loaders.childrenOf(Indicator, 'actionPlan').load(plan.id);
  }

  @FieldResolver(() => [Milestone], { description: 'Milestones, earliest due first.' })
  async milestones(@Root() plan: PlanRecord, @Ctx() ctx: Context): Promise<Milestone[]> {
    return ctx.loaders.childrenOf(Milestone, 'actionPlan', { dueDate: 'asc', id: 'asc' }).load(plan.id);
  }
}

/** `City.actionPlans`: the plan list with filters and cursors. */
@Resolver(() => City)
export class CityActionPlansResolver {
  @FieldResolver(() => ActionPlanConnection, { description: "The city's action plans, earliest due date first, filtered and paged." })
  async actionPlans(
    @Root() city: City,
    @Args(() => PageArgs) args: PageArgs,
    @Arg('filter', () => ActionPlanFilter, { nullable: true }) filter: ActionPlanFilter | null,
    @Ctx() ctx: Context,
  ): Promise<Page<PlanRecord>> {
    policy.assertRead(ctx.principal, city.id, 'City', city.id);
    return listActionPlans(ctx, city, filter, args);
  }

  @FieldResolver(() => ActionPlanConnection, {
    description: [
      'The early warning (diperkirakan terlambat): plans not late yet whose `forecast` is AT_RISK, those that do not move first, then the most days late first (then due date).',
      'Never an archived, cancelled, done or already LATE plan (those are in `overview.lateActionPlans`).',
    ].join(' '),
  })
  async atRiskActionPlans(
    @Root() city: City,
    @Args(() => PageArgs) args: PageArgs,
    @Arg('basis', () => ProgressBasis, {
      defaultValue: ProgressBasis.ALL,
      description: 'ALL reports but returned ones (default), or VERIFIED ones only.',
    })
    basis: ProgressBasis,
    @Ctx() ctx: Context,
  ): Promise<Page<PlanRecord>> {
    policy.assertRead(ctx.principal, city.id, 'City', city.id);
    return listAtRiskPlans(ctx, city, basis, args);
  }
}
