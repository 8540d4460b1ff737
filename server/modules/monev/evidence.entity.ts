import { DateTimeType, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CityOwnedEntity } from '../../db/city-owned.entity';
import type { City } from '../cities/city.entity';
import { ActionPlan } from '../action-plans/action-plan.entity';
import { Opd } from '../opds/opd.entity';
import { ProgressReport } from '../progress/progress-report.entity';
import { User } from '../users/user.entity';
import { AssessmentItem } from './assessment.entity';
import { AuditAction, type AuditEntry } from '../audit/audit.entity';

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
 * An uploaded file, one per city and SHA-256 (the same file uploaded twice is stored once). On
 * PostgreSQL its bytes are `EvidenceChunk` rows, so every instance sees them; on SQLite they are a
 * file `DATA_DIR/uploads/<cityId>/<sha256>`.
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

  constructor(city: City, sha256: string, size: number, contentType: string) {
    super();
    this.city = city;
    this.sha256 = sha256;
    this.size = size;
    this.contentType = contentType;
  }
}

/**
 * A piece of a blob's bytes on PostgreSQL: chunk `seq` (from 0) holds bytes
 * `seq × CHUNK_BYTES` to `(seq + 1) × CHUNK_BYTES − 1` (256 KiB; the last one shorter). Written
 * and read one at a time with plain SQL (`blob-store.ts`), never through the unit of work, so no
 * more than a chunk of a file is ever in memory; gone with its blob.
 */
@Entity({ tableName: 'evidence_chunks' })
export class EvidenceChunk {
  @ManyToOne({ entity: () => EvidenceBlob, type: 'EvidenceBlob', primary: true, deleteRule: 'cascade' })
  blob!: EvidenceBlob;

  @PrimaryKey({ type: 'integer' })
  seq!: number;

  @Property({ type: 'blob' })
  data!: Buffer;
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
  /** Its events (`NamesItsEvents`), what the readiness subscription reacts to: EVIDENCE_ATTACHED, EVIDENCE_DETACHED. */
  static eventKind(entry: AuditEntry): string | null {
    if (entry.action === AuditAction.UPDATE) return null;
    return entry.action === AuditAction.CREATE ? 'EVIDENCE_ATTACHED' : 'EVIDENCE_DETACHED';
  }

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
