import { DateTimeType, Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { uuidv7 } from '../util/ids';

/**
 * Columns every row has: a time-ordered UUID, timestamps, an optimistic-lock version and an
 * archive mark (rows are archived, never deleted, so history and audit stay whole).
 */

@ObjectType()
@Entity({ abstract: true })
export abstract class BaseEntity {
  @Field(() => ID)
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = uuidv7();

  @Field(() => Date)
  @Property({ type: DateTimeType })
  createdAt: Date = new Date();

  @Field(() => Date)
  @Property({ type: DateTimeType, onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  /** Incremented by every write; updates must send the version they read (`expectedVersion`). */
  @Field(() => Int, { description: 'Optimistic-lock version: send it back as `expectedVersion` when you change this object.' })
  @Property({ type: 'integer', version: true })
  version: number = 1;

  @Field(() => Date, { nullable: true, description: 'When the object was archived; archived objects are hidden from lists by default.' })
  @Property({ type: DateTimeType, nullable: true })
  archivedAt: Date | null = null;
}
