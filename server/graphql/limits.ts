// Operation limits: how deep, wide and expensive one GraphQL operation may be. Depth, aliases and
// directives are plain graphql-js validation rules, tokens a parse option; the cost is priced once
// the variables are known (a variable's default is not what runs). `pipeline.ts` applies all of
// them, the same way, to HTTP (Apollo) and WebSocket (graphql-ws) operations.
//
// Why our own cost code and not `graphql-query-complexity` (installed, maintained, prices with
// variables too): its estimators see a field and its children's total but not the path, so our
// rule "introspection lists multiply only when they recurse" cannot be said; it walks every
// fragment spread without memo or budget (a 60-level fragment bomb is 2^60 spreads: it stops only
// at its own `maxQueryNodes` guard, with its own English error); and pricing with variables here
// is a few lines (`operationCost(…, variables)`), while the README's cost model stays unchanged.
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isListType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  typeFromAST,
  validate,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from 'graphql';
import { t, type MessageKey } from '../i18n';

/** How much one operation may ask for. */
export interface OperationLimits {
  /** Deepest field nesting (fragments followed; `__Type.ofType` chains don't count, see `operationDepth`). */
  maxDepth: number;
  /** Aliased fields in one operation, fragments expanded. */
  maxAliases: number;
  /** Directives used in one operation, fragments expanded. */
  maxDirectives: number;
  /** Lexical tokens in the whole document (graphql-js stops parsing beyond it). */
  maxTokens: number;
  /** Estimated cost of one operation, priced with its variables (see `operationCost`). */
  maxCost: number;
  /** Wall-clock budget of one query or subscription event, in milliseconds (fields resolved later fail). */
  maxMs: number;
  /** Objects and list items one query or subscription event may return (counted while it runs). */
  maxNodes: number;
}

/** The defaults; each is overridable through the environment (server/env.ts). */
export const DEFAULT_LIMITS: Readonly<OperationLimits> = Object.freeze({
  maxDepth: 12,
  maxAliases: 30,
  maxDirectives: 20,
  maxTokens: 5_000,
  maxCost: 20_000,
  maxMs: 10_000,
  maxNodes: 50_000,
});

/** Rows a connection returns when `first` is not given (as the resolvers do). */
export const COST_DEFAULT_PAGE = 20;
/** Rows a plain list is assumed to hold. */
export const COST_LIST_SIZE = 20;
/** Rows assumed when `first` is a variable without a default: the most a page may hold (worst case). */
export const COST_VARIABLE_PAGE = 100;

/** Which limit an operation broke (`extensions.limit`). */
export type LimitName = 'depth' | 'aliases' | 'directives' | 'cost' | 'tokens' | 'time' | 'nodes';

/** `extensions.code` of a limit error: the standard code of validation failures (Apollo's, too). */
export const LIMIT_ERROR_CODE = 'GRAPHQL_VALIDATION_FAILED';

const messageKeys: Record<LimitName, MessageKey> = {
  depth: 'limitDepth',
  aliases: 'limitAliases',
  directives: 'limitDirectives',
  cost: 'limitCost',
  tokens: 'limitTokens',
  time: 'limitTime',
  nodes: 'limitNodes',
};

/** A limit error in the request's language, with `extensions.code`, `limit` and `max`. */
export function limitError(limit: LimitName, max: number, actual: number | null, node?: OperationDefinitionNode): GraphQLError {
  const message = t(messageKeys[limit], { max, actual: actual ?? '' });
  return new GraphQLError(message, {
    ...(node ? { nodes: [node] } : {}),
    extensions: { code: LIMIT_ERROR_CODE, limit, max, ...(actual === null ? {} : { actual }) },
  });
}

/** `parse` options enforcing the token limit (Apollo: `parseOptions`; graphql-ws: parse with them). */
export function parseOptions(limits: Pick<OperationLimits, 'maxTokens'>): ParseOptions {
  return { maxTokens: limits.maxTokens };
}

