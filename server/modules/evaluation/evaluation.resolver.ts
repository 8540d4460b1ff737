import type { EntityManager } from '@mikro-orm/core';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Int, Resolver, Root } from 'type-graphql';
import { policy } from '../../auth/policy';
import type { Context } from '../../context';
import { badInput } from '../../errors';
import { City } from '../cities/city.entity';
import { connectionType, pageOfQuery, PageArgs, type Page } from '../../graphql/connection';
import { crudResolver, VersionedInput } from '../../graphql/crud';
import { check, given } from '../../util/validate';
import { resolveInCity, resolveManagedParent } from '../../events/writes';
import { Opd } from '../opds/opd.entity';
import { cityOpdsById } from '../overview/city-data';
import { CalendarEntry, upcomingEvents } from './calendar';
import { Activity, ActivityKind, EvaluationVisit, ProgrammeEventEntity, type Deliverable } from './evaluation.entity';

/** The most deliverables one event may list. */
const MAX_DELIVERABLES = 30;

@InputType({ description: 'One deliverable of an activity or visit.' })
class DeliverableInput {
  @Field(() => String) title!: string;
  @Field(() => String, { description: 'YYYY-MM-DD' }) dueDate!: string;
  @Field(() => Boolean, { nullable: true, description: 'Delivered already (default false).' }) done?: boolean | null;
}

/** Owner and deliverables, the same on every programme event's inputs. */
interface EventFields {
  ownerOpdId?: string | null;
  ownerName?: string | null;
  deliverables?: DeliverableInput[] | null;
}

/** Applies the owner and deliverables of an input (fields left out stay as they are). */
async function applyEventFields(em: EntityManager, row: ProgrammeEventEntity, input: EventFields): Promise<void> {
  if (given(input.ownerOpdId))
    row.ownerOpd = input.ownerOpdId === null ? null : await resolveInCity(em, Opd, 'Opd', input.ownerOpdId, row.city.id, 'ownerOpdId');
  if (given(input.ownerName)) row.ownerName = check.optionalText('ownerName', input.ownerName, 200);
  if (given(input.deliverables) && input.deliverables !== null) {
    if (input.deliverables.length > MAX_DELIVERABLES) throw badInput('input.deliverables', 'tooMany', { max: MAX_DELIVERABLES });
    const list: Deliverable[] = input.deliverables.map((d, i) => ({
      title: check.text(`deliverables.${i}.title`, d.title, 300),
      dueDate: check.date(`deliverables.${i}.dueDate`, d.dueDate),
      done: d.done === true,
    }));
    row.deliverables = list.sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.title.localeCompare(b.title, 'id'));
  }
}

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
  @Field(() => ID, { nullable: true, description: 'The OPD responsible.' }) ownerOpdId?: string | null;
  @Field(() => String, { nullable: true, description: 'The person responsible.' }) ownerName?: string | null;
  @Field(() => [DeliverableInput], { nullable: true, description: 'What must be delivered (at most 30).' }) deliverables?:
    DeliverableInput[] | null;
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
  @Field(() => ID, { nullable: true, description: 'The OPD responsible; null removes it.' }) ownerOpdId?: string | null;
  @Field(() => String, { nullable: true }) ownerName?: string | null;
  @Field(() => [DeliverableInput], { nullable: true, description: 'Replaces the deliverables.' }) deliverables?: DeliverableInput[] | null;
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
    await applyEventFields(em, a, input);
    return a;
  },
  async update(em, a, input) {
    if (input.kind) a.kind = input.kind;
    if (given(input.title) && input.title !== null) a.title = check.text('title', input.title, 300);
    if (given(input.phase)) a.phase = checkPhase(input.phase);
    if (input.startDate) a.startDate = check.date('startDate', input.startDate);
    if (input.endDate) a.endDate = check.date('endDate', input.endDate);
    check.order('endDate', a.startDate, a.endDate);
    if (given(input.place)) a.place = check.optionalText('place', input.place, 300);
    if (given(input.outcome)) a.outcome = check.optionalText('outcome', input.outcome, 10_000);
    await applyEventFields(em, a, input);
  },
});

