import { Entity, Enum, Property, Unique } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { citySubject, type RevocationEntry } from '../../auth/subjects';
import { BaseEntity } from '../../db/base.entity';

/** Kota (city) or kabupaten (regency): both take part in the programme. */
export enum CityKind {
  KOTA = 'KOTA',
  KABUPATEN = 'KABUPATEN',
}
registerEnumType(CityKind, { name: 'CityKind', description: 'Kota (city) or kabupaten (regency).' });

/** A city or regency in the Gerakan Menuju 100 Smart City programme: the tenant of all its data. */
@ObjectType({ description: 'A city (kota) or regency (kabupaten) taking part in the programme; every other object belongs to one.' })
@Entity({ tableName: 'cities' })
export class City extends BaseEntity {
  /** Access it takes away (`RevokesAccess`): archived, its screen tokens stop working. */
  static revokedSubject(entry: RevocationEntry): string | null {
    return entry.action === 'ARCHIVE' ? citySubject(entry.entityId) : null;
  }

  @Field(() => String)
  @Unique()
  @Property({ type: 'string', length: 120 })
  name: string;

  @Field(() => CityKind)
  @Enum({ items: () => CityKind, type: 'string' })
  kind: CityKind = CityKind.KOTA;

  @Field(() => String)
  @Property({ type: 'string', length: 120 })
  province: string;

  @Field(() => Int, { nullable: true, description: 'The year the city joined the programme.' })
  @Property({ type: 'integer', nullable: true })
  joinedYear: number | null = null;

  @Field(() => String, { description: "IANA time zone that decides the city's today (e.g. Asia/Jakarta, WIB)." })
  @Property({ type: 'string', length: 64 })
  timeZone: string = 'Asia/Jakarta';

  constructor(name: string, province: string) {
    super();
    this.name = name;
    this.province = province;
  }
}
