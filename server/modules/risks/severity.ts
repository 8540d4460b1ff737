import { registerEnumType } from 'type-graphql';

/** A risk's severity band, from likelihood × impact (1–25). */
export enum RiskLevel {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
  VERY_HIGH = 'VERY_HIGH',
}
registerEnumType(RiskLevel, {
  name: 'RiskLevel',
  description: 'Severity from likelihood × impact: LOW 1–4, MEDIUM 5–9, HIGH 10–14, VERY_HIGH 15–25.',
});

/** The scales' bounds: likelihood and impact are each 1–5. */
export const RISK_SCALE = { min: 1, max: 5 } as const;

/** The severity band of a score (likelihood × impact). */
export function riskLevel(score: number): RiskLevel {
  if (score >= 15) return RiskLevel.VERY_HIGH;
  if (score >= 10) return RiskLevel.HIGH;
  if (score >= 5) return RiskLevel.MEDIUM;
  return RiskLevel.LOW;
}

/** One cell of the 5×5 matrix. */
export interface MatrixCell {
  likelihood: number;
  impact: number;
  score: number;
  level: RiskLevel;
  count: number;
}

/** The 25 cells (likelihood 5→1 by rows, impact 1→5 within a row) counting `risks`. */
export function riskMatrix(risks: readonly { likelihood: number; impact: number }[]): MatrixCell[] {
  const cells: MatrixCell[] = [];
  for (let likelihood = RISK_SCALE.max; likelihood >= RISK_SCALE.min; likelihood--) {
    for (let impact = RISK_SCALE.min; impact <= RISK_SCALE.max; impact++) {
      const score = likelihood * impact;
      cells.push({
        likelihood,
        impact,
        score,
        level: riskLevel(score),
        count: risks.filter((r) => r.likelihood === likelihood && r.impact === impact).length,
      });
    }
  }
  return cells;
}
