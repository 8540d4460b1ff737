import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Dimension } from '../masterplan/dimension';
import { AssessmentStatus } from './assessment.entity';
import { EvaluationDimension } from './framework.entity';

/*
 * The shape of a city's readiness for monev. Plain objects only, the same for every reader of the
 * city (no assessor score is part of it), so one computation per change serves every subscriber.
 */

/** What is missing. */
export enum GapKind {
  UNSCORED = 'UNSCORED',
  MISSING_EVIDENCE = 'MISSING_EVIDENCE',
  UNVERIFIED_REPORT = 'UNVERIFIED_REPORT',
  LATE_PLAN = 'LATE_PLAN',
}
registerEnumType(GapKind, {
  name: 'GapKind',
  description:
    'UNSCORED (an item without a self-score), MISSING_EVIDENCE (an item without attached evidence), UNVERIFIED_REPORT (a progress report awaiting the city team), LATE_PLAN (a late action plan, as the overview counts it).',
});

@ObjectType({ description: 'One thing to do before the visit, and who must do it.' })
export class ReadinessGap {
  @Field(() => GapKind) kind!: GapKind;
  @Field(() => String, { description: "The item's code, the plan's title or code." }) title!: string;
  @Field(() => String, { nullable: true, description: 'The rubric item code (item gaps).' }) code!: string | null;
  @Field(() => EvaluationDimension, { nullable: true }) evaluationDimension!: EvaluationDimension | null;
  @Field(() => Dimension, { nullable: true }) smartCityDimension!: Dimension | null;
  @Field(() => ID, { nullable: true, description: 'Who must act: the OPD responsible for the item, or owning the plan.' }) opdId!:
    string | null;
  @Field(() => String, { nullable: true }) opdName!: string | null;
  @Field(() => ID, { nullable: true }) assessmentItemId!: string | null;
  @Field(() => ID, { nullable: true }) actionPlanId!: string | null;
  @Field(() => ID, { nullable: true }) progressReportId!: string | null;
}

@ObjectType({ description: 'Gap counts of a group (an evaluation dimension, a smart-city dimension, an OPD).' })
export class GapCounts {
  @Field(() => Int) unscored = 0;
  @Field(() => Int) missingEvidence = 0;
  @Field(() => Int) unverifiedReports = 0;
  @Field(() => Int) latePlans = 0;
  @Field(() => Int, { description: 'All of them.' }) total = 0;
}

@ObjectType({ description: "An evaluation dimension's score as it stands and its gaps." })
export class ReadinessDimension {
  @Field(() => EvaluationDimension) dimension!: EvaluationDimension;
  @Field(() => String) label!: string;
  @Field(() => Float) weight!: number;
  @Field(() => Float, { description: 'On the scale; unscored items count as the minimum.' }) score!: number;
  @Field(() => Int) itemCount!: number;
  @Field(() => GapCounts) gaps!: GapCounts;
}

@ObjectType({ description: "A smart-city dimension's gaps: its items, its late plans and unverified reports." })
export class ReadinessSmartCityDimension {
  @Field(() => Dimension) dimension!: Dimension;
  @Field(() => String) label!: string;
  @Field(() => Int) itemCount!: number;
  @Field(() => GapCounts) gaps!: GapCounts;
}

@ObjectType({ description: 'An OPD that must act, with its gaps.' })
export class ReadinessOpd {
  @Field(() => ID) opdId!: string;
  @Field(() => String) name!: string;
  @Field(() => String) abbreviation!: string;
  @Field(() => GapCounts) gaps!: GapCounts;
}

@ObjectType({ description: 'One rubric item as it stands.' })
export class ReadinessItem {
  @Field(() => ID) assessmentItemId!: string;
  @Field(() => String) code!: string;
  @Field(() => String) question!: string;
  @Field(() => EvaluationDimension) evaluationDimension!: EvaluationDimension;
  @Field(() => Dimension, { nullable: true }) smartCityDimension!: Dimension | null;
  @Field(() => Float, { nullable: true, description: "The city's own score; null while unscored." }) score!: number | null;
  @Field(() => Int, { description: 'How many pieces of evidence are attached.' }) evidenceCount!: number;
  @Field(() => ID, { nullable: true }) opdId!: string | null;
  @Field(() => String, { nullable: true }) opdName!: string | null;
}

@ObjectType({
  description:
    "A city's readiness for the year's evaluation visit (monev): what is missing and who must supply it. Computed, never typed in.",
})
export class Readiness {
  @Field(() => ID) cityId!: string;
  @Field(() => Int) year!: number;
  @Field(() => Int, { description: "The city's event `seq` it reflects (at least)." }) seq!: number;
  @Field(() => Date) asOf!: Date;
  @Field(() => String, { description: "The city's today, YYYY-MM-DD." }) today!: string;
  @Field(() => ID, { nullable: true, description: "The year's framework revision in use: the self-assessment's, else the latest." })
  frameworkId!: string | null;
  @Field(() => String, { nullable: true }) frameworkName!: string | null;
  @Field(() => ID, { nullable: true, description: "The city's self-assessment of the year (on the latest revision it has one for)." })
  assessmentId!: string | null;
  @Field(() => AssessmentStatus, { nullable: true }) assessmentStatus!: AssessmentStatus | null;
  @Field(() => Int) scaleMin!: number;
  @Field(() => Int) scaleMax!: number;
  @Field(() => Float, {
    description: "The index from the city's own scores as it stands (unscored items count as the minimum), two decimals.",
  })
  index!: number;
  @Field(() => Int) itemCount!: number;
  @Field(() => Int) scoredCount!: number;
  @Field(() => GapCounts, { description: 'The whole city.' }) gaps!: GapCounts;
  @Field(() => String, { nullable: true, description: 'First day of the next (or current) evaluation visit, YYYY-MM-DD.' })
  visitStartDate!: string | null;
  @Field(() => String, { nullable: true }) visitEndDate!: string | null;
  @Field(() => Int, { nullable: true, description: 'Days left before the visit (0 while it runs), as `overview.daysToNextEvaluation`.' })
  daysToVisit!: number | null;
  @Field(() => [ReadinessDimension]) dimensions!: ReadinessDimension[];
  @Field(() => [ReadinessSmartCityDimension]) smartCityDimensions!: ReadinessSmartCityDimension[];
  @Field(() => [ReadinessOpd], { description: 'OPDs with gaps, most first: who must act.' }) opds!: ReadinessOpd[];
  @Field(() => Int, { description: 'Items with gaps but no responsible OPD yet.' }) unassignedItemGaps!: number;
  @Field(() => [ReadinessItem], { description: 'Every item, in rubric order.' }) items!: ReadinessItem[];
  @Field(() => [ReadinessGap], {
    description:
      'Every gap: items (unscored, then missing evidence, in rubric order), then unverified reports (oldest first), then late plans (earliest due first).',
  })
  gapList!: ReadinessGap[];
}
