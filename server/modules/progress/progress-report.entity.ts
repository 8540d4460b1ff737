import { DateTimeType, Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, Float, ObjectType, registerEnumType } from 'type-graphql';
import { CityOwnedEntity } from '../../db/city-owned.entity';
import { ActionPlan } from '../action-plans/action-plan.entity';
import { User } from '../users/user.entity';
import { AuditAction, type AuditEntry } from '../audit/audit.entity';

/** Where a report stands in the city team's verification. */
export enum ReportStatus {
  SUBMITTED = 'SUBMITTED',
  VERIFIED = 'VERIFIED',
  RETURNED = 'RETURNED',
}
registerEnumType(ReportStatus, {
  name: 'ReportStatus',
  description:
    "SUBMITTED (diajukan: an OPD's report awaiting the city team), VERIFIED (diverifikasi), RETURNED (dikembalikan with a comment; the OPD submits a new report). Reports by city admins are verified as they are made.",
});

/** One progress report on an action plan. Append-only: the API never changes or deletes one. */
@ObjectType({ description: 'A progress report on an action plan. Append-only: a correction is a new report.' })
@Entity({ tableName: 'progress_reports' })
@Index({ properties: ['actionPlan', 'reportedAt'] })
@Index({ properties: ['city', 'status'] })
export class ProgressReport extends CityOwnedEntity {
  /** Its events (`NamesItsEvents`): PROGRESS_REPORTED, then PROGRESS_VERIFIED or PROGRESS_RETURNED. */
  static eventKind(entry: AuditEntry): string | null {
    if (entry.action === AuditAction.CREATE) return 'PROGRESS_REPORTED';
    const status = entry.changes.status?.after;
    if (status === 'VERIFIED') return 'PROGRESS_VERIFIED';
    if (status === 'RETURNED') return 'PROGRESS_RETURNED';
    return null;
  }

  @ManyToOne({ entity: () => ActionPlan, type: 'ActionPlan' })
  actionPlan: ActionPlan;

  @Field(() => Float, { description: 'Percent complete, 0–100.' })
  @Property({ type: 'double' })
  percent: number;

  @Field(() => String, { description: 'What was done (narasi).' })
  @Property({ type: 'text' })
  narrative: string;

  @Field(() => String, { nullable: true, description: 'Obstacles (kendala).' })
  @Property({ type: 'text', nullable: true })
  obstacles: string | null = null;

  @Field(() => [String], { description: 'Links to evidence (bukti dukung).' })
  @Property({ type: 'json' })
  evidenceUrls: string[] = [];

  @ManyToOne({ entity: () => User, type: 'User', nullable: true })
  reporter: User | null = null;

  @Field(() => Date)
  @Property({ type: DateTimeType })
  reportedAt: Date = new Date();

  @Field(() => ReportStatus)
  @Enum({ items: () => ReportStatus, type: 'string', default: ReportStatus.SUBMITTED })
  status: ReportStatus = ReportStatus.SUBMITTED;

  @Field(() => String, { nullable: true, description: "The city team's comment when verifying or returning." })
  @Property({ type: 'text', nullable: true })
  reviewComment: string | null = null;

  @ManyToOne({ entity: () => User, type: 'User', nullable: true })
  reviewedBy: User | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: DateTimeType, nullable: true })
  reviewedAt: Date | null = null;

  constructor(actionPlan: ActionPlan, percent: number, narrative: string) {
    super();
    this.actionPlan = actionPlan;
    this.city = actionPlan.city;
    this.percent = percent;
    this.narrative = narrative;
  }
}
