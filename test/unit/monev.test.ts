import { describe, expect, it } from 'vitest';
import { EvaluationDimension as E } from '../../server/modules/monev/framework.entity';
import { computeIndex } from '../../server/modules/monev/score';

describe('monev index (pure)', () => {
  const weights = { BASELINE: 10, OUTPUT: 20, OUTCOME: 30, IMPACT: 30, QUICK_WIN: 10 };
  it('weights items within a dimension and dimensions in the index; unscored items count as the minimum', () => {
    // OUTPUT (1×2 + 3×4) / 4 = 3.5; IMPACT unscored → 1 (the minimum of a 1–5 scale); QUICK_WIN has no items → 1.
    // (10×4 + 20×3.5 + 30×3 + 30×1 + 10×1) / 100 = (40 + 70 + 90 + 30 + 10) / 100 = 2.40.
    const f = computeIndex({ scaleMin: 1, scaleMax: 5 }, weights, [
      { dimension: E.BASELINE, weight: 1, score: 4 },
      { dimension: E.OUTPUT, weight: 1, score: 2 },
      { dimension: E.OUTPUT, weight: 3, score: 4 },
      { dimension: E.OUTCOME, weight: 2, score: 3 },
      { dimension: E.IMPACT, weight: 1, score: null },
    ]);
    expect(f.index).toBe(2.4);
    expect(f.dimensions.map((d) => d.score)).toEqual([4, 3.5, 3, 1, 1]);
    expect([f.itemCount, f.scoredCount]).toEqual([5, 4]);
  });
});
