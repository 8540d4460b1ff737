import { Collection, DateTimeType, Entity, Enum, Index, ManyToMany, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity';
import { CityOwnedEntity } from '../../db/city-owned.entity';
import type { City } from '../cities/city.entity';
import { ActionPlan } from '../action-plans/action-plan.entity';
import { Program } from '../masterplan/masterplan.entity';
import { Opd } from '../opds/opd.entity';
import { User } from '../users/user.entity';
import { EvaluationFramework, RubricItem } from './framework.entity';
import { AuditAction, type AuditEntry } from '../audit/audit.entity';

/** Where a city's self-assessment stands. */
export enum AssessmentStatus {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
}
registerEnumType(AssessmentStatus, {
  name: 'AssessmentStatus',
  description: 'DRAFT (the city is filling it in) or SUBMITTED (sent to the ministry: it and its framework revision are frozen).',
});

/** A city's self-assessment against one framework revision. */
@ObjectType({
  description: "A city's self-assessment against one framework revision. Its index is always computed from the scores, weights and scale.",
})
@Entity({ tableName: 'self_assessments' })
@Unique({ properties: ['city', 'framework'] })
export class SelfAssessment extends CityOwnedEntity {
  @Index()
  @ManyToOne({ entity: () => EvaluationFramework, type: 'EvaluationFramework' })
  framework: EvaluationFramework;

  @Field(() => Int)
  @Property({ type: 'integer' })
  year: number;

  @Field(() => AssessmentStatus)
  @Enum({ items: () => AssessmentStatus, type: 'string' })
  status: AssessmentStatus = AssessmentStatus.DRAFT;

  @Field(() => Date, { nullable: true })
  @Property({ type: DateTimeType, nullable: true })
  submittedAt: Date | null = null;

  @ManyToOne({ entity: () => User, type: 'User', nullable: true })
  submittedBy: User | null = null;

  constructor(city: City, framework: EvaluationFramework) {
    super();
    this.city = city;
    this.framework = framework;
    this.year = framework.year;
  }
}

/** The city's answer to one rubric item: its own score, narrative, supporting plans and quick wins. */
@ObjectType({
  description: "The city's answer to one rubric item: self-score, narrative, the plans and quick wins that support it, evidence.",
})
@Entity({ tableName: 'assessment_items' })
@Unique({ properties: ['assessment', 'rubricItem'] })
export class AssessmentItem extends CityOwnedEntity {
  /** Its events (`NamesItsEvents`): a score given or changed is ASSESSMENT_SCORED (what the readiness subscription reacts to). */
  static eventKind(entry: AuditEntry): string | null {
    return entry.action === AuditAction.UPDATE && entry.changes.score ? 'ASSESSMENT_SCORED' : null;
  }

  @Index()
  @ManyToOne({ entity: () => SelfAssessment, type: 'SelfAssessment' })
  assessment: SelfAssessment;

  @ManyToOne({ entity: () => RubricItem, type: 'RubricItem' })
  rubricItem: RubricItem;

  /** The city's own score within the framework's scale; null = not scored yet. */
  @Property({ type: 'double', nullable: true })
  score: number | null = null;

  @Field(() => String, { nullable: true, description: 'How the city meets the item (narasi).' })
  @Property({ type: 'text', nullable: true })
  narrative: string | null = null;

  /** The OPD that must supply this item's evidence (who must act). */
  @ManyToOne({ entity: () => Opd, type: 'Opd', nullable: true })
  responsibleOpd: Opd | null = null;

  @ManyToMany({
    entity: () => ActionPlan,
    type: 'ActionPlan',
    pivotTable: 'assessment_item_action_plans',
    joinColumn: 'assessment_item_id',
    inverseJoinColumn: 'action_plan_id',
  })
  actionPlans = new Collection<ActionPlan>(this);

  @ManyToMany({
    entity: () => Program,
    type: 'Program',
    pivotTable: 'assessment_item_quick_wins',
    joinColumn: 'assessment_item_id',
    inverseJoinColumn: 'program_id',
  })
  quickWins = new Collection<Program>(this);

  @Field(() => Date, { nullable: true, description: 'When the self-score last changed.' })
  @Property({ type: DateTimeType, nullable: true })
  scoredAt: Date | null = null;

  constructor(assessment: SelfAssessment, rubricItem: RubricItem) {
    super();
    this.assessment = assessment;
    this.city = assessment.city;
    this.rubricItem = rubricItem;
  }
}

/**
 * An assessor's (EVALUATOR's) score and notes on one item, beside the city's. It deliberately has
 * no `city` relation: its audit rows go to the platform audit log and it makes no city event, so
 * nothing of it reaches the city's audit log or live streams before the publish date.
 */
@Entity({ tableName: 'assessor_scores' })
export class AssessorScore extends BaseEntity {
  @Index()
  @Property({ type: 'string', length: 36 })
  cityId: string;

  @Index()
  @Property({ type: 'string', length: 36 })
  assessmentId: string;

  @ManyToOne({ entity: () => AssessmentItem, type: 'AssessmentItem', unique: true })
  assessmentItem: AssessmentItem;

  @Property({ type: 'double' })
  score: number;

  @Property({ type: 'text', nullable: true })
  notes: string | null = null;

  @ManyToOne({ entity: () => User, type: 'User', nullable: true })
  assessor: User | null = null;

  @Property({ type: DateTimeType })
  recordedAt: Date = new Date();

  constructor(item: AssessmentItem, score: number) {
    super();
    this.assessmentItem = item;
    this.cityId = item.city.id;
    this.assessmentId = item.assessment.id;
    this.score = score;
  }
}
