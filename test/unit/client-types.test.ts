import fs from 'node:fs/promises';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { Kind, parse, print, type FragmentDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import config from '../../dashboard/codegen';
import { AGENDA_SIZE, AT_RISK_SIZE, FEED_SIZE, QUEUE_SIZE, SCREEN_SUBSCRIPTION, SNAPSHOT_QUERY } from '../../dashboard/src/api/queries';

const ROOT = path.resolve(__dirname, '..', '..');
const OUTPUT = 'dashboard/src/api/operations.generated.ts';

/** The fragments a document defines, by name. */
function fragmentsOf(text: string): Map<string, FragmentDefinitionNode> {
  const out = new Map<string, FragmentDefinitionNode>();
  for (const d of parse(text).definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) out.set(d.name.value, d);
  return out;
}

describe('the client operation types (dashboard/codegen.ts)', () => {
  it('match schema/schema.graphql and the documents in dashboard/src (run `npm run codegen` when this fails)', async () => {
    const [file] = await generate({ ...config, cwd: ROOT }, false);
    expect(file?.filename).toBe(OUTPUT);
    const committed = await fs.readFile(path.join(ROOT, OUTPUT), 'utf8');
    expect(committed).toBe(file?.content);
    // Types only: the generated file declares no value that could reach the bundle.
    expect(committed).not.toMatch(/^export (const|let|var|function|class|enum) /m);
  });

  it('the kiosk asks for as many rows as it shows, and its screen city selects what the snapshot city does', () => {
    expect(SNAPSHOT_QUERY).toContain(`upcoming(days: 366, first: ${AGENDA_SIZE})`);
    expect(SNAPSHOT_QUERY).toContain(`progressReports(first: ${FEED_SIZE})`);
    expect(SNAPSHOT_QUERY).toContain(`progressReports(first: ${QUEUE_SIZE}, status: SUBMITTED)`);
    expect(SNAPSHOT_QUERY).toContain(`lateActionPlans(first: ${QUEUE_SIZE})`);
    expect(SNAPSHOT_QUERY).toContain(`atRiskActionPlans(first: ${AT_RISK_SIZE})`);
    // `cityScreen.city` is another type (ScreenCity), so its fragment repeats LayarCity and LayarDetailLists.
    const snapshot = fragmentsOf(SNAPSHOT_QUERY);
    const screen = fragmentsOf(SCREEN_SUBSCRIPTION).get('LayarScreenCity');
    const fields = (...names: string[]) => names.flatMap((n) => snapshot.get(n)?.selectionSet.selections.map((s) => print(s)) ?? []);
    expect(screen?.selectionSet.selections.map((s) => print(s))).toEqual(fields('LayarCity', 'LayarDetailLists'));
  });

  it('the client imports from outside dashboard/ only modules that import nothing (the close codes, the state patch): no server code drags Node into the bundle', async () => {
    const outside = new Map<string, string[]>();
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await fs.readdir(path.join(ROOT, dir), { withFileTypes: true })) {
        const rel = `${dir}/${entry.name}`;
        if (entry.isDirectory()) await walk(rel);
        else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
          const text = await fs.readFile(path.join(ROOT, rel), 'utf8');
          for (const [, spec] of text.matchAll(/(?:from|import)\s+'(\.[^']+)'/g)) {
            const target = path.relative(ROOT, path.resolve(ROOT, dir, spec!));
            if (!target.startsWith('dashboard/')) outside.set(`${target}.ts`, [...(outside.get(`${target}.ts`) ?? []), rel]);
          }
        }
      }
    };
    await walk('dashboard/src');
    expect([...outside.keys()]).toEqual(expect.arrayContaining(['server/realtime/close-codes.ts', 'server/realtime/state-patch.ts']));
    for (const file of outside.keys())
      expect(await fs.readFile(path.join(ROOT, file), 'utf8'), file).not.toMatch(/^\s*import\b|\brequire\(/m);
  });
});
