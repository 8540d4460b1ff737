import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Int, Resolver, Root } from 'type-graphql';
import { policy } from '../../auth/policy';
import type { Context } from '../../context';
import { City } from '../cities/city.entity';
import { connectionType, pageOfQuery, PageArgs, type Page } from '../common/connection';
import { crudResolver, VersionedInput } from '../common/crud';
import { check, given } from '../common/validate';
import { resolveManagedParent } from '../common/writes';
import { Activity, ActivityKind, EvaluationVisit } from './evaluation.entity';

/** A page of activities. */
export const ActivityConnection = connectionType(Activity, 'Activity');

@InputType({ description: 'A new activity (bimtek, MoU signing, meeting…).' })
class CreateActivityInput {
  @Field(() => ID) cityId!: string;
  @Field(() => ActivityKind) kind!: ActivityKind;
  @Field(() => String) title!: string;
  @Field(() => Int, { nullable: true, description: 'Bimtek phase, 1–4.' }) phase?: number | null;
  @Field(() => String, { description: 'YYYY-MM-DD' }) startDate!: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; default startDate' }) endDate?: string | null;
  @Field(() => String, { nullable: true }) place?: string | null;
  @Field(() => String, { nullable: true }) outcome?: string | null;
}

@InputType({ description: 'Changes to an activity.' })
class UpdateActivityInput extends VersionedInput {
  @Field(() => ActivityKind, { nullable: true }) kind?: ActivityKind | null;
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => Int, { nullable: true }) phase?: number | null;
  @Field(() => String, { nullable: true }) startDate?: string | null;
  @Field(() => String, { nullable: true }) endDate?: string | null;
  @Field(() => String, { nullable: true }) place?: string | null;
  @Field(() => String, { nullable: true }) outcome?: string | null;
}

function checkPhase(phase: number | null | undefined): number | null {
  return phase === null || phase === undefined ? null : check.number('phase', phase, { min: 1, max: 10 });
}

/** create/update/archive Activity: city admins. */
export const ActivityCrudResolver = crudResolver({
  name: 'Activity',
  entity: Activity,
  createInput: CreateActivityInput,
  updateInput: UpdateActivityInput,
  cityIdOf: (a) => a.city.id,
  async create(em, input, principal) {
    const city = await resolveManagedParent(em, City, 'City', input.cityId, 'cityId', (c) => c.id, principal);
    const start = check.date('startDate', input.startDate);
    const end = input.endDate ? check.date('endDate', input.endDate) : start;
    check.order('endDate', start, end);
    const a = new Activity(city, input.kind, check.text('title', input.title, 300), start, end);
    a.phase = checkPhase(input.phase);
    a.place = check.optionalText('place', input.place, 300);
    a.outcome = check.optionalText('outcome', input.outcome, 10_000);
    return a;
  },
  async update(_em, a, input) {
    if (input.kind) a.kind = input.kind;
    if (given(input.title) && input.title !== null) a.title = check.text('title', input.title, 300);
    if (given(input.phase)) a.phase = checkPhase(input.phase);
    if (input.startDate) a.startDate = check.date('startDate', input.startDate);
    if (input.endDate) a.endDate = check.date('endDate', input.endDate);
    check.order('endDate', a.startDate, a.endDate);
    if (given(input.place)) a.place = check.optionalText('place', input.place, 300);
    if (given(input.outcome)) a.outcome = check.optionalText('outcome', input.outcome, 10_000);
  },
});

@InputType({ description: 'A new evaluation visit (monev).' })
class CreateEvaluationVisitInput {
  @Field(() => ID) cityId!: string;
  @Field(() => String, { description: 'YYYY-MM-DD' }) startDate!: string;
  @Field(() => String, { description: 'YYYY-MM-DD' }) endDate!: string;
  @Field(() => String) evaluator!: string;
  @Field(() => String, { nullable: true }) agenda?: string | null;
}

@InputType({ description: 'Changes to an evaluation visit.' })
class UpdateEvaluationVisitInput extends VersionedInput {
  @Field(() => String, { nullable: true }) startDate?: string | null;
  @Field(() => String, { nullable: true }) endDate?: string | null;
  @Field(() => String, { nullable: true }) evaluator?: string | null;
  @Field(() => String, { nullable: true }) agenda?: string | null;
}

/** create/update/archive EvaluationVisit: city admins. The year is the start date's. */
export const EvaluationVisitCrudResolver = crudResolver({
  name: 'EvaluationVisit',
  entity: EvaluationVisit,
  createInput: CreateEvaluationVisitInput,
  updateInput: UpdateEvaluationVisitInput,
  cityIdOf: (v) => v.city.id,
  async create(em, input, principal) {
    const city = await resolveManagedParent(em, City, 'City', input.cityId, 'cityId', (c) => c.id, principal);
    const start = check.date('startDate', input.startDate);
    const end = check.date('endDate', input.endDate);
    check.order('endDate', start, end);
    const v = new EvaluationVisit(city, Number(start.slice(0, 4)), start, end, check.text('evaluator', input.evaluator, 300));
    v.agenda = check.optionalText('agenda', input.agenda, 10_000);
    return v;
  },
  async update(_em, v, input) {
    if (input.startDate) v.startDate = check.date('startDate', input.startDate);
    if (input.endDate) v.endDate = check.date('endDate', input.endDate);
    check.order('endDate', v.startDate, v.endDate);
    v.year = Number(v.startDate.slice(0, 4));
    if (given(input.evaluator) && input.evaluator !== null) v.evaluator = check.text('evaluator', input.evaluator, 300);
    if (given(input.agenda)) v.agenda = check.optionalText('agenda', input.agenda, 10_000);
  },
});

/** `City.activities` and `City.evaluationVisits`. */
@Resolver(() => City)
export class CityEvaluationResolver {
  @FieldResolver(() => ActivityConnection, { description: 'Activities, newest first.' })
  async activities(
    @Root() city: City,
    @Args(() => PageArgs) args: PageArgs,
    @Arg('kind', () => ActivityKind, { nullable: true }) kind: ActivityKind | null,
    @Ctx() ctx: Context,
  ): Promise<Page<Activity>> {
    policy.assertRead(ctx.principal, city.id, 'City', city.id);
    return pageOfQuery(ctx.em, Activity, { city: city.id, archivedAt: null, ...(kind ? { kind } : {}) }, args, 'desc');
  }

  @FieldResolver(() => [EvaluationVisit], { description: 'Evaluation visits, earliest first.' })
  async evaluationVisits(@Root() city: City, @Ctx() ctx: Context): Promise<EvaluationVisit[]> {
    policy.assertRead(ctx.principal, city.id, 'City', city.id);
    return ctx.loaders.childrenOf(EvaluationVisit, 'city', { startDate: 'asc' }).load(city.id);
  }
}
