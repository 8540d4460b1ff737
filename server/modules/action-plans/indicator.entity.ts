import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, Float, ObjectType, registerEnumType } from 'type-graphql';
import { CityOwnedEntity } from '../../db/city-owned.entity';
import { autoCode } from '../../util/ids';
import { User } from '../users/user.entity';
import { ActionPlan } from './action-plan.entity';
import type { AuditEntry } from '../audit/audit.entity';

/** Whether a higher or a lower value is better. */
export enum IndicatorDirection {
  INCREASE = 'INCREASE',
  DECREASE = 'DECREASE',
}
registerEnumType(IndicatorDirection, {
  name: 'IndicatorDirection',
  description: 'Whether the indicator should go up (INCREASE) or down (DECREASE).',
});

/** How often an indicator is measured: the kind of period its values are recorded for. */
export enum IndicatorFrequency {
  MONTHLY = 'MONTHLY',
  QUARTERLY = 'QUARTERLY',
  YEARLY = 'YEARLY',
}
registerEnumType(IndicatorFrequency, {
  name: 'IndicatorFrequency',
  description: 'How often an indicator is measured: per month (periods YYYY-MM), quarter (YYYY-Qn) or year (YYYY).',
});

/** The period shape (`recordIndicatorValue`'s `period`) of each frequency. */
export const FREQUENCY_PERIOD: Record<IndicatorFrequency, RegExp> = {
  MONTHLY: /^\d{4}-(0[1-9]|1[0-2])$/,
  QUARTERLY: /^\d{4}-Q[1-4]$/,
  YEARLY: /^\d{4}$/,
};

/** A measurable indicator of an action plan (unit, baseline, target, how often it is measured). */
@ObjectType({ description: 'A measurable indicator of an action plan.' })
@Entity({ tableName: 'indicators' })
@Unique({ properties: ['actionPlan', 'code'] })
export class Indicator extends CityOwnedEntity {
  @Index()
  @ManyToOne({ entity: () => ActionPlan, type: 'ActionPlan' })
  actionPlan: ActionPlan;

  @Field(() => String, { description: 'Its key in the masterplan spreadsheets, unique in its plan ("IND-…" when none was given).' })
  // Nullable for the migration that added it (SQLite cannot add a NOT NULL column without a
  // default); every row has one: set on creation, existing rows backfilled.
  @Property({ type: 'string', length: 40, nullable: true })
  code: string;

  @Field(() => String)
  @Property({ type: 'string', length: 300 })
  name: string;

  @Field(() => String, { description: 'Unit, e.g. "%", "aplikasi", "pengguna".' })
  @Property({ type: 'string', length: 60 })
  unit: string;

  @Field(() => Float)
  @Property({ type: 'double' })
  baseline: number;

  @Field(() => Float)
  @Property({ type: 'double' })
  target: number;

  @Field(() => IndicatorDirection)
  @Enum({ items: () => IndicatorDirection, type: 'string' })
  direction: IndicatorDirection = IndicatorDirection.INCREASE;

  @Field(() => IndicatorFrequency, {
    nullable: true,
    description: 'How often it is measured; values are then recorded for periods of that kind only. Null: any period.',
  })
  @Enum({ items: () => IndicatorFrequency, type: 'string', nullable: true })
  frequency: IndicatorFrequency | null = null;

  constructor(actionPlan: ActionPlan, name: string, unit: string, baseline: number, target: number) {
    super();
    this.actionPlan = actionPlan;
    this.city = actionPlan.city;
    this.name = name;
    this.unit = unit;
    this.baseline = baseline;
    this.target = target;
    this.code = autoCode('IND', this.id);
  }
}

/** The value of an indicator for one period (`2022`, `2022-09` or `2022-Q3`); one row per period. */
@ObjectType({ description: 'The measured value of an indicator for one period.' })
@Entity({ tableName: 'indicator_values' })
@Unique({ properties: ['indicator', 'period'] })
export class IndicatorValue extends CityOwnedEntity {
  /** Its events (`NamesItsEvents`): every change is INDICATOR_VALUE_RECORDED. */
  static eventKind(_entry: AuditEntry): string | null {
    return 'INDICATOR_VALUE_RECORDED';
  }

  @Index()
  @ManyToOne({ entity: () => Indicator, type: 'Indicator' })
  indicator: Indicator;

  @Field(() => String, { description: 'The period: YYYY, YYYY-MM or YYYY-Qn.' })
  @Property({ type: 'string', length: 10 })
  period: string;

  @Field(() => Float)
  @Property({ type: 'double' })
  value: number;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  note: string | null = null;

  @ManyToOne({ entity: () => User, type: 'User', nullable: true })
  reportedBy: User | null = null;

  constructor(indicator: Indicator, period: string, value: number) {
    super();
    this.indicator = indicator;
    this.city = indicator.city;
    this.period = period;
    this.value = value;
  }
}

/** A dated milestone of an action plan. */
@ObjectType({ description: 'A milestone (tonggak capaian) of an action plan.' })
@Entity({ tableName: 'milestones' })
@Unique({ properties: ['actionPlan', 'code'] })
export class Milestone extends CityOwnedEntity {
  @Index()
  @ManyToOne({ entity: () => ActionPlan, type: 'ActionPlan' })
  actionPlan: ActionPlan;

  @Field(() => String, { description: 'Its key in the masterplan spreadsheets, unique in its plan ("TGK-…" when none was given).' })
  // Nullable for the migration that added it (SQLite cannot add a NOT NULL column without a
  // default); every row has one: set on creation, existing rows backfilled.
  @Property({ type: 'string', length: 40, nullable: true })
  code: string;

  @Field(() => String)
  @Property({ type: 'string', length: 300 })
  title: string;

  @Field(() => String, { description: 'Due date, YYYY-MM-DD.' })
  @Property({ type: 'date' })
  dueDate: string;

  @Field(() => String, { nullable: true, description: 'The date it was reached, YYYY-MM-DD; null while open.' })
  @Property({ type: 'date', nullable: true })
  doneDate: string | null = null;

  constructor(actionPlan: ActionPlan, title: string, dueDate: string) {
    super();
    this.actionPlan = actionPlan;
    this.city = actionPlan.city;
    this.title = title;
    this.dueDate = dueDate;
    this.code = autoCode('TGK', this.id);
  }
}
