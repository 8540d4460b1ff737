import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import type { Ctor } from '../util/ids';
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { badInput } from '../errors';

/** The most rows one page may ask for; `first` above it is refused (BAD_USER_INPUT). */
export const MAX_PAGE_SIZE = 100;
/** Rows on a page when `first` is not given. */
export const DEFAULT_PAGE_SIZE = 20;

/** Relay page information. */
@ObjectType({ description: 'Where this page sits in the whole list.' })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;
  @Field(() => Boolean)
  hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true })
  startCursor!: string | null;
  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** `first`/`after` arguments shared by every connection. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Rows to return (default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}).` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Return rows after this cursor (an `endCursor` or edge `cursor`).' })
  after?: string | null;
}

/** One page of a connection, before GraphQL shapes it. */
export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** Makes the `XConnection` and `XEdge` types for a node type. */
export function connectionType<T extends object>(node: ClassType<T>, name: string): ClassType<Page<T>> {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => String)
    cursor!: string;
    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} objects (Relay cursor connection).` })
  class Connection {
    @Field(() => [Edge])
    edges!: Edge[];
    @Field(() => PageInfo)
    pageInfo!: PageInfo;
    @Field(() => Int, { description: 'How many rows match the filter in all pages.' })
    totalCount!: number;
  }
  return Connection as ClassType<Page<T>>;
}

/** The page size asked for, validated. */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) throw badInput('first', 'firstRange', { max: MAX_PAGE_SIZE });
  return first;
}

/** Encodes an opaque cursor from a sort key. */
export function encodeCursor(key: string): string {
  return Buffer.from(`v1:${key}`, 'utf8').toString('base64url');
}

/** Decodes a cursor made by `encodeCursor`; BAD_USER_INPUT for anything else. */
export function decodeCursor(cursor: string): string {
  const text = cursor.length <= 200 ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!text.startsWith('v1:')) throw badInput('after', 'badCursor');
  return text.slice(3);
}

/**
 * Pages a fully sorted in-memory list. `keyOf` gives each row's sort key as a string that sorts
 * the same way as the list; the cursor holds the key, so a page stays correct when rows before
 * it disappear.
 */
export function pageOfList<T>(rows: T[], keyOf: (row: T) => string, args: PageArgs): Page<T> {
  const size = pageSize(args.first);
  let start = 0;
  if (args.after) {
    const after = decodeCursor(args.after);
    start = rows.findIndex((row) => keyOf(row) > after);
    if (start < 0) start = rows.length;
  }
  const slice = rows.slice(start, start + size);
  const edges = slice.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    totalCount: rows.length,
    pageInfo: {
      hasNextPage: start + size < rows.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/**
 * Pages a table by id (ids are UUIDv7, so id order is creation order) with keyset SQL: one
 * statement for the page and one for the count.
 */
export async function pageOfQuery<T extends { id: string }>(
  em: EntityManager,
  entity: Ctor<T>,
  where: FilterQuery<T>,
  args: PageArgs,
  direction: 'asc' | 'desc' = 'asc',
): Promise<Page<T>> {
  const size = pageSize(args.first);
  const after = args.after ? decodeCursor(args.after) : null;
  const pageWhere = after
    ? ({ $and: [where, { id: direction === 'asc' ? { $gt: after } : { $lt: after } }] } as unknown as FilterQuery<T>)
    : where;
  const [rows, totalCount] = await Promise.all([
    size === 0
      ? Promise.resolve([] as T[])
      : (em.find(entity, pageWhere, { orderBy: { id: direction } as never, limit: size + 1 }) as Promise<T[]>),
    em.count(entity, where),
  ]);
  const slice = rows.slice(0, size);
  const edges = slice.map((node) => ({ cursor: encodeCursor(node.id), node }));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: rows.length > size,
      hasPreviousPage: after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
