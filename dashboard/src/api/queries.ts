// The operations the screen sends and the shapes it reads: the whole screen pushed over graphql-ws
// (`cityScreen`), and the same fields as one snapshot query over HTTP (while the socket is down).
import { graphql, type ResultOf } from './document';
import type {
  HistoryPlans,
  LayarAgendaItemFragment,
  LayarAtRiskFragment,
  LayarCityFragment,
  LayarDetailListsFragment,
  LayarOverviewFragment,
  LayarPlanFragment,
  LayarPlanPageFragment,
  LayarProgramFragment,
  LayarReportFragment,
  LayarScreenCityFragment,
  ProgressBasis,
} from './operations.generated';

/** Which reports a progress figure counts: all, or verified ones only (GraphQL `ProgressBasis`). */
export type Basis = ProgressBasis;

/** Six dimensions, as the API names them. */
export type { Dimension } from './operations.generated';

/** `CityOverview`, the part the screen shows. */
export type Overview = LayarOverviewFragment;

/** A late plan as the overview lists it. */
export type LatePlan = Overview['lateActionPlans'][number];

/** A plan forecast to be late (`City.atRiskActionPlans`): not late yet, done after its due date at its recent pace; a null `expectedCompletion`/`daysLate`: the plan does not move. */
export type AtRiskPlan = LayarAtRiskFragment;

/** A progress report in the feed or the verification queue. */
export type Report = LayarReportFragment;

/** An action plan, for the OPD and Dimensi views and to name a report's plan and OPD. */
export type Plan = LayarPlanFragment;

/** A program of the masterplan. */
export type Program = LayarProgramFragment;

/** The city itself. */
export type CityInfo = LayarCityFragment;

/** One line of the programme calendar (`City.upcoming`): an activity, a visit or a deliverable. */
export type AgendaItem = LayarAgendaItemFragment;

/** How many agenda lines the screen shows (the documents below ask for as many). */
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

/** How many reports the feed holds (the feed never grows beyond this; the documents ask for as many). */
export const FEED_SIZE = 8;
/** How many unverified reports and late plans the screen reads. */
export const QUEUE_SIZE = 50;
/** How many plans forecast late the screen reads (a page's most). */
export const AT_RISK_SIZE = 100;
/** Pages of 100 plans read at most (500 plans). */
export const MAX_PLAN_PAGES = 5;

// The counts in the texts are the constants above (test/unit/client-types.test.ts checks them): a
// document is one literal, so that codegen reads it.
/** The overview as the screen reads it (the bench's subscribers select it too). */
export const OVERVIEW = graphql(`
  fragment LayarOverview on CityOverview {
    seq
    asOf
    today
    progress
    daysToNextEvaluation
    counts {
      done
      onTrack
      late
      notStarted
      total
    }
    dimensions {
      dimension
      label
      progress
      actionPlanCount
      lateCount
    }
    quickWins {
      id
      name
      dimension
      progress
      year
      actionPlanCount
    }
    opds {
      id
      name
      abbreviation
      progress
      actionPlanCount
      lateCount
    }
    nextEvaluationVisit {
      startDate
      endDate
      evaluator
    }
    lateActionPlans(first: 50) {
      id
      title
      code
      dueDate
      progress
      expectedProgress
      ownerOpd {
        id
        abbreviation
        name
      }
    }
  }
`);

const REPORT = graphql(`
  fragment LayarReport on ProgressReport {
    id
    actionPlanId
    percent
    narrative
    reportedAt
    status
  }
`);
const PLAN = graphql(`
  fragment LayarPlan on ActionPlan {
    id
    title
    code
    dimension
    state
    progress
    dueDate
    program {
      id
    }
    ownerOpd {
      id
      abbreviation
    }
  }
`);
const PLAN_PAGE = graphql(`
  fragment LayarPlanPage on ActionPlanConnection {
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        ...LayarPlan
      }
    }
  }
`);
const AT_RISK = graphql(`
  fragment LayarAtRisk on ActionPlan {
    id
    title
    dueDate
    progress
    forecast {
      expectedCompletion
      daysLate
    }
    ownerOpd {
      id
      abbreviation
    }
  }
`);
const AGENDA_ITEM = graphql(`
  fragment LayarAgendaItem on CalendarEntry {
    kind
    date
    daysAway
    title
    activityKind
    done
    ownerOpd {
      abbreviation
    }
  }
`);
const PROGRAM = graphql(`
  fragment LayarProgram on Program {
    id
    name
    dimension
    quickWin
    progress
  }
`);
const CITY = graphql(`
  fragment LayarCity on City {
    id
    name
    province
    kind
    timeZone
    masterplans {
      title
      startYear
      endYear
    }
  }
`);

/** What changes with reports, but the plans (read in pages over HTTP, listed whole by `cityScreen`). */
const DETAIL_LISTS = graphql(`
  fragment LayarDetailLists on City {
    agenda: upcoming(days: 366, first: 3) {
      ...LayarAgendaItem
    }
    reports: progressReports(first: 8) {
      edges {
        node {
          ...LayarReport
        }
      }
    }
    unverified: progressReports(first: 50, status: SUBMITTED) {
      totalCount
      edges {
        node {
          ...LayarReport
        }
      }
    }
    atRisk: atRiskActionPlans(first: 100) {
      totalCount
      edges {
        node {
          ...LayarAtRisk
        }
      }
    }
    programs {
      ...LayarProgram
    }
  }
`);

