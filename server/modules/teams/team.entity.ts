import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { CityOwnedEntity, DecreedBodyEntity } from '../../db/city-owned.entity';
import type { City } from '../cities/city.entity';
import { Opd } from '../opds/opd.entity';

/** Roles in the implementation team. */
export enum TeamRole {
  LEADER = 'LEADER',
  DEPUTY = 'DEPUTY',
  SECRETARY = 'SECRETARY',
  MEMBER = 'MEMBER',
}
registerEnumType(TeamRole, {
  name: 'TeamRole',
  description: 'Role in the implementation team: leader (ketua), deputy, secretary, member.',
});

/** The Tim Pelaksana / Tim Kota Cerdas, led by the head of Bappelitbang. */
@ObjectType({ description: 'The implementation team (Tim Pelaksana / Tim Kota Cerdas), usually led by the head of Bappelitbang.' })
@Entity({ tableName: 'teams' })
export class Team extends DecreedBodyEntity {
  constructor(city: City, name: string) {
    super();
    this.city = city;
    this.name = name;
  }
}

/** A member of the implementation team, possibly representing an OPD. */
@ObjectType({ description: 'A member of the implementation team.' })
@Entity({ tableName: 'team_members' })
export class TeamMember extends CityOwnedEntity {
  @Index()
  @ManyToOne({ entity: () => Team, type: 'Team' })
  team: Team;

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  name: string;

  @Field(() => String, { nullable: true, description: 'Official position, e.g. "Kepala Bappelitbang".' })
  @Property({ type: 'string', length: 200, nullable: true })
  position: string | null = null;

  @Field(() => TeamRole)
  @Enum({ items: () => TeamRole, type: 'string' })
  role: TeamRole;

  @ManyToOne({ entity: () => Opd, type: 'Opd', nullable: true })
  opd: Opd | null = null;

  constructor(team: Team, name: string, role: TeamRole) {
    super();
    this.team = team;
    this.city = team.city;
    this.name = name;
    this.role = role;
  }
}
