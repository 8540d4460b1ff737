import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseCircular, parseDependencyTree, type DependencyTree } from 'dpdm';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');

/** The import graph of `entries` (globs relative to `cwd`), type-only imports included (no transform). */
function importGraph(entries: string[], cwd: string): Promise<DependencyTree> {
  return parseDependencyTree(entries, {
    cwd,
    context: cwd,
    transform: false,
    skipDynamicImports: false,
    tsconfig: path.join(cwd, 'tsconfig.json'),
  });
}

/** Every import cycle of the graph, each written `a.ts -> b.ts -> a.ts`. */
function cycles(tree: DependencyTree): string[] {
  return parseCircular(tree).map((cycle) => [...cycle, cycle[0]].join(' -> '));
}

describe('import cycles', () => {
  it('there are none in the server, from main.ts or any file under server/ and scripts/ (type-only imports count)', async () => {
    const tree = await importGraph(['server/main.ts', 'server/**/*.ts', 'scripts/*.ts'], ROOT);
    // The graph really is the server's: main.ts reaches the context, the schema and the modules.
    expect(tree['server/main.ts']?.some((d) => d.id === 'server/server.ts')).toBe(true);
    expect(Object.keys(tree)).toEqual(
      expect.arrayContaining(['server/context.ts', 'server/modules/overview/overview.service.ts', 'scripts/seed.ts']),
    );
    expect(cycles(tree)).toEqual([]);
  });

  it('the context imports no module: modules depend on it, not the other way round', async () => {
    const tree = await importGraph(['server/context.ts'], ROOT);
    const direct = (tree['server/context.ts'] ?? []).map((d) => d.id ?? d.request);
    expect(direct.length).toBeGreaterThan(0);
    expect(direct.filter((id) => id.startsWith('server/modules/'))).toEqual([]);
  });

  it('finds a cycle made only of type imports (the check would catch one)', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pantau-cycles-'));
    try {
      await fs.writeFile(path.join(dir, 'a.ts'), "import type { B } from './b';\nexport interface A { b: B }\n");
      await fs.writeFile(path.join(dir, 'b.ts'), "import type { A } from './a';\nexport interface B { a: A }\n");
      await fs.writeFile(path.join(dir, 'tsconfig.json'), '{}');
      expect(cycles(await importGraph(['a.ts'], dir))).toEqual(['a.ts -> b.ts -> a.ts']);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
