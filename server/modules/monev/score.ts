import { roundTo } from '../../util/validate';
import { EVALUATION_DIMENSIONS, type DimensionWeights, type EvaluationDimension } from './framework.entity';

/**
 * The achievement index, computed (never typed in). Pure: the service loads the rows.
 *
 * - An evaluation dimension's score is the weighted mean of its items' scores (each item's
 *   `weight` within its dimension). An item without a score counts as the scale's minimum, so
 *   the index reads "as it stands": every gap pulls it down and filling one raises it.
 * - A dimension without items scores the minimum.
 * - The index is Σ (dimension weight % × dimension score) / 100, on the framework's scale
 *   (0–4 by default: "3,48").
 * Figures are rounded to two decimals only when shown.
 */

/** One item as the computation needs it. */
export interface ScoredItem {
  dimension: EvaluationDimension;
  weight: number;
  score: number | null;
}

/** One dimension's figures. */
export interface DimensionFigure {
  dimension: EvaluationDimension;
  weight: number;
  score: number;
  itemCount: number;
  scoredCount: number;
}

/** The index and its parts. */
export interface IndexFigures {
  index: number;
  dimensions: DimensionFigure[];
  itemCount: number;
  scoredCount: number;
}

/** Computes the index of `items` on a framework's scale and weights (rounded to 2 decimals). */
export function computeIndex(
  scale: { scaleMin: number; scaleMax: number },
  weights: DimensionWeights,
  items: readonly ScoredItem[],
): IndexFigures {
  let index = 0;
  const dimensions = EVALUATION_DIMENSIONS.map((dimension) => {
    const members = items.filter((i) => i.dimension === dimension);
    const totalWeight = members.reduce((sum, i) => sum + i.weight, 0);
    const score =
      totalWeight > 0 ? members.reduce((sum, i) => sum + i.weight * (i.score ?? scale.scaleMin), 0) / totalWeight : scale.scaleMin;
    const weight = weights[dimension] ?? 0;
    index += (weight * score) / 100;
    return {
      dimension,
      weight,
      score: roundTo(score, 2),
      itemCount: members.length,
      scoredCount: members.filter((i) => i.score !== null).length,
    };
  });
  return { index: roundTo(index, 2), dimensions, itemCount: items.length, scoredCount: items.filter((i) => i.score !== null).length };
}
