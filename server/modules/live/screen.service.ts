import { policy } from '../../auth/policy';
import type { Context } from '../../context';
import { pageOfQuery, type Page, type PageArgs } from '../../graphql/connection';
import { allActionPlans, listAtRiskPlans } from '../action-plans/action-plan.service';
import type { PlanRecord } from '../action-plans/plan-record';
import { City } from '../cities/city.entity';
import { upcomingEvents, type CalendarEntry } from '../evaluation/calendar';
import { Masterplan, Program } from '../masterplan/masterplan.entity';
import type { ProgressBasis } from '../overview/overview';
import { ProgressReport, type ReportStatus } from '../progress/progress-report.entity';

/**
 * What a meeting-room screen reads of its city (`cityScreen`'s `city` and `plans`), each read as
 * `City`'s own field reads it, authorised for the city. Executed once per change for every screen
 * of a shared run (realtime/shared.ts), on the entity manager and memo of the summary computed for
 * that change.
 */

/** The city of a frame (null if it is gone). */
export function screenCity(ctx: Context, cityId: string): Promise<City | null> {
  return ctx.em.findOne(City, { id: cityId });
}

/** As `City.masterplans`: newest period first. */
export function screenMasterplans(ctx: Context, city: City): Promise<Masterplan[]> {
  policy.assertRead(ctx.principal, city.id, 'City', city.id);
  return ctx.loaders.childrenOf(Masterplan, 'city', { startYear: 'desc' }).load(city.id);
}

/** As `City.programs` (unfiltered). */
export function screenPrograms(ctx: Context, city: City): Promise<Program[]> {
  policy.assertRead(ctx.principal, city.id, 'City', city.id);
  return ctx.loaders.childrenOf(Program, 'city', { dimension: 'asc', name: 'asc' }).load(city.id);
}

/** As `City.progressReports`: newest first; `status: SUBMITTED` is the verification queue. */
export function screenReports(ctx: Context, city: City, args: PageArgs, status: ReportStatus | null): Promise<Page<ProgressReport>> {
  policy.assertRead(ctx.principal, city.id, 'City', city.id);
  return pageOfQuery(ctx.em, ProgressReport, { city: city.id, ...(status ? { status } : {}) }, args, 'desc');
}

/** As `City.upcoming`. */
export function screenAgenda(ctx: Context, city: City, days: number, first: number | null): Promise<CalendarEntry[]> {
  policy.assertRead(ctx.principal, city.id, 'City', city.id);
  return upcomingEvents(ctx, city, days, first);
}

/** As `City.atRiskActionPlans`. */
export function screenAtRisk(ctx: Context, city: City, args: PageArgs, basis: ProgressBasis): Promise<Page<PlanRecord>> {
  policy.assertRead(ctx.principal, city.id, 'City', city.id);
  return listAtRiskPlans(ctx, city, basis, args);
}

/** The city's plans a screen lists, earliest due first, at most `max`. */
export function screenPlans(ctx: Context, city: City, max: number): Promise<PlanRecord[]> {
  policy.assertRead(ctx.principal, city.id, 'City', city.id);
  return allActionPlans(ctx, city, max);
}
