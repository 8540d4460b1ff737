import { DateTimeType, Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { uuidv7 } from '../util/ids';
import type { City } from '../modules/cities/city.entity';

/**
 * One change in a city, with its per-city sequence number. Written in the same transaction as the
 * change (an outbox): a subscriber that misses a notification reads the gap from here.
 */
@Entity({ tableName: 'city_events' })
@Unique({ properties: ['city', 'seq'] })
export class CityEvent {
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = uuidv7();

  @Index()
  @ManyToOne({ entity: 'City', type: 'City' })
  city!: City;

  @Property({ type: 'integer' })
  seq!: number;

  @Property({ type: 'string', length: 60 })
  kind!: string;

  @Property({ type: 'string', length: 60 })
  entity!: string;

  @Property({ type: 'string', length: 36 })
  entityId!: string;

  @Property({ type: 'string', length: 36, nullable: true })
  actionPlanId: string | null = null;

  @Property({ type: DateTimeType })
  at: Date = new Date();
}

/**
 * One revocation (the revocation log): a subject whose sessions, scope or principal changed — a
 * user id, `screen:<id>`, `city:<id>` — numbered in commit order and written in the same
 * transaction as the change. Every instance reads the entries it has not heard of over pub/sub
 * (events/revocations.ts), so a notice that Redis lost or never carried is still applied.
 */
@Entity({ tableName: 'revocations' })
export class Revocation {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  seq!: number;

  @Property({ type: 'string', length: 80 })
  subject!: string;

  @Property({ type: DateTimeType })
  at: Date = new Date();
}
