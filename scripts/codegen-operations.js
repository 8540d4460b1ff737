// A GraphQL Code Generator plugin (dashboard/codegen.ts): one interface naming every operation of
// the client with its result and variables types, as typescript-operations names them. The
// dashboard's `graphql()` (dashboard/src/api/document.ts) reads an operation's name from its text
// and types the document from this map, so a document never pairs with another's types.
'use strict';

const { Kind } = require('graphql');

const SUFFIX = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' };

/** @type {import('@graphql-codegen/plugin-helpers').PluginFunction} */
exports.plugin = (_schema, documents) => {
  const lines = [];
  for (const { document } of documents) {
    for (const definition of document?.definitions ?? []) {
      if (definition.kind !== Kind.OPERATION_DEFINITION || !definition.name) continue;
      const name = definition.name.value;
      const type = name + SUFFIX[definition.operation];
      lines.push(`  ${name}: { result: ${type}; variables: ${type}Variables };`);
    }
  }
  lines.sort();
  return `\n/** Every operation of the client: its result and variables (read by \`graphql()\` in api/document.ts). */\nexport interface Operations {\n${lines.join('\n')}\n}\n`;
};
