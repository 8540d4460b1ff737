import { DateTimeType, Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { uuidv7 } from '../../util/ids';
import type { City } from '../cities/city.entity';
import type { User } from '../users/user.entity';

/** What a write did to an object. */
export enum AuditAction {
  CREATE = 'CREATE',
  UPDATE = 'UPDATE',
  ARCHIVE = 'ARCHIVE',
}
registerEnumType(AuditAction, { name: 'AuditAction', description: 'CREATE, UPDATE or ARCHIVE (rows are never deleted).' });

/** One field's value before and after a write. */
@ObjectType({ description: "One field's value before and after a write." })
export class AuditChange {
  @Field(() => String) field!: string;
  @Field(() => GraphQLJSON, { nullable: true }) before!: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) after!: unknown;
}

/**
 * One row of the audit trail: who changed which object, when, how (before/after), in which request.
 * Written by the ORM in the same transaction as the write; the API never changes or deletes one.
 */
@ObjectType({ description: 'An audit trail entry: who changed what, when, before and after, in which request.' })
@Entity({ tableName: 'audit_log' })
@Index({ properties: ['city', 'id'] })
export class AuditEntry {
  @Field(() => ID)
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = uuidv7();

  @Field(() => Date)
  @Property({ type: DateTimeType })
  at: Date = new Date();

  /** The city the object belongs to; null for platform-level objects (platform admins, evaluators). */
  @ManyToOne({ entity: 'City', type: 'City', nullable: true })
  city: City | null = null;

  @ManyToOne({ entity: 'User', type: 'User', nullable: true })
  actor: User | null = null;

  @Field(() => String, { nullable: true, description: "The actor's name and email at the time." })
  @Property({ type: 'string', length: 500, nullable: true })
  actorName: string | null = null;

  @Field(() => AuditAction)
  @Enum({ items: () => AuditAction, type: 'string' })
  action: AuditAction;

  @Field(() => String, { description: 'The kind of object, e.g. ActionPlan.' })
  @Property({ type: 'string', length: 60 })
  entity: string;

  @Field(() => ID)
  @Property({ type: 'string', length: 36 })
  entityId: string;

  /** Field → { before, after }. */
  @Property({ type: 'json' })
  changes: Record<string, { before: unknown; after: unknown }> = {};

  @Field(() => String, {
    nullable: true,
    description: "The id of the request that made the change: the X-Request-Id Pantau answered it with (its own, never the client's).",
  })
  @Property({ type: 'string', length: 64, nullable: true })
  requestId: string | null = null;

  constructor(action: AuditAction, entity: string, entityId: string) {
    this.action = action;
    this.entity = entity;
    this.entityId = entityId;
  }
}
