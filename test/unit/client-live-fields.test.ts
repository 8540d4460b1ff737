import fs from 'node:fs/promises';
import path from 'node:path';
import {
  Kind,
  OperationTypeNode,
  parse,
  print,
  visit,
  type DocumentNode,
  type ExecutionArgs,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { MORE_PLANS_QUERY, SCREEN_SUBSCRIPTION, SNAPSHOT_QUERY } from '../../dashboard/src/api/queries';
import { liveFieldOf } from '../../server/graphql/live-fields';
import { getSchema } from '../../server/graphql/schema';
import { CITY_STATE, citySourceOf } from '../../server/http/answer-cache';
import { patcherFor } from '../../server/realtime/patched';

// The client's real documents, read from its source (every string in dashboard/src that is a
// GraphQL document: the kiosk's and the desk's, written with graphql() or not yet), checked against
// what the server's answer cache and live path know how to treat.

const ROOT = path.resolve(__dirname, '..', '..');

/** Source files of the client (tests and generated types left out). */
async function clientFiles(dir = 'dashboard/src'): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await clientFiles(rel)));
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$|\.generated\.ts$/.test(entry.name)) out.push(rel);
  }
  return out;
}

/** Every GraphQL text literal of a file: strings and templates without `${…}` that parse as operations or fragments. */
function literalsOf(file: string, text: string): { documents: DocumentNode[]; interpolated: number } {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const documents: DocumentNode[] = [];
  let interpolated = 0;
  const isGraphQL = (s: string) => /^\s*(query|mutation|subscription|fragment)\s+\w/.test(s);
  const walk = (node: ts.Node): void => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && isGraphQL(node.text)) documents.push(parse(node.text));
    else if (ts.isTemplateExpression(node) && isGraphQL(node.head.text)) interpolated++;
    ts.forEachChild(node, walk);
  };
  walk(source);
  return { documents, interpolated };
}

interface ClientOperation {
  file: string;
  name: string;
  operation: OperationDefinitionNode;
  /** The operation with the fragments it spreads. */
  document: DocumentNode;
}

/** The client's operations, each with the fragments it uses (from any file), and how many texts were built with `${…}`. */
async function clientOperations(): Promise<{ operations: ClientOperation[]; interpolated: string[] }> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const found: { file: string; operation: OperationDefinitionNode }[] = [];
  const interpolated: string[] = [];
  for (const file of await clientFiles()) {
    const { documents, interpolated: n } = literalsOf(file, await fs.readFile(path.join(ROOT, file), 'utf8'));
    if (n) interpolated.push(`${file}: ${n}`);
    for (const d of documents.flatMap((doc) => doc.definitions)) {
      if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
      else if (d.kind === Kind.OPERATION_DEFINITION) found.push({ file, operation: d });
    }
  }
  const operations = found.map(({ file, operation }) => {
    const used = new Map<string, FragmentDefinitionNode>();
    const collect = (node: OperationDefinitionNode | FragmentDefinitionNode): void => {
      visit(node, {
        FragmentSpread(spread) {
          const fragment = fragments.get(spread.name.value);
          if (!fragment) throw new Error(`${file}: fragment ${spread.name.value} is defined nowhere in dashboard/src`);
          if (used.has(fragment.name.value)) return;
          used.set(fragment.name.value, fragment);
          collect(fragment);
        },
      });
    };
    collect(operation);
    const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...used.values()] };
    return { file, name: operation.name?.value ?? '(anonymous)', operation, document };
  });
  return { operations, interpolated };
}

/** The fields of `operation` the answer cache refuses (empty: it keeps the answer until the city changes). */
function refusedByCache(schema: GraphQLSchema, op: ClientOperation): string[] {
  const refused: string[] = [];
  const source = citySourceOf(schema, op.document, op.operation, (why) => refused.push(why));
  return source ? [] : refused.length ? refused : ['no single city(id:) root'];
}

/** What the live path cannot treat in a subscription (empty: shared, and patched when declared so). */
function refusedByLivePath(schema: GraphQLSchema, op: ClientOperation): string[] {
  const roots = op.operation.selectionSet.selections;
  const root = roots[0];
  if (roots.length !== 1 || root?.kind !== Kind.FIELD) return ['one root field'];
  const live = liveFieldOf(schema, root.name.value);
  if (!live) return [`Subscription.${root.name.value} declares no liveField (not shared)`];
  const wantsPatches = root.selectionSet?.selections.some((s) => s.kind === Kind.FIELD && s.name.value === 'patch');
  if (wantsPatches && !live.patch) return [`Subscription.${root.name.value} is not patched, yet the selection asks for a patch`];
  if (live.patch && wantsPatches && !patcherFor({ schema, document: op.document } as ExecutionArgs))
    return [`Subscription.${root.name.value}: its seq, baseSeq and patch must be selected directly`];
  return [];
}

/** The client's queries the answer cache must keep: the kiosk's (a wall of screens opens with them). */
const KEPT = ['LayarSnapshot', 'LayarPlans'];

describe("the client's documents and what the server's cache and live path can treat", () => {
  let schema: GraphQLSchema;
  let found: Awaited<ReturnType<typeof clientOperations>>;
  beforeAll(async () => {
    schema = await getSchema();
    found = await clientOperations();
  });

  it('reads the real documents from dashboard/src (the kiosk’s as it sends them)', () => {
    const byName = new Map(found.operations.map((o) => [o.name, o]));
    for (const [name, text] of [
      ['LayarSnapshot', SNAPSHOT_QUERY],
      ['LayarPlans', MORE_PLANS_QUERY],
      ['LayarScreen', SCREEN_SUBSCRIPTION],
    ] as const) {
      const op = byName.get(name);
      expect(op, name).toBeDefined();
      // The same operation and fragments as the text the kiosk sends (in any order).
      const sent = parse(text)
        .definitions.map((d) => print(d))
        .sort();
      expect(op!.document.definitions.map((d) => print(d)).sort()).toEqual(sent);
    }
    // The desk's too: its change stream and a page's query.
    expect([...byName.keys()]).toEqual(expect.arrayContaining(['DeskEvents', 'DeskMe']));
    // Every operation has a unique name (codegen's types and the shared runs go by it).
    expect(found.operations.length).toBe(byName.size);
  });

  it('every subscription of the client is shared by the live path (and patched when it asks for patches)', () => {
    const subscriptions = found.operations.filter((o) => o.operation.operation === OperationTypeNode.SUBSCRIPTION);
    expect(subscriptions.map((o) => o.name).sort()).toEqual(expect.arrayContaining(['DeskEvents', 'LayarScreen']));
    expect(subscriptions.flatMap((o) => refusedByLivePath(schema, o).map((why) => `${o.file} ${o.name}: ${why}`))).toEqual([]);
  });

  it("the answer cache keeps the kiosk's queries: they select only fields it knows", () => {
    const refused = KEPT.flatMap((name) => {
      const op = found.operations.find((o) => o.name === name);
      return op ? refusedByCache(schema, op).map((why) => `${name}: ${why}`) : [`${name}: not found`];
    });
    expect(refused).toEqual([]);
  });

  it('the answer cache names only types and fields that exist', () => {
    const missing = Object.entries(CITY_STATE).flatMap(([type, fields]) => {
      const named = schema.getType(type);
      if (!named || !('getFields' in named)) return [type];
      const have = named.getFields();
      return fields === '*' ? [] : fields.filter((f) => !have[f]).map((f) => `${type}.${f}`);
    });
    expect(missing).toEqual([]);
  });
});
