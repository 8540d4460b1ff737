import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { Context } from '../../context';
import { badInput } from '../../errors';
import { addDays, daysBetween, todayIn } from '../../util/dates';
import type { City } from '../cities/city.entity';
import { pageSize } from '../../graphql/connection';
import { Opd } from '../opds/opd.entity';
import { cityOpdsById } from '../overview/city-data';
import { Activity, ActivityKind, EvaluationVisit, type ProgrammeEventEntity } from './evaluation.entity';

/**
 * The programme calendar: what is due in a city's next days, from its activities, evaluation
 * visits and their deliverables. Two SQL statements (activities, visits) plus the city's OPDs,
 * which the request shares; a city has tens of events, so the window is cut in memory.
 */

/** The longest window `upcoming` looks ahead, in days. */
export const MAX_CALENDAR_DAYS = 366;

/** What a calendar entry is. */
export enum CalendarEntryKind {
  ACTIVITY = 'ACTIVITY',
  EVALUATION_VISIT = 'EVALUATION_VISIT',
  DELIVERABLE = 'DELIVERABLE',
}
registerEnumType(CalendarEntryKind, {
  name: 'CalendarEntryKind',
  description:
    'ACTIVITY (a bimtek, MoU, meeting, masterplan deadline, yearly review…), EVALUATION_VISIT (monev), DELIVERABLE (an item an activity or visit must produce).',
});

/** One line of the programme calendar. */
@ObjectType({ description: 'One line of the programme calendar: an activity, an evaluation visit or a deliverable due.' })
export class CalendarEntry {
  @Field(() => CalendarEntryKind) kind!: CalendarEntryKind;
  @Field(() => String, {
    description:
      'The date it is listed under, YYYY-MM-DD: the first day (today for an event already under way), or the due date of a deliverable.',
  })
  date!: string;
  @Field(() => String, { description: 'First day, YYYY-MM-DD (a deliverable: its due date).' }) startDate!: string;
  @Field(() => String, { description: 'Last day, YYYY-MM-DD (a deliverable: its due date).' }) endDate!: string;
  @Field(() => Int, { description: "Days from the city's today to `date` (0: today)." }) daysAway!: number;
  @Field(() => String, { description: 'The activity\'s title, "Kunjungan monev <year>" for a visit, or the deliverable\'s title.' })
  title!: string;
  @Field(() => ActivityKind, { nullable: true, description: 'For an activity, or a deliverable of one: its kind.' })
  activityKind!: ActivityKind | null;
  @Field(() => Boolean, { nullable: true, description: 'For a deliverable: whether it has been delivered.' }) done!: boolean | null;
  @Field(() => String, { nullable: true, description: 'The person responsible (of the event, for a deliverable).' }) ownerName!:
    string | null;
  @Field(() => Opd, { nullable: true, description: 'The OPD responsible (of the event, for a deliverable).' }) ownerOpd!: Opd | null;
  @Field(() => Activity, { nullable: true, description: 'The activity (or the activity the deliverable belongs to).' })
  activity!: Activity | null;
  @Field(() => EvaluationVisit, { nullable: true, description: 'The visit (or the visit the deliverable belongs to).' })
  evaluationVisit!: EvaluationVisit | null;
}

const KIND_ORDER: Record<CalendarEntryKind, number> = { EVALUATION_VISIT: 0, ACTIVITY: 1, DELIVERABLE: 2 };

/** The calendar entries of `events` in [today, today + days], ordered by date, kind, title. Pure. */
export function calendarEntries(
  events: readonly {
    row: ProgrammeEventEntity;
    activity: Activity | null;
    visit: EvaluationVisit | null;
    title: string;
    startDate: string;
    endDate: string;
  }[],
  opds: ReadonlyMap<string, Opd>,
  today: string,
  days: number,
): CalendarEntry[] {
  const last = addDays(today, days);
  const out: CalendarEntry[] = [];
  for (const e of events) {
    const opd = e.row.ownerOpd ? (opds.get(e.row.ownerOpd.id) ?? null) : null;
    const common = {
      activityKind: e.activity?.kind ?? null,
      ownerName: e.row.ownerName,
      ownerOpd: opd,
      activity: e.activity,
      evaluationVisit: e.visit,
    };
    if (e.endDate >= today && e.startDate <= last) {
      const date = e.startDate < today ? today : e.startDate;
      out.push({
        ...common,
        kind: e.activity ? CalendarEntryKind.ACTIVITY : CalendarEntryKind.EVALUATION_VISIT,
        date,
        startDate: e.startDate,
        endDate: e.endDate,
        daysAway: daysBetween(today, date),
        title: e.title,
        done: null,
      });
    }
    for (const d of e.row.deliverables) {
      if (d.dueDate < today || d.dueDate > last) continue;
      out.push({
        ...common,
        kind: CalendarEntryKind.DELIVERABLE,
        date: d.dueDate,
        startDate: d.dueDate,
        endDate: d.dueDate,
        daysAway: daysBetween(today, d.dueDate),
        title: d.title,
        done: d.done,
      });
    }
  }
  return out.sort(
    (a, b) => a.date.localeCompare(b.date) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.title.localeCompare(b.title, 'id'),
  );
}

/** The title of a visit in the calendar, in the request's language. */
function visitTitle(ctx: Context, visit: EvaluationVisit): string {
  return ctx.locale === 'en' ? `Evaluation visit ${visit.year}` : `Kunjungan monev ${visit.year}`;
}

/** `City.upcoming`: what is due in the city's next `days` days; BAD_USER_INPUT outside 0–366. */
export async function upcomingEvents(ctx: Context, city: City, days: number, first: number | null): Promise<CalendarEntry[]> {
  if (!Number.isInteger(days) || days < 0 || days > MAX_CALENDAR_DAYS)
    throw badInput('days', 'daysRange', { min: 0, max: MAX_CALENDAR_DAYS });
  const limit = first === null || first === undefined ? null : pageSize(first);
  const today = todayIn(city.timeZone, ctx.now);
  const [activities, visits, opds] = await Promise.all([
    ctx.em.find(Activity, { city: city.id, archivedAt: null }, { orderBy: { startDate: 'asc', id: 'asc' } }),
    ctx.em.find(EvaluationVisit, { city: city.id, archivedAt: null }, { orderBy: { startDate: 'asc', id: 'asc' } }),
    cityOpdsById(ctx, city.id),
  ]);
  const events = [
    ...activities.map((a) => ({ row: a, activity: a, visit: null, title: a.title, startDate: a.startDate, endDate: a.endDate })),
    ...visits.map((v) => ({ row: v, activity: null, visit: v, title: visitTitle(ctx, v), startDate: v.startDate, endDate: v.endDate })),
  ];
  const entries = calendarEntries(events, opds, today, days);
  return limit === null ? entries : entries.slice(0, limit);
}
