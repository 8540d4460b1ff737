// Stand-in for the optional `graphql-ws` package that @graphiql/toolkit imports lazily.

/** Always throws: the playground has no subscription transport yet. */
export function createClient(): never {
  throw new Error('Subscriptions are not supported by the Pantau playground yet.');
}
