/**
 * The demo seed: Tanjungpinang and Tebingtinggi with OPDs, council, team, masterplan, programs, action
 * plans with progress history, activities, evaluation visits and demo users (password `pantau-demo`).
 *
 * Deterministic apart from dates relative to `today`: every random choice comes from a PRNG seeded by
 * the city and the plan code, so the same `today` always gives the same data (ids aside). Plans of the
 * current year are placed relative to `today`, so on any day the city shows a mix of done, on-track,
 * late and not-started plans; plans of finished years keep their real dates.
 */
import type { EntityManager } from '@mikro-orm/core';
import { hashPassword } from '../../auth/passwords';
import { ActionPlan, ActionPlanStatus } from '../../modules/action-plans/action-plan.entity';
import { Indicator, IndicatorDirection, IndicatorValue, Milestone } from '../../modules/action-plans/indicator.entity';
import { City, CityKind } from '../../modules/cities/city.entity';
import { Council, CouncilMember } from '../../modules/council/council.entity';
import { Activity, EvaluationVisit } from '../../modules/evaluation/evaluation.entity';
import { seedProgramme } from './demo-programme';
import { ensureTagCatalogs } from '../../modules/tags/catalogs';
import { Masterplan, Program } from '../../modules/masterplan/masterplan.entity';
import { Opd } from '../../modules/opds/opd.entity';
import { ProgressReport, ReportStatus } from '../../modules/progress/progress-report.entity';
import { Team, TeamMember } from '../../modules/teams/team.entity';
import { Role, User } from '../../modules/users/user.entity';
import { addDays, daysBetween, isIsoDate, zonedTime } from '../../util/dates';
import { uuidv7 } from '../../util/ids';
import { seedMonev } from './monev';
import {
  CANCELLED_NARRATIVE,
  DEMO_CITIES,
  DEMO_PASSWORD,
  EVIDENCE_FILES,
  MILESTONES,
  NARRATIVES,
  OBSTACLES,
  PLATFORM_ADMIN,
  STALLED_NARRATIVES,
  type CitySeed,
  type IndicatorSeed,
  type PlanSeed,
  type Scenario,
  type SeedDate,
} from './demo-data';

export interface SeedDemoResult {
  cities: number;
  actionPlans: number;
  progressReports: number;
  users: number;
}

/** Seeds the demo cities into an empty database; returns what it created. */
export async function seedDemo(
  em: EntityManager,
  options: { today: string /* YYYY-MM-DD, the city's today */; now?: Date },
): Promise<SeedDemoResult> {
  const { today } = options;
  if (!isIsoDate(today)) throw new Error(`seedDemo: today must be a date written YYYY-MM-DD, got "${today}"`);

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const ids = new IdSequence();
  const result: SeedDemoResult = { cities: 0, actionPlans: 0, progressReports: 0, users: 0 };

  // The demo tags plans with catalogue entries (added at boot too; idempotent).
  await ensureTagCatalogs(em);
  const admin = withId(new User(PLATFORM_ADMIN.email, PLATFORM_ADMIN.name, passwordHash, Role.PLATFORM_ADMIN), ids);
  em.persist(admin);
  result.users++;

  for (const seed of DEMO_CITIES) {
    // Without an explicit `now`, reports stop at the start of the city's today: never in the future,
    // and the same data for the same `today` whatever the clock says.
    const now = options.now ?? zonedTime(today, '00:00:00', seed.timeZone);
    const counts = seedCity(em, seed, { today, now, ids, passwordHash });
    result.cities++;
    result.actionPlans += counts.actionPlans;
    result.progressReports += counts.progressReports;
    result.users += counts.users;
    await em.flush();
    await seedProgramme(em, counts.city, today, () => ids.id());
  }
  await seedMonev(em, today, options.now ?? zonedTime(today, '00:00:00', 'Asia/Jakarta'));
  await em.flush();
  return result;
}

// ---------------------------------------------------------------------------------------------

interface Ctx {
  today: string;
  now: Date;
  ids: IdSequence;
  passwordHash: string;
}

/**
 * Ids for rows without a historical time: time-ordered like `uuidv7()`, one millisecond apart, so
 * `ORDER BY id` follows the seed's order (cities, then OPDs in listed order, plans by code …).
 */