/** graphql-js's message for a document over `maxTokens` (16.x spells it "more that"). */
const TOKEN_LIMIT_MESSAGE = /^Syntax Error: Document contains more (?:than|that) (\d+) tokens\. Parsing aborted\.$/;

/**
 * When `error` is graphql-js's "too many tokens" syntax error, the same error as a limit error
 * (localised message, `extensions.limit = 'tokens'` and `max`); otherwise null. The caller keeps
 * its own `extensions.code` (Apollo answers parse failures with GRAPHQL_PARSE_FAILED).
 */
export function tokenLimitError(error: { message: string }): GraphQLError | null {
  const match = TOKEN_LIMIT_MESSAGE.exec(error.message);
  return match ? limitError('tokens', Number(match[1]), null) : null;
}

type Fragments = (name: string) => FragmentDefinitionNode | undefined;

function fragmentLookup(context: ValidationContext): Fragments {
  return (name) => context.getFragment(name) ?? undefined;
}

/** Sums a per-selection count over an operation with its fragments expanded (memoised per fragment; cycles count 0). */
function countExpanded(
  operation: OperationDefinitionNode,
  fragments: Fragments,
  own: (node: FieldNode | SelectionSetNode['selections'][number]) => number,
): number {
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const inSet = (set: SelectionSetNode | undefined): number => {
    if (!set) return 0;
    let total = 0;
    for (const selection of set.selections) {
      total += own(selection);
      if (selection.kind === Kind.FIELD || selection.kind === Kind.INLINE_FRAGMENT) {
        total += inSet(selection.selectionSet);
      } else {
        total += inFragment(selection.name.value);
      }
    }
    return total;
  };
  const inFragment = (name: string): number => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    const fragment = fragments(name);
    if (!fragment || visiting.has(name)) return 0;
    visiting.add(name);
    const total = (fragment.directives?.length ?? 0) + inSet(fragment.selectionSet);
    visiting.delete(name);
    memo.set(name, total);
    return total;
  };
  return inSet(operation.selectionSet);
}

/**
 * Depth of an operation: a field is 1 deeper than the field it sits in; fragments are followed
 * (memoised; a cycle adds nothing). `__schema` and `__type` count like any field. The one
 * exception is `ofType` on `__Type`: a type reference's wrapper chain (`[Int!]!` is three levels)
 * never fans out, and the standard introspection query that GraphiQL sends nests it nine deep
 * (depth 15 counted naively); it adds no depth.
 */
export function operationDepth(operation: OperationDefinitionNode, fragments: Fragments): number {
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const inSet = (set: SelectionSetNode | undefined): number => {
    if (!set) return 0;
    let deepest = 0;
    for (const selection of set.selections) {
      let depth: number;
      if (selection.kind === Kind.FIELD) {
        depth = (selection.name.value === 'ofType' ? 0 : 1) + inSet(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        depth = inSet(selection.selectionSet);
      } else {
        depth = inFragment(selection.name.value);
      }
      if (depth > deepest) deepest = depth;
    }
    return deepest;
  };
  const inFragment = (name: string): number => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    const fragment = fragments(name);
    if (!fragment || visiting.has(name)) return 0;
    visiting.add(name);
    const depth = inSet(fragment.selectionSet);
    visiting.delete(name);
    memo.set(name, depth);
    return depth;
  };
  return inSet(operation.selectionSet);
}

/** Aliased fields in an operation, fragments expanded (a fragment spread twice counts twice). */
export function operationAliases(operation: OperationDefinitionNode, fragments: Fragments): number {
  return countExpanded(operation, fragments, (s) => (s.kind === Kind.FIELD && s.alias ? 1 : 0));
}

/** Directives in an operation (on the operation, its variables, fields, fragments and spreads), fragments expanded. */
export function operationDirectives(operation: OperationDefinitionNode, fragments: Fragments): number {
  const onOperation =
    (operation.directives?.length ?? 0) + (operation.variableDefinitions ?? []).reduce((n, v) => n + (v.directives?.length ?? 0), 0);
  return onOperation + countExpanded(operation, fragments, (s) => s.directives?.length ?? 0);
}

