import fs from 'node:fs/promises';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/core';
import { Field, ID, InputType } from 'type-graphql';
import { policy, type Principal } from '../../auth/policy';
import type { Context } from '../../context';
import { badInput, forbidden } from '../../errors';
import { isUuid } from '../../util/ids';
import { ActionPlan } from '../action-plans/action-plan.entity';
import { City } from '../cities/city.entity';
import { VersionedInput } from '../common/crud';
import { check } from '../common/validate';
import { inTransaction, loadForWrite, resolveInCity, resolveReadable } from '../common/writes';
import { Opd } from '../opds/opd.entity';
import { ProgressReport } from '../progress/progress-report.entity';
import { User } from '../users/user.entity';
import { AssessmentItem } from './assessment.entity';
import { Evidence, EvidenceAttachment, EvidenceBlob, EvidenceKind } from './evidence.entity';
import type { SniffedType } from './sniff';

@InputType({ description: 'A link as evidence (data dukung).' })
export class AddEvidenceLinkInput {
  @Field(() => ID) cityId!: string;
  @Field(() => String, { description: 'http(s), at most 2 000 characters.' }) url!: string;
  @Field(() => String, { description: 'What it is, at most 255 characters.' }) title!: string;
}

@InputType({
  description: 'Attaches evidence to exactly one target of the same city: an assessment item, an action plan or a progress report.',
})
export class AttachEvidenceInput {
  @Field(() => ID) evidenceId!: string;
  @Field(() => ID, { nullable: true }) assessmentItemId?: string | null;
  @Field(() => ID, { nullable: true }) actionPlanId?: string | null;
  @Field(() => ID, { nullable: true }) progressReportId?: string | null;
}

/** Where uploaded bytes go: the database (PostgreSQL: every instance sees them) or files under `dir`. */
export interface BlobStorage {
  inDatabase: boolean;
  /** `DATA_DIR/uploads`: `<cityId>/<sha256>` files, and `tmp/` for uploads in flight. */
  dir: string;
}

/** The file of a blob on disk (names are hashes and ids only: never anything a user typed). */
export function blobPath(storage: BlobStorage, cityId: string, sha256: string): string {
  if (!isUuid(cityId) || !/^[0-9a-f]{64}$/.test(sha256)) throw new Error('bad blob address');
  return path.join(storage.dir, cityId, sha256);
}

/** Asserts the principal may supply evidence to the city: BAD_USER_INPUT on `field` when it can't see it, FORBIDDEN otherwise. */
export async function cityForEvidence(em: EntityManager, principal: Principal | null, cityId: string, field: string): Promise<City> {
  const p = policy.requireLogin(principal);
  const city = await resolveReadable(em, City, 'City', cityId, field, (c) => c.id, p, policy.canReadCity);
  if (!policy.canSupplyEvidence(p, city.id)) throw forbidden();
  return city;
}

/** A new evidence row supplied by the principal, now. */
function newEvidence(em: EntityManager, ctx: Context, city: City, kind: EvidenceKind, title: string): Evidence {
  const p = policy.requireLogin(ctx.principal);
  const evidence = new Evidence(city, kind, title, p.name);
  evidence.suppliedBy = em.getReference(User, p.userId);
  if (p.opdId) evidence.supplierOpd = em.getReference(Opd, p.opdId);
  evidence.suppliedAt = ctx.services.clock();
  return evidence;
}

/** An uploaded file, checked and hashed, ready to store. */
export interface CheckedUpload {
  cityId: string;
  name: string;
  bytes: Buffer;
  sha256: string;
  type: SniffedType;
}

/**
 * Stores an uploaded file as evidence, in one transaction: the same file (same city, same SHA-256)
 * is stored once and shared by every evidence row that names it. On disk the file is written to
 * its hash name (by rename, so never half-written) before the transaction and removed again if it
 * fails and was new.
 */
export async function storeUpload(
  ctx: Context,
  storage: BlobStorage,
  upload: CheckedUpload,
  tempFile: string,
): Promise<{ evidence: Evidence; deduplicated: boolean }> {
  let placed: string | null = null;
  if (!storage.inDatabase) {
    const target = blobPath(storage, upload.cityId, upload.sha256);
    const exists = await fs.stat(target).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.rename(tempFile, target);
      placed = target;
    }
  }
  try {
    return await inTransaction(ctx, 'Evidence', async (em) => {
      const city = await cityForEvidence(em, ctx.principal, upload.cityId, 'cityId');
      let blob = await em.findOne(EvidenceBlob, { city: city.id, sha256: upload.sha256 });
      const deduplicated = blob !== null;
      if (!blob) {
        blob = new EvidenceBlob(city, upload.sha256, upload.bytes.length, upload.type.contentType);
        if (storage.inDatabase) blob.data = upload.bytes;
        em.persist(blob);
      }
      const evidence = newEvidence(em, ctx, city, EvidenceKind.FILE, upload.name);
      evidence.blob = blob;
      evidence.contentType = blob.contentType;
      evidence.size = blob.size;
      evidence.sha256 = blob.sha256;
      em.persist(evidence);
      return { evidence, deduplicated };
    });
  } catch (error) {
    // Remove the file only if no committed blob names it (a concurrent upload of the same bytes may have won).
    if (placed && (await ctx.em.fork().count(EvidenceBlob, { city: upload.cityId, sha256: upload.sha256 })) === 0)
      await fs.rm(placed, { force: true });
    throw error;
  }
}

