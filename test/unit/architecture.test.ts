import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseDependencyTree, type DependencyTree } from 'dpdm';
import { describe, expect, it } from 'vitest';

// The house rules (README, "Where things live"), beside the cycle test (cycles.test.ts): each rule
// is a function of a folder, so the last test can run it on a made-up tree that breaks it.

const ROOT = path.resolve(__dirname, '..', '..');

/** The import graph of every file under `server/` in `cwd`, type-only imports included. */
function serverGraph(cwd: string): Promise<DependencyTree> {
  return parseDependencyTree(['server/**/*.ts'], {
    cwd,
    context: cwd,
    transform: false,
    skipDynamicImports: false,
    tsconfig: path.join(cwd, 'tsconfig.json'),
  });
}

/** Every `importer -> imported` edge of the graph between files of the repository. */
function edges(tree: DependencyTree): [string, string][] {
  return Object.entries(tree).flatMap(([from, deps]) =>
    (deps ?? []).filter((d) => d.id && !d.id.includes('node_modules')).map((d): [string, string] => [from, d.id!]),
  );
}

/** Files under `server/` (migrations left out: they are SQL history, not code that runs a request). */
async function serverFiles(cwd: string, dir = 'server'): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(path.join(cwd, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (rel !== 'server/db/migrations') out.push(...(await serverFiles(cwd, rel)));
    } else if (entry.name.endsWith('.ts')) out.push(rel);
  }
  return out;
}

const moduleOf = (file: string) => /^server\/modules\/([^/]+)\//.exec(file)?.[1] ?? null;
const isResolver = (file: string) => /^server\/modules\/[^/]+\/[^/]+\.resolver\.ts$/.test(file);

/** The broken rules of the tree under `cwd`, one line each (none: the house is in order). */
async function violations(cwd: string): Promise<string[]> {
  const graph = edges(await serverGraph(cwd));
  const broken: string[] = [];
  for (const [from, to] of graph) {
    // The write path walks down: a module hands its changes to events/, which the sockets read.
    if (from.startsWith('server/modules/') && to.startsWith('server/realtime/'))
      broken.push(`${from} imports ${to}: a module reaches the sockets only through server/events/`);
    if (from.startsWith('server/events/') && to.startsWith('server/realtime/'))
      broken.push(`${from} imports ${to}: events/ never climbs into the sockets`);
    // A resolver is the thin GraphQL face of its module: only the schema builder imports one.
    if (isResolver(to) && from !== 'server/graphql/schema.ts') {
      const same = moduleOf(from) !== null && moduleOf(from) === moduleOf(to);
      broken.push(
        same
          ? `${from} imports ${to}: what a resolver's neighbours need lives in the module's service`
          : `${from} imports ${to}: another module is used through its service, never its resolver`,
      );
    }
    if (to.startsWith('server/modules/common/')) broken.push(`${from} imports ${to}: modules/common/ is gone`);
  }
  // The city's seq has one owner: everything else asks it.
  const sequences: string[] = [];
  for (const file of await serverFiles(cwd)) {
    if (/city_sequences/i.test(await fs.readFile(path.join(cwd, file), 'utf8'))) sequences.push(file);
  }
  if (sequences.join() !== 'server/events/sequence.ts')
    broken.push(`city_sequences is read or written in ${sequences.join(', ') || 'no file'}: only server/events/sequence.ts may`);
  return broken;
}

describe('where things live', () => {
  it('the server keeps the house rules: modules reach realtime/ only through events/, one owner of city_sequences, resolvers imported only by the schema', async () => {
    const tree = await serverGraph(ROOT);
    // The graph really is the server's, with the files the rules are about.
    expect(Object.keys(tree)).toEqual(
      expect.arrayContaining([
        'server/events/sequence.ts',
        'server/events/writes.ts',
        'server/graphql/schema.ts',
        'server/realtime/ws.ts',
        'server/modules/progress/progress.resolver.ts',
      ]),
    );
    expect(edges(tree).some(([from, to]) => from === 'server/graphql/schema.ts' && isResolver(to))).toBe(true);
    await expect(fs.access(path.join(ROOT, 'server/modules/common'))).rejects.toThrow();
    expect(await violations(ROOT)).toEqual([]);
  });

  it('finds each broken rule in a tree that breaks it (the check would catch one)', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pantau-house-'));
    const write = async (file: string, text: string) => {
      await fs.mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await fs.writeFile(path.join(dir, file), text);
    };
    try {
      await write('tsconfig.json', '{}');
      await write('server/realtime/ws.ts', 'export const socket = 1;\n');
      await write('server/events/sequence.ts', "export const table = 'city_sequences';\n");
      await write('server/modules/cities/city.resolver.ts', 'export const readableCity = 1;\n');
      await write(
        'server/graphql/schema.ts',
        "import { readableCity } from '../modules/cities/city.resolver';\nexport const s = readableCity;\n",
      );
      // Every rule in order: the tree is clean…
      expect(await violations(dir)).toEqual([]);
      // …until a module imports the sockets, another module's resolver, and reads the seq itself.
      await write(
        'server/modules/progress/progress.service.ts',
        "import { socket } from '../../realtime/ws';\nimport { readableCity } from '../cities/city.resolver';\n" +
          "export const q = ['select seq from city_sequences', socket, readableCity];\n",
      );
      await write('server/events/bus.ts', "import { socket } from '../realtime/ws';\nexport const b = socket;\n");
      expect((await violations(dir)).sort()).toEqual([
        'city_sequences is read or written in server/events/sequence.ts, server/modules/progress/progress.service.ts: only server/events/sequence.ts may',
        'server/events/bus.ts imports server/realtime/ws.ts: events/ never climbs into the sockets',
        'server/modules/progress/progress.service.ts imports server/modules/cities/city.resolver.ts: another module is used through its service, never its resolver',
        'server/modules/progress/progress.service.ts imports server/realtime/ws.ts: a module reaches the sockets only through server/events/',
      ]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
