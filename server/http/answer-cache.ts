import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/core';
import {
  Kind,
  OperationTypeNode,
  getNamedType,
  isObjectType,
  type DocumentNode,
  type FormattedExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { Context } from '../context';
import { readCityState } from '../events/sequence';
import type { Metrics } from '../observability/metrics';
import { declaredVariables } from '../graphql/pipeline';
import { todayIn } from '../util/dates';
import { isUuid } from '../util/ids';

/**
 * Whole answers to a city's dashboard queries, kept until the city changes (issue 9: the desk and
 * the screens open with the same query, which reads the overview and a hundred plans).
 *
 * An answer is reused only for the same query text, variables, operation, viewer (its permissions)
 * and language, while the city's sequence number and its today are those it was computed at: every
 * write in a city moves its sequence number (the outbox), so no answer outlives a change, and the
 * day is what late states and countdowns are computed for. The sequence number is read from the
 * database on every request (one statement), so a change made on another instance is seen at once.
 *
 * Only queries whose every field is in `CITY_STATE` are kept: fields that read nothing but the
 * city's own rows (whose every write is audited and so numbered), its today, the viewer's
 * permissions and the language. Anything else (people's names, tag catalogues, screens, the
 * assessment, other cities) is executed every time. Answers with errors are never kept.
 */

/** Type → the fields an answer may be kept for (`*`: all of them); test/unit/client-live-fields.test.ts checks each exists. */
export const CITY_STATE: Record<string, readonly string[] | '*'> = {
  Query: ['city'],
  City: [
    'id',
    'name',
    'province',
    'kind',
    'joinedYear',
    'timeZone',
    'version',
    'createdAt',
    'updatedAt',
    'archivedAt',
    'overview',
    'actionPlans',
    'atRiskActionPlans',
    'opds',
    'programs',
    'masterplans',
    'upcoming',
    'progressReports',
  ],
  CityOverview: '*',
  StateCounts: '*',
  DimensionProgress: '*',
  QuickWinProgress: '*',
  OpdProgress: '*',
  EvaluationVisit: '*',
  Deliverable: '*',
  ActionPlanConnection: '*',
  ActionPlanEdge: '*',
  PageInfo: '*',
  ActionPlan: [
    'id',
    'code',
    'title',
    'description',
    'dimension',
    'status',
    'state',
    'weight',
    'startDate',
    'dueDate',
    'progress',
    'expectedProgress',
    'verifiedProgress',
    'lastReportedAt',
    'forecast',
    'budget',
    'milestones',
    'ownerOpd',
    'supportingOpds',
    'program',
    'version',
    'createdAt',
    'updatedAt',
    'archivedAt',
  ],
  // The kiosk's agenda and report feed. Not the names of people (`ownerName`, `reporterName`,
  // `reviewerName`): a person renamed moves no city's seq.
  CalendarEntry: ['kind', 'date', 'startDate', 'endDate', 'daysAway', 'title', 'activityKind', 'done', 'ownerOpd', 'evaluationVisit'],
  ProgressReportConnection: '*',
  ProgressReportEdge: '*',
  ProgressReport: [
    'id',
    'actionPlanId',
    'actionPlan',
    'percent',
    'narrative',
    'obstacles',
    'reportedAt',
    'status',
    'reviewComment',
    'reviewedAt',
    'version',
    'createdAt',
    'updatedAt',
    'archivedAt',
  ],
  Milestone: '*',
  Budget: '*',
  ActionPlanForecast: '*',
  ForecastBasis: '*',
  Opd: '*',
  Program: '*',
  Masterplan: '*',
};

/** Where a query's city comes from: its `city(id:)` argument, a literal or a variable. */
export type CitySource = { literal: string } | { variable: string };

interface Answer {
  seq: number;
  today: string;
  result: FormattedExecutionResult;
  bytes: number;
}

export interface AnswerCacheOptions {
  /** At most this many answers (least recently used go first). */
  maxEntries?: number;
  /** At most this many bytes of answers (their JSON and their keys). */
  maxBytes?: number;
}

export class AnswerCache {
  private readonly sources = new WeakMap<DocumentNode, Map<string | undefined, CitySource | null>>();
  private readonly answers = new Map<string, Answer>();
  private bytes = 0;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly orm: MikroORM,
    options: AnswerCacheOptions = {},
    private readonly metrics?: Metrics,
  ) {
    this.maxEntries = options.maxEntries ?? 500;
    this.maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
  }

  /** The Apollo plugin (HTTP queries). */
  plugin(): ApolloServerPlugin<Context> {
    return {
      requestDidStart: async () => {
        let pending: { key: string; seq: number; today: string } | null = null;
        return {
          responseForOperation: async (request) => {
            const found = await this.lookup(request);
            if (!found) return null;
            if ('result' in found) {
              this.metrics?.answerCache('hit');
              return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: found.result } };
            }
            this.metrics?.answerCache('miss');
            pending = found;
            return null;
          },
          willSendResponse: async ({ response }) => {
            if (!pending || response.body.kind !== 'single') return;
            const result = response.body.singleResult;
            if (result.errors || result.data === undefined || (response.http.status ?? 200) !== 200) return;
            // The key counts too: variables can be long.
            this.keep(pending.key, {
              seq: pending.seq,
              today: pending.today,
              result,
              bytes: JSON.stringify(result).length + pending.key.length,
            });
          },
        };
      },
    };
  }

  /** The kept answer, or what to keep the answer under once executed, or null: not a query it keeps. */
  private async lookup(
    request: GraphQLRequestContext<Context>,
  ): Promise<{ result: FormattedExecutionResult } | { key: string; seq: number; today: string } | null> {
    const { document, operation, contextValue: ctx } = request;
    // Nobody reads a city without signing in: an anonymous request costs no statement here.
    if (!ctx.principal || !document || !operation || operation.operation !== OperationTypeNode.QUERY) return null;
    const source = this.sourceOf(document, operation);
    if (!source) return null;
    // Only the variables the operation declares can change its answer: the others are left out of
    // the key (a junk variable neither makes a new entry nor, deeply nested, breaks the key).
    const variables = declaredVariables(operation, request.request.variables);
    const cityId = 'literal' in source ? source.literal : variables[source.variable];
    if (typeof cityId !== 'string' || !isUuid(cityId)) return null;
    // Straight to the pool, no entity manager: a kept answer costs this one statement.
    const state = await readCityState(this.orm, cityId);
    // An unknown city: executed (and answered NOT_FOUND), never kept.
    if (!state) return null;
    const seq = state.seq;
    const today = todayIn(state.timeZone, ctx.now);
    const p = ctx.principal;
    const key = safeStringify([
      request.queryHash,
      request.request.operationName ?? null,
      variables,
      ctx.locale,
      [p.userId, p.role, p.cityId, p.cityIds, p.opdId, p.isScreen ?? false],
    ]);
    // A value too deep to write as a key (a declared variable whose input is nested beyond the
    // stack): not kept, executed (its coercion answers it).
    if (key === null) return null;
    const kept = this.answers.get(key);
    if (kept && kept.seq === seq && kept.today === today) {
      // Most recently used last.
      this.answers.delete(key);
      this.answers.set(key, kept);
      return { result: kept.result };
    }
    return { key, seq, today };
  }

  private keep(key: string, answer: Answer): void {
    if (answer.bytes > this.maxBytes / 8) return;
    this.drop(key);
    this.answers.set(key, answer);
    this.bytes += answer.bytes;
    for (const [oldest] of this.answers) {
      if (this.answers.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.drop(oldest);
    }
  }

  private drop(key: string): void {
    const old = this.answers.get(key);
    if (!old) return;
    this.answers.delete(key);
    this.bytes -= old.bytes;
  }

  /** Where the operation's one city comes from, when every field it selects is in `CITY_STATE`; else null. Once per document. */
  private sourceOf(document: DocumentNode, operation: OperationDefinitionNode): CitySource | null {
    let byOperation = this.sources.get(document);
    if (!byOperation) {
      byOperation = new Map();
      this.sources.set(document, byOperation);
    }
    const name = operation.name?.value;
    if (!byOperation.has(name)) byOperation.set(name, citySourceOf(this.schema, document, operation));
    return byOperation.get(name) ?? null;
  }
}

