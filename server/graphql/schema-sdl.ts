import { lexicographicSortSchema, printSchema } from 'graphql';
import { getSchema } from './schema';

/** The schema as SDL, sorted so the committed file only changes when the API does. */
export async function schemaSdl(): Promise<string> {
  const header = '# Generated from the code by `npm run schema:emit`. Do not edit: a test fails when it is stale.\n\n';
  return header + printSchema(lexicographicSortSchema(await getSchema())) + '\n';
}
