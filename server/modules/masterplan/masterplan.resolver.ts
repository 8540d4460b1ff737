import { Arg, Args, Ctx, Field, FieldResolver, Float, ID, InputType, Int, Query, Resolver, Root } from 'type-graphql';
import { policy } from '../../auth/policy';
import type { Context } from '../../context';
import { badInput, notFound } from '../../errors';
import { isUuid } from '../../util/ids';
import { ActionPlanConnection, plansOf } from '../action-plans/action-plan.service';
import { ActionPlanFilter } from '../action-plans/action-plan.service';
import { ActionPlan } from '../action-plans/action-plan.entity';
import type { PlanRecord } from '../action-plans/plan-record';
import { countsInRollups, weightedProgress } from '../action-plans/state';
import { City } from '../cities/city.entity';
import { cityPlans } from '../overview/city-data';
import { PageArgs, type Page } from '../../graphql/connection';
import { crudResolver, VersionedInput } from '../../graphql/crud';
import { check, given } from '../../util/validate';
import { resolveManagedParent } from '../../events/writes';
import { Dimension } from './dimension';
import { Masterplan, Program } from './masterplan.entity';

@InputType({ description: 'A new masterplan of a city.' })
class CreateMasterplanInput {
  @Field(() => ID) cityId!: string;
  @Field(() => String) title!: string;
  @Field(() => Int) startYear!: number;
  @Field(() => Int) endYear!: number;
  @Field(() => String, { nullable: true }) vision?: string | null;
}

@InputType({ description: 'Changes to a masterplan.' })
class UpdateMasterplanInput extends VersionedInput {
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => Int, { nullable: true }) startYear?: number | null;
  @Field(() => Int, { nullable: true }) endYear?: number | null;
  @Field(() => String, { nullable: true }) vision?: string | null;
}

function checkPeriod(m: Masterplan): void {
  if (m.endYear < m.startYear) throw badInput('input.endYear', 'endBeforeStart');
}

/** create/update/archive Masterplan: city admins. */
export const MasterplanCrudResolver = crudResolver({
  name: 'Masterplan',
  entity: Masterplan,
  createInput: CreateMasterplanInput,
  updateInput: UpdateMasterplanInput,
  cityIdOf: (m) => m.city.id,
  async create(em, input, principal) {
    const city = await resolveManagedParent(em, City, 'City', input.cityId, 'cityId', (c) => c.id, principal);
    const m = new Masterplan(
      city,
      check.text('title', input.title, 300),
      check.year('startYear', input.startYear),
      check.year('endYear', input.endYear),
    );
    m.vision = check.optionalText('vision', input.vision, 10_000);
    checkPeriod(m);
    return m;
  },
  async update(_em, m, input) {
    if (given(input.title) && input.title !== null) m.title = check.text('title', input.title, 300);
    if (given(input.startYear) && input.startYear !== null) m.startYear = check.year('startYear', input.startYear);
    if (given(input.endYear) && input.endYear !== null) m.endYear = check.year('endYear', input.endYear);
    if (given(input.vision)) m.vision = check.optionalText('vision', input.vision, 10_000);
    checkPeriod(m);
  },
});

@InputType({ description: 'A new program of a masterplan. A quick win needs its year.' })
class CreateProgramInput {
  @Field(() => ID) masterplanId!: string;
  @Field(() => String) name!: string;
  @Field(() => Dimension) dimension!: Dimension;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => Boolean, { nullable: true }) quickWin?: boolean | null;
  @Field(() => Int, { nullable: true }) quickWinYear?: number | null;
}

@InputType({ description: "Changes to a program. Changing its dimension moves its plans' dimension too." })
class UpdateProgramInput extends VersionedInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => Dimension, { nullable: true }) dimension?: Dimension | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => Boolean, { nullable: true }) quickWin?: boolean | null;
  @Field(() => Int, { nullable: true }) quickWinYear?: number | null;
}

function checkQuickWin(p: Program): void {
  if (p.quickWin && p.quickWinYear === null) throw badInput('input.quickWinYear', 'quickWinYear');
  if (!p.quickWin) p.quickWinYear = null;
}