/**
 * Where the operation's one city comes from, when every field it selects is in `CITY_STATE` (the
 * answer may be kept until the city changes); else null (executed every time). Exported for the
 * test that the client's queries stay cacheable.
 */
export function citySourceOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  refused?: (why: string) => void,
): CitySource | null {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const query = schema.getQueryType();
  if (!query) return null;
  const sources: CitySource[] = [];
  const ok = allowed(schema, query, operation.selectionSet, fragments, refused, (field, args) => {
    if (field !== 'city') return;
    const id = args.find((a) => a.name === 'id')?.value;
    if (id?.kind === Kind.STRING) sources.push({ literal: id.value });
    else if (id?.kind === Kind.VARIABLE) sources.push({ variable: id.name.value });
    else sources.push({ literal: '' });
  });
  if (!ok || sources.length === 0) return null;
  // One city per answer: every `city` field names the same one.
  const first = JSON.stringify(sources[0]);
  return sources.every((s) => JSON.stringify(s) === first) ? sources[0]! : null;
}

/** Whether every field under `set` (fragments included) is in `CITY_STATE` (`refused` hears the first that is not); `onRoot` sees the root fields. */
function allowed(
  schema: GraphQLSchema,
  type: GraphQLObjectType,
  set: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  refused: ((why: string) => void) | undefined,
  onRoot?: (field: string, args: { name: string; value: ValueNode }[]) => void,
  seen = new Set<string>(),
): boolean {
  for (const selection of set.selections) {
    if (selection.directives?.some((d) => d.name.value !== 'include' && d.name.value !== 'skip')) {
      refused?.(`a directive on ${type.name}`);
      return false;
    }
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      if (name === '__typename') continue;
      const fields = CITY_STATE[type.name];
      if (!fields || (fields !== '*' && !fields.includes(name))) {
        refused?.(`${type.name}.${name}`);
        return false;
      }
      onRoot?.(
        name,
        (selection.arguments ?? []).map((a) => ({ name: a.name.value, value: a.value })),
      );
      const field = type.getFields()[name];
      if (!field) return false;
      const inner = getNamedType(field.type);
      if (selection.selectionSet) {
        if (!isObjectType(inner) || !allowed(schema, inner, selection.selectionSet, fragments, refused, undefined, seen)) return false;
      }
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
      if (on !== type || !allowed(schema, type, selection.selectionSet, fragments, refused, onRoot, seen)) return false;
    } else {
      const fragment = fragments.get(selection.name.value);
      if (!fragment || seen.has(fragment.name.value)) return false;
      if (schema.getType(fragment.typeCondition.name.value) !== type) return false;
      if (!allowed(schema, type, fragment.selectionSet, fragments, refused, onRoot, new Set([...seen, fragment.name.value]))) return false;
    }
  }
  return true;
}

/** `JSON.stringify`, or null for a value it cannot write (nested beyond the stack). */
function safeStringify(value: unknown): string | null {
  try {
    return JSON.stringify(value);
  } catch {
    return null;
  }
}
