import { DateTimeType, Entity, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { screenSubject, type RevocationEntry } from '../../auth/subjects';
import { CityOwnedEntity } from '../../db/city-owned.entity';
import type { City } from '../cities/city.entity';
import type { User } from '../users/user.entity';

/**
 * A read-only token for a meeting-room screen of one city (`pst_<id>.<secret>`). Only the SHA-256
 * of the secret is kept: the token itself is shown once, when it is created. A revoked (or
 * archived) token stops working at once, and the screen's open WebSocket closes within seconds.
 */
@ObjectType({
  description: 'A read-only token for a meeting-room screen of one city. The token itself is shown only once, by `createScreenToken`.',
})
@Entity({ tableName: 'screen_tokens' })
export class ScreenToken extends CityOwnedEntity {
  /** Access it takes away (`RevokesAccess`): revoked, the screen's sockets close. */
  static revokedSubject(entry: RevocationEntry): string | null {
    return (entry.changes.revokedAt?.after ?? null) !== null ? screenSubject(entry.entityId) : null;
  }

  @Field(() => String, { description: 'Where the screen is, e.g. "Ruang Rapat Bappelitbang".' })
  @Property({ type: 'string', length: 200 })
  label: string;

  /** SHA-256 (hex) of the secret part of the token. */
  @Property({ type: 'string', length: 64, hidden: true })
  tokenHash: string;

  @ManyToOne({ entity: 'User', type: 'User' })
  createdBy: User;

  @Field(() => Date, { nullable: true, description: 'When the screen last used the token (updated at most once a minute).' })
  @Property({ type: DateTimeType, nullable: true })
  lastUsedAt: Date | null = null;

  @Field(() => Date, { nullable: true, description: 'When the token was revoked; a revoked token no longer works.' })
  @Property({ type: DateTimeType, nullable: true })
  revokedAt: Date | null = null;

  constructor(city: City, label: string, tokenHash: string, createdBy: User) {
    super();
    this.city = city;
    this.label = label;
    this.tokenHash = tokenHash;
    this.createdBy = createdBy;
  }
}
