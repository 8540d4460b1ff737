import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describedName } from '../../server/graphql/crud';
import { schemaSdl } from '../../server/graphql/schema-sdl';

describe('schema/schema.graphql', () => {
  it('matches the schema the code builds (run `npm run schema:emit` when this fails)', async () => {
    const committed = await fs.readFile(path.resolve(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8');
    expect(committed).toBe(await schemaSdl());
  });

  it('reads correctly: "an action plan", "an OPD", "a user" — never "a ActionPlan" or "a Opd"', async () => {
    const sdl = await schemaSdl();
    expect(sdl.match(/\ba [AEIOaeio]\w*/g) ?? []).toEqual([]);
    // "an" only before a vowel sound (MoU is said "em-o-u").
    expect(sdl.match(/\ban (?!MoU)[b-df-hj-np-tv-zB-DF-HJ-NP-TV-Z]\w*/g) ?? []).toEqual([]);
    expect(sdl).toContain('Creates an action plan.');
    expect(sdl).toContain('Archives an OPD:');
    expect(sdl).toContain('Changes a user;');
    expect([
      describedName('ActionPlan'),
      describedName('Opd'),
      describedName('User'),
      describedName('EvaluationVisit'),
      describedName('CouncilMember'),
    ]).toEqual(['an action plan', 'an OPD', 'a user', 'an evaluation visit', 'a council member']);
  });
});
