// How one GraphQL operation is parsed, validated, priced, bounded and its errors formatted — ONE
// definition for both transports: HTTP (Apollo, through `apolloOptions` and `apolloPlugin`) and
// WebSocket (graphql-ws, through `prepare`, `formatErrors` and `formatResult`), so that what one
// refuses the other refuses too, with the same codes and messages.
import type { ApolloServerPlugin } from '@apollo/server';
import {
  OperationTypeNode,
  defaultFieldResolver,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  isCompositeType,
  isListType,
  isObjectType,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLFieldResolver,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type ValidationRule,
} from 'graphql';
import type { Context } from '../context';
import { ErrorCode } from '../errors';
import { currentLocale, requestScope, t } from '../i18n';
import { indonesianGraphqlMessage } from './messages';
import { OperationBudget } from './budget';
import { limitError, operationLimitRules, parseOptions, pricedCost, tokenLimitError, type OperationLimits } from './limits';
import { answeredCost, budgetRefusal, refuseSlowly, workSubject } from './work-budget';

/** `extensions.code` of GraphQL's own failures before execution (Apollo's names). */
export const PARSE_FAILED = 'GRAPHQL_PARSE_FAILED';
export const VALIDATION_FAILED = 'GRAPHQL_VALIDATION_FAILED';
/** A malformed request (Apollo's name): no query, a batched body, a persisted query's hash that does not match… */
export const BAD_REQUEST = 'BAD_REQUEST';
/** An operation name that names no operation of the document (Apollo's name). */
export const OPERATION_RESOLUTION_FAILURE = 'OPERATION_RESOLUTION_FAILURE';

/** Options of the pipeline (the same settings the server starts with). */
export interface PipelineOptions {
  schema: GraphQLSchema;
  limits: OperationLimits;
  /** Hides internal details and "Did you mean" suggestions. */
  production: boolean;
  /** Allow `__schema` and `__type`. */
  introspection: boolean;
  /** Writes server-side error details (default: console.error). */
  logError?: (message: string, error: unknown) => void;
  /** Told the `extensions.code` of every error answered, on both transports (metrics and the request's log line). */
  onErrorCode?: (code: string) => void;
}

/** A request as both transports receive it. */
export interface OperationRequest {
  query: string;
  variables?: Readonly<Record<string, unknown>> | null | undefined;
  operationName?: string | null | undefined;
}

/** The limits a budget breaks while an operation runs (`extensions.limit`). */
const RUNTIME_LIMITS = new Set(['time', 'nodes']);

/**
 * Characters no input text may hold: the C0 controls but tab, line feed and carriage return. NUL
 * cannot be stored at all — PostgreSQL refuses it in text, SQLite (libsql) cuts a bound value at
 * it, and MikroORM 6 inlines parameters into the statement text (`formatQuery`), where a NUL ends
 * the statement; the other controls mean nothing in this domain and trouble logs, CSV and screens.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

/**
 * The input path of the first string in `value` holding a control character (`input.narrative`,
 * `input.evidenceUrls.2`), or null. Walks the coerced arguments: every String and ID, nested inputs
 * and lists included.
 */
