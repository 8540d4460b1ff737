import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { CityOwnedEntity, DecreedBodyEntity } from '../../db/city-owned.entity';
import type { City } from '../cities/city.entity';

/** The groups a council member comes from, as the mayor's decree lists them. */
export enum CouncilCategory {
  GOVERNMENT = 'GOVERNMENT',
  UNIVERSITY = 'UNIVERSITY',
  FKPD = 'FKPD',
  COMMUNITY = 'COMMUNITY',
  PRIVATE = 'PRIVATE',
}
registerEnumType(CouncilCategory, {
  name: 'CouncilCategory',
  description:
    'Where a council member comes from: government, university, FKPD (regional leadership forum), community organisation, private sector.',
});

/** The Dewan Smart City (Dewan Kota Cerdas), set up by the mayor's decree (SK) and chaired by the mayor. */
@ObjectType({ description: 'The smart-city council (Dewan Smart City / Dewan Kota Cerdas), set up by decree and chaired by the mayor.' })
@Entity({ tableName: 'councils' })
export class Council extends DecreedBodyEntity {
  constructor(city: City, name: string) {
    super();
    this.city = city;
    this.name = name;
  }
}

/** A member of the council. */
@ObjectType({ description: 'A member of the smart-city council.' })
@Entity({ tableName: 'council_members' })
export class CouncilMember extends CityOwnedEntity {
  @Index()
  @ManyToOne({ entity: () => Council, type: 'Council' })
  council: Council;

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  name: string;

  @Field(() => String, { description: 'Position in the council, e.g. "Ketua", "Anggota".' })
  @Property({ type: 'string', length: 200 })
  position: string;

  @Field(() => String, { nullable: true, description: "The member's own organisation." })
  @Property({ type: 'string', length: 200, nullable: true })
  organisation: string | null = null;

  @Field(() => CouncilCategory)
  @Enum({ items: () => CouncilCategory, type: 'string' })
  category: CouncilCategory;

  constructor(council: Council, name: string, position: string, category: CouncilCategory) {
    super();
    this.council = council;
    this.city = council.city;
    this.name = name;
    this.position = position;
    this.category = category;
  }
}
