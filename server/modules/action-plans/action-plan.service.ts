import { policy } from '../../auth/policy';
import type { Context } from '../../context';
import { notFound } from '../../errors';
import { isUuid } from '../../util/ids';
import { Field, ID, InputType, Int } from 'type-graphql';
import { todayIn } from '../../util/dates';
import { connectionType, pageOfList, type Page, type PageArgs } from '../../graphql/connection';
import { readableCity } from '../cities/city.service';
import type { City } from '../cities/city.entity';
import { cityPlans, cityPrograms } from '../overview/city-data';
import type { Program } from '../masterplan/masterplan.entity';
import { Dimension } from '../masterplan/dimension';
import { ActionPlan, ActionPlanStatus } from './action-plan.entity';
import type { PlanRecord } from './plan-record';
import { ActionPlanState, countsInRollups, planState } from './state';
import { planIdsWithTag } from '../tags/tag-query';
import { ProgressBasis } from '../overview/overview';
import { cityForecasts, ForecastVerdict, type ActionPlanForecast } from './forecast';

/** Filters for lists of action plans; all given conditions must hold. */
@InputType({ description: 'Filters for action plan lists; every condition given must hold.' })
export class ActionPlanFilter {
  @Field(() => Dimension, { nullable: true }) dimension?: Dimension | null;
  @Field(() => ID, { nullable: true, description: 'Plans this OPD owns.' }) opdId?: string | null;
  @Field(() => ID, { nullable: true }) programId?: string | null;
  @Field(() => ActionPlanState, {
    nullable: true,
    description: 'Plans in this state today, counted as `overview.counts` counts them: never a cancelled or archived plan.',
  })
  state?: ActionPlanState | null;
  @Field(() => ActionPlanStatus, { nullable: true }) status?: ActionPlanStatus | null;
  @Field(() => Boolean, { nullable: true, description: 'Only plans of quick wins (true) or of other programs (false).' }) quickWin?:
    boolean | null;
  @Field(() => Int, { nullable: true, description: 'Plans running at some time in this year.' }) year?: number | null;
  @Field(() => String, { nullable: true, description: 'Words in the title or code (case-insensitive).' }) search?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Include archived plans (default false).' }) includeArchived?: boolean | null;
  @Field(() => ID, {
    nullable: true,
    description: 'Plans tagged with this tag (a `Tag` id from `tagCatalogs`); an unknown tag is BAD_USER_INPUT on `filter.tag`.',
  })
  tag?: string | null;
  @Field(() => ForecastVerdict, {
    nullable: true,
    description:
      'Plans whose `forecast` (basis ALL) has this verdict; a plan with no forecast (archived, cancelled, done) never matches. AT_RISK includes plans already LATE: add `state: ON_TRACK` (or see `City.atRiskActionPlans`) for those not late yet.',
  })
  forecast?: ForecastVerdict | null;
}

/** The sort key of a plan in lists: due date, then id. */
export function planSortKey(plan: { dueDate: string; id: string }): string {
  return `${plan.dueDate}|${plan.id}`;
}

/**
 * The plans of `plans` (a whole city's, earliest due date first) that pass the filter on `today`.
 * Pure and in memory: the city's plans are loaded once per request and shared with the overview.
 */
export function filterPlans(
  plans: readonly PlanRecord[],
  programs: ReadonlyMap<string, Program>,
  filter: ActionPlanFilter | null | undefined,
  today: string,
  tagged: ReadonlySet<string> | null = null,
  forecasts: ReadonlyMap<string, ActionPlanForecast | null> | null = null,
): PlanRecord[] {
  const f = filter ?? {};
  const search = f.search?.trim().toLocaleLowerCase('id').slice(0, 100) ?? '';
  const yearStart = f.year ? `${f.year}-01-01` : null;
  const yearEnd = f.year ? `${f.year}-12-31` : null;
  return plans.filter(
    (p) =>
      (f.includeArchived || p.archivedAt === null) &&
      (!tagged || tagged.has(p.id)) &&
      (!f.dimension || p.dimension === f.dimension) &&
      (!f.opdId || p.ownerOpd.id === f.opdId) &&
      (!f.programId || p.program.id === f.programId) &&
      (!f.status || p.status === f.status) &&
      (f.quickWin === null || f.quickWin === undefined || (programs.get(p.program.id)?.quickWin ?? false) === f.quickWin) &&
      (!yearStart || !yearEnd || (p.startDate <= yearEnd && p.dueDate >= yearStart)) &&
      (!search || p.title.toLocaleLowerCase('id').includes(search) || (p.code?.toLocaleLowerCase('id').includes(search) ?? false)) &&
      // As `overview.counts`: a cancelled or archived plan counts in no state.
      (!f.state || (countsInRollups(p) && planState(p, today) === f.state)) &&
      (!f.forecast || forecasts?.get(p.id)?.verdict === f.forecast),
  );
}