const INTROSPECTION_TYPES = new Set(['__Schema', '__Type', '__Field', '__InputValue', '__EnumValue', '__Directive']);

function fieldDefinition(schema: GraphQLSchema, parent: GraphQLCompositeType | null, name: string): GraphQLField<unknown, unknown> | null {
  if (name === '__typename') return TypeNameMetaFieldDef;
  if (parent && parent === schema.getQueryType()) {
    if (name === '__schema') return SchemaMetaFieldDef;
    if (name === '__type') return TypeMetaFieldDef;
  }
  if (parent && 'getFields' in parent) return parent.getFields()[name] ?? null;
  return null;
}

/** Variable values after coercion (defaults applied), or undefined when they are not known yet. */
type Variables = Readonly<Record<string, unknown>> | undefined;

function intValue(node: ValueNode | undefined, operation: OperationDefinitionNode, variables: Variables): number | null | 'variable' {
  if (!node) return null;
  if (node.kind === Kind.INT) return Number.parseInt(node.value, 10);
  if (node.kind === Kind.VARIABLE && variables) {
    // What execution will use: the value sent, else the variable's default; absent = the argument's default.
    const value = variables[node.name.value];
    return typeof value === 'number' ? value : null;
  }
  if (node.kind === Kind.VARIABLE) {
    const definition = operation.variableDefinitions?.find((v) => v.variable.name.value === node.name.value);
    const fallback = definition?.defaultValue;
    return fallback?.kind === Kind.INT ? Number.parseInt(fallback.value, 10) : 'variable';
  }
  return null;
}

/** How many times a field's selections run: its `first`, or a list's assumed size, or 1. */
function multiplier(
  field: FieldNode,
  definition: GraphQLField<unknown, unknown> | null,
  parent: GraphQLCompositeType | null,
  operation: OperationDefinitionNode,
  path: readonly string[],
  variables: Variables,
): number {
  if (!definition) return 1;
  const firstArg = definition.args.find((a) => a.name === 'first');
  if (firstArg) {
    const given = intValue(field.arguments?.find((a) => a.name.value === 'first')?.value, operation, variables);
    if (given === 'variable') return COST_VARIABLE_PAGE;
    if (given !== null) return Math.max(0, given);
    return typeof firstArg.defaultValue === 'number' ? Math.max(0, firstArg.defaultValue) : COST_DEFAULT_PAGE;
  }
  if (!isListType(getNullableType(definition.type))) return 1;
  const parentName = parent?.name ?? '';
  // A connection's `edges` are the rows its `first` already counted.
  if (parentName.endsWith('Connection')) return 1;
  // Introspection lists are the (finite) schema itself; they multiply only when they recurse
  // (`types { fields { type { fields … } } }`), which is how introspection gets expensive.
  if (INTROSPECTION_TYPES.has(parentName)) return path.includes(`${parentName}.${definition.name}`) ? COST_LIST_SIZE : 1;
  return COST_LIST_SIZE;
}

/** Thrown inside `operationCost` to stop counting once the budget is spent. */
class OverBudget extends Error {}

/**
 * Estimated cost of an operation. Every field costs 1, times the number of times it runs: the
 * product of the multipliers of the fields above it. A field with a `first` argument (a
 * connection, or a list such as `lateActionPlans`) multiplies its selections by `first` (a literal;
 * with `variables` — the coerced values execution will use — a variable's value; without them, a
 * variable's default, or 100 for a variable without one; else the argument's own default, or 20
 * when absent); a plain list multiplies by 20; a connection's `edges` list adds no factor of
 * its own; introspection lists multiply only when they recurse. Fragments are expanded; a fragment
 * cycle adds nothing. Counting stops as soon as `budget` is exceeded (the result is then
 * `budget + 1`), so a hostile document costs at most `budget` steps to price.
 */
