// graphql-js's own messages (validation, variable coercion, syntax) in the request's language, the
// same over HTTP and WebSocket: Indonesian by default with the English in
// `extensions.originalMessage`, and English untouched when English is asked for.
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indonesianGraphqlMessage } from '../../server/graphql/messages';
import { login } from '../helpers/gql';
import { startServer, type TestServer } from '../helpers/server';
import { run, TRANSPORTS } from '../helpers/transports';

const CITY = '00000000-0000-4000-8000-000000000000';

/** Broken operations, each with the variables it is sent with and the English graphql-js answers. */
const BROKEN: [string, string, Record<string, unknown>, RegExp][] = [
  ['unknown field', '{ nosuch }', {}, /^Cannot query field "nosuch" on type "Query"\./],
  ['unknown field with a suggestion', '{ cities { nme } }', {}, /^Cannot query field "nme" on type "City"\. Did you mean "name"\?/],
  [
    'unknown argument and missing required argument',
    '{ city(idd: "x") { id } }',
    {},
    /^Unknown argument "idd"|argument "id" of type "ID!" is required/,
  ],
  ['object without a selection', '{ cities }', {}, /must have a selection of subfields/],
  ['selection on a scalar', '{ cities { id { x } } }', {}, /must not have a selection since type "ID!" has no subfields/],
  [
    'variable of the wrong type',
    'query ($id: Int) { city(id: $id) { id } }',
    {},
    /^Variable "\$id" of type "Int" used in position expecting type "ID!"\./,
  ],
  ['undefined variable', '{ city(id: $nope) { id } }', {}, /^Variable "\$nope" is not defined\./],
  ['unused variable', 'query Q($id: ID) { cities { id } }', {}, /^Variable "\$id" is never used in operation "Q"\./],
  ['variable not provided', 'query ($id: ID!) { city(id: $id) { id } }', {}, /^Variable "\$id" of required type "ID!" was not provided\./],
  [
    'invalid enum value in a variable',
    'query ($f: ActionPlanFilter) { city(id: "x") { actionPlans(filter: $f) { totalCount } } }',
    { f: { state: 'SOON' } },
    /^Variable "\$f" got invalid value "SOON" at "f\.state"; Value "SOON" does not exist in "ActionPlanState" enum\./,
  ],
  [
    'wrong scalar in a variable',
    'query ($n: Int) { city(id: "x") { actionPlans(first: $n) { totalCount } } }',
    { n: 'many' },
    /^Variable "\$n" got invalid value "many"; Int cannot represent non-integer value: "many"/,
  ],
  [
    'unknown field in an input variable',
    'query ($f: ActionPlanFilter) { city(id: "x") { actionPlans(filter: $f) { totalCount } } }',
    { f: { colour: 'red' } },
    /^Variable "\$f" got invalid value .* Field "colour" is not defined by type "ActionPlanFilter"\./,
  ],
  [
    'invalid enum literal',
    `{ city(id: "${CITY}") { actionPlans(filter: { state: SOON }) { totalCount } } }`,
    {},
    /^Value "SOON" does not exist in "ActionPlanState" enum\./,
  ],
  ['wrong literal type', '{ city(id: 5.5) { id } }', {}, /^ID cannot represent a non-string and non-integer value: 5\.5/],
  [
    'missing required input field',
    'mutation { reportProgress(input: { percent: 5 }) { version } }',
    {},
    /^Field "ReportProgressInput\.(actionPlanId|expectedVersion)" of required type/,
  ],
  ['syntax error', '{ cities { id ', {}, /^Syntax Error: Expected Name, found <EOF>\./],
  ['unknown fragment', '{ cities { ...F } }', {}, /^Unknown fragment "F"\./],
  ['unused fragment', 'fragment F on City { id } { cities { id } }', {}, /^Fragment "F" is never used\./],
  ['fragment spreading itself', 'fragment F on City { id ...F } { cities { ...F } }', {}, /^Cannot spread fragment "F" within itself\./],
  [
    'fragment on the wrong type',
    'fragment F on Opd { id } { cities { ...F } }',
    {},
    /^Fragment "F" cannot be spread here as objects of type "City" can never be of type "Opd"\./,
  ],
  ['two operations of one name', 'query A { cities { id } } query A { me { id } }', {}, /^There can be only one operation named "A"\./],
  [
    'anonymous operation among others',
    '{ cities { id } } query B { me { id } }',
    {},
    /^This anonymous operation must be the only defined operation\./,
  ],
  ['unknown directive', '{ cities @nope { id } }', {}, /^Unknown directive "@nope"\./],
  ['unknown type', 'query ($x: Nothing) { cities { id } }', {}, /^Unknown type "Nothing"\./],
];

/** English words of graphql-js's messages that an Indonesian message never has (quoted names aside). */
const ENGLISH =
  /\b(the|of|is|was|not|found|expected|cannot|must|unknown|did you mean|provided|defined|used|only|value|within|never|there|syntax error|got|invalid|represent)\b/i;
const unquoted = (message: string): string => message.replace(/"[^"]*"/g, '""');

describe('graphql-js messages in one language, over HTTP and WebSocket', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startServer({ demo: true });
    token = await login(server.url, 'admin@pantau.demo');
  });
  afterAll(async () => server?.close());

  it.each(BROKEN)(
    '%s: Indonesian by default, with the English in originalMessage and the code kept; English on request; both transports agree',
    async (_what, query, variables, english) => {
      const answers: Record<string, { message: string; extensions?: Record<string, any> }[]> = {};
      for (const transport of TRANSPORTS) {
        for (const locale of ['id', 'en']) {
          const { errors } = await run(transport, server.url, query, variables, token, locale);
          expect(errors?.length, `${transport} ${locale}`).toBeGreaterThan(0);
          answers[`${transport} ${locale}`] = errors!;
          for (const error of errors!) {
            expect(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']).toContain(error.extensions?.code);
            if (locale === 'id') {
              expect(unquoted(error.message), `${transport}: ${error.message}`).not.toMatch(ENGLISH);
              expect(error.extensions?.originalMessage).toEqual(expect.any(String));
            } else {
              expect(error.extensions?.originalMessage).toBeUndefined();
            }
          }
        }
      }
      expect(
        answers['http en']!.some((e) => english.test(e.message)),
        JSON.stringify(answers['http en']),
      ).toBe(true);
      expect(answers['http id']!.map((e) => e.extensions?.originalMessage)).toEqual(answers['http en']!.map((e) => e.message));
      // The two transports say the same (WebSocket answers only what HTTP answers before execution).
      expect(answers['ws id']!.map((e) => e.message)).toEqual(answers['http id']!.map((e) => e.message));
      expect(answers['ws en']!.map((e) => e.message)).toEqual(answers['http en']!.map((e) => e.message));
    },
  );

  it("translates a suggestion and leaves messages that are not graphql-js's alone", () => {
    expect(indonesianGraphqlMessage('Cannot query field "nme" on type "City". Did you mean "name" or "names"?')).toBe(
      'Field "nme" tidak ada pada tipe "City". Mungkin maksud Anda "name" atau "names"?',
    );
    expect(indonesianGraphqlMessage('Silakan masuk terlebih dahulu.')).toBeNull();
  });
});
