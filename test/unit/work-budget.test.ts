import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../server/env';
import { answeredCost, DEFAULT_WORK_BUDGET, WorkBudgets, workSubject } from '../../server/graphql/work-budget';

describe('the work budget of a subject (a token bucket in memory)', () => {
  const clock = () => {
    let now = 0;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  };

  it('spends until the budget is out, then refuses with RATE_LIMITED and when it will hold the units; subjects are apart', () => {
    const time = clock();
    const budgets = new WorkBudgets({ units: 100, unitsPerSecond: 10, maxConcurrent: 8, maxQueued: 32 }, time.now);
    expect(budgets.trySpend('a', 60)).toBeNull();
    expect(budgets.trySpend('a', 40)).toBeNull();
    const refused = budgets.trySpend('a', 25);
    expect(refused?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 3, limit: 'budget' });
    expect(refused?.extensions.http).toMatchObject({ status: 429 });
    // A refusal spends nothing; another subject has its whole budget.
    expect(budgets.available('a')).toBe(0);
    expect(budgets.trySpend('b', 100)).toBeNull();
    // Until then, even what it holds is refused (it was told to come back in 3 s).
    time.advance(1_000);
    expect(budgets.trySpend('a', 1)?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 2 });
    time.advance(1_000);
    expect(budgets.available('a')).toBe(20);
    expect(budgets.trySpend('a', 25)).not.toBeNull();
    time.advance(500);
    expect(budgets.trySpend('a', 25)).toBeNull();
    expect(budgets.available('a')).toBe(0);
  });

  it('gives back what an operation was charged beyond its answer, never above a full budget, and an answer counts one per field', () => {
    const time = clock();
    const budgets = new WorkBudgets({ units: 100, unitsPerSecond: 10, maxConcurrent: 8, maxQueued: 32 }, time.now);
    budgets.spend('a', 90);
    budgets.refund('a', 60);
    expect(budgets.available('a')).toBe(70);
    budgets.refund('a', 1_000);
    expect(budgets.available('a')).toBe(100);
    budgets.refund('nobody', 10);
    expect(budgets.available('nobody')).toBe(100);
    // Fields of every object, a list's items each: city(1) + plans(1) + 2 × (id, title, tags) + 2 × 1 tag field.
    const data = {
      city: {
        plans: [
          { id: '1', title: 'a', tags: [{ id: 't' }] },
          { id: '2', title: 'b', tags: [{ id: 'u' }] },
        ],
      },
    };
    expect(answeredCost(data, 1_000)).toBe(10);
    expect(answeredCost(data, 4)).toBe(4);
    expect(answeredCost(null, 1_000)).toBe(0);
  });

  it('refills up to the whole budget, no further, and runs an operation dearer than the budget when it is full', () => {
    const time = clock();
    const budgets = new WorkBudgets({ units: 100, unitsPerSecond: 10, maxConcurrent: 8, maxQueued: 32 }, time.now);
    budgets.spend('a', 50);
    time.advance(3_600_000);
    expect(budgets.available('a')).toBe(100);
    expect(budgets.trySpend('a', 1_000)).toBeNull();
    expect(budgets.available('a')).toBe(0);
    expect(() => budgets.spend('a', 1_000)).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ retryAfterSeconds: 10 }) }),
    );
  });

  it('keeps no entry for a subject whose budget has refilled, and shares one overflow budget when the table is full', () => {
    const time = clock();
    const budgets = new WorkBudgets({ units: 100, unitsPerSecond: 10, maxConcurrent: 8, maxQueued: 32 }, time.now, 3);
    for (const s of ['a', 'b', 'c']) budgets.spend(s, 100);
    expect(budgets.size).toBe(3);
    // Full: new subjects share one budget; the spent ones keep theirs.
    expect(budgets.trySpend('d', 60)).toBeNull();
    expect(budgets.trySpend('e', 60)).not.toBeNull();
    expect(budgets.trySpend('a', 1)).not.toBeNull();
    // Once the others have refilled, they are dropped and a new subject has its own budget.
    time.advance(10_000);
    expect(budgets.trySpend('f', 100)).toBeNull();
    expect(budgets.size).toBe(1);
  });

  it('counts a user or screen token by its id and an anonymous client by its address', () => {
    const principal = { userId: 'screen:1' } as Parameters<typeof workSubject>[0];
    expect(workSubject(principal, '10.0.0.1')).toBe('screen:1');
    expect(workSubject(null, '10.0.0.1')).toBe('addr:10.0.0.1');
    expect(workSubject(null, undefined)).toBe('addr:unknown');
  });

  it('is set by WORK_BUDGET_UNITS, WORK_BUDGET_UNITS_PER_SECOND, WORK_MAX_CONCURRENT and WORK_MAX_QUEUED, validated', () => {
    expect(loadSettings({}).workBudget).toEqual(DEFAULT_WORK_BUDGET);
    expect(DEFAULT_WORK_BUDGET).toEqual({ units: 100_000, unitsPerSecond: 5_000, maxConcurrent: 8, maxQueued: 64 });
    expect(
      loadSettings({ WORK_BUDGET_UNITS: '25000', WORK_BUDGET_UNITS_PER_SECOND: '7', WORK_MAX_CONCURRENT: '3', WORK_MAX_QUEUED: '0' })
        .workBudget,
    ).toEqual({ units: 25_000, unitsPerSecond: 7, maxConcurrent: 3, maxQueued: 0 });
    // Whatever the cost limit admits fits in a budget: five of the dearest by default, one (and its 10 units) at least.
    expect(loadSettings({ GRAPHQL_MAX_COST: '1000000' }).workBudget.units).toBe(5_000_000);
    expect(() => loadSettings({ GRAPHQL_MAX_COST: '300000', WORK_BUDGET_UNITS: '300000' })).toThrow(
      /WORK_BUDGET_UNITS must be a whole number from 300010/,
    );
    expect(() =>
      loadSettings({ WORK_BUDGET_UNITS: '10', WORK_BUDGET_UNITS_PER_SECOND: '0', WORK_MAX_CONCURRENT: '0', WORK_MAX_QUEUED: '-1' }),
    ).toThrow(/WORK_BUDGET_UNITS must[\s\S]*WORK_BUDGET_UNITS_PER_SECOND must[\s\S]*WORK_MAX_CONCURRENT must[\s\S]*WORK_MAX_QUEUED must/);
  });

  it('runs at most maxConcurrent operations of a subject at once, the next ones in order, and refuses beyond maxQueued', async () => {
    const budgets = new WorkBudgets({ units: 100, unitsPerSecond: 10, maxConcurrent: 2, maxQueued: 2 });
    const order: string[] = [];
    const first = await budgets.enter('a');
    const second = await budgets.enter('a');
    const third = budgets.enter('a').then((release) => (order.push('third'), release));
    const fourth = budgets.enter('a').then((release) => (order.push('fourth'), release));
    await expect(budgets.enter('a')).rejects.toMatchObject({
      extensions: { code: 'RATE_LIMITED', limit: 'concurrency', retryAfterSeconds: 1 },
    });
    // Another subject never waits for it.
    (await budgets.enter('b'))();
    expect(budgets.load('a')).toEqual({ running: 2, waiting: 2 });
    expect(order).toEqual([]);
    first();
    first(); // a second call gives nothing back twice
    (await third)();
    expect(order).toEqual(['third']);
    second();
    (await fourth)();
    expect(order).toEqual(['third', 'fourth']);
    expect(budgets.load('a')).toEqual({ running: 0, waiting: 0 });
  });
});