class IdSequence {
  private next = Date.now() - 120_000;
  id(): string {
    return uuidv7(this.next++);
  }
}

function withId<T extends { id: string }>(entity: T, ids: IdSequence): T {
  entity.id = ids.id();
  return entity;
}

function seedCity(
  em: EntityManager,
  seed: CitySeed,
  ctx: Ctx,
): { city: City; actionPlans: number; progressReports: number; users: number } {
  const { today, ids } = ctx;
  const city = withId(new City(seed.name, seed.province), ids);
  city.kind = CityKind.KOTA;
  city.joinedYear = seed.joinedYear;
  city.timeZone = seed.timeZone;
  em.persist(city);

  // OPDs
  const opds = new Map<string, Opd>();
  for (const o of seed.opds) {
    const opd = withId(new Opd(city, o.name, o.abbr), ids);
    opd.code = o.abbr;
    opd.head = o.head;
    opd.leadingSector = o.leading ?? false;
    opds.set(o.abbr, opd);
    em.persist(opd);
  }
  const opdOf = (abbr: string): Opd => {
    const opd = opds.get(abbr);
    if (!opd) throw new Error(`demo seed: ${seed.name} has no OPD "${abbr}"`);
    return opd;
  };

  // Users: the city admin, reporters, viewers.
  let cityAdmin: User | null = null;
  const reporters = new Map<Opd, User>();
  for (const u of seed.users) {
    const role = Role[u.role];
    const user = withId(new User(u.email, u.name, ctx.passwordHash, role), ids);
    user.city = city;
    if (u.opd) {
      user.opd = opdOf(u.opd);
      if (role === Role.OPD_REPORTER) reporters.set(user.opd, user);
    }
    if (role === Role.CITY_ADMIN && !cityAdmin) cityAdmin = user;
    em.persist(user);
  }
  if (!cityAdmin) throw new Error(`demo seed: ${seed.name} has no city admin`);
  const admin = cityAdmin;
  const reporterFor = (opd: Opd): User => reporters.get(opd) ?? admin;

  // Council and team
  const council = withId(new Council(city, seed.council.name), ids);
  council.decreeNumber = seed.council.decreeNumber;
  council.decreeDate = seed.council.decreeDate;
  em.persist(council);
  for (const m of seed.council.members) {
    const member = withId(new CouncilMember(council, m.name, m.position, m.category), ids);
    member.organisation = m.organisation;
    em.persist(member);
  }
  const team = withId(new Team(city, seed.team.name), ids);
  team.decreeNumber = seed.team.decreeNumber;
  team.decreeDate = seed.team.decreeDate;
  em.persist(team);
  for (const m of seed.team.members) {
    const member = withId(new TeamMember(team, m.name, m.role), ids);
    member.position = m.position;
    member.opd = opdOf(m.opd);
    em.persist(member);
  }

  // Masterplan and programs
  const period = masterplanPeriod(seed.masterplan, Number(today.slice(0, 4)));
  const masterplan = withId(new Masterplan(city, period.title, period.startYear, period.endYear), ids);
  masterplan.vision = period.vision;
  em.persist(masterplan);
  const programs = new Map<string, Program>();
  for (const p of seed.programs) {
    const program = withId(new Program(masterplan, p.name, p.dimension), ids);
    program.code = p.key;
    program.description = p.description;
    if (p.quickWinYear !== undefined) {
      program.quickWin = true;
      program.quickWinYear = p.quickWinYear;
    }
    programs.set(p.key, program);
    em.persist(program);
  }

  // Action plans with their indicators, milestones and reports
  let progressReports = 0;
  for (const ps of seed.plans) {
    const program = programs.get(ps.program);
    if (!program) throw new Error(`demo seed: ${seed.name} has no program "${ps.program}"`);
    progressReports += seedPlan(em, seed, ps, program, opdOf, reporterFor, admin, ctx);
  }

  // Activities and evaluation visits
  for (const a of seed.activities) {
    const start = resolveDate(a.start, today);
    const activity = withId(new Activity(city, a.kind, a.title, start, a.end === undefined ? start : resolveDate(a.end, today)), ids);
    activity.phase = a.phase ?? null;
    activity.place = a.place ?? null;
    activity.outcome = a.outcome ?? null;
    em.persist(activity);
  }
  for (const v of seed.visits) {
    const start = resolveDate(v.start, today);
    const visit = withId(new EvaluationVisit(city, Number(start.slice(0, 4)), start, addDays(start, v.days - 1), v.evaluator), ids);
    visit.agenda = v.agenda;
    em.persist(visit);
  }

  return { city, actionPlans: seed.plans.length, progressReports, users: seed.users.length };
}

