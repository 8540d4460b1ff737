// The operations the screen sends and the shapes it reads: the whole screen pushed over graphql-ws
// (`cityScreen`), and the same fields as one snapshot query over HTTP (while the socket is down).
import type { PlanState } from '../i18n';

/** Six dimensions, as the API names them. */
/** Which reports a progress figure counts: all, or verified ones only (GraphQL `ProgressBasis`). */
export type Basis = 'ALL' | 'VERIFIED';

export type Dimension = 'GOVERNANCE' | 'BRANDING' | 'ECONOMY' | 'LIVING' | 'SOCIETY' | 'ENVIRONMENT';

/** A late plan as the overview lists it. */
export interface LatePlan {
  id: string;
  title: string;
  code: string | null;
  dueDate: string;
  progress: number;
  expectedProgress: number;
  ownerOpd: { id: string; abbreviation: string; name: string };
}

/** A plan forecast to be late (`City.atRiskActionPlans`): not late yet, done after its due date at its recent pace. */
export interface AtRiskPlan {
  id: string;
  title: string;
  dueDate: string;
  progress: number;
  /** Null `expectedCompletion`/`daysLate`: the plan does not move. */
  forecast: { expectedCompletion: string | null; daysLate: number | null } | null;
  ownerOpd: { id: string; abbreviation: string };
}

/** `CityOverview`, the part the screen shows. */
export interface Overview {
  seq: number;
  asOf: string;
  today: string;
  progress: number;
  daysToNextEvaluation: number | null;
  counts: { done: number; onTrack: number; late: number; notStarted: number; total: number };
  dimensions: { dimension: Dimension; label: string; progress: number; actionPlanCount: number; lateCount: number }[];
  quickWins: { id: string; name: string; dimension: Dimension; progress: number; year: number; actionPlanCount: number }[];
  opds: { id: string; name: string; abbreviation: string; progress: number; actionPlanCount: number; lateCount: number }[];
  nextEvaluationVisit: { startDate: string; endDate: string; evaluator: string } | null;
  lateActionPlans: LatePlan[];
}

/** A progress report in the feed or the verification queue. */
export interface Report {
  id: string;
  actionPlanId: string;
  percent: number;
  narrative: string;
  reportedAt: string;
  status: 'SUBMITTED' | 'VERIFIED' | 'RETURNED';
}

/** An action plan, for the OPD and Dimensi views and to name a report's plan and OPD. */
export interface Plan {
  id: string;
  title: string;
  code: string | null;
  dimension: Dimension;
  state: PlanState;
  progress: number;
  dueDate: string;
  program: { id: string };
  ownerOpd: { id: string; abbreviation: string };
}

/** A program of the masterplan. */
export interface Program {
  id: string;
  name: string;
  dimension: Dimension;
  quickWin: boolean;
  progress: number;
}

/** The city itself. */
export interface CityInfo {
  id: string;
  name: string;
  province: string;
  kind: 'KOTA' | 'KABUPATEN';
  timeZone: string;
  masterplans: { title: string; startYear: number; endYear: number }[];
}

/** One line of the programme calendar (`City.upcoming`): an activity, a visit or a deliverable. */
export interface AgendaItem {
  kind: 'ACTIVITY' | 'EVALUATION_VISIT' | 'DELIVERABLE';
  date: string;
  daysAway: number;
  title: string;
  activityKind: string | null;
  done: boolean | null;
  ownerOpd: { abbreviation: string } | null;
}

/** How many agenda lines the screen shows. */
export const AGENDA_SIZE = 3;

/** What changes with reports (refetched after events): the feed, the queue, the plans, the agenda. */
export interface Details {
  /** What is due next in the coming year (Ringkasan's Agenda). */
  agenda: AgendaItem[];
  reports: Report[];
  unverified: { totalCount: number; items: Report[] };
  /** The early warning, most days late first (absent from a snapshot kept by an older screen: empty). */
  atRisk: { totalCount: number; items: AtRiskPlan[] };
  plans: Plan[];
  programs: Program[];
}

