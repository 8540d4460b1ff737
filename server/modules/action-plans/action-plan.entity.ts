import { DateTimeType, BigIntType, Collection, Entity, Enum, Index, ManyToMany, ManyToOne, Property } from '@mikro-orm/core';
import { Field, Float, ObjectType, registerEnumType } from 'type-graphql';
import { CityOwnedEntity } from '../../db/city-owned.entity';
import { Dimension } from '../masterplan/dimension';
import { Program } from '../masterplan/masterplan.entity';
import { Opd } from '../opds/opd.entity';
import { autoCode } from '../../util/ids';

/** What the city decided about a plan (set by people); its schedule state is derived separately. */
export enum ActionPlanStatus {
  ACTIVE = 'ACTIVE',
  ON_HOLD = 'ON_HOLD',
  CANCELLED = 'CANCELLED',
}
registerEnumType(ActionPlanStatus, {
  name: 'ActionPlanStatus',
  description: 'Decided by the city: active, on hold (ditunda) or cancelled (dibatalkan). Cancelled plans leave the roll-ups.',
});

/** Where an action plan's money comes from. */
export enum BudgetSource {
  APBD = 'APBD',
  APBD_PROVINSI = 'APBD_PROVINSI',
  APBN = 'APBN',
  DAK = 'DAK',
  CSR = 'CSR',
  SWASTA = 'SWASTA',
  LAINNYA = 'LAINNYA',
}
registerEnumType(BudgetSource, {
  name: 'BudgetSource',
  description:
    'Source of funds: APBD (city budget), APBD_PROVINSI, APBN (national), DAK (special allocation), CSR, SWASTA (private), LAINNYA (other).',
});

/** A rencana aksi: a dated, budgeted piece of work owned by one OPD, reported on by it. */
@ObjectType({
  description:
    'An action plan (rencana aksi) of a program, owned by one OPD. Its progress and state are derived from its latest progress report and its schedule.',
})
@Entity({ tableName: 'action_plans' })
@Index({ properties: ['city', 'dueDate'] })
export class ActionPlan extends CityOwnedEntity {
  @Index()
  @ManyToOne({ entity: () => Program, type: 'Program' })
  program: Program;

  @Index()
  @ManyToOne({ entity: () => Opd, type: 'Opd' })
  ownerOpd: Opd;

  @ManyToMany({
    entity: () => Opd,
    type: 'Opd',
    pivotTable: 'action_plan_supporting_opds',
    joinColumn: 'action_plan_id',
    inverseJoinColumn: 'opd_id',
  })
  supportingOpds = new Collection<Opd>(this);

  @Field(() => String, {
    nullable: true,
    description: 'A short reference code, e.g. "GOV-03": its key in the masterplan spreadsheets ("RA-…" when none was given).',
  })
  @Property({ type: 'string', length: 40, nullable: true })
  code: string | null = null;

  @Field(() => String)
  @Property({ type: 'string', length: 300 })
  title: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Field(() => Dimension, { description: "Always the program's dimension." })
  @Enum({ items: () => Dimension, type: 'string' })
  dimension: Dimension;

  @Field(() => String, { description: 'Start date, YYYY-MM-DD.' })
  @Property({ type: 'date' })
  startDate: string;

  @Field(() => String, { description: 'Due date, YYYY-MM-DD.' })
  @Property({ type: 'date' })
  dueDate: string;

  /** Rupiah, whole. */
  @Property({ type: new BigIntType('number'), nullable: true })
  budgetAmount: number | null = null;

  @Enum({ items: () => BudgetSource, type: 'string', nullable: true })
  budgetSource: BudgetSource | null = null;

  @Field(() => ActionPlanStatus)
  @Enum({ items: () => ActionPlanStatus, type: 'string' })
  status: ActionPlanStatus = ActionPlanStatus.ACTIVE;

  @Field(() => Float, { description: 'Relative weight in the roll-ups (program, dimension, OPD, city).' })
  @Property({ type: 'double' })
  weight: number = 1;

  /**
   * Percent (0–100) of the latest progress report. Written only by the progress service, in the
   * same transaction as the report it comes from; never set by hand.
   */
  @Field(() => Float, { description: 'Current progress in percent (0–100): the percent of the latest progress report, 0 before any.' })
  @Property({ type: 'double' })
  progress: number = 0;

  @Field(() => Date, { nullable: true, description: 'When the latest progress report was made.' })
  @Property({ type: DateTimeType, nullable: true })
  lastReportedAt: Date | null = null;

  constructor(program: Program, ownerOpd: Opd, title: string, startDate: string, dueDate: string) {
    super();
    this.program = program;
    this.city = program.city;
    this.dimension = program.dimension;
    this.ownerOpd = ownerOpd;
    this.title = title;
    this.startDate = startDate;
    this.dueDate = dueDate;
    this.code = autoCode('RA', this.id);
  }
}
