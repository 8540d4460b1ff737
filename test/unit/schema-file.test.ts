import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaSdl } from '../../server/schema-sdl';

describe('schema/schema.graphql', () => {
  it('matches the schema the code builds (run `npm run schema:emit` when this fails)', async () => {
    const committed = await fs.readFile(path.resolve(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8');
    expect(committed).toBe(await schemaSdl());
  });
});