/** Everything a screen shows at one moment. */
export interface Snapshot extends Details {
  city: CityInfo;
  overview: Overview;
}

/** How many reports the feed holds (the feed never grows beyond this). */
export const FEED_SIZE = 8;
/** How many unverified reports and late plans the screen reads. */
export const QUEUE_SIZE = 50;
/** How many plans forecast late the screen reads (a page's most). */
export const AT_RISK_SIZE = 100;
/** Pages of 100 plans read at most (500 plans). */
export const MAX_PLAN_PAGES = 5;

const OVERVIEW_FIELDS = `
  seq asOf today progress daysToNextEvaluation
  counts { done onTrack late notStarted total }
  dimensions { dimension label progress actionPlanCount lateCount }
  quickWins { id name dimension progress year actionPlanCount }
  opds { id name abbreviation progress actionPlanCount lateCount }
  nextEvaluationVisit { startDate endDate evaluator }
  lateActionPlans(first: ${QUEUE_SIZE}) { id title code dueDate progress expectedProgress ownerOpd { id abbreviation name } }`;

const REPORT_FIELDS = 'id actionPlanId percent narrative reportedAt status';
const PLAN_FIELDS = 'id title code dimension state progress dueDate program { id } ownerOpd { id abbreviation }';
const AT_RISK_FIELDS = 'id title dueDate progress forecast { expectedCompletion daysLate } ownerOpd { id abbreviation }';

/** What changes with reports, but the plans (read in pages over HTTP, listed whole by `cityScreen`). */
const DETAIL_LISTS = `
  agenda: upcoming(days: 366, first: ${AGENDA_SIZE}) { kind date daysAway title activityKind done ownerOpd { abbreviation } }
  reports: progressReports(first: ${FEED_SIZE}) { edges { node { ${REPORT_FIELDS} } } }
  unverified: progressReports(first: ${QUEUE_SIZE}, status: SUBMITTED) { totalCount edges { node { ${REPORT_FIELDS} } } }
  atRisk: atRiskActionPlans(first: ${AT_RISK_SIZE}) { totalCount edges { node { ${AT_RISK_FIELDS} } } }
  programs { id name dimension quickWin progress }`;

const DETAIL_FIELDS = `${DETAIL_LISTS}
  actionPlans(first: 100) { pageInfo { hasNextPage endCursor } edges { node { ${PLAN_FIELDS} } } }`;

const CITY_FIELDS = 'id name province kind timeZone masterplans { title startYear endYear }';

/** The whole snapshot of a city. */
export const SNAPSHOT_QUERY = `query LayarSnapshot($id: ID!, $basis: ProgressBasis = ALL) {
  city(id: $id) {
    ${CITY_FIELDS}
    overview(basis: $basis) { ${OVERVIEW_FIELDS} }
    ${DETAIL_FIELDS}
  }
}`;

/** Further pages of plans, for cities with more than 100. */
export const MORE_PLANS_QUERY = `query LayarPlans($id: ID!, $after: String) {
  city(id: $id) { actionPlans(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { ${PLAN_FIELDS} } } } }
}`;

/**
 * The whole screen, pushed (`cityScreen`): a full frame first (`baseSeq` null: the same fields as
 * SNAPSHOT_QUERY, the plans listed whole), then one patch of it per change (`patch`, applied with
 * server/realtime/state-patch.ts to the frame's `overview`, `city` and `plans`).
 */
export const SCREEN_SUBSCRIPTION = `subscription LayarScreen($id: ID!, $basis: ProgressBasis = ALL) {
  cityScreen(cityId: $id, basis: $basis) {
    seq baseSeq patch
    overview { ${OVERVIEW_FIELDS} }
    city { ${CITY_FIELDS} ${DETAIL_LISTS} }
    plans { ${PLAN_FIELDS} }
  }
}`;