/** The screen's city (`cityScreen.city`): LayarCity and LayarDetailLists on another type (the test checks they agree). */
const SCREEN_CITY = graphql(`
  fragment LayarScreenCity on ScreenCity {
    id
    name
    province
    kind
    timeZone
    masterplans {
      title
      startYear
      endYear
    }
    agenda: upcoming(days: 366, first: 3) {
      ...LayarAgendaItem
    }
    reports: progressReports(first: 8) {
      edges {
        node {
          ...LayarReport
        }
      }
    }
    unverified: progressReports(first: 50, status: SUBMITTED) {
      totalCount
      edges {
        node {
          ...LayarReport
        }
      }
    }
    atRisk: atRiskActionPlans(first: 100) {
      totalCount
      edges {
        node {
          ...LayarAtRisk
        }
      }
    }
    programs {
      ...LayarProgram
    }
  }
`);

/** The whole snapshot of a city. */
export const SNAPSHOT_QUERY = graphql(
  `
    query LayarSnapshot($id: ID!, $basis: ProgressBasis = ALL) {
      city(id: $id) {
        ...LayarCity
        overview(basis: $basis) {
          ...LayarOverview
        }
        ...LayarDetailLists
        actionPlans(first: 100) {
          ...LayarPlanPage
        }
      }
    }
  `,
  CITY,
  OVERVIEW,
  DETAIL_LISTS,
  AGENDA_ITEM,
  REPORT,
  AT_RISK,
  PROGRAM,
  PLAN_PAGE,
  PLAN,
);

/** Further pages of plans, for cities with more than 100. */
export const MORE_PLANS_QUERY = graphql(
  `
    query LayarPlans($id: ID!, $after: String) {
      city(id: $id) {
        actionPlans(first: 100, after: $after) {
          ...LayarPlanPage
        }
      }
    }
  `,
  PLAN_PAGE,
  PLAN,
);

/**
 * The whole screen, pushed (`cityScreen`): a full frame first (`baseSeq` null: the same fields as
 * SNAPSHOT_QUERY, the plans listed whole), then one patch of it per change (`patch`, applied with
 * server/realtime/state-patch.ts to the frame's `overview`, `city` and `plans`).
 */
export const SCREEN_SUBSCRIPTION = graphql(
  `
    subscription LayarScreen($id: ID!, $basis: ProgressBasis = ALL) {
      cityScreen(cityId: $id, basis: $basis) {
        seq
        baseSeq
        patch
        overview {
          ...LayarOverview
        }
        city {
          ...LayarScreenCity
        }
        plans {
          ...LayarPlan
        }
      }
    }
  `,
  OVERVIEW,
  SCREEN_CITY,
  AGENDA_ITEM,
  REPORT,
  AT_RISK,
  PROGRAM,
  PLAN,
);

/** Progress over time (City.progressHistory). */
export const HISTORY_QUERY = graphql(`
  query LayarHistory($id: ID!, $from: String, $interval: HistoryInterval, $basis: ProgressBasis = ALL, $plans: HistoryPlans = ALL) {
    city(id: $id) {
      progressHistory(from: $from, interval: $interval, basis: $basis, plans: $plans) {
        interval
        plans
        periodFrom
        points
        city
        joined
        dimensions {
          dimension
          label
          values
        }
      }
    }
  }
`);

/** Which plans the Tren chart counts: this masterplan period's (the wall's default) or all. */
export type TrendPlans = HistoryPlans;

/** `City.progressHistory` as the Tren view reads it. */
export type History = ResultOf<typeof HISTORY_QUERY>['city']['progressHistory'];

/** Who is logged in (the desk). */
export const ME_QUERY = graphql(`
  query LayarMe {
    me {
      id
      name
      email
      role
      cityId
    }
    cities {
      id
      name
    }
  }
`);

/** Logs a person in. */
export const LOGIN_MUTATION = graphql(`
  mutation LayarLogin($input: LoginInput!) {
    login(input: $input) {
      token
    }
  }
`);

/** A plan page's rows and where the next page starts. */
export type PlanPage = LayarPlanPageFragment;

/** The detail part of the raw answer to SNAPSHOT_QUERY (older screens kept snapshots without `agenda` and `atRisk`). */
export type RawDetails = Omit<LayarDetailListsFragment, 'agenda' | 'atRisk'> &
  Partial<Pick<LayarDetailListsFragment, 'agenda' | 'atRisk'>> & { actionPlans: PlanPage };

/** The state `cityScreen` pushes (a full frame's state fields, kept and patched by the screen). */
export interface RawScreen {
  overview: Overview;
  city: LayarScreenCityFragment;
  plans: Plan[];
}

/** One `cityScreen` frame: full (`baseSeq` null, the state set) or a patch of the state at `baseSeq`. */
export type ScreenFrame = ResultOf<typeof SCREEN_SUBSCRIPTION>['cityScreen'];

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
