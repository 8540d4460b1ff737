import 'reflect-metadata';
import { auditServer, type AuditResult } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server';

/** Counts the results by level (MUST/SHOULD/MAY) and outcome, and prints every one that did not pass. */
function summarise(label: string, results: AuditResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) {
    const key = `${r.name.split(' ')[0]} ${r.status}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  const notOk = results
    .filter((r) => r.status !== 'ok')
    .map((r) => `  ${r.status.toUpperCase()} ${r.id} ${r.name}${'reason' in r ? ` — ${r.reason}` : ''}`);
  console.log(`GraphQL over HTTP audit (${label}): ${JSON.stringify(counts)}\n${notOk.join('\n')}`);
  return counts;
}

const failingMusts = (results: AuditResult[]) => results.filter((r) => r.status === 'error').map((r) => `${r.id} ${r.name}`);

describe('GraphQL over HTTP audit (graphql-http)', () => {
  let server: TestServer;
  let production: TestServer;
  beforeAll(async () => {
    [server, production] = await Promise.all([startServer({ demo: false }), startServer({ demo: false, env: { NODE_ENV: 'production' } })]);
  });
  afterAll(async () => {
    await Promise.all([server?.close(), production?.close()]);
  });

  it('passes every MUST on the default configuration', async () => {
    const results = await auditServer({ url: `${server.url}/graphql` });
    const counts = summarise('default', results);
    expect(failingMusts(results)).toEqual([]);
    expect(counts['MUST ok']).toBeGreaterThan(0);
  });

  it('in production fails only the two MUSTs whose probe queries use `__type`, which production refuses on purpose', async () => {
    const results = await auditServer({ url: `${production.url}/graphql` });
    summarise('production, introspection off', results);
    // BF61 sends `{ __type(name: "Run🏃Swim🏊") { name } }` and 28B9 `query Type($name: String!) { __type(name: $name) { name } }`:
    // both are refused (400 GRAPHQL_VALIDATION_FAILED) because introspection is off, not because of UTF-8 or variables.
    expect(failingMusts(results)).toEqual([
      'BF61 MUST accept utf-8 encoded request',
      '28B9 MUST allow map {variables} parameter when accepting application/json',
    ]);
  });
});