@InputType({ description: 'A new evaluation visit (monev).' })
class CreateEvaluationVisitInput {
  @Field(() => ID) cityId!: string;
  @Field(() => String, { description: 'YYYY-MM-DD' }) startDate!: string;
  @Field(() => String, { description: 'YYYY-MM-DD' }) endDate!: string;
  @Field(() => String) evaluator!: string;
  @Field(() => String, { nullable: true }) agenda?: string | null;
  @Field(() => ID, { nullable: true, description: 'The OPD responsible for the preparation.' }) ownerOpdId?: string | null;
  @Field(() => String, { nullable: true, description: 'The person responsible.' }) ownerName?: string | null;
  @Field(() => [DeliverableInput], { nullable: true, description: 'What must be ready for the evaluators (at most 30).' }) deliverables?:
    DeliverableInput[] | null;
}

@InputType({ description: 'Changes to an evaluation visit.' })
class UpdateEvaluationVisitInput extends VersionedInput {
  @Field(() => String, { nullable: true }) startDate?: string | null;
  @Field(() => String, { nullable: true }) endDate?: string | null;
  @Field(() => String, { nullable: true }) evaluator?: string | null;
  @Field(() => String, { nullable: true }) agenda?: string | null;
  @Field(() => ID, { nullable: true, description: 'The OPD responsible; null removes it.' }) ownerOpdId?: string | null;
  @Field(() => String, { nullable: true }) ownerName?: string | null;
  @Field(() => [DeliverableInput], { nullable: true, description: 'Replaces the deliverables.' }) deliverables?: DeliverableInput[] | null;
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
    await applyEventFields(em, v, input);
    return v;
  },
  async update(em, v, input) {
    if (input.startDate) v.startDate = check.date('startDate', input.startDate);
    if (input.endDate) v.endDate = check.date('endDate', input.endDate);
    check.order('endDate', v.startDate, v.endDate);
    v.year = Number(v.startDate.slice(0, 4));
    if (given(input.evaluator) && input.evaluator !== null) v.evaluator = check.text('evaluator', input.evaluator, 300);
    if (given(input.agenda)) v.agenda = check.optionalText('agenda', input.agenda, 10_000);
    await applyEventFields(em, v, input);
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

  @FieldResolver(() => [CalendarEntry], {
    description: [
      "What is due in the city's next `days` days (0–366; its today in its time zone included): activities and evaluation visits that run at some time in that window",
      '(one entry each, dated by their first day, or today for one already under way) and the deliverables due in it (done or not), ordered by date.',
      'More than 366 days or fewer than 0 answers BAD_USER_INPUT (`extensions.field` "days").',
    ].join(' '),
  })
  async upcoming(
    @Root() city: City,
    @Arg('days', () => Int, { defaultValue: 30 }) days: number,
    @Arg('first', () => Int, { nullable: true, description: 'Only the first entries (at most 100).' }) first: number | null,
    @Ctx() ctx: Context,
  ): Promise<CalendarEntry[]> {
    policy.assertRead(ctx.principal, city.id, 'City', city.id);
    return upcomingEvents(ctx, city, days, first);
  }
}

/** `ownerOpd` of activities and visits, from the city's OPDs loaded once per request. */
async function ownerOpdOf(ctx: Context, row: ProgrammeEventEntity): Promise<Opd | null> {
  if (!row.ownerOpd) return null;
  return (await cityOpdsById(ctx, row.city.id)).get(row.ownerOpd.id) ?? null;
}

/** `Activity.ownerOpd`. */
@Resolver(() => Activity)
export class ActivityResolver {
  @FieldResolver(() => Opd, { nullable: true, description: 'The OPD responsible.' })
  ownerOpd(@Root() row: Activity, @Ctx() ctx: Context): Promise<Opd | null> {
    return ownerOpdOf(ctx, row);
  }
}

/** `EvaluationVisit.ownerOpd`. */
@Resolver(() => EvaluationVisit)
export class EvaluationVisitResolver {
  @FieldResolver(() => Opd, { nullable: true, description: 'The OPD responsible for the preparation.' })
  ownerOpd(@Root() row: EvaluationVisit, @Ctx() ctx: Context): Promise<Opd | null> {
    return ownerOpdOf(ctx, row);
  }
}