/** A page of a city's action plans, earliest due date first, filtered: the records `cityPlans` read (no statement of its own). */
export async function listActionPlans(
  ctx: Context,
  city: City,
  filter: ActionPlanFilter | null | undefined,
  args: PageArgs,
): Promise<Page<PlanRecord>> {
  const [plans, programs, tagged, forecasts] = await Promise.all([
    cityPlans(ctx, city.id),
    cityPrograms(ctx, city.id),
    filter?.tag ? planIdsWithTag(ctx.em, city.id, filter.tag) : null,
    filter?.forecast ? cityForecasts(ctx, city, ProgressBasis.ALL) : null,
  ]);
  return pageOfList(filterPlans(plans, programs, filter, todayIn(city.timeZone, ctx.now), tagged, forecasts), planSortKey, args);
}

/** A city's action plans (unarchived), earliest due date first, at most `max`: the whole list a screen shows, unpaged. */
export async function allActionPlans(ctx: Context, city: City, max: number): Promise<PlanRecord[]> {
  const [plans, programs] = await Promise.all([cityPlans(ctx, city.id), cityPrograms(ctx, city.id)]);
  // `cityPlans` is already in list order (due date, then id), as `actionPlans` pages it.
  return filterPlans(plans, programs, null, todayIn(city.timeZone, ctx.now)).slice(0, max);
}

/** The sort key of an at-risk plan: no expected completion first, then the most days late, then due date and id. */
function atRiskSortKey(plan: PlanRecord, forecast: ActionPlanForecast): string {
  const lateness = forecast.daysLate === null ? 'A' : `B${String(99_999_999 - forecast.daysLate).padStart(8, '0')}`;
  return `${lateness}|${planSortKey(plan)}`;
}

/**
 * The early warning: a city's plans that are not late yet (counted in the roll-ups, state not LATE)
 * but whose forecast is AT_RISK, those that do not move first, then by days late (most first), due
 * date and id. The city's plans and its reports of the window: two SQL statements, shared with the
 * rest of the request.
 */
export async function listAtRiskPlans(ctx: Context, city: City, basis: ProgressBasis, args: PageArgs): Promise<Page<PlanRecord>> {
  const [plans, forecasts] = await Promise.all([cityPlans(ctx, city.id), cityForecasts(ctx, city, basis)]);
  const today = todayIn(city.timeZone, ctx.now);
  const keys = new Map<PlanRecord, string>();
  for (const plan of plans) {
    const forecast = forecasts.get(plan.id);
    if (forecast?.verdict !== ForecastVerdict.AT_RISK || planState(plan, today) === ActionPlanState.LATE) continue;
    keys.set(plan, atRiskSortKey(plan, forecast));
  }
  const rows = [...keys.keys()].sort((a, b) => (keys.get(a)! < keys.get(b)! ? -1 : 1));
  return pageOfList(rows, (p) => keys.get(p)!, args);
}

/** A page of action plans. */
export const ActionPlanConnection = connectionType(ActionPlan, 'ActionPlan');

/** Loads an action plan the viewer may read, or NOT_FOUND. */
export async function readablePlan(ctx: Context, id: string): Promise<ActionPlan> {
  const plan = isUuid(id) ? await ctx.loaders.byId(ActionPlan).load(id) : null;
  if (!plan) throw notFound('ActionPlan', id);
  policy.assertRead(ctx.principal, plan.city.id, 'ActionPlan', id);
  return plan;
}

/** `Opd.actionPlans` and `Program.actionPlans` reuse the city list with a fixed filter. */
export async function plansOf(
  ctx: Context,
  cityId: string,
  fixed: Partial<ActionPlanFilter>,
  args: PageArgs,
  filter: ActionPlanFilter | null,
): Promise<Page<PlanRecord>> {
  const city = await readableCity(ctx, cityId);
  return listActionPlans(ctx, city, { ...(filter ?? {}), ...fixed }, args);
}