/** Adds a link as evidence (whoever may supply evidence to the city). */
export function addEvidenceLink(ctx: Context, input: AddEvidenceLinkInput): Promise<Evidence> {
  const [url] = check.urls('url', [input.url], 1);
  if (!url) throw badInput('input.url', 'required');
  const title = check.text('title', input.title, 255);
  return inTransaction(ctx, 'Evidence', async (em) => {
    const city = await cityForEvidence(em, ctx.principal, input.cityId, 'cityId');
    const evidence = newEvidence(em, ctx, city, EvidenceKind.LINK, title);
    evidence.url = url;
    em.persist(evidence);
    return evidence;
  });
}

/** The target of an attachment, its city and the OPD that answers for it. */
interface Target {
  set(a: EvidenceAttachment): void;
  where: Record<string, string>;
  cityId: string;
  opdId: string | null;
}

async function resolveTarget(em: EntityManager, input: AttachEvidenceInput, cityId: string): Promise<Target> {
  const given = [input.assessmentItemId, input.actionPlanId, input.progressReportId].filter((v) => v !== null && v !== undefined);
  if (given.length !== 1) throw badInput('input', 'attachTarget');
  if (input.assessmentItemId) {
    const item = await resolveInCity(em, AssessmentItem, 'AssessmentItem', input.assessmentItemId, cityId, 'assessmentItemId');
    return { set: (a) => (a.assessmentItem = item), where: { assessmentItem: item.id }, cityId, opdId: item.responsibleOpd?.id ?? null };
  }
  if (input.actionPlanId) {
    const plan = await resolveInCity(em, ActionPlan, 'ActionPlan', input.actionPlanId, cityId, 'actionPlanId');
    return { set: (a) => (a.actionPlan = plan), where: { actionPlan: plan.id }, cityId, opdId: plan.ownerOpd.id };
  }
  const report = await resolveInCity(em, ProgressReport, 'ProgressReport', input.progressReportId!, cityId, 'progressReportId');
  const plan = await em.findOneOrFail(ActionPlan, { id: report.actionPlan.id });
  return { set: (a) => (a.progressReport = report), where: { progressReport: report.id }, cityId, opdId: plan.ownerOpd.id };
}

/**
 * Attaches evidence to one target of its city: city admins anything; an OPD reporter its own OPD's
 * plans and reports, and the assessment items its OPD answers for. Attaching twice returns the
 * existing attachment.
 */
export function attachEvidence(ctx: Context, input: AttachEvidenceInput): Promise<EvidenceAttachment> {
  return inTransaction(ctx, 'EvidenceAttachment', async (em) => {
    const p = policy.requireLogin(ctx.principal);
    const evidence = await resolveReadable(
      em,
      Evidence,
      'Evidence',
      input.evidenceId,
      'evidenceId',
      (e) => e.city.id,
      p,
      policy.canReadCity,
    );
    const target = await resolveTarget(em, input, evidence.city.id);
    if (!policy.canAttachEvidence(p, target.cityId, target.opdId)) throw forbidden();
    const existing = await em.findOne(EvidenceAttachment, { evidence: evidence.id, archivedAt: null, ...target.where });
    if (existing) return existing;
    const attachment = new EvidenceAttachment(evidence);
    target.set(attachment);
    attachment.attachedBy = em.getReference(User, p.userId);
    attachment.attachedAt = ctx.services.clock();
    em.persist(attachment);
    return attachment;
  });
}

/** Detaches evidence (archives the attachment; the evidence itself stays): the same people who may attach it. */
export function detachEvidence(ctx: Context, input: VersionedInput): Promise<EvidenceAttachment> {
  return inTransaction(ctx, 'EvidenceAttachment', async (em) => {
    let opdId: string | null = null;
    const row = await loadForWrite(em, EvidenceAttachment, 'EvidenceAttachment', input.id, input.expectedVersion, (a) => {
      policy.assertRead(ctx.principal, a.city.id, 'EvidenceAttachment', a.id);
    });
    if (row.assessmentItem) opdId = (await em.findOneOrFail(AssessmentItem, { id: row.assessmentItem.id })).responsibleOpd?.id ?? null;
    else if (row.actionPlan) opdId = (await em.findOneOrFail(ActionPlan, { id: row.actionPlan.id })).ownerOpd.id;
    else if (row.progressReport)
      opdId = (
        await em.findOneOrFail(ActionPlan, { id: (await em.findOneOrFail(ProgressReport, { id: row.progressReport.id })).actionPlan.id })
      ).ownerOpd.id;
    if (!policy.canAttachEvidence(policy.requireLogin(ctx.principal), row.city.id, opdId)) throw forbidden();
    if (row.archivedAt === null) row.archivedAt = ctx.services.clock();
    return row;
  });
}