/** The masterplan as it stands in `year`: the original, or after its end the revision's period that year falls in. */
function masterplanPeriod(mp: CitySeed['masterplan'], year: number): { title: string; startYear: number; endYear: number; vision: string } {
  const { revised } = mp;
  if (!revised || year <= mp.endYear) return mp;
  const startYear = revised.firstYear + Math.max(0, Math.floor((year - revised.firstYear) / revised.years)) * revised.years;
  const endYear = startYear + revised.years - 1;
  return { title: `${revised.title} ${startYear}–${endYear} (revisi)`, startYear, endYear, vision: revised.vision };
}

function resolveDate(date: SeedDate, today: string): string {
  return typeof date === 'number' ? addDays(today, date) : date;
}

// ---------------------------------------------------------------------------------------------
// One action plan

/** Where a plan's schedule and reports fall. */
interface Timeline {
  start: string;
  due: string;
  /** Date of the last report; null when the plan has none. */
  last: string | null;
  /** Percent of the last report. */
  final: number;
  status: ActionPlanStatus;
  /** Whether the plan is struggling (more obstacles, a plateau in its history). */
  troubled: boolean;
  /** Whether the last report repeats the one before (the plan has stalled). */
  stalled: boolean;
}

function timeline(scenario: Scenario, today: string, rng: Rng): Timeline {
  const T = (days: number): string => addDays(today, days);
  const base = { status: ActionPlanStatus.ACTIVE, troubled: false, stalled: false };
  if (typeof scenario === 'object') {
    const finish = addDays(scenario.due, -rng.int(0, 14));
    const yesterday = T(-1);
    if (finish <= yesterday) return { ...base, start: scenario.start, due: scenario.due, last: finish, final: 100 };
    // A "finished year" that has not finished yet on this today: report what a straight line gives.
    if (daysBetween(scenario.start, yesterday) < 21) return { ...base, start: scenario.start, due: scenario.due, last: null, final: 0 };
    const expected = (100 * daysBetween(scenario.start, yesterday)) / Math.max(1, daysBetween(scenario.start, scenario.due));
    return { ...base, start: scenario.start, due: scenario.due, last: yesterday, final: clamp(Math.round(expected), 5, 95) };
  }
  switch (scenario) {
    case 'done': {
      const due = T(-rng.int(20, 90));
      return { ...base, start: T(-rng.int(230, 300)), due, last: addDays(due, -rng.int(0, 20)), final: 100 };
    }
    case 'doneEarly':
      return { ...base, start: T(-rng.int(150, 210)), due: T(rng.int(20, 75)), last: T(-rng.int(4, 25)), final: 100 };
    case 'onTrack': {
      const start = T(-rng.int(55, 270));
      const due = T(rng.int(60, 240));
      // Close to the straight line from start to due as it stands today (well within the 20-point tolerance).
      const expected = (100 * daysBetween(start, today)) / daysBetween(start, due);
      return { ...base, start, due, last: T(-rng.int(1, 12)), final: clamp(Math.round(expected + rng.int(-8, 6)), 5, 95) };
    }
    case 'overdue':
      return {
        ...base,
        start: T(-rng.int(200, 300)),
        due: T(-rng.int(10, 85)),
        last: T(-rng.int(3, 20)),
        final: rng.int(55, 90),
        troubled: true,
      };
    case 'behind':
      // At least 79 % of the schedule gone, at most 35 % done.
      return {
        ...base,
        start: T(-rng.int(170, 240)),
        due: T(rng.int(15, 45)),
        last: T(-rng.int(5, 25)),
        final: rng.int(18, 35),
        troubled: true,
      };
    case 'notStarted': {
      const start = T(rng.int(7, 60));
      return { ...base, start, due: addDays(start, rng.int(120, 240)), last: null, final: 0 };
    }
    case 'onHold':
      return {
        ...base,
        status: ActionPlanStatus.ON_HOLD,
        troubled: true,
        stalled: true,
        start: T(-rng.int(150, 200)),
        due: T(rng.int(30, 90)),
        last: T(-rng.int(45, 80)),
        final: rng.int(20, 35),
      };
    case 'cancelled':
      return {
        ...base,
        status: ActionPlanStatus.CANCELLED,
        troubled: true,
        start: T(-rng.int(150, 220)),
        due: T(rng.int(10, 60)),
        last: T(-rng.int(60, 100)),
        final: rng.int(5, 15),
      };
  }
}

