import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity';
import type { Locale } from '../../i18n';
import { Dimension } from '../masterplan/dimension';

/** The ministry's five evaluation dimensions (not the six smart-city dimensions). */
export enum EvaluationDimension {
  BASELINE = 'BASELINE',
  OUTPUT = 'OUTPUT',
  OUTCOME = 'OUTCOME',
  IMPACT = 'IMPACT',
  QUICK_WIN = 'QUICK_WIN',
}
registerEnumType(EvaluationDimension, {
  name: 'EvaluationDimension',
  description:
    "The ministry's evaluation dimensions: BASELINE (improvement since last year), OUTPUT (policy, institutions, budget), OUTCOME (plans carried out), IMPACT (benefit felt by citizens), QUICK_WIN (innovation).",
});

/** All five evaluation dimensions, in the ministry's order. */
export const EVALUATION_DIMENSIONS: readonly EvaluationDimension[] = Object.values(EvaluationDimension);

const labels: Record<EvaluationDimension, Record<Locale, string>> = {
  BASELINE: { id: 'Baseline (peningkatan dari tahun lalu)', en: 'Baseline (improvement since last year)' },
  OUTPUT: { id: 'Output (kebijakan, kelembagaan, anggaran)', en: 'Output (policy, institutions, budget)' },
  OUTCOME: { id: 'Outcome (rencana aksi terlaksana)', en: 'Outcome (plans carried out)' },
  IMPACT: { id: 'Dampak (manfaat bagi warga)', en: 'Impact (benefit felt by citizens)' },
  QUICK_WIN: { id: 'Quick win (inovasi)', en: 'Quick win (innovation)' },
};

/** The evaluation dimension's name for people. */
export function evaluationDimensionLabel(d: EvaluationDimension, locale: Locale): string {
  return labels[d][locale];
}

/** Weight (percent) of each evaluation dimension; the five sum to 100. */
export type DimensionWeights = Record<EvaluationDimension, number>;

/**
 * The ministry's rubric for one year, as data. Editing one that a SUBMITTED self-assessment uses
 * makes a new revision (copy-on-write); the submitted assessment keeps its own.
 */
@ObjectType({
  description: "The ministry's evaluation rubric of one year (one revision of it): its dimensions and weights, items and scoring scale.",
})
@Entity({ tableName: 'evaluation_frameworks' })
@Unique({ properties: ['year', 'revision'] })
export class EvaluationFramework extends BaseEntity {
  @Field(() => Int, { description: 'The evaluation year.' })
  @Property({ type: 'integer' })
  year: number;

  @Field(() => Int, { description: 'Revision within the year, from 1: editing a frozen framework makes the next one.' })
  @Property({ type: 'integer' })
  revision: number = 1;

  @Field(() => String)
  @Property({ type: 'string', length: 300 })
  name: string;

  @Field(() => String, {
    description:
      "When the ministry publishes its scores (YYYY-MM-DD): before 00:00 WIB that day a city never sees the assessors' scores (every city at once, whatever its time zone).",
  })
  @Property({ type: 'date' })
  publishDate: string;

  @Field(() => Int, { description: 'Lowest score of the scale (0 by default).' })
  @Property({ type: 'integer' })
  scaleMin: number = 0;

  @Field(() => Int, { description: 'Highest score of the scale (4 by default: the index reads like "3,48 of 4").' })
  @Property({ type: 'integer' })
  scaleMax: number = 4;

  /** Percent per evaluation dimension (sums to 100). */
  @Property({ type: 'json' })
  weights: DimensionWeights;

  /** The revision this one was made from, when it was made by editing a frozen one. */
  @ManyToOne({ entity: () => EvaluationFramework, type: 'EvaluationFramework', nullable: true })
  previous: EvaluationFramework | null = null;

  constructor(year: number, name: string, publishDate: string, weights: DimensionWeights) {
    super();
    this.year = year;
    this.name = name;
    this.publishDate = publishDate;
    this.weights = weights;
  }
}

/** One question of the rubric. */
@ObjectType({ description: 'One item (question) of a rubric, with the evidence it expects.' })
@Entity({ tableName: 'rubric_items' })
@Unique({ properties: ['framework', 'code'] })
export class RubricItem extends BaseEntity {
  @Index()
  @ManyToOne({ entity: () => EvaluationFramework, type: 'EvaluationFramework' })
  framework: EvaluationFramework;

  @Field(() => String, { description: 'Reference code, e.g. "OUT-02"; stays the same across revisions and years.' })
  @Property({ type: 'string', length: 40 })
  code: string;

  @Field(() => String)
  @Property({ type: 'text' })
  question: string;

  @Field(() => String, { description: 'What evidence (data dukung) the item expects.' })
  @Property({ type: 'text' })
  expectedEvidence: string;

  @Field(() => EvaluationDimension)
  @Enum({ items: () => EvaluationDimension, type: 'string' })
  dimension: EvaluationDimension;

  @Field(() => Dimension, { nullable: true, description: 'The smart-city dimension it concerns, if one.' })
  @Enum({ items: () => Dimension, type: 'string', nullable: true })
  smartCityDimension: Dimension | null = null;

  @Field(() => Float, { description: 'Weight within its evaluation dimension (relative).' })
  @Property({ type: 'double' })
  weight: number = 1;

  @Field(() => String, { nullable: true, description: 'Which kind of OPD usually supplies it, e.g. "Bappelitbang", "Diskominfo".' })
  @Property({ type: 'string', length: 200, nullable: true })
  supplierHint: string | null = null;

  @Field(() => Int, { description: 'Order within the rubric.' })
  @Property({ type: 'integer' })
  position: number = 0;

  constructor(framework: EvaluationFramework, code: string, question: string, expectedEvidence: string, dimension: EvaluationDimension) {
    super();
    this.framework = framework;
    this.code = code;
    this.question = question;
    this.expectedEvidence = expectedEvidence;
    this.dimension = dimension;
  }
}