export function controlCharacterPath(value: unknown, path: string): string | null {
  if (typeof value === 'string') return CONTROL_CHARACTERS.test(value) ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = controlCharacterPath(value[i], `${path}.${i}`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = controlCharacterPath(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Wraps every field resolver of the schema (once; introspection types aside) so that, before it
 * runs, its arguments hold no control character (BAD_USER_INPUT on the argument's path — checked
 * before any resolver reads or writes, so a NUL never reaches a database) and the operation's
 * budget is not spent; after it, what it returned is counted against the budget.
 */
export function guardExecution(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve ?? defaultFieldResolver;
      const returnsNodes = isCompositeType(getNamedType(field.type)) || isListType(getNullableType(field.type));
      const hasArgs = field.args.length > 0;
      const checkArgs = (args: Record<string, unknown>, context: Partial<Context> | undefined): void => {
        const bad = hasArgs ? controlCharacterPath(args, '') : null;
        if (bad)
          throw new GraphQLError(t('controlCharacter', {}, context?.locale), {
            extensions: { code: ErrorCode.BAD_USER_INPUT, field: bad },
          });
      };
      const subscribe = field.subscribe;
      if (subscribe) {
        field.subscribe = (source, args: Record<string, unknown>, context: Partial<Context> | undefined, info) => {
          const run = () => {
            checkArgs(args, context);
            return subscribe(source, args, context, info);
          };
          // Like `resolve` below: graphql-ws subscribes outside any scope, so its errors (NOT_FOUND…) need the socket's language.
          if (!context?.locale || requestScope.getStore()?.locale === context.locale) return run();
          return requestScope.run({ locale: context.locale, requestId: context.requestId ?? '' }, run);
        };
      }
      const guarded: GraphQLFieldResolver<unknown, Partial<Context> | undefined> = (
        source,
        args: Record<string, unknown>,
        context,
        info,
      ) => {
        checkArgs(args, context);
        const budget = context?.budget;
        if (!budget) return resolve(source, args, context, info);
        // A subscription's root field resolves once per event: each event gets the whole budget.
        if (info.operation.operation === OperationTypeNode.SUBSCRIPTION && info.path.prev === undefined) budget.restart();
        // A spent budget fails the field with a rejected promise, never a synchronous throw:
        // graphql-js 16 abandons the pending promises of a field's siblings when a non-null field
        // throws synchronously, and their own later budget errors would surface as unhandled
        // rejections. A rejected promise goes through the same Promise.all as its siblings.
        try {
          budget.check();
        } catch (error) {
          return Promise.reject(error);
        }
        const value = resolve(source, args, context, info);
        if (!returnsNodes) return value;
        if (value instanceof Promise) {
          return value.then((resolved: unknown) => {
            budget.count(resolved);
            return resolved;
          });
        }
        try {
          budget.count(value);
        } catch (error) {
          return Promise.reject(error);
        }
        return value;
      };
      // Messages are written in the request's language (`currentLocale()`). Over HTTP the request's
      // scope is already the context's; graphql-ws runs resolvers outside any scope, so each runs in one.
      field.resolve = (source, args, context: Partial<Context> | undefined, info) => {
        if (!context?.locale || requestScope.getStore()?.locale === context.locale) return guarded(source, args, context, info);
        return requestScope.run({ locale: context.locale, requestId: context.requestId ?? '' }, () => guarded(source, args, context, info));
      };
    }
  }
  return schema;
}

/** Refuses `__schema` and `__type` (when introspection is off), in the request's language. */
const noIntrospection: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value === '__schema' || node.name.value === '__type') {
      context.reportError(new GraphQLError(t('introspectionDisabled'), { nodes: [node], extensions: { code: VALIDATION_FAILED } }));
    }
  },
});

/** graphql-js's "Did you mean …?" tail, which would reveal the schema. */
const SUGGESTION = / ?Did you mean[\s\S]*\?$/;

function innermost(error: unknown): unknown {
  let current = error;
  for (let i = 0; i < 10 && current instanceof GraphQLError && current.originalError; i += 1) current = current.originalError;
  return current;
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  if (error.extensions.code) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes ?? null,
    source: error.source ?? null,
    positions: error.positions ?? null,
    path: error.path ?? null,
    originalError: error.originalError ?? null,
    extensions: { ...error.extensions, code },
  });
}

/** The values of the variables `operation` declares (the only ones execution reads). */
export function declaredVariables(
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): Record<string, unknown> {
  const declared: Record<string, unknown> = {};
  if (!variables) return declared;
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (Object.hasOwn(variables, name)) declared[name] = variables[name];
  }
  return declared;
}

