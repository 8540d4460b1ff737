import { DateTimeType, Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CityOwnedEntity } from '../../db/city-owned.entity';
import type { City } from '../cities/city.entity';
import { ActionPlan } from '../action-plans/action-plan.entity';
import { Opd } from '../opds/opd.entity';
import { ProgressReport } from '../progress/progress-report.entity';
import { User } from '../users/user.entity';
import { AssessmentItem } from './assessment.entity';

/** What a piece of evidence is. */
export enum EvidenceKind {
  FILE = 'FILE',
  LINK = 'LINK',
}
registerEnumType(EvidenceKind, {
  name: 'EvidenceKind',
  description: 'FILE (uploaded through POST /uploads) or LINK (a web address, http or https).',
});

/**
 * The stored bytes of an uploaded file, one per city and SHA-256 (the same file uploaded twice is
 * stored once). On PostgreSQL the bytes are in `data`, so every instance sees them; on SQLite they
 * are a file `DATA_DIR/uploads/<cityId>/<sha256>` and `data` stays null.
 */
@Entity({ tableName: 'evidence_blobs' })
@Unique({ properties: ['city', 'sha256'] })
export class EvidenceBlob extends CityOwnedEntity {
  @Property({ type: 'string', length: 64 })
  sha256: string;

  @Property({ type: 'integer' })
  size: number;

  /** The type sniffed from the content (never the name's). */
  @Property({ type: 'string', length: 120 })
  contentType: string;

  /** The bytes (PostgreSQL); never loaded unless asked for, masked in the audit trail. */
  @Property({ type: 'blob', nullable: true, lazy: true, hidden: true })
  data: Buffer | null = null;

  constructor(city: City, sha256: string, size: number, contentType: string) {
    super();
    this.city = city;
    this.sha256 = sha256;
    this.size = size;
    this.contentType = contentType;
  }
}

/** A piece of evidence (data dukung): an uploaded file or a link, with who supplied it and when. */
@ObjectType({ description: 'A piece of evidence (data dukung): an uploaded file or a link, with who supplied it and when.' })
@Entity({ tableName: 'evidence' })
export class Evidence extends CityOwnedEntity {
  @Field(() => EvidenceKind)
  @Enum({ items: () => EvidenceKind, type: 'string' })
  kind: EvidenceKind;

  @Field(() => String, { description: "A display name: the uploaded file's name cleaned (never the stored name), or the link's title." })
  @Property({ type: 'string', length: 255 })
  title: string;

  @Field(() => String, { nullable: true, description: 'For a LINK: its address.' })
  @Property({ type: 'string', length: 2000, nullable: true })
  url: string | null = null;

  @ManyToOne({ entity: () => EvidenceBlob, type: 'EvidenceBlob', nullable: true })
  blob: EvidenceBlob | null = null;

  @Field(() => String, { nullable: true, description: 'For a FILE: its type, sniffed from the content.' })
  @Property({ type: 'string', length: 120, nullable: true })
  contentType: string | null = null;

  @Field(() => Int, { nullable: true, description: 'For a FILE: its size in bytes.' })
  @Property({ type: 'integer', nullable: true })
  size: number | null = null;

  @Field(() => String, { nullable: true, description: 'For a FILE: its SHA-256 (hex).' })
  @Property({ type: 'string', length: 64, nullable: true })
  sha256: string | null = null;

  @ManyToOne({ entity: () => User, type: 'User', nullable: true })
  suppliedBy: User | null = null;

  @Field(() => String, { description: 'Who supplied it (the name at the time).' })
  @Property({ type: 'string', length: 300 })
  supplierName: string;

  /** The supplier's OPD, when an OPD reporter supplied it. */
  @ManyToOne({ entity: () => Opd, type: 'Opd', nullable: true })
  supplierOpd: Opd | null = null;

  @Field(() => Date)
  @Property({ type: DateTimeType })
  suppliedAt: Date = new Date();

  constructor(city: City, kind: EvidenceKind, title: string, supplierName: string) {
    super();
    this.city = city;
    this.kind = kind;
    this.title = title;
    this.supplierName = supplierName;
  }
}

/** Evidence attached to one rubric item of a self-assessment, an action plan or a progress report (exactly one). */
@ObjectType({ description: 'Evidence attached to an assessment item, an action plan or a progress report. Archived = detached.' })
@Entity({ tableName: 'evidence_attachments' })
export class EvidenceAttachment extends CityOwnedEntity {
  @Index()
  @ManyToOne({ entity: () => Evidence, type: 'Evidence' })
  evidence: Evidence;

  @Index()
  @ManyToOne({ entity: () => AssessmentItem, type: 'AssessmentItem', nullable: true })
  assessmentItem: AssessmentItem | null = null;

  @Index()
  @ManyToOne({ entity: () => ActionPlan, type: 'ActionPlan', nullable: true })
  actionPlan: ActionPlan | null = null;

  @Index()
  @ManyToOne({ entity: () => ProgressReport, type: 'ProgressReport', nullable: true })
  progressReport: ProgressReport | null = null;

  @ManyToOne({ entity: () => User, type: 'User', nullable: true })
  attachedBy: User | null = null;

  @Field(() => Date)
  @Property({ type: DateTimeType })
  attachedAt: Date = new Date();

  constructor(evidence: Evidence) {
    super();
    this.evidence = evidence;
    this.city = evidence.city;
  }
}
