import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { CityOwnedEntity } from '../../db/city-owned.entity';
import { autoCode } from '../../util/ids';
import type { City } from '../cities/city.entity';
import { Dimension } from './dimension';

/** A city's smart-city masterplan for a period (e.g. 2019–2023), evaluated every year. */
@ObjectType({ description: "A city's smart-city masterplan for a period, organised by the six dimensions." })
@Entity({ tableName: 'masterplans' })
export class Masterplan extends CityOwnedEntity {
  @Field(() => String)
  @Property({ type: 'string', length: 300 })
  title: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  startYear: number;

  @Field(() => Int)
  @Property({ type: 'integer' })
  endYear: number;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  vision: string | null = null;

  constructor(city: City, title: string, startYear: number, endYear: number) {
    super();
    this.city = city;
    this.title = title;
    this.startYear = startYear;
    this.endYear = endYear;
  }
}

/** A program of the masterplan in one dimension; a quick win is a program flagged with its year. */
@ObjectType({
  description: 'A program of the masterplan, in one dimension. Quick wins are programs flagged with the year they were chosen.',
})
@Entity({ tableName: 'programs' })
@Unique({ properties: ['city', 'code'] })
export class Program extends CityOwnedEntity {
  @Field(() => String, { description: 'Its key in the masterplan spreadsheets, unique in the city ("PRG-…" when none was given).' })
  // Nullable for the migration that added it (SQLite cannot add a NOT NULL column without a
  // default); every row has one: set on creation, existing rows backfilled.
  @Property({ type: 'string', length: 40, nullable: true })
  code: string;

  @Index()
  @ManyToOne({ entity: () => Masterplan, type: 'Masterplan' })
  masterplan: Masterplan;

  @Field(() => String)
  @Property({ type: 'string', length: 300 })
  name: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Field(() => Dimension)
  @Enum({ items: () => Dimension, type: 'string' })
  dimension: Dimension;

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  quickWin: boolean = false;

  @Field(() => Int, { nullable: true, description: 'For a quick win: the year it was chosen.' })
  @Property({ type: 'integer', nullable: true })
  quickWinYear: number | null = null;

  constructor(masterplan: Masterplan, name: string, dimension: Dimension) {
    super();
    this.masterplan = masterplan;
    this.city = masterplan.city;
    this.name = name;
    this.dimension = dimension;
    this.code = autoCode('PRG', this.id);
  }
}