/** Whether an error carries Apollo's HTTP status hint of a client error (4xx). */
function clientStatus(error: GraphQLError): boolean {
  const status = (error.extensions.http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** How many valid WebSocket documents are kept parsed. */
const MAX_DOCUMENTS = 500;

/** The shared pipeline of one server. */
export class OperationPipeline {
  /** `parse` options (the token limit). */
  readonly parseOptions: ParseOptions;
  /** The validation rules on top of graphql-js's own: depth, aliases, directives, and the introspection switch. */
  readonly extraRules: readonly ValidationRule[];
  /** graphql-js's rules and `extraRules`: what every operation is validated with. */
  readonly rules: readonly ValidationRule[];
  private readonly logError: (message: string, error: unknown) => void;
  /** Valid documents by query text, least recently used first (WebSocket operations). */
  private readonly documents = new Map<string, DocumentNode>();

  constructor(private readonly options: PipelineOptions) {
    this.parseOptions = parseOptions(options.limits);
    this.extraRules = [...operationLimitRules(options.limits), ...(options.introspection ? [] : [noIntrospection])];
    this.rules = [...specifiedRules, ...this.extraRules];
    this.logError = options.logError ?? ((message, error) => console.error(message, error));
  }

  /** Apollo's share of the pipeline: parse options, rules, error formatting, plugin. */
  apolloOptions(): {
    parseOptions: ParseOptions;
    validationRules: ValidationRule[];
    introspection: true;
    hideSchemaDetailsFromClientErrors: false;
    formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
    plugins: ApolloServerPlugin<Context>[];
  } {
    return {
      parseOptions: this.parseOptions,
      // Apollo adds graphql-js's own rules itself.
      validationRules: [...this.extraRules],
      // Introspection and suggestions are switched here, for both transports (`extraRules`, `formatError`).
      introspection: true,
      hideSchemaDetailsFromClientErrors: false,
      formatError: (formatted, error) => this.formatError(formatted, error),
      plugins: [this.apolloPlugin()],
    };
  }

  /**
   * Coerces the variables as execution will (defaults, types), prices the operation with them,
   * spends its cost from its subject's work budget, and gives a query or subscription its time and
   * size budget. The coercion errors (BAD_USER_INPUT), the cost error, the refusal of a spent work
   * budget (RATE_LIMITED), or null when the operation may run.
   */
  admit(
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: OperationRequest['variables'],
    context: Context,
  ): readonly GraphQLError[] | null {
    const coerced = getVariableValues(this.options.schema, operation.variableDefinitions ?? [], { ...variables }, { maxErrors: 50 });
    if (coerced.errors) return coerced.errors.map((e) => withCode(e, ErrorCode.BAD_USER_INPUT));
    const { maxCost } = this.options.limits;
    const cost = pricedCost(this.options.schema, document, operation, coerced.coerced, maxCost);
    if (cost > maxCost) return [limitError('cost', maxCost, null, operation)];
    context.operationCost = cost;
    // Its cost comes out of its subject's work budget (the operation itself was paid when it arrived).
    const refused = context.services.work?.trySpend(workSubject(context.principal, context.clientIp), cost);
    if (refused) return [refused];
    // A mutation is never cut off halfway (its writes would be committed while the answer said
    // "stopped"); its own input checks bound it, and the cost limit what it returns.
    if (operation.operation !== OperationTypeNode.MUTATION)
      context.budget = new OperationBudget(this.options.limits.maxMs, this.options.limits.maxNodes, context.locale);
    return null;
  }

  /**
   * Settles an operation's charge once its answer is known: what its priced cost (spent in
   * `admit`, an upper bound) exceeds the fields it answered goes back to its subject's budget, so
   * a page that asks for 20 plans with their indicators pays for the plans a city has, not for 20
   * with 50 indicators each. An answer with errors keeps its whole charge: how far it got before
   * failing (a broken time limit, a refusal) is not what its data shows.
   */
  settle(context: Context, result: { data?: unknown; errors?: readonly unknown[] }): void {
    const charged = context.operationCost;
    if (!charged || (result.errors?.length ?? 0) > 0) return;
    context.operationCost = 0;
    const used = answeredCost(result.data, charged);
    if (used < charged) context.services.work?.refund(workSubject(context.principal, context.clientIp), charged - used);
  }

  /** The Apollo plugin: `admit` once the operation is known, before it runs; a broken budget answers its one error. */
  apolloPlugin(): ApolloServerPlugin<Context> {
    return {
      requestDidStart: async () => ({
        didResolveOperation: async ({ document, operation, request, contextValue }) => {
          if (!operation) return;
          const errors = this.admit(document, operation, request.variables, contextValue);
          // Variables that don't coerce: execution answers them (400 BAD_USER_INPUT), nothing runs.
          if (!errors || errors[0]?.extensions.code === ErrorCode.BAD_USER_INPUT) return;
          const [error] = errors;
          // A limit answers 400; a spent work budget keeps its own 429 and Retry-After, after a while.
          const refusal = new GraphQLError(error!.message, {
            nodes: error!.nodes ?? null,
            extensions: { ...error!.extensions, http: error!.extensions.http ?? { status: 400 } },
          });
          if (budgetRefusal(errors) !== null) await refuseSlowly(refusal);
          throw refusal;
        },
        willSendResponse: async ({ response, contextValue }) => {
          if (response.body.kind !== 'single') return;
          this.settle(contextValue, response.body.singleResult);
          const broken = response.body.singleResult.errors?.find((e) => RUNTIME_LIMITS.has(String(e.extensions?.limit)));
          if (broken)
            response.body.singleResult = { data: null, errors: [{ message: broken.message, extensions: broken.extensions ?? {} }] };
        },
      }),
    };
  }

  /**
   * graphql-ws's share: parses, validates, admits and builds the context of one operation; the
   * execution arguments, or the errors to answer (always with `extensions.code`). A failure while
   * building the context is INTERNAL, like any other, and the socket stays open.
   */
  async prepare(
    request: OperationRequest,
    makeContext: () => Context | Promise<Context>,
  ): Promise<ExecutionArgs | readonly GraphQLError[]> {
    // A document already parsed and validated is reused: a thousand screens subscribing with the
    // same query share one (immutable) syntax tree, parsed and validated once.
    let document = this.documents.get(request.query);
    if (document) {
      this.documents.delete(request.query);
      this.documents.set(request.query, document);
    } else {
      try {
        document = parse(request.query, this.parseOptions);
      } catch (error) {
        return [
          error instanceof GraphQLError
            ? withCode(error, PARSE_FAILED)
            : new GraphQLError(String(error), { extensions: { code: PARSE_FAILED } }),
        ];
      }
      const invalid = validate(this.options.schema, document, this.rules);
      if (invalid.length > 0) return invalid.map((e) => withCode(e, VALIDATION_FAILED));
      this.documents.set(request.query, document);
      if (this.documents.size > MAX_DOCUMENTS) this.documents.delete(this.documents.keys().next().value as string);
    }
    const operation = getOperationAST(document, request.operationName ?? undefined);
    if (!operation) {
      const message = request.operationName
        ? `Unknown operation named "${request.operationName}".`
        : 'Must provide operation name if query contains multiple operations.';
      return [new GraphQLError(message, { extensions: { code: OPERATION_RESOLUTION_FAILURE } })];
    }
    try {
      const contextValue = await makeContext();
      const refused = this.admit(document, operation, request.variables, contextValue);
      if (refused) return refused;
      // Only the declared variables go on (execution reads no other): shared subscriptions key on
      // them, and a junk one (deeply nested) must neither split a share nor break its key.
      return {
        schema: this.options.schema,
        document,
        contextValue,
        ...(request.variables ? { variableValues: declaredVariables(operation, request.variables) } : {}),
        ...(request.operationName ? { operationName: request.operationName } : {}),
      };
    } catch (error) {
      // An error meant for the client keeps its code; anything else becomes INTERNAL in `formatError`.
      return [
        error instanceof GraphQLError
          ? error
          : new GraphQLError('internal', { originalError: error instanceof Error ? error : new Error(String(error)) }),
      ];
    }
  }

  /**
   * Formats one error for the client, on both transports. Only errors meant for the client (a
   * GraphQLError all the way down, with a code) keep their message; anything else — a database
   * error in a resolver, in building the context or in a plugin — is INTERNAL with the catalogue's
   * message, and its detail only outside production. In production no "Did you mean" suggestion is
   * left (validation and variable errors alike). graphql-js's own (English) messages are translated
   * when the request asks for Indonesian (`graphql-messages.ts`), the English in `extensions.originalMessage`. `extensions.http` (Apollo's status hint) never
   * leaves the server.
   */
  formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
    const cause = innermost(error);
    let code = formatted.extensions?.code;
    // Apollo's own request errors without a code but with a 4xx status (a persisted query's hash
    // that does not match its text, an unsupported persisted query version) are the client's
    // mistake: BAD_REQUEST like Apollo's other malformed requests, not INTERNAL, and not logged.
    if (cause instanceof GraphQLError && !cause.extensions.code && clientStatus(cause)) code = BAD_REQUEST;
    if (!(cause instanceof GraphQLError) || code === undefined || code === 'INTERNAL_SERVER_ERROR' || code === ErrorCode.INTERNAL) {
      this.logError('GraphQL error', cause);
      this.options.onErrorCode?.(ErrorCode.INTERNAL);
      return {
        message: t('internal'),
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: {
          code: ErrorCode.INTERNAL,
          ...(this.options.production ? {} : { detail: cause instanceof Error ? cause.message : String(cause) }),
        },
      };
    }
    this.options.onErrorCode?.(typeof code === 'string' ? code : 'UNKNOWN');
    // graphql-js stops parsing at the token limit with an English syntax error; say it like the other limits.
    const tokens = code === PARSE_FAILED ? tokenLimitError(formatted) : null;
    const { http: _http, ...extensions }: Record<string, unknown> = { ...formatted.extensions, ...tokens?.extensions, code };
    let message = tokens?.message ?? formatted.message;
    if (this.options.production) message = message.replace(SUGGESTION, '');
    // graphql-js speaks English only: its validation, coercion and syntax messages get their
    // Indonesian here (both transports), the English kept in `extensions.originalMessage`.
    const indonesian = currentLocale() === 'id' ? indonesianGraphqlMessage(message) : null;
    if (indonesian !== null) {
      extensions.originalMessage = message;
      message = indonesian;
    }
    return { ...formatted, message, extensions };
  }

  /** `formatError` for graphql-ws (errors before execution). */
  formatErrors(errors: readonly GraphQLError[]): GraphQLFormattedError[] {
    return errors.map((e) => this.formatError(e.toJSON(), e));
  }

  /** An execution result for graphql-ws: errors formatted; a broken budget answers its one error. Unchanged without errors. */
  formatResult(result: ExecutionResult): FormattedExecutionResult | undefined {
    if (!result.errors?.length) return undefined;
    const broken = result.errors.find((e) => RUNTIME_LIMITS.has(String(e.extensions.limit)));
    if (broken) return { data: null, errors: [{ message: broken.message, extensions: broken.extensions }] };
    // Field by field, so that nothing but the formatted errors travels.
    return {
      ...(result.data === undefined ? {} : { data: result.data }),
      errors: this.formatErrors(result.errors),
      ...(result.extensions ? { extensions: result.extensions } : {}),
    };
  }
}
