import { Entity, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, Float, ObjectType } from 'type-graphql';
import { CityOwnedEntity } from '../../db/base.entity';
import { ActionPlan } from '../action-plans/action-plan.entity';
import { User } from '../users/user.entity';

/** One progress report on an action plan. Append-only: the API never changes or deletes one. */
@ObjectType({ description: 'A progress report on an action plan. Append-only: a correction is a new report.' })
@Entity({ tableName: 'progress_reports' })
@Index({ properties: ['actionPlan', 'reportedAt'] })
export class ProgressReport extends CityOwnedEntity {
  @ManyToOne({ entity: () => ActionPlan, type: 'ActionPlan' })
  actionPlan: ActionPlan;

  @Field(() => Float, { description: 'Percent complete, 0–100.' })
  @Property({ type: 'double' })
  percent: number;

  @Field(() => String, { description: 'What was done (narasi).' })
  @Property({ type: 'text' })
  narrative: string;

  @Field(() => String, { nullable: true, description: 'Obstacles (kendala).' })
  @Property({ type: 'text', nullable: true })
  obstacles: string | null = null;

  @Field(() => [String], { description: 'Links to evidence (bukti dukung).' })
  @Property({ type: 'json' })
  evidenceUrls: string[] = [];

  @ManyToOne({ entity: () => User, type: 'User', nullable: true })
  reporter: User | null = null;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  reportedAt: Date = new Date();

  constructor(actionPlan: ActionPlan, percent: number, narrative: string) {
    super();
    this.actionPlan = actionPlan;
    this.city = actionPlan.city;
    this.percent = percent;
    this.narrative = narrative;
  }
}
