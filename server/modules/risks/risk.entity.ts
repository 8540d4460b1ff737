import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CityOwnedEntity } from '../../db/city-owned.entity';
import type { Program } from '../masterplan/masterplan.entity';
import type { Opd } from '../opds/opd.entity';

/** Where a risk stands. */
export enum RiskStatus {
  OPEN = 'OPEN',
  MITIGATED = 'MITIGATED',
  ACCEPTED = 'ACCEPTED',
  CLOSED = 'CLOSED',
}
registerEnumType(RiskStatus, {
  name: 'RiskStatus',
  description:
    'OPEN (being watched, mitigation not yet effective), MITIGATED (mitigation in place), ACCEPTED (kept on purpose), CLOSED (no longer a risk; left out of the matrix).',
});

/** A risk to a quick win, in the city's risk register. */
@ObjectType({
  description:
    "A risk to a quick win, in the city's risk register: likelihood and impact on 1–5 scales, a mitigation, an owner OPD and a status.",
})
@Entity({ tableName: 'risks' })
export class Risk extends CityOwnedEntity {
  /** The quick win (a quick-win program) at risk; `program` on the GraphQL type. */
  @Index()
  @ManyToOne({ entity: 'Program', type: 'Program' })
  program: Program;

  @Field(() => String, { description: 'What could happen, and why.' })
  @Property({ type: 'text' })
  description: string;

  @Field(() => Int, { description: 'How likely, 1 (rare) to 5 (almost certain).' })
  @Property({ type: 'integer' })
  likelihood: number;

  @Field(() => Int, { description: 'How bad if it happens, 1 (negligible) to 5 (severe).' })
  @Property({ type: 'integer' })
  impact: number;

  @Field(() => String, { nullable: true, description: 'What is done to lower it.' })
  @Property({ type: 'text', nullable: true })
  mitigation: string | null = null;

  /** The OPD that owns the risk; `ownerOpd` on the GraphQL type. */
  @ManyToOne({ entity: 'Opd', type: 'Opd', nullable: true })
  ownerOpd: Opd | null = null;

  @Field(() => RiskStatus)
  @Enum({ items: () => RiskStatus, type: 'string' })
  status: RiskStatus = RiskStatus.OPEN;

  constructor(program: Program, description: string, likelihood: number, impact: number) {
    super();
    this.program = program;
    this.city = program.city;
    this.description = description;
    this.likelihood = likelihood;
    this.impact = impact;
  }
}