/** Progress over time (City.progressHistory). */
export const HISTORY_QUERY = `query LayarHistory($id: ID!, $from: String, $interval: HistoryInterval, $basis: ProgressBasis = ALL, $plans: HistoryPlans = ALL) {
  city(id: $id) { progressHistory(from: $from, interval: $interval, basis: $basis, plans: $plans) {
    interval plans periodFrom points city joined dimensions { dimension label values }
  } }
}`;

/** Which plans the Tren chart counts: this masterplan period's (the wall's default) or all. */
export type TrendPlans = 'PERIOD' | 'ALL';

/** `City.progressHistory` as the Tren view reads it. */
export interface History {
  interval: 'DAY' | 'WEEK' | 'MONTH';
  plans: TrendPlans;
  /** PERIOD: the period's first day (plans due before it are left out). */
  periodFrom: string | null;
  points: string[];
  city: number[];
  /** How many plans joined at each point. */
  joined: number[];
  dimensions: { dimension: Dimension; label: string; values: number[] }[];
}

/** One change in a city. */
export interface CityEvent {
  seq: number;
  kind: string;
  actionPlanId: string | null;
  at: string;
}

/** Who is logged in (the desk). */
export const ME_QUERY = `query LayarMe { me { id name email role cityId } cities { id name } }`;

/** Logs a person in. */
export const LOGIN_MUTATION = `mutation LayarLogin($input: LoginInput!) { login(input: $input) { token } }`;

interface Connection<T> {
  edges: { node: T }[];
}
interface PlanPage extends Connection<Plan> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** The detail part of the raw answer to SNAPSHOT_QUERY. */
export interface RawDetails {
  /** Absent in a snapshot kept by an older screen. */
  agenda?: AgendaItem[];
  reports: Connection<Report>;
  unverified: Connection<Report> & { totalCount: number };
  /** Absent in a snapshot kept by an older screen. */
  atRisk?: Connection<AtRiskPlan> & { totalCount: number };
  programs: Program[];
  actionPlans: PlanPage;
}

/** The raw answer to SNAPSHOT_QUERY. */
export interface RawSnapshot extends RawDetails, CityInfo {
  overview: Overview;
}

/** The state `cityScreen` pushes (a full frame's state fields, kept and patched by the screen). */
export interface RawScreen {
  overview: Overview;
  city: CityInfo & Omit<RawDetails, 'actionPlans'>;
  plans: Plan[];
}

/** One `cityScreen` frame: full (`baseSeq` null, the state set) or a patch of the state at `baseSeq`. */
export interface ScreenFrame extends Partial<{ [K in keyof RawScreen]: RawScreen[K] | null }> {
  seq: number;
  baseSeq: number | null;
  patch: unknown;
}

/** What a screen shows of a pushed state. */
export function toScreenSnapshot(raw: RawScreen): Snapshot {
  const { id, name, province, kind, timeZone, masterplans } = raw.city;
  const noPages: PlanPage = { pageInfo: { hasNextPage: false, endCursor: null }, edges: [] };
  return {
    city: { id, name, province, kind, timeZone, masterplans },
    overview: raw.overview,
    ...toDetails({ ...raw.city, actionPlans: noPages }, raw.plans),
  };
}

/** Flattens the connections of a details answer. */
export function toDetails(raw: RawDetails, morePlans: Plan[] = []): Details {
  return {
    agenda: (raw.agenda ?? []).slice(0, AGENDA_SIZE),
    reports: raw.reports.edges.map((e) => e.node).slice(0, FEED_SIZE),
    unverified: { totalCount: raw.unverified.totalCount, items: raw.unverified.edges.map((e) => e.node).slice(0, QUEUE_SIZE) },
    atRisk: raw.atRisk ? { totalCount: raw.atRisk.totalCount, items: raw.atRisk.edges.map((e) => e.node) } : { totalCount: 0, items: [] },
    programs: raw.programs,
    plans: [...raw.actionPlans.edges.map((e) => e.node), ...morePlans],
  };
}

/** A plan page's rows and where the next page starts. */
export type { PlanPage };
