import { describe, expect, it } from 'vitest';
import { GraphQLError } from 'graphql';
import { decodeCursor, encodeCursor, MAX_PAGE_SIZE, pageOfList, type Page } from '../../server/graphql/connection';

const rows = Array.from({ length: 7 }, (_, i) => ({ key: `k${i}` }));
const keyOf = (r: { key: string }) => r.key;

describe('cursor pages of a sorted list', () => {
  it('walks the list page by page without gaps or repeats', () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Page<{ key: string }> = pageOfList(rows, keyOf, { first: 3, after });
      seen.push(...page.edges.map((e) => e.node.key));
      expect(page.totalCount).toBe(7);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(rows.map(keyOf));
  });

  it('stays correct when the row under the cursor disappears', () => {
    const page = pageOfList(rows, keyOf, { first: 2 });
    const without = rows.filter((r) => r.key !== 'k1');
    expect(pageOfList(without, keyOf, { first: 2, after: page.pageInfo.endCursor }).edges.map((e) => e.node.key)).toEqual(['k2', 'k3']);
  });

  it('refuses page sizes above the cap and bad cursors with BAD_USER_INPUT', () => {
    const attempt = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as GraphQLError).extensions.code;
      }
      return 'no error';
    };
    expect(attempt(() => pageOfList(rows, keyOf, { first: MAX_PAGE_SIZE + 1 }))).toBe('BAD_USER_INPUT');
    expect(attempt(() => pageOfList(rows, keyOf, { first: -1 }))).toBe('BAD_USER_INPUT');
    expect(attempt(() => pageOfList(rows, keyOf, { after: 'not-a-cursor' }))).toBe('BAD_USER_INPUT');
    expect(decodeCursor(encodeCursor('2026-01-01|x'))).toBe('2026-01-01|x');
  });
});
