// Typed GraphQL documents without a runtime: a document is its text (sent as it is, over HTTP or the
// socket), typed with the result and variables that `npm run codegen` generated for its operation
// (operations.generated.ts, from schema/schema.graphql). A field renamed in the schema or mistyped
// in a document makes codegen fail, and a field a screen reads but no longer selects fails
// `npm run check:types`.
import type { Operations } from './operations.generated';

declare const typed: unique symbol;

/** An operation's text, carrying what it answers and the variables it takes (types only). */
export type Doc<Result, Variables> = string & { readonly [typed]: { result: Result; variables: Variables } };

/** What a document answers. */
export type ResultOf<D> = D extends Doc<infer R, unknown> ? R : never;
/** The variables a document takes. */
export type VariablesOf<D> = D extends Doc<unknown, infer V> ? V : never;

/** A fragment's text (spread by documents that list it after their own text). */
export type Fragment = string & { readonly fragment: true };

type Keyword = 'query' | 'mutation' | 'subscription';
/** `T` without its leading blanks (Prettier writes a document from the line after the backtick). */
type TrimStart<T extends string> = T extends `${' ' | '\n' | '\t'}${infer Rest}` ? TrimStart<Rest> : T;
/** The operation name at the start of a document's text ("query Name(…" or "query Name {…"). */
type NameOf<T extends string> =
  TrimStart<T> extends `${Keyword} ${infer Rest}`
    ? Rest extends `${infer Name}(${string}`
      ? Name
      : Rest extends `${infer Name} {${string}`
        ? Name
        : never
    : never;

/** The typed document of an operation's text. */
type DocOf<T extends string> =
  NameOf<T> extends keyof Operations ? Doc<Operations[NameOf<T>]['result'], Operations[NameOf<T>]['variables']> : never;

/**
 * A document: its operation (a literal starting with `query Name`, `mutation Name` or
 * `subscription Name`, typed from the generated `Operations`) or a fragment (`fragment Name on T`),
 * followed by the fragments it spreads. Codegen finds the texts by this function's name.
 */
export function graphql<const T extends string>(
  text: T,
  ...fragments: Fragment[]
): TrimStart<T> extends `fragment ${string}` ? Fragment : DocOf<T> {
  return [text, ...new Set(fragments)].join('\n') as TrimStart<T> extends `fragment ${string}` ? Fragment : DocOf<T>;
}