interface ReportPoint {
  date: string;
  percent: number;
  at: Date;
}

function seedPlan(
  em: EntityManager,
  seed: CitySeed,
  ps: PlanSeed,
  program: Program,
  opdOf: (abbr: string) => Opd,
  reporterFor: (opd: Opd) => User,
  reviewer: User,
  ctx: Ctx,
): number {
  const { today, ids } = ctx;
  const rng = new Rng(`${seed.name}/${ps.code}`);
  const tl = timeline(ps.scenario, today, rng);
  const owner = opdOf(ps.owner);
  const reporter = reporterFor(owner);

  const plan = withId(new ActionPlan(program, owner, ps.title, tl.start, tl.due), ids);
  plan.code = ps.code;
  plan.description = ps.description;
  plan.budgetAmount = ps.budget;
  plan.budgetSource = ps.source;
  plan.weight = ps.weight;
  plan.status = tl.status;
  for (const abbr of ps.support ?? []) {
    if (abbr !== ps.owner) plan.supportingOpds.add(opdOf(abbr));
  }
  em.persist(plan);

  // Progress reports, oldest first; the plan's cached progress comes from the latest.
  const points = reportPoints(tl, seed.timeZone, rng).filter((p) => p.at.getTime() <= ctx.now.getTime());
  const usedNarratives = new Set<string>();
  let previous = 0;
  points.forEach((point, i) => {
    const isLast = i === points.length - 1;
    const plateau = i > 0 && point.percent === previous;
    let narrative: string;
    if (isLast && tl.status === ActionPlanStatus.CANCELLED) narrative = CANCELLED_NARRATIVE;
    else if (plateau) narrative = rng.pick(STALLED_NARRATIVES);
    else narrative = pickNarrative(ps, point.percent, usedNarratives);

    const report = new ProgressReport(plan, point.percent, narrative);
    report.id = uuidv7(point.at.getTime());
    report.reportedAt = point.at;
    report.createdAt = point.at;
    report.updatedAt = point.at;
    report.reporter = reporter;
    // The city team verifies reports within a few days; the most recent ones still wait, and so do
    // the latest of the plans the seed names (the demo's verification queue is never empty).
    const reviewedAt = new Date(point.at.getTime() + 3 * 86_400_000);
    const waits = isLast && reporter !== reviewer && (seed.awaitingVerification ?? []).includes(ps.code);
    if (!waits && (reporter === reviewer || reviewedAt.getTime() <= ctx.now.getTime() - 86_400_000)) {
      report.status = ReportStatus.VERIFIED;
      report.reviewedBy = reviewer;
      report.reviewedAt = reporter === reviewer ? point.at : reviewedAt;
    }
    if (isLast && tl.status !== ActionPlanStatus.ACTIVE && ps.holdReason) report.obstacles = ps.holdReason;
    else if (rng.next() < (point.percent >= 100 ? 0 : plateau ? 1 : tl.troubled ? 0.55 : 0.2)) {
      report.obstacles = rng.next() < 0.2 ? rng.pick(OBSTACLES.ANY) : rng.pick(OBSTACLES[ps.kind]);
    }
    report.evidenceUrls = evidence(seed, ps, point, rng);
    em.persist(report);
    previous = point.percent;
  });
  const latest = points[points.length - 1];
  if (latest) {
    plan.progress = latest.percent;
    plan.lastReportedAt = latest.at;
  }
  // Entered when it started (a month ago for one that starts later), and before its first report:
  // the progress history as of past dates counts a plan from its creation.
  const startedAt = zonedTime(tl.start, '00:00:00', seed.timeZone).getTime();
  plan.createdAt = new Date(Math.min(startedAt, points[0]?.at.getTime() ?? startedAt, ctx.now.getTime() - 30 * 86_400_000));

  // Indicators with values per period, and milestones.
  ps.indicators.forEach((is, i) => seedIndicator(em, plan, is, `I${i + 1}`, tl, points, reporter, ids));
  seedMilestones(em, plan, ps, tl, points, rng, ids);
  return points.length;
}