export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Fragments,
  budget = Number.POSITIVE_INFINITY,
  variables?: Readonly<Record<string, unknown>>,
): number {
  let cost = 0;
  const visiting = new Set<string>();
  const inSet = (set: SelectionSetNode | undefined, parent: GraphQLCompositeType | null, times: number, path: readonly string[]): void => {
    if (!set) return;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const definition = fieldDefinition(schema, parent, selection.name.value);
        cost += times;
        if (cost > budget) throw new OverBudget();
        if (!selection.selectionSet) continue;
        const factor = multiplier(selection, definition, parent, operation, path, variables);
        if (factor === 0) continue;
        const type = definition ? getNamedType(definition.type) : null;
        const child = type && isCompositeType(type) ? type : null;
        inSet(selection.selectionSet, child, times * factor, definition && parent ? [...path, `${parent.name}.${definition.name}`] : path);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const narrowed = selection.typeCondition ? typeFromAST(schema, selection.typeCondition) : parent;
        inSet(selection.selectionSet, narrowed && isCompositeType(narrowed) ? narrowed : parent, times, path);
      } else {
        const name = selection.name.value;
        const fragment = fragments(name);
        if (!fragment || visiting.has(name)) continue;
        const narrowed = typeFromAST(schema, fragment.typeCondition);
        visiting.add(name);
        inSet(fragment.selectionSet, narrowed && isCompositeType(narrowed) ? narrowed : parent, times, path);
        visiting.delete(name);
      }
    }
  };
  try {
    inSet(operation.selectionSet, schema.getRootType(operation.operation) ?? null, 1, []);
  } catch (error) {
    if (error instanceof OverBudget) return budget + 1;
    throw error;
  }
  return cost;
}

/** Refuses operations deeper than `max`. */
export function depthLimitRule(max: number): ValidationRule {
  return (context) => ({
    OperationDefinition(node) {
      const depth = operationDepth(node, fragmentLookup(context));
      if (depth > max) context.reportError(limitError('depth', max, depth, node));
    },
  });
}

/** Refuses operations with more than `max` aliases. */
export function aliasLimitRule(max: number): ValidationRule {
  return (context) => ({
    OperationDefinition(node) {
      const aliases = operationAliases(node, fragmentLookup(context));
      if (aliases > max) context.reportError(limitError('aliases', max, aliases, node));
    },
  });
}

/** Refuses operations with more than `max` directives. */
export function directiveLimitRule(max: number): ValidationRule {
  return (context) => ({
    OperationDefinition(node) {
      const directives = operationDirectives(node, fragmentLookup(context));
      if (directives > max) context.reportError(limitError('directives', max, directives, node));
    },
  });
}

/**
 * The cost of an operation of `document` priced with the coerced `variables` (those execution will
 * use); counting stops past `max` (the result is then `max + 1`).
 */
export function pricedCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
  max: number,
): number {
  const fragments: Fragments = (name) =>
    document.definitions.find((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === name);
  return operationCost(schema, operation, fragments, max, variables);
}

/**
 * The cost error of an operation priced with the coerced `variables` (those execution will use),
 * or null when it is within `max`. Runs after validation, before anything executes.
 */
export function operationCostError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
  max: number,
): GraphQLError | null {
  return pricedCost(schema, document, operation, variables, max) > max ? limitError('cost', max, null, operation) : null;
}

/** The validation rules of the depth, alias and directive limits (tokens: a parse option; cost: `operationCostError`). */
export function operationLimitRules(limits: OperationLimits): ValidationRule[] {
  return [depthLimitRule(limits.maxDepth), aliasLimitRule(limits.maxAliases), directiveLimitRule(limits.maxDirectives)];
}

/**
 * The limit errors of a parsed document (empty when it is within every limit), the cost priced
 * with `variables` (already coerced); for callers outside the pipeline (tests, tools).
 */
export function checkOperationLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  limits: OperationLimits = DEFAULT_LIMITS,
  variables: Readonly<Record<string, unknown>> = {},
): readonly GraphQLError[] {
  const errors = validate(schema, document, operationLimitRules(limits));
  if (errors.length > 0) return errors;
  const costs = document.definitions
    .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
    .map((o) => operationCostError(schema, document, o, variables, limits.maxCost));
  return costs.filter((e): e is GraphQLError => e !== null);
}