/** create/update/archive Program: city admins. */
export const ProgramCrudResolver = crudResolver({
  name: 'Program',
  entity: Program,
  createInput: CreateProgramInput,
  updateInput: UpdateProgramInput,
  cityIdOf: (p) => p.city.id,
  async create(em, input, principal) {
    const masterplan = await resolveManagedParent(
      em,
      Masterplan,
      'Masterplan',
      input.masterplanId,
      'masterplanId',
      (m) => m.city.id,
      principal,
    );
    const p = new Program(masterplan, check.text('name', input.name, 300), input.dimension);
    p.description = check.optionalText('description', input.description, 10_000);
    p.quickWin = input.quickWin ?? false;
    p.quickWinYear =
      input.quickWinYear === null || input.quickWinYear === undefined ? null : check.year('quickWinYear', input.quickWinYear);
    checkQuickWin(p);
    return p;
  },
  async update(em, p, input) {
    if (given(input.name) && input.name !== null) p.name = check.text('name', input.name, 300);
    if (given(input.description)) p.description = check.optionalText('description', input.description, 10_000);
    if (given(input.quickWin) && input.quickWin !== null) p.quickWin = input.quickWin;
    if (given(input.quickWinYear)) p.quickWinYear = input.quickWinYear === null ? null : check.year('quickWinYear', input.quickWinYear);
    checkQuickWin(p);
    if (input.dimension && input.dimension !== p.dimension) {
      p.dimension = input.dimension;
      // A plan's dimension is always its program's: move them in the same transaction.
      const plans = await em.find(ActionPlan, { program: p.id });
      for (const plan of plans) plan.dimension = input.dimension;
    }
  },
});

/** Filters for program lists. */
@InputType({ description: 'Filters for program lists.' })
class ProgramFilter {
  @Field(() => Dimension, { nullable: true }) dimension?: Dimension | null;
  @Field(() => Boolean, { nullable: true }) quickWin?: boolean | null;
  @Field(() => Int, { nullable: true, description: 'Quick wins of this year.' }) year?: number | null;
}

/** Queries on masterplans and programs. */
@Resolver(() => Program)
export class ProgramResolver {
  @Query(() => Program, { description: 'One program; NOT_FOUND for one the viewer may not see.' })
  async program(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Program> {
    const program = isUuid(id) ? await ctx.loaders.byId(Program).load(id) : null;
    if (!program) throw notFound('Program', id);
    policy.assertRead(ctx.principal, program.city.id, 'Program', id);
    return program;
  }

  @FieldResolver(() => Masterplan)
  async masterplan(@Root() program: Program, @Ctx() ctx: Context): Promise<Masterplan> {
    const m = await ctx.loaders.byId(Masterplan).load(program.masterplan.id);
    if (!m) throw notFound('Masterplan', program.masterplan.id);
    return m;
  }

  @FieldResolver(() => Float, { description: "Weighted progress of the program's plans (archived and cancelled left out)." })
  async progress(@Root() program: Program, @Ctx() ctx: Context): Promise<number> {
    const plans = await cityPlans(ctx, program.city.id);
    return weightedProgress(plans.filter((p) => p.program.id === program.id && countsInRollups(p)));
  }

  @FieldResolver(() => ActionPlanConnection)
  async actionPlans(
    @Root() program: Program,
    @Args(() => PageArgs) args: PageArgs,
    @Arg('filter', () => ActionPlanFilter, { nullable: true }) filter: ActionPlanFilter | null,
    @Ctx() ctx: Context,
  ): Promise<Page<PlanRecord>> {
    return plansOf(ctx, program.city.id, { programId: program.id }, args, filter);
  }
}

/** `Masterplan.programs`. */
@Resolver(() => Masterplan)
export class MasterplanResolver {
  @FieldResolver(() => [Program], { description: 'Programs by dimension, then name.' })
  async programs(@Root() m: Masterplan, @Ctx() ctx: Context): Promise<Program[]> {
    return ctx.loaders.childrenOf(Program, 'masterplan', { dimension: 'asc', name: 'asc' }).load(m.id);
  }
}

/** `City.masterplans` and `City.programs`. */
@Resolver(() => City)
export class CityMasterplanResolver {
  @FieldResolver(() => [Masterplan], { description: 'Masterplans, newest period first.' })
  async masterplans(@Root() city: City, @Ctx() ctx: Context): Promise<Masterplan[]> {
    policy.assertRead(ctx.principal, city.id, 'City', city.id);
    return ctx.loaders.childrenOf(Masterplan, 'city', { startYear: 'desc' }).load(city.id);
  }

  @FieldResolver(() => [Program], { description: 'Programs of all masterplans, filtered.' })
  async programs(
    @Root() city: City,
    @Arg('filter', () => ProgramFilter, { nullable: true }) filter: ProgramFilter | null,
    @Ctx() ctx: Context,
  ): Promise<Program[]> {
    policy.assertRead(ctx.principal, city.id, 'City', city.id);
    const all = await ctx.loaders.childrenOf(Program, 'city', { dimension: 'asc', name: 'asc' }).load(city.id);
    return all.filter(
      (p) =>
        (!filter?.dimension || p.dimension === filter.dimension) &&
        (filter?.quickWin === null || filter?.quickWin === undefined || p.quickWin === filter.quickWin) &&
        (!filter?.year || p.quickWinYear === filter.year),
    );
  }
}
