// What the setup pages read: the objects as the API returns them, the queries, and the city
// events that make an open page read again.
import { graphql, type ResultOf } from '../../api/document';
import type { PlanState } from '../../i18n';
import type { DeskCtx } from '../lib';

/** Props every part of the setup page gets: the session, a counter that changes when the city changed, and a reload. */
export interface PartProps {
  ctx: DeskCtx;
  tick: number;
  reload: () => void;
}

export const DIMENSIONS = ['GOVERNANCE', 'BRANDING', 'ECONOMY', 'LIVING', 'SOCIETY', 'ENVIRONMENT'] as const;
/** One of the programme's six dimensions. */
export type Dimension = (typeof DIMENSIONS)[number];

export const PROFILE_QUERY = graphql(`
  query SetupCity($city: ID!) {
    city(id: $city) {
      id
      version
      name
      province
      kind
      timeZone
      joinedYear
    }
  }
`);
export type CityProfile = ResultOf<typeof PROFILE_QUERY>['city'];

export const OPDS_QUERY = graphql(`
  query SetupOpds($city: ID!) {
    city(id: $city) {
      opds {
        id
        version
        name
        abbreviation
        head
        leadingSector
        actionPlans(first: 0) {
          totalCount
        }
      }
    }
  }
`);
export type OpdRow = ResultOf<typeof OPDS_QUERY>['city']['opds'][number];

export interface CouncilMemberRow {
  id: string;
  version: number;
  name: string;
  position: string;
  organisation: string | null;
  category: string;
}
export interface CouncilRow {
  id: string;
  version: number;
  name: string;
  decreeNumber: string | null;
  decreeDate: string | null;
}
/** A page of a council's members. */
export interface MemberPage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: CouncilMemberRow }[];
}
export interface TeamMemberRow {
  id: string;
  version: number;
  name: string;
  position: string | null;
  role: string;
  opd: { id: string } | null;
}
export interface TeamRow {
  id: string;
  version: number;
  name: string;
  decreeNumber: string | null;
  decreeDate: string | null;
  members: TeamMemberRow[];
}
const MEMBER_FIELDS = 'id version name position organisation category';
export const PEOPLE_QUERY = `query SetupPeople($city: ID!) { city(id: $city) {
  opds { id name abbreviation }
  councils { id version name decreeNumber decreeDate }
  teams { id version name decreeNumber decreeDate members { id version name position role opd { id } } }
} }`;
/** A council's members, 50 at a time (the most one request may cost; Tanjungpinang's council has 130). */
export const MEMBERS_QUERY = `query SetupMembers($city: ID!, $after: String) { city(id: $city) { councils { id members(first: 50, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { ${MEMBER_FIELDS} } }
} } } }`;

export interface MasterplanRow {
  id: string;
  version: number;
  title: string;
  startYear: number;
  endYear: number;
  vision: string | null;
  programs: ProgramRow[];
}
export interface ProgramRow {
  id: string;
  version: number;
  name: string;
  dimension: Dimension;
  description: string | null;
  quickWin: boolean;
  quickWinYear: number | null;
  progress: number;
}
export interface IndicatorRow {
  id: string;
  version: number;
  name: string;
  unit: string;
  baseline: number;
  target: number;
  direction: 'INCREASE' | 'DECREASE';
  frequency: 'MONTHLY' | 'QUARTERLY' | 'YEARLY' | null;
  latestValue: { period: string; value: number } | null;
  tags: { id: string }[];
}
export interface MilestoneRow {
  id: string;
  version: number;
  title: string;
  dueDate: string;
  doneDate: string | null;
}
export interface PlanRow {
  id: string;
  version: number;
  title: string;
  code: string | null;
  description: string | null;
  status: 'ACTIVE' | 'ON_HOLD' | 'CANCELLED';
  dimension: Dimension;
  startDate: string;
  dueDate: string;
  weight: number;
  budget: { amount: number; source: string | null } | null;
  progress: number;
  state: PlanState;
  program: { id: string };
  ownerOpd: { id: string };
  supportingOpds: { id: string }[];
  tags: { id: string }[];
  indicators: IndicatorRow[];
  milestones: MilestoneRow[];
}
export interface TagCatalogRow {
  code: string;
  name: string;
  tags: { id: string; code: string; name: string }[];
}
export interface TreeData {
  today: string;
  dimensions: { dimension: Dimension; label: string }[];
  opds: { id: string; name: string; abbreviation: string }[];
  masterplans: MasterplanRow[];
  plans: PlanRow[];
  catalogs: TagCatalogRow[];
}
export const TREE_QUERY = `query SetupTree($city: ID!) {
  tagCatalogs { code name tags { id code name } }
  city(id: $city) {
    opds { id name abbreviation }
    overview { today dimensions { dimension label } }
    masterplans { id version title startYear endYear vision programs { id version name dimension description quickWin quickWinYear progress } }
  }
}`;
/** The plans, 20 at a time (the most one request may cost with their indicators and milestones). */
export const TREE_PLANS_QUERY = `query SetupPlans($city: ID!, $after: String) { city(id: $city) { actionPlans(first: 20, after: $after) {
  pageInfo { hasNextPage endCursor }
  edges { node {
    id version title code description status dimension startDate dueDate weight budget { amount source } progress state
    program { id } ownerOpd { id } supportingOpds { id } tags { id }
    indicators { id version name unit baseline target direction frequency latestValue { period value } tags { id } }
    milestones { id version title dueDate doneDate }
  } }
} } }`;

export const CALENDAR_QUERY = graphql(`
  query SetupCalendar($city: ID!) {
    city(id: $city) {
      opds {
        id
        name
        abbreviation
      }
      overview {
        today
      }
      activities(first: 100) {
        totalCount
        edges {
          node {
            id
            version
            kind
            title
            phase
            startDate
            endDate
            place
            outcome
            ownerName
            ownerOpd {
              id
            }
            deliverables {
              title
              dueDate
              done
            }
          }
        }
      }
      evaluationVisits {
        id
        version
        year
        evaluator
        startDate
        endDate
        agenda
        ownerName
        ownerOpd {
          id
        }
        deliverables {
          title
          dueDate
          done
        }
      }
    }
  }
`);
type CalendarCity = ResultOf<typeof CALENDAR_QUERY>['city'];
export type ActivityRow = CalendarCity['activities']['edges'][number]['node'];
export type VisitRow = CalendarCity['evaluationVisits'][number];
export type Deliverable = ActivityRow['deliverables'][number];

/** The objects the setup pages show; a change to any of them (by anyone) makes an open page read again. */
const ENTITIES = [
  'CITY',
  'OPD',
  'COUNCIL',
  'COUNCIL_MEMBER',
  'TEAM',
  'TEAM_MEMBER',
  'MASTERPLAN',
  'PROGRAM',
  'ACTION_PLAN',
  'ACTION_PLAN_TAG',
  'INDICATOR',
  'INDICATOR_TAG',
  'MILESTONE',
  'ACTIVITY',
  'EVALUATION_VISIT',
];
/** The city event kinds the setup pages follow. */
export const SETUP_EVENT_KINDS = [
  ...ENTITIES.flatMap((e) => [`${e}_CREATED`, `${e}_UPDATED`, `${e}_ARCHIVED`]),
  'PROGRESS_REPORTED',
  'INDICATOR_VALUE_RECORDED',
  // A spreadsheet import: one event for all its rows.
  'MASTERPLAN_IMPORTED',
];
