import { Entity, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { CityOwnedEntity } from '../../db/city-owned.entity';
import { autoCode } from '../../util/ids';
import type { City } from '../cities/city.entity';

/** An OPD (organisasi perangkat daerah): a city agency that owns action plans and reports on them. */
@ObjectType({ description: 'An OPD (organisasi perangkat daerah): a city agency such as Dinas Kominfo or Bappelitbang.' })
@Entity({ tableName: 'opds' })
@Unique({ properties: ['city', 'name'] })
@Unique({ properties: ['city', 'code'] })
export class Opd extends CityOwnedEntity {
  @Field(() => String, {
    description: 'Its key in the masterplan spreadsheets, unique in the city (e.g. "Diskominfo"; "OPD-…" when none was given).',
  })
  // Nullable for the migration that added it (SQLite cannot add a NOT NULL column without a
  // default); every row has one: set on creation, existing rows backfilled.
  @Property({ type: 'string', length: 40, nullable: true })
  code: string;

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  name: string;

  @Field(() => String, { description: 'Short name, e.g. "Diskominfo", "Dinkes".' })
  @Property({ type: 'string', length: 40 })
  abbreviation: string;

  @Field(() => String, { nullable: true, description: 'The head of the agency (kepala).' })
  @Property({ type: 'string', length: 200, nullable: true })
  head: string | null = null;

  @Field(() => Boolean, { description: 'Whether this OPD is the leading sector of the programme (usually Dinas Kominfo).' })
  @Property({ type: 'boolean' })
  leadingSector: boolean = false;

  constructor(city: City, name: string, abbreviation: string) {
    super();
    this.city = city;
    this.name = name;
    this.abbreviation = abbreviation;
    this.code = autoCode('OPD', this.id);
  }
}
