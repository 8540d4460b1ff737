import { DateTimeType, Entity, Enum, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { userSubject, type RevocationEntry } from '../../auth/subjects';
import { BaseEntity } from '../../db/base.entity';
import type { City } from '../cities/city.entity';
import type { Opd } from '../opds/opd.entity';

/** What a user may do; the policy in `auth/policy.ts` is the one place that interprets it. */
export enum Role {
  PLATFORM_ADMIN = 'PLATFORM_ADMIN',
  CITY_ADMIN = 'CITY_ADMIN',
  OPD_REPORTER = 'OPD_REPORTER',
  VIEWER = 'VIEWER',
  EVALUATOR = 'EVALUATOR',
}
registerEnumType(Role, {
  name: 'Role',
  description:
    'PLATFORM_ADMIN (all cities), CITY_ADMIN (one city: Bappelitbang or Kominfo), OPD_REPORTER (one OPD of one city), VIEWER (reads one city), EVALUATOR (reads assigned cities).',
});

/** A person who logs in. Platform admins have no city; reporters have a city and an OPD. */
@ObjectType({ description: 'A person who logs in.' })
@Entity({ tableName: 'users' })
export class User extends BaseEntity {
  /**
   * Access it takes away (`RevokesAccess`): sessions revoked, the user archived, or a change of
   * scope (role, OPD, evaluator cities, city) or of principal (name, email).
   */
  static revokedSubject(entry: RevocationEntry): string | null {
    const c = entry.changes;
    const scope = c.sessionGeneration || c.role || c.opd || c.evaluatorCityIds || c.city || c.name || c.email;
    return scope || entry.action === 'ARCHIVE' ? userSubject(entry.entityId) : null;
  }

  @Field(() => String)
  @Unique()
  @Property({ type: 'string', length: 254 })
  email: string;

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  name: string;

  @Property({ type: 'string', length: 255, hidden: true, lazy: true })
  passwordHash: string;

  @Field(() => Role)
  @Enum({ items: () => Role, type: 'string' })
  role: Role;

  @ManyToOne({ entity: 'City', type: 'City', nullable: true })
  city: City | null = null;

  @ManyToOne({ entity: 'Opd', type: 'Opd', nullable: true })
  opd: Opd | null = null;

  /** For an EVALUATOR: the cities it may read. */
  @Property({ type: 'json', default: '[]' })
  evaluatorCityIds: string[] = [];

  /** When the user's sessions were last ended (password or role change, archive); for the record. */
  @Property({ type: DateTimeType, nullable: true })
  sessionsValidAfter: Date | null = null;

  /**
   * The generation of the user's sessions, carried in every token it gets (`gen`): ending its
   * sessions adds one, so every token issued before — even in the same millisecond — stops working.
   */
  @Property({ type: 'integer', default: 0 })
  sessionGeneration: number = 0;

  constructor(email: string, name: string, passwordHash: string, role: Role) {
    super();
    this.email = email;
    this.name = name;
    this.passwordHash = passwordHash;
    this.role = role;
  }
}

/** The GraphQL face of the logged-in user's scope, returned by `me`. */
@ObjectType({ description: 'Who is logged in and what they may do.' })
export class Viewer {
  @Field(() => ID)
  id!: string;
  @Field(() => String)
  email!: string;
  @Field(() => String)
  name!: string;
  @Field(() => Role)
  role!: Role;
  @Field(() => ID, { nullable: true, description: 'The home city (null for platform admins and evaluators).' })
  cityId!: string | null;
  @Field(() => [ID], { description: 'Every city this viewer may read (empty for a platform admin, who reads all).' })
  cityIds!: string[];
  @Field(() => ID, { nullable: true })
  opdId!: string | null;
  @Field(() => [String], { description: 'What this viewer may do, e.g. "city:read", "city:manage", "progress:report".' })
  permissions!: string[];
}