/** The report dates (roughly monthly, on working days) and percents (non-decreasing, ending at `final`). */
function reportPoints(tl: Timeline, timeZone: string, rng: Rng): ReportPoint[] {
  if (!tl.last) return [];
  const span = daysBetween(tl.start, tl.last);
  if (span < 7) return [];
  const n = clamp(Math.floor(span / 30) + 1, 3, 8);
  const step = (span - 7) / (n - 1);
  const dates: string[] = [];
  for (let i = 0; i < n; i++) {
    let date = addDays(tl.last, -Math.round((n - 1 - i) * step) + (i < n - 1 && i > 0 ? rng.int(-3, 3) : 0));
    date = toWorkingDay(date);
    const prev = dates[dates.length - 1];
    if (prev !== undefined && date <= prev) date = addDays(prev, 1);
    if (date > tl.last) date = tl.last;
    if (prev !== undefined && date <= prev) continue;
    if (date <= tl.start) date = addDays(tl.start, 1);
    dates.push(date);
  }

  const m = dates.length;
  const cap = tl.final >= 100 ? 95 : tl.final;
  const gamma = 0.75 + rng.next() * 0.5;
  const plateauAt = tl.troubled && !tl.stalled && m >= 4 ? rng.int(1, m - 2) : -1;
  const percents: number[] = [];
  let prev = 0;
  for (let i = 0; i < m; i++) {
    let v: number;
    if (i === m - 1) v = tl.final;
    else if (tl.stalled && i === m - 2) v = tl.final;
    else if (i === plateauAt) v = prev;
    else {
      const raw = tl.final * ((i + 1) / m) ** gamma + (rng.next() * 8 - 4);
      v = rng.next() < 0.6 ? Math.round(raw / 5) * 5 : Math.round(raw);
      v = clamp(v, Math.max(prev, 1), cap);
    }
    v = Math.max(v, prev);
    percents.push(v);
    prev = v;
  }

  return dates.map((date, i) => ({
    date,
    percent: percents[i] ?? tl.final,
    at: zonedTime(date, `${pad(rng.int(8, 16))}:${pad(rng.int(0, 59))}:${pad(rng.int(0, 59))}`, timeZone),
  }));
}

function pickNarrative(ps: PlanSeed, percent: number, used: Set<string>): string {
  const band = percent >= 100 ? 4 : Math.min(3, Math.floor(percent / 25));
  const options = NARRATIVES[ps.kind][band] ?? [];
  // The templates of a band are written in the order work happens: take the first one not used yet.
  const template = options.find((t) => !used.has(t)) ?? `Pekerjaan {s} berlanjut; capaian kini ${percent}%.`;
  used.add(template);
  const subject = ps.subject;
  return template.replaceAll('{S}', subject.charAt(0).toUpperCase() + subject.slice(1)).replaceAll('{s}', subject);
}

function evidence(seed: CitySeed, ps: PlanSeed, point: ReportPoint, rng: Rng): string[] {
  const folder = `https://${seed.domain}/smartcity/bukti/${point.date.slice(0, 4)}/${ps.code.toLowerCase()}`;
  if (point.percent >= 100) return [`${folder}/${point.date}-berita-acara.pdf`, `${folder}/${point.date}-foto-kegiatan.jpg`];
  if (rng.next() < 0.35) return [`${folder}/${point.date}-${rng.pick(EVIDENCE_FILES)}`];
  return [];
}

