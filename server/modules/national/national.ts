import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { City } from '../cities/city.entity';
import { EvaluationVisit } from '../evaluation/evaluation.entity';

/** The columns the national view sorts by. */
export enum NationalSortKey {
  NAME = 'NAME',
  PROVINCE = 'PROVINCE',
  PROGRESS = 'PROGRESS',
  VERIFIED_PROGRESS = 'VERIFIED_PROGRESS',
  LATE = 'LATE',
  UNVERIFIED = 'UNVERIFIED',
  DAYS_TO_VISIT = 'DAYS_TO_VISIT',
  INDEX = 'INDEX',
  GAPS = 'GAPS',
}
registerEnumType(NationalSortKey, { name: 'NationalSortKey', description: 'A column of the national view to sort by.' });

/** Ascending or descending. */
export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, { name: 'SortDirection', description: 'ASC (smallest, earliest, A first) or DESC.' });

@InputType({ description: 'How the national view is sorted. Ties (and cities without a visit, always last) go by name.' })
export class NationalSort {
  @Field(() => NationalSortKey, { defaultValue: NationalSortKey.NAME }) by: NationalSortKey = NationalSortKey.NAME;
  @Field(() => SortDirection, { defaultValue: SortDirection.ASC }) direction: SortDirection = SortDirection.ASC;
}

/**
 * One city in the national view: the overview's figures, and the achievement index and readiness
 * gaps from the evaluation module (set before sorting, so that they can be sorted by).
 */
@ObjectType({
  description: 'One city side by side with the others: progress, late plans, reports awaiting verification, days to the next visit.',
})
export class NationalCityRow {
  @Field(() => ID) cityId!: string;
  @Field(() => String) name!: string;
  @Field(() => String) province!: string;
  /** The city itself, for nested fields (`city { overview … }`). */
  city!: City;
  @Field(() => Float, { description: 'Weighted progress, every report (as `City.overview.progress`).' }) progress!: number;
  @Field(() => Float, { description: 'Weighted progress, verified reports only (as `overview(basis: VERIFIED)`).' })
  verifiedProgress!: number;
  @Field(() => Int, { description: 'Action plans counted in roll-ups.' }) actionPlanCount!: number;
  @Field(() => Int) lateCount!: number;
  @Field(() => Int) doneCount!: number;
  @Field(() => Int, { description: 'Progress reports submitted and not yet verified or returned.' }) unverifiedCount!: number;
  @Field(() => EvaluationVisit, { nullable: true }) nextEvaluationVisit!: EvaluationVisit | null;
  @Field(() => Int, { nullable: true, description: 'Days to the start of the next visit (0 while it runs); null without one.' })
  daysToNextEvaluation!: number | null;
  @Field(() => Int, { description: "The evaluation year the index and gaps are for: the year of the city's today." })
  evaluationYear!: number;
  @Field(() => Float, {
    nullable: true,
    description:
      "The achievement index from the city's own scores as it stands (as `City.readiness(year).index`); null while the city has no self-assessment for the year.",
  })
  index!: number | null;
  @Field(() => Int, { nullable: true, description: "The top of the framework's scale (the index is out of it); null without a framework." })
  indexScaleMax!: number | null;
  @Field(() => Int, {
    description:
      'Every readiness gap (as `City.readiness(year).gaps.total`): unscored items, missing evidence, unverified reports, late plans.',
  })
  readinessGaps!: number;
}

type Value = string | number | null;

const VALUE: Record<NationalSortKey, (r: NationalCityRow) => Value> = {
  NAME: (r) => r.name,
  PROVINCE: (r) => r.province,
  PROGRESS: (r) => r.progress,
  VERIFIED_PROGRESS: (r) => r.verifiedProgress,
  LATE: (r) => r.lateCount,
  UNVERIFIED: (r) => r.unverifiedCount,
  DAYS_TO_VISIT: (r) => r.daysToNextEvaluation,
  INDEX: (r) => r.index,
  GAPS: (r) => r.readinessGaps,
};

/** Sorts rows by a column; null values last in both directions; ties by name, then id. Pure. */
export function sortRows(rows: readonly NationalCityRow[], sort: NationalSort): NationalCityRow[] {
  const value = VALUE[sort.by];
  const sign = sort.direction === SortDirection.DESC ? -1 : 1;
  const byName = (a: NationalCityRow, b: NationalCityRow) => a.name.localeCompare(b.name, 'id') || a.cityId.localeCompare(b.cityId);
  return [...rows].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === null || vb === null) return va === vb ? byName(a, b) : va === null ? 1 : -1;
    const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb), 'id');
    return c !== 0 ? sign * c : byName(a, b);
  });
}
