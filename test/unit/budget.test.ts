import { buildSchema, graphql } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { OperationBudget } from '../../server/graphql/budget';
import { guardExecution } from '../../server/graphql/pipeline';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);

describe('the per-operation budget', () => {
  afterEach(() => {
    process.off('unhandledRejection', onRejection);
  });

  it('fails a list whose budget runs out mid-way with one error, and leaves no rejection unhandled', async () => {
    // graphql-js 16 abandons the pending items of a list when a later non-null item throws
    // synchronously; had the budget thrown, the first item's own budget error would have been an
    // unhandled rejection (which fails a whole test run and can crash a process).
    process.on('unhandledRejection', onRejection);
    const schema = guardExecution(buildSchema('type Inner { y: String! } type Obj { x: Inner! } type Query { list: [Obj!]! }'));
    const spin = (ms: number) => {
      const end = performance.now() + ms;
      while (performance.now() < end);
    };
    const contextValue: { locale: string; requestId: string; budget?: OperationBudget } = { locale: 'id', requestId: 't' };
    const rootValue = {
      // The budget starts with the list (1 ms), so that parsing and validation do not spend it.
      list: () => {
        contextValue.budget = new OperationBudget(1, 1_000, 'id');
        return [
          {
            // Spends the budget, then answers later; its `y` then meets the spent budget.
            x: () => {
              spin(5);
              return sleep(20).then(() => ({ y: 'a' }));
            },
          },
          { x: () => ({ y: 'b' }) },
        ];
      },
    };
    const result = await graphql({ schema, source: '{ list { x { y } } }', rootValue, contextValue });
    await sleep(60);
    expect(result.data).toBeNull();
    expect(result.errors?.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', limit: 'time', max: 1 }]);
    expect(rejections).toEqual([]);
  });
});
