import { Entity, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import type { City } from '../modules/cities/city.entity';
import { BaseEntity } from './base.entity';

/*
 * Apart from base.entity.ts because these refer to City, which itself extends BaseEntity: in one
 * file, base.entity.ts and city.entity.ts would import each other.
 */

/** A row that belongs to exactly one city; every query is scoped through this column. */
@ObjectType()
@Entity({ abstract: true })
export abstract class CityOwnedEntity extends BaseEntity {
  @Index()
  @ManyToOne({ entity: 'City', type: 'City' })
  city!: City;
}

/** A body set up by a mayor's decree (SK Walikota): the council and the implementation team. */
@ObjectType()
@Entity({ abstract: true })
export abstract class DecreedBodyEntity extends CityOwnedEntity {
  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => String, { nullable: true, description: "Number of the mayor's decree (SK Walikota)." })
  @Property({ type: 'string', length: 120, nullable: true })
  decreeNumber: string | null = null;

  @Field(() => String, { nullable: true, description: 'Date of the decree, YYYY-MM-DD.' })
  @Property({ type: 'date', nullable: true })
  decreeDate: string | null = null;
}
