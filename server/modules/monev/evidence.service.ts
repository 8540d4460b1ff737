import fs from 'node:fs/promises';
import type { EntityManager } from '@mikro-orm/core';
import { Field, ID, InputType } from 'type-graphql';
import { policy, type Principal } from '../../auth/policy';
import type { Context } from '../../context';
import { sqlRows } from '../../db/sql';
import { AppError, ErrorCode, badInput, forbidden } from '../../errors';
import { currentLocale, megabytes, t } from '../../i18n';
import { KeyedLock, Semaphore } from '../../util/semaphore';
import { ActionPlan } from '../action-plans/action-plan.entity';
import { City } from '../cities/city.entity';
import { VersionedInput } from '../../graphql/crud';
import { check } from '../../util/validate';
import { inTransaction, loadForWrite, resolveInCity, resolveReadable } from '../../events/writes';
import { Opd } from '../opds/opd.entity';
import { ProgressReport } from '../progress/progress-report.entity';
import { User } from '../users/user.entity';
import { AssessmentItem } from './assessment.entity';
import { Evidence, EvidenceAttachment, EvidenceBlob, EvidenceKind } from './evidence.entity';
import { cityUsage, placeFile, writeChunks, type BlobStorage } from './blob-store';
import type { SniffedType } from './sniff';

/** The first key of the advisory lock around storing a city's evidence file (the second: the city id's hash). */
const STORE_LOCK_CLASS = 20_261_207;

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

/** An uploaded file, received into a temp file, hashed and its type checked: ready to store. */
export interface CheckedUpload {
  cityId: string;
  name: string;
  /** The temp file holding the bytes (moved into place on SQLite; the caller removes what is left). */
  file: string;
  size: number;
  sha256: string;
  type: SniffedType;
}

/** One store at a time per city on this instance (the quota sum and the de-duplication need it)… */
const cityLocks = new KeyedLock();
/** …and at most this many copies into the database at once (each holds a pooled connection). */
const copies = new Semaphore(2);

/** The 413 of an upload the city has no room for. */
function quotaExceeded(quota: number, used: number): AppError {
  const locale = currentLocale();
  return new AppError(ErrorCode.BAD_USER_INPUT, t('uploadCityQuota', { used: megabytes(used, locale), max: megabytes(quota, locale) }), {
    field: 'file',
    limit: 'cityQuota',
    max: quota,
    used,
  });
}

/**
 * Stores an uploaded file as evidence, in one transaction: the same file (same city, same SHA-256)
 * is stored once and shared by every evidence row that names it, so identical uploads at the same
 * moment all succeed and are stored once — one store per city at a time (this instance's lock,
 * and on PostgreSQL a transaction-scoped advisory lock that other instances wait on too). A new
 * file must fit the city's quota (`cityQuotaBytes`, 413 `limit: "cityQuota"`); a duplicate takes
 * no room and is always accepted. The bytes: chunk rows on PostgreSQL, copied from the temp file in
 * the same transaction; on SQLite the temp file renamed to its hash name (removed again if the
 * transaction fails).
 */
export async function storeUpload(
  ctx: Context,
  storage: BlobStorage,
  upload: CheckedUpload,
  limits: { cityQuotaBytes: number },
): Promise<{ evidence: Evidence; deduplicated: boolean }> {
  return cityLocks.run(upload.cityId, () =>
    copies.run(async () => {
      let placed: string | null = null;
      try {
        return await inTransaction(ctx, 'Evidence', async (em) => {
          const city = await cityForEvidence(em, ctx.principal, upload.cityId, 'cityId');
          if (storage.inDatabase) await sqlRows(em, `select pg_advisory_xact_lock(${STORE_LOCK_CLASS}, hashtext(?))`, [city.id]);
          let blob = await em.findOne(EvidenceBlob, { city: city.id, sha256: upload.sha256 });
          const deduplicated = blob !== null;
          if (!blob) {
            const used = await cityUsage(em, city.id);
            if (used + upload.size > limits.cityQuotaBytes) throw quotaExceeded(limits.cityQuotaBytes, used);
            blob = new EvidenceBlob(city, upload.sha256, upload.size, upload.type.contentType);
            em.persist(blob);
            if (storage.inDatabase) {
              await em.flush();
              await writeChunks(em, blob.id, upload.file);
            } else {
              placed = await placeFile(storage, city.id, upload.sha256, upload.file);
            }
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
        // Under the city's lock: no committed blob names the file this upload placed.
        if (placed) await fs.rm(placed, { force: true });
        throw error;
      }
    }),
  );
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
