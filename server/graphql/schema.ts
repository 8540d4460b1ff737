import 'reflect-metadata';
import { defaultFieldResolver, type GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { policy } from '../auth/policy';
import { guardExecution } from './pipeline';
import type { Context } from '../context';
import { ActionPlanCrudResolver, ActionPlanResolver, CityActionPlansResolver } from '../modules/action-plans/action-plan.resolver';
import { IndicatorCrudResolver, IndicatorResolver, MilestoneCrudResolver } from '../modules/action-plans/indicator.resolver';
import { CityCrudResolver, CityResolver } from '../modules/cities/city.resolver';
import { CityOverviewResolver } from '../modules/overview/overview.resolver';
import { CityCouncilResolver, CouncilCrudResolver, CouncilMemberCrudResolver, CouncilResolver } from '../modules/council/council.resolver';
import {
  ActivityCrudResolver,
  ActivityResolver,
  CityEvaluationResolver,
  EvaluationVisitCrudResolver,
  EvaluationVisitResolver,
} from '../modules/evaluation/evaluation.resolver';
import {
  CityMasterplanResolver,
  MasterplanCrudResolver,
  MasterplanResolver,
  ProgramCrudResolver,
  ProgramResolver,
} from '../modules/masterplan/masterplan.resolver';
import { CityOpdsResolver, OpdCrudResolver, OpdResolver } from '../modules/opds/opd.resolver';
import { ActionPlanReportsResolver, CityReportsResolver, ProgressResolver } from '../modules/progress/progress.resolver';
import {
  CityTeamResolver,
  TeamCrudResolver,
  TeamMemberCrudResolver,
  TeamMemberResolver,
  TeamResolver,
} from '../modules/teams/team.resolver';
import { UserResolver } from '../modules/users/user.resolver';
import { AuditResolver } from '../modules/audit/audit.resolver';
import { LiveResolver } from '../modules/live/live.resolver';
import { CityScreenResolver, ScreenCityResolver } from '../modules/live/screen.resolver';
import { UserAdminResolver, UserCrudResolver } from '../modules/users/user-admin.resolver';
import { ScreenTokenResolver } from '../modules/screens/screen-token.resolver';
import { CityRisksResolver, RiskCrudResolver, RiskResolver } from '../modules/risks/risk.resolver';
import {
  ActionPlanTagsResolver,
  IndicatorTagsResolver,
  TagCatalogResolver,
  TagFieldsResolver,
  TagResolver,
} from '../modules/tags/tag.resolver';
import { NationalResolver } from '../modules/national/national.resolver';
import { EvaluationFrameworkResolver, RubricItemResolver } from '../modules/monev/framework.resolver';
import { AssessmentItemResolver, CityAssessmentResolver, SelfAssessmentResolver } from '../modules/monev/assessment.resolver';
import { CityReadinessResolver } from '../modules/monev/readiness.resolver';
import {
  ActionPlanEvidenceResolver,
  AssessmentItemEvidenceResolver,
  CityEvidenceResolver,
  EvidenceAttachmentResolver,
  EvidenceResolver,
  ProgressReportEvidenceResolver,
} from '../modules/monev/evidence.resolver';

/** Every resolver class of the API. */
export const resolvers = [
  UserResolver,
  UserAdminResolver,
  UserCrudResolver,
  CityResolver,
  CityCrudResolver,
  CityOverviewResolver,
  CityOpdsResolver,
  OpdResolver,
  OpdCrudResolver,
  CityCouncilResolver,
  CouncilResolver,
  CouncilCrudResolver,
  CouncilMemberCrudResolver,
  CityTeamResolver,
  TeamResolver,
  TeamMemberResolver,
  TeamCrudResolver,
  TeamMemberCrudResolver,
  CityMasterplanResolver,
  MasterplanResolver,
  ProgramResolver,
  MasterplanCrudResolver,
  ProgramCrudResolver,
  CityActionPlansResolver,
  ActionPlanResolver,
  ActionPlanCrudResolver,
  IndicatorResolver,
  IndicatorCrudResolver,
  MilestoneCrudResolver,
  ActionPlanReportsResolver,
  CityReportsResolver,
  ProgressResolver,
  CityEvaluationResolver,
  ActivityCrudResolver,
  EvaluationVisitCrudResolver,
  ActivityResolver,
  EvaluationVisitResolver,
  AuditResolver,
  LiveResolver,
  CityScreenResolver,
  ScreenCityResolver,
  ScreenTokenResolver,
  CityRisksResolver,
  RiskCrudResolver,
  RiskResolver,
  TagResolver,
  TagCatalogResolver,
  TagFieldsResolver,
  ActionPlanTagsResolver,
  IndicatorTagsResolver,
  NationalResolver,
  EvaluationFrameworkResolver,
  RubricItemResolver,
  SelfAssessmentResolver,
  AssessmentItemResolver,
  CityAssessmentResolver,
  EvidenceResolver,
  EvidenceAttachmentResolver,
  AssessmentItemEvidenceResolver,
  ActionPlanEvidenceResolver,
  ProgressReportEvidenceResolver,
  CityEvidenceResolver,
  CityReadinessResolver,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- type-graphql's buildSchema takes resolver classes as NonEmptyArray<Function>
] as unknown as [Function, ...Function[]];

let cached: Promise<GraphQLSchema> | null = null;

/**
 * type-graphql wants a pub/sub for topic-based subscriptions; ours all bring their own `subscribe`
 * (see modules/live), so this one is never used and says so if it ever is.
 */
const topicPubSubUnused: PubSub = {
  publish() {
    throw new Error('topic subscriptions are not used: see modules/live');
  },
  subscribe() {
    throw new Error('topic subscriptions are not used: see modules/live');
  },
};

/**
 * Puts `policy.assertMayWrite` in front of every mutation, so a meeting-room screen (a read-only
 * screen token) is FORBIDDEN to run any of them — those added later too — before anything is
 * looked up or written. Each mutation still does its own checks for everybody else.
 */
function screensNeverWrite(schema: GraphQLSchema): GraphQLSchema {
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (source, args, context: Context, info) => {
      policy.assertMayWrite(context.principal);
      return resolve(source, args, context, info);
    };
  }
  return schema;
}

/**
 * `cityEvents` resolves each event to itself, synchronously. type-graphql makes every resolver with
 * arguments asynchronous, even with validation off (its argument validation is an async function),
 * so the one execution of an event was a promise that each of thousands of sockets waited for
 * (issue 9). With the same identity resolver the execution of an event's scalars completes at once
 * and its frame is written in the same pass as the event's delivery.
 */
function eventsResolveSynchronously(schema: GraphQLSchema): GraphQLSchema {
  const field = schema.getSubscriptionType()?.getFields().cityEvents;
  if (!field) throw new Error('the schema has no Subscription.cityEvents');
  field.resolve = (event: unknown) => event;
  return schema;
}

/** The GraphQL schema, built once per process from the decorated classes. */
export function getSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({ resolvers, validate: false, emitSchemaFile: false, pubSub: topicPubSubUnused })
    .then(screensNeverWrite)
    .then(eventsResolveSynchronously)
    .then(guardExecution);
  return cached;
}
