import { Entity, Enum, ManyToOne, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CityOwnedEntity } from '../../db/city-owned.entity';
import type { City } from '../cities/city.entity';
import type { Opd } from '../opds/opd.entity';

/** Kinds of programme activity a city records. */
export enum ActivityKind {
  BIMTEK = 'BIMTEK',
  MOU_SIGNING = 'MOU_SIGNING',
  MEETING = 'MEETING',
  PRESENTATION = 'PRESENTATION',
  /** A deadline of the masterplan (a draft, the final document, its yearly revision). */
  MASTERPLAN_DEADLINE = 'MASTERPLAN_DEADLINE',
  /** The city's own yearly review of the masterplan and its quick wins. */
  YEARLY_REVIEW = 'YEARLY_REVIEW',
  OTHER = 'OTHER',
}
registerEnumType(ActivityKind, {
  name: 'ActivityKind',
  description:
    'BIMTEK (technical guidance phase), MOU_SIGNING (joint commitment), MEETING (coordination or preparation), PRESENTATION (masterplan to the central team), ' +
    "MASTERPLAN_DEADLINE (a masterplan document is due), YEARLY_REVIEW (the city's yearly review of its masterplan), OTHER.",
});

/** Something a programme event must produce by a date (a document, a decree, data). Stored with its event. */
@ObjectType({
  description: 'Something an activity or evaluation visit must produce by a date (a document, a decree, data for the evaluators).',
})
export class Deliverable {
  @Field(() => String) title!: string;
  @Field(() => String, { description: 'Due date, YYYY-MM-DD.' }) dueDate!: string;
  @Field(() => Boolean, { description: 'Whether it has been delivered.' }) done!: boolean;
}

/**
 * What programme events (activities and evaluation visits) share: who is responsible (an OPD
 * and/or a named person) and the deliverables due, kept with the event as a small JSON list (a
 * dozen items at most, always read and written whole).
 */
@ObjectType({ description: 'A dated programme event with an owner and deliverables.' })
@Entity({ abstract: true })
export abstract class ProgrammeEventEntity extends CityOwnedEntity {
  /** The OPD responsible; `ownerOpd` on the GraphQL type. */
  @ManyToOne({ entity: 'Opd', type: 'Opd', nullable: true })
  ownerOpd: Opd | null = null;

  @Field(() => String, { nullable: true, description: 'The person responsible, e.g. "Kepala Bappelitbang".' })
  @Property({ type: 'string', length: 200, nullable: true })
  ownerName: string | null = null;

  @Field(() => [Deliverable], { description: 'What must be delivered, earliest due first.' })
  @Property({ type: 'json', default: '[]' })
  deliverables: Deliverable[] = [];
}

/** A programme activity: a bimtek phase, an MoU signing, a meeting, a masterplan deadline, the yearly review. */
@ObjectType({
  description: 'A programme activity: a bimtek phase, an MoU signing, a coordination meeting, a masterplan deadline, the yearly review.',
})
@Entity({ tableName: 'activities' })
export class Activity extends ProgrammeEventEntity {
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
export class EvaluationVisit extends ProgrammeEventEntity {
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
