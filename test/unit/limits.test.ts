import 'reflect-metadata';
import {
  getIntrospectionQuery,
  Kind,
  parse,
  specifiedRules,
  validate,
  type GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../server/env';
import {
  checkOperationLimits,
  DEFAULT_LIMITS,
  operationCost,
  operationLimitRules,
  parseOptions,
  tokenLimitError,
  type OperationLimits,
} from '../../server/graphql/limits';
import { requestScope } from '../../server/i18n';
import { getSchema } from '../../server/graphql/schema';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await getSchema();
});

/**
 * Every error of `query` before it runs, parsed with the token limit: validation (graphql's own
 * rules and the limits), then — when valid — the cost priced with `variables`.
 */
function errorsOf(
  query: string,
  limits: OperationLimits = DEFAULT_LIMITS,
  variables: Record<string, unknown> = {},
): readonly GraphQLError[] {
  const document = parse(query, parseOptions(limits));
  const invalid = validate(schema, document, [...specifiedRules, ...operationLimitRules(limits)]);
  return invalid.length > 0 ? invalid : checkOperationLimits(schema, document, limits, variables);
}

function limitOf(errors: readonly GraphQLError[]): unknown[] {
  return errors.map((e) => e.extensions.limit);
}

/** The cost of the only operation in `query` (with `variables`: priced with those values, as execution uses them). */
function costOf(query: string, variables?: Record<string, unknown>): number {
  const document = parse(query);
  const fragments = (name: string) =>
    document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === name) as never;
  return operationCost(
    schema,
    document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode,
    fragments,
    Number.POSITIVE_INFINITY,
    variables,
  );
}

/**
 * A valid query exactly `depth` fields deep: actionPlan → program → actionPlans → edges → node → program …,
 * `first: 1` everywhere so that only the depth grows, ending in `__typename`.
 */
