import { Entity, Enum, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CityOwnedEntity } from '../../db/city-owned.entity';
import type { City } from '../cities/city.entity';

/** Kinds of programme activity a city records. */
export enum ActivityKind {
  BIMTEK = 'BIMTEK',
  MOU_SIGNING = 'MOU_SIGNING',
  MEETING = 'MEETING',
  PRESENTATION = 'PRESENTATION',
  OTHER = 'OTHER',
}
registerEnumType(ActivityKind, {
  name: 'ActivityKind',
  description: 'BIMTEK (technical guidance phase), MOU_SIGNING (joint commitment), MEETING (coordination or preparation), PRESENTATION (masterplan to the central team), OTHER.',
});

/** A programme activity: a bimtek phase, an MoU signing, a meeting. */
@ObjectType({ description: 'A programme activity: a bimtek phase, an MoU signing, a coordination meeting.' })
@Entity({ tableName: 'activities' })
export class Activity extends CityOwnedEntity {
  @Field(() => ActivityKind)
  @Enum({ items: () => ActivityKind, type: 'string' })
  kind: ActivityKind;

  @Field(() => String)
  @Property({ type: 'string', length: 300 })
  title: string;

  @Field(() => Int, { nullable: true, description: 'For a bimtek: its phase (Tahap I = 1 … IV = 4).' })
  @Property({ type: 'integer', nullable: true })
  phase: number | null = null;

  @Field(() => String, { description: 'First day, YYYY-MM-DD.' })
  @Property({ type: 'date' })
  startDate: string;

  @Field(() => String, { description: 'Last day, YYYY-MM-DD (the same as startDate for one day).' })
  @Property({ type: 'date' })
  endDate: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 300, nullable: true })
  place: string | null = null;

  @Field(() => String, { nullable: true, description: 'What came out of it (hasil).' })
  @Property({ type: 'text', nullable: true })
  outcome: string | null = null;

  constructor(city: City, kind: ActivityKind, title: string, startDate: string, endDate: string) {
    super();
    this.city = city;
    this.kind = kind;
    this.title = title;
    this.startDate = startDate;
    this.endDate = endDate;
  }
}

/** The ministry's yearly monitoring and evaluation (monev) visit. */
@ObjectType({ description: "The ministry's yearly monitoring and evaluation visit (monev)." })
@Entity({ tableName: 'evaluation_visits' })
export class EvaluationVisit extends CityOwnedEntity {
  @Field(() => Int)
  @Property({ type: 'integer' })
  year: number;

  @Field(() => String, { description: 'First day of the visit window, YYYY-MM-DD.' })
  @Property({ type: 'date' })
  startDate: string;

  @Field(() => String, { description: 'Last day of the visit window, YYYY-MM-DD.' })
  @Property({ type: 'date' })
  endDate: string;

  @Field(() => String, { description: 'Who evaluates, e.g. "Kemenkominfo (Direktorat LAIP)".' })
  @Property({ type: 'string', length: 300 })
  evaluator: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  agenda: string | null = null;

  constructor(city: City, year: number, startDate: string, endDate: string, evaluator: string) {
    super();
    this.city = city;
    this.year = year;
    this.startDate = startDate;
    this.endDate = endDate;
    this.evaluator = evaluator;
  }
}
