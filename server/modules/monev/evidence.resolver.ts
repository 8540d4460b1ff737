import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { policy } from '../../auth/policy';
import type { Context } from '../../context';
import { notFound } from '../../errors';
import { ActionPlan } from '../action-plans/action-plan.entity';
import type { PlanRecord } from '../action-plans/plan-record';
import { City } from '../cities/city.entity';
import { connectionType, pageOfQuery, PageArgs, type Page } from '../../graphql/connection';
import { VersionedInput } from '../../graphql/crud';
import { Opd } from '../opds/opd.entity';
import { ProgressReport } from '../progress/progress-report.entity';
import { AssessmentItem } from './assessment.entity';
import { Evidence, EvidenceAttachment, EvidenceKind } from './evidence.entity';
import { addEvidenceLink, AddEvidenceLinkInput, attachEvidence, AttachEvidenceInput, detachEvidence } from './evidence.service';

/** A page of evidence. */
export const EvidenceConnection = connectionType(Evidence, 'Evidence');

/** The live attachments of one target (one statement per list of targets, through the loaders). */
function attachmentsOf(
  ctx: Context,
  column: 'assessmentItem' | 'actionPlan' | 'progressReport',
  id: string,
  cityId: string,
): Promise<EvidenceAttachment[]> {
  policy.assertRead(ctx.principal, cityId, 'City', cityId);
  return ctx.loaders.childrenOf(EvidenceAttachment, column, { id: 'asc' }).load(id);
}

/** Evidence (data dukung): links, uploaded files (see POST /uploads), and where they are attached. */
@Resolver(() => Evidence)
export class EvidenceResolver {
  @Mutation(() => Evidence, {
    description: 'Adds a link as evidence of a city (city admins and its OPD reporters). Files are uploaded with POST /uploads.',
  })
  addEvidenceLink(@Arg('input', () => AddEvidenceLinkInput) input: AddEvidenceLinkInput, @Ctx() ctx: Context): Promise<Evidence> {
    return addEvidenceLink(ctx, input);
  }

  @Mutation(() => EvidenceAttachment, {
    description:
      "Attaches evidence to an assessment item, an action plan or a progress report of its city (city admins; an OPD reporter on its own OPD's plans and reports and the items its OPD answers for). Attaching twice returns the existing attachment.",
  })
  attachEvidence(@Arg('input', () => AttachEvidenceInput) input: AttachEvidenceInput, @Ctx() ctx: Context): Promise<EvidenceAttachment> {
    return attachEvidence(ctx, input);
  }

  @Mutation(() => EvidenceAttachment, {
    description: 'Detaches evidence (the attachment is archived; the evidence stays). The same people who may attach it.',
  })
  detachEvidence(@Arg('input', () => VersionedInput) input: VersionedInput, @Ctx() ctx: Context): Promise<EvidenceAttachment> {
    return detachEvidence(ctx, input);
  }

  @FieldResolver(() => Opd, { nullable: true, description: "The supplier's OPD, when an OPD reporter supplied it." })
  async supplierOpd(@Root() evidence: Evidence, @Ctx() ctx: Context): Promise<Opd | null> {
    return evidence.supplierOpd ? ctx.loaders.byId(Opd).load(evidence.supplierOpd.id) : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'For a FILE: where to download it (`GET`, with the same `Authorization: Bearer` header as the API).',
  })
  downloadPath(@Root() evidence: Evidence): string | null {
    return evidence.kind === EvidenceKind.FILE ? `/uploads/${evidence.id}` : null;
  }
}

/** What an attachment attaches, and to what. */
@Resolver(() => EvidenceAttachment)
export class EvidenceAttachmentResolver {
  @FieldResolver(() => Evidence)
  async evidence(@Root() a: EvidenceAttachment, @Ctx() ctx: Context): Promise<Evidence> {
    const row = await ctx.loaders.byId(Evidence).load(a.evidence.id);
    if (!row) throw notFound('Evidence', a.evidence.id);
    policy.assertRead(ctx.principal, row.city.id, 'Evidence', row.id);
    return row;
  }

  @FieldResolver(() => ID, { nullable: true }) assessmentItemId(@Root() a: EvidenceAttachment): string | null {
    return a.assessmentItem?.id ?? null;
  }

  @FieldResolver(() => ID, { nullable: true }) actionPlanId(@Root() a: EvidenceAttachment): string | null {
    return a.actionPlan?.id ?? null;
  }

  @FieldResolver(() => ID, { nullable: true }) progressReportId(@Root() a: EvidenceAttachment): string | null {
    return a.progressReport?.id ?? null;
  }
}

/** `AssessmentItem.evidence`. */
@Resolver(() => AssessmentItem)
export class AssessmentItemEvidenceResolver {
  @FieldResolver(() => [EvidenceAttachment], { description: 'Evidence attached to this item, oldest first.' })
  evidence(@Root() item: AssessmentItem, @Ctx() ctx: Context): Promise<EvidenceAttachment[]> {
    return attachmentsOf(ctx, 'assessmentItem', item.id, item.city.id);
  }
}

/** `ActionPlan.evidence`. */
@Resolver(() => ActionPlan)
export class ActionPlanEvidenceResolver {
  @FieldResolver(() => [EvidenceAttachment], { description: 'Evidence (data dukung) attached to this plan, oldest first.' })
  evidence(@Root() plan: PlanRecord, @Ctx() ctx: Context): Promise<EvidenceAttachment[]> {
    return attachmentsOf(ctx, 'actionPlan', plan.id, plan.city.id);
  }
}

/** `ProgressReport.evidence`. */
@Resolver(() => ProgressReport)
export class ProgressReportEvidenceResolver {
  @FieldResolver(() => [EvidenceAttachment], {
    description: 'Evidence (data dukung) attached to this report, oldest first (besides its `evidenceUrls`).',
  })
  evidence(@Root() report: ProgressReport, @Ctx() ctx: Context): Promise<EvidenceAttachment[]> {
    return attachmentsOf(ctx, 'progressReport', report.id, report.city.id);
  }
}

/** `City.evidence`. */
@Resolver(() => City)
export class CityEvidenceResolver {
  @FieldResolver(() => EvidenceConnection, { description: "The city's evidence (files and links), newest first." })
  async evidence(@Root() city: City, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: Context): Promise<Page<Evidence>> {
    policy.assertRead(ctx.principal, city.id, 'City', city.id);
    return pageOfQuery(ctx.em, Evidence, { city: city.id, archivedAt: null }, args, 'desc');
  }
}