/** Percent of the latest report on or before `date` (0 before the first). */
function percentAt(points: readonly ReportPoint[], date: string): number {
  let percent = 0;
  for (const p of points) if (p.date <= date) percent = p.percent;
  return percent;
}

function seedIndicator(
  em: EntityManager,
  plan: ActionPlan,
  is: IndicatorSeed,
  code: string,
  tl: Timeline,
  points: readonly ReportPoint[],
  reporter: User,
  ids: IdSequence,
): void {
  const indicator = withId(new Indicator(plan, is.name, is.unit, is.baseline, is.target), ids);
  indicator.code = code;
  indicator.direction = is.decrease ? IndicatorDirection.DECREASE : IndicatorDirection.INCREASE;
  em.persist(indicator);
  const last = points[points.length - 1];
  if (!last) return;

  const integral = Number.isInteger(is.baseline) && Number.isInteger(is.target);
  const periods = (is.monthly ? monthPeriods(tl.start, last.date) : quarterPeriods(tl.start, last.date)).slice(-6);
  periods.forEach((period, i) => {
    const asOf = period.end < last.date ? period.end : last.date;
    const percent = percentAt(points, asOf);
    const raw = is.baseline + ((is.target - is.baseline) * percent) / 100;
    const value = withId(new IndicatorValue(indicator, period.key, integral ? Math.round(raw) : Math.round(raw * 10) / 10), ids);
    value.reportedBy = reporter;
    if (i === periods.length - 1 && percent >= 100) value.note = 'Target tercapai.';
    em.persist(value);
  });
}

function seedMilestones(
  em: EntityManager,
  plan: ActionPlan,
  ps: PlanSeed,
  tl: Timeline,
  points: readonly ReportPoint[],
  rng: Rng,
  ids: IdSequence,
): void {
  const templates = MILESTONES[ps.kind];
  const count = rng.int(1, templates.length);
  const span = daysBetween(tl.start, tl.due);
  for (const [i, t] of templates.slice(templates.length - count).entries()) {
    const milestone = withId(new Milestone(plan, t.title, addDays(tl.start, Math.round(span * t.at))), ids);
    milestone.code = `T${i + 1}`;
    milestone.doneDate = points.find((p) => p.percent >= t.percent)?.date ?? null;
    em.persist(milestone);
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** A small deterministic PRNG (mulberry32) seeded from a string. */
class Rng {
  private state: number;
  constructor(seed: string) {
    // FNV-1a over the seed string.
    let h = 0x811c9dc5;
    for (let i = 0; i < seed.length; i++) {
      h ^= seed.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    this.state = h >>> 0;
  }
  /** A number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('demo seed: pick from an empty list');
    return item;
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Saturday and Sunday move back to Friday. */
function toWorkingDay(date: string): string {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 6 ? addDays(date, -1) : day === 0 ? addDays(date, -2) : date;
}

interface Period {
  key: string;
  /** Last day of the period, YYYY-MM-DD. */
  end: string;
}

/** Quarters (`YYYY-Qn`) from the one holding `from` to the one holding `to`. */
function quarterPeriods(from: string, to: string): Period[] {
  const out: Period[] = [];
  let year = Number(from.slice(0, 4));
  let q = Math.floor((Number(from.slice(5, 7)) - 1) / 3) + 1;
  const endYear = Number(to.slice(0, 4));
  const endQ = Math.floor((Number(to.slice(5, 7)) - 1) / 3) + 1;
  while (year < endYear || (year === endYear && q <= endQ)) {
    out.push({ key: `${year}-Q${q}`, end: lastDayOfMonth(year, q * 3) });
    q++;
    if (q > 4) {
      q = 1;
      year++;
    }
  }
  return out;
}

/** Months (`YYYY-MM`) from the one holding `from` to the one holding `to`. */
function monthPeriods(from: string, to: string): Period[] {
  const out: Period[] = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  const endKey = to.slice(0, 7);
  for (;;) {
    const key = `${year}-${pad(month)}`;
    if (key > endKey) break;
    out.push({ key, end: lastDayOfMonth(year, month) });
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
  }
  return out;
}

function lastDayOfMonth(year: number, month: number): string {
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}