function deepQuery(depth: number): string {
  const cycle = ['program', 'actionPlans(first: 1)', 'edges', 'node'];
  const fields = ['actionPlan(id: "x")'];
  while (fields.length < depth - 1) fields.push(cycle[(fields.length - 1) % cycle.length]!);
  return `{ ${fields.map((f) => `${f} { `).join('')}__typename${' }'.repeat(fields.length)} }`;
}

describe('operation limits', () => {
  it('has the documented defaults, which are also the settings without environment', () => {
    expect(DEFAULT_LIMITS).toEqual({
      maxDepth: 12,
      maxAliases: 30,
      maxDirectives: 20,
      maxTokens: 5_000,
      maxCost: 20_000,
      maxMs: 10_000,
      maxNodes: 50_000,
    });
    expect(loadSettings({}).limits).toEqual(DEFAULT_LIMITS);
    const custom = loadSettings({
      GRAPHQL_MAX_DEPTH: '8',
      GRAPHQL_MAX_ALIASES: '5',
      GRAPHQL_MAX_DIRECTIVES: '3',
      GRAPHQL_MAX_TOKENS: '1000',
      GRAPHQL_MAX_COST: '500',
      GRAPHQL_MAX_MS: '2500',
      GRAPHQL_MAX_NODES: '1000',
    });
    expect(custom.limits).toEqual({
      maxDepth: 8,
      maxAliases: 5,
      maxDirectives: 3,
      maxTokens: 1_000,
      maxCost: 500,
      maxMs: 2_500,
      maxNodes: 1_000,
    });
    // Every problem is listed (in no particular order).
    const invalid = () =>
      loadSettings({
        GRAPHQL_MAX_DEPTH: '0',
        GRAPHQL_MAX_COST: 'lots',
        GRAPHQL_MAX_TOKENS: '10',
        GRAPHQL_MAX_MS: '0',
        GRAPHQL_MAX_NODES: '-1',
      });
    for (const name of ['GRAPHQL_MAX_DEPTH', 'GRAPHQL_MAX_TOKENS', 'GRAPHQL_MAX_COST', 'GRAPHQL_MAX_MS', 'GRAPHQL_MAX_NODES'])
      expect(invalid).toThrow(new RegExp(`- ${name} must be`));
  });

  it('depth: 12 passes, 13 fails (fragments followed)', () => {
    expect(errorsOf(deepQuery(12))).toEqual([]);
    const errors = errorsOf(deepQuery(13));
    expect(limitOf(errors)).toEqual(['depth']);
    expect(errors[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth', max: 12, actual: 13 });
    // The same depth hidden in fragments.
    const viaFragments = `{ actionPlan(id: "x") { ...P } }
      fragment P on ActionPlan { program { actionPlans(first: 1) { edges { node { ...Q } } } } }
      fragment Q on ActionPlan { program { actionPlans(first: 1) { edges { node { program { actionPlans(first: 1) { edges { ...R } } } } } } } }
      fragment R on ActionPlanEdge { node { __typename } }`;
    expect(limitOf(errorsOf(viaFragments))).toEqual(['depth']);
  });

  it('depth: introspection counts like any field, but the standard introspection query passes', () => {
    expect(
      errorsOf(
        getIntrospectionQuery({
          descriptions: true,
          specifiedByUrl: true,
          directiveIsRepeatable: true,
          schemaDescription: true,
          inputValueDeprecation: true,
        }),
      ),
    ).toEqual([]);
    const nested =
      '{ __schema { types { fields { type { fields { type { fields { type { fields { type { fields { type { name } } } } } } } } } } } } }';
    const errors = errorsOf(nested);
    expect(errors.find((e) => e.extensions.limit === 'depth')?.extensions.actual).toBe(13);
  });

  it('aliases: 30 pass, 31 fail, counted through every fragment spread', () => {
    const aliases = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ');
    expect(errorsOf(`{ ${aliases(30)} }`)).toEqual([]);
    expect(limitOf(errorsOf(`{ ${aliases(31)} }`))).toEqual(['aliases']);
    // 16 aliases in a fragment used twice (in two places) = 32.
    const twice = `{ me { ...A } x: me { ...A } } fragment A on Viewer { ${Array.from({ length: 15 }, (_, i) => `b${i}: id`).join(' ')} }`;
    expect(errorsOf(twice)[0]?.extensions).toMatchObject({ limit: 'aliases', max: 30, actual: 31 });
  });

  it('directives: 20 pass, 21 fail', () => {
    const directives = (n: number) => Array.from({ length: n }, () => '__typename @include(if: true)').join(' ');
    expect(errorsOf(`{ ${directives(20)} }`)).toEqual([]);
    expect(limitOf(errorsOf(`{ ${directives(21)} }`))).toEqual(['directives']);
    expect(limitOf(errorsOf(`query Q { ...F @include(if: true) } fragment F on Query { ${directives(20)} }`))).toEqual(['directives']);
  });

  it('tokens: 5 000 pass, 5 001 fail while parsing, with a limit error ready for the response', () => {
    const fields = (n: number) => `{ ${Array(n).fill('__typename').join(' ')} }`;
    expect(() => parse(fields(4_998), parseOptions(DEFAULT_LIMITS))).not.toThrow();
    let failure: unknown;
    try {
      parse(fields(4_999), parseOptions(DEFAULT_LIMITS));
    } catch (error) {
      failure = error;
    }
    expect(String(failure)).toMatch(/more th(an|at) 5000 tokens/);
    const mapped = tokenLimitError(failure as Error);
    expect(mapped?.extensions).toMatchObject({ limit: 'tokens', max: 5_000 });
    expect(mapped?.message).toBe('Kueri terlalu panjang: lebih dari 5000 token.');
    expect(tokenLimitError(new Error('Syntax Error: Unexpected Name "x".'))).toBeNull();
  });

  it('cost: a variable is priced with the value sent, not its default (the default does not run)', () => {
    const attack =
      'query ($f: Int = 1) { city(id: "x") { actionPlans(first: $f) { edges { node { progressReports(first: $f) { edges { node { id } } } } } } } }';
    expect(errorsOf(attack, DEFAULT_LIMITS, {})).toEqual([]);
    expect(errorsOf(attack, DEFAULT_LIMITS, { f: 1 })).toEqual([]);
    expect(limitOf(errorsOf(attack, DEFAULT_LIMITS, { f: 100 }))).toEqual(['cost']);
  });

  it('cost: 20 000 passes, 20 001 fails', () => {
    // city 1 + actionPlans 1 + first × (edges 1 + node 1 + fields).
    const atLimit = '{ city(id: "x") { actionPlans(first: 6666) { edges { node { id } } } } }';
    const overLimit = '{ city(id: "x") { actionPlans(first: 2857) { edges { node { id title version progress state } } } } }';
    expect(costOf(atLimit)).toBe(20_000);
    expect(costOf(overLimit)).toBe(20_001);
    expect(errorsOf(atLimit)).toEqual([]);
    const errors = errorsOf(overLimit);
    expect(limitOf(errors)).toEqual(['cost']);
    expect(errors[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost', max: 20_000 });
  });

  it('cost model: fields 1, lists ×20, connections × first (default 20, variables 100 unless defaulted), fragments expanded', () => {
    expect(costOf('{ me { id } }')).toBe(2);
    expect(costOf('{ cities { id name } }')).toBe(1 + 20 * 2);
    expect(costOf('{ city(id: "x") { actionPlans { totalCount edges { node { id } } } } }')).toBe(2 + 20 * 4);
    expect(costOf('{ city(id: "x") { actionPlans(first: 5) { edges { cursor node { id } } } } }')).toBe(2 + 5 * 4);
    expect(costOf('query ($n: Int) { city(id: "x") { actionPlans(first: $n) { edges { node { id } } } } }')).toBe(2 + 100 * 3);
    expect(costOf('query ($n: Int = 7) { city(id: "x") { actionPlans(first: $n) { edges { node { id } } } } }')).toBe(2 + 7 * 3);
    expect(costOf('{ city(id: "x") { actionPlans(first: 0) { edges { node { id } } } } }')).toBe(2);
    // With the variables execution uses: the value sent wins over the default; absent = the argument's default (20).
    expect(costOf('query ($n: Int = 7) { city(id: "x") { actionPlans(first: $n) { edges { node { id } } } } }', { n: 100 })).toBe(
      2 + 100 * 3,
    );
    expect(costOf('query ($n: Int = 7) { city(id: "x") { actionPlans(first: $n) { edges { node { id } } } } }', { n: 7 })).toBe(2 + 7 * 3);
    expect(costOf('query ($n: Int) { city(id: "x") { actionPlans(first: $n) { edges { node { id } } } } }', {})).toBe(2 + 20 * 3);
    // lateActionPlans' own default of `first` is 50.
    expect(costOf('{ city(id: "x") { overview { lateActionPlans { id } } } }')).toBe(3 + 50);
    expect(costOf('{ cities { ...C } } fragment C on City { opds { id } }')).toBe(1 + 20 * (1 + 20));
  });

  it('cost: introspection is cheap unless it recurses, which a query within the depth limit cannot hide', () => {
    expect(costOf(getIntrospectionQuery())).toBeLessThan(1_000);
    const recursive =
      '{ __schema { types { fields { type { fields { type { fields { type { fields { type { fields { name } } } } } } } } } } } }';
    expect(costOf(recursive)).toBeGreaterThan(20_000);
    // graphql-js's own MaxIntrospectionDepthRule refuses it first (validation runs before pricing).
    expect(errorsOf(recursive).map((e) => e.extensions.limit ?? e.message)).toEqual(['Maximum introspection depth exceeded']);
  });

  it('prices a fragment bomb in bounded time', () => {
    const levels = 60;
    const fragments = Array.from(
      { length: levels },
      (_, i) => `fragment F${i} on Query { ${i === levels - 1 ? '__typename' : `...F${i + 1} ...F${i + 1}`} }`,
    ).join('\n');
    const started = performance.now();
    const errors = checkOperationLimits(schema, parse(`{ ...F0 } ${fragments}`));
    expect(limitOf(errors)).toEqual(['cost']);
    // An unbounded walk would take 2^60 steps: any finite wait tells the two apart, even on a loaded machine.
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  it('survives fragment cycles (graphql reports them; the limits neither loop nor throw)', () => {
    const errors = errorsOf('{ ...A } fragment A on Query { __typename ...B } fragment B on Query { ...A }');
    expect(errors.some((e) => /Cannot spread fragment/.test(e.message))).toBe(true);
    expect(limitOf(errors).filter(Boolean)).toEqual([]);
  });

  it('speaks Indonesian by default and English on request', () => {
    const query = deepQuery(13);
    expect(errorsOf(query)[0]?.message).toBe('Kueri terlalu dalam: kedalaman 13, maksimal 12.');
    const english = requestScope.run({ locale: 'en', requestId: 't' }, () => errorsOf(query));
    expect(english[0]?.message).toBe('The query is too deep: depth 13, at most 12.');
  });
});
