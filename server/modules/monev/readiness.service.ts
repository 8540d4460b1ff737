import { memoize, type Context } from '../../context';
import { badInput } from '../../errors';
import { todayIn } from '../../util/dates';
import type { City } from '../cities/city.entity';
import { DIMENSIONS, dimensionLabel, type Dimension } from '../masterplan/dimension';
import type { PlanRecord } from '../action-plans/plan-record';
import { cityOpds, cityPlans } from '../overview/city-data';
import type { Opd } from '../opds/opd.entity';
import { cityOverview } from '../overview/overview.service';
import { ProgressReport, ReportStatus } from '../progress/progress-report.entity';
import { SelfAssessment, type AssessmentItem } from './assessment.entity';
import { assessmentData, figures, liveItems, type AssessmentData } from './assessment.service';
import { EvidenceAttachment } from './evidence.entity';
import { EvaluationFramework, evaluationDimensionLabel, type EvaluationDimension, type RubricItem } from './framework.entity';
import { frameworkItems } from './framework.service';
import { GapCounts, GapKind, type Readiness, type ReadinessGap } from './readiness';
import { computeIndex, type IndexFigures } from './score';

/** What a readiness is computed from: the overview, the city's plans and OPDs, the year's assessment and framework, evidence counts and the verification queue. */
interface ReadinessInputs {
  overview: Awaited<ReturnType<typeof cityOverview>>;
  plans: PlanRecord[];
  opds: Opd[];
  assessment: SelfAssessment | null;
  framework: EvaluationFramework | null;
  data: AssessmentData | null;
  rubric: { rubric: RubricItem; item: AssessmentItem }[];
  /** Live attachments per assessment item. */
  evidence: Map<string, number>;
  /** Reports waiting for verification, oldest first. */
  unverified: ProgressReport[];
}

/** Reads what a readiness is computed from (in this order: the statements are those of the request). */
async function readinessInputs(ctx: Context, city: City, year: number): Promise<ReadinessInputs> {
  const overview = await cityOverview(ctx, city);
  const [plans, opds, assessment] = await Promise.all([
    cityPlans(ctx, city.id),
    cityOpds(ctx, city.id),
    ctx.em.findOne(SelfAssessment, { city: city.id, year, archivedAt: null }, { orderBy: { framework: { revision: 'desc' } } }),
  ]);
  const framework = assessment
    ? (await assessmentData(ctx, assessment)).framework
    : await ctx.em.findOne(EvaluationFramework, { year, archivedAt: null }, { orderBy: { revision: 'desc' } });
  const data = assessment ? await assessmentData(ctx, assessment) : null;
  const rubric = data ? liveItems(data) : [];
  const evidence = new Map<string, number>();
  if (rubric.length > 0) {
    // Whole rows, not partial ones: the request's entity manager is shared, and a partially
    // loaded attachment would answer null for its other fields elsewhere in the same request.
    const rows = await ctx.em.find(EvidenceAttachment, { assessmentItem: { $in: rubric.map((r) => r.item.id) }, archivedAt: null });
    for (const r of rows) if (r.assessmentItem) evidence.set(r.assessmentItem.id, (evidence.get(r.assessmentItem.id) ?? 0) + 1);
  }
  const unverified = await ctx.em.find(
    ProgressReport,
    { city: city.id, status: ReportStatus.SUBMITTED },
    { orderBy: { reportedAt: 'asc', id: 'asc' } },
  );
  return { overview, plans, opds, assessment, framework, data, rubric, evidence, unverified };
}

type GapField = 'unscored' | 'missingEvidence' | 'unverifiedReports' | 'latePlans';

/** The gaps of a readiness as they are found: counted in all, per evaluation and smart-city dimension and per OPD, and listed. */
class GapTally {
  readonly total = new GapCounts();
  readonly byEval = new Map<EvaluationDimension, GapCounts>();
  readonly bySmart = new Map<Dimension, GapCounts>();
  readonly byOpd = new Map<string, GapCounts>();
  readonly gapList: ReadinessGap[] = [];
  /** Gaps of items no OPD answers for. */
  unassignedItemGaps = 0;

  /** The counts of `key` in `map`, made on first use. */
  counts<K>(map: Map<K, GapCounts>, key: K): GapCounts {
    let c = map.get(key);
    if (!c) map.set(key, (c = new GapCounts()));
    return c;
  }

  /** Counts one gap of `field` in all and in each of `groups`. */
  count(field: GapField, groups: (GapCounts | null)[]): void {
    for (const g of [this.total, ...groups]) {
      if (!g) continue;
      g[field]++;
      g.total++;
    }
  }
}

/** A gap with every field it does not name null. */
function gap(g: Partial<ReadinessGap> & Pick<ReadinessGap, 'kind' | 'title'>): ReadinessGap {
  return {
    code: null,
    evaluationDimension: null,
    smartCityDimension: null,
    opdId: null,
    opdName: null,
    assessmentItemId: null,
    actionPlanId: null,
    progressReportId: null,
    ...g,
  };
}

/** The rubric's items as a readiness lists them; their gaps (unscored, then missing evidence) are tallied. */
function tallyItems(tally: GapTally, inputs: ReadinessInputs, opdById: Map<string, Opd>): Readiness['items'] {
  const itemGaps: ReadinessGap[] = [];
  const evidenceGaps: ReadinessGap[] = [];
  const items = inputs.rubric.map(({ rubric: r, item }) => {
    const opd = item.responsibleOpd ? (opdById.get(item.responsibleOpd.id) ?? null) : null;
    const groups = [
      tally.counts(tally.byEval, r.dimension),
      r.smartCityDimension ? tally.counts(tally.bySmart, r.smartCityDimension) : null,
      opd ? tally.counts(tally.byOpd, opd.id) : null,
    ];
    const base = {
      code: r.code,
      title: r.code,
      evaluationDimension: r.dimension,
      smartCityDimension: r.smartCityDimension,
      opdId: opd?.id ?? null,
      opdName: opd?.name ?? null,
      assessmentItemId: item.id,
    };
    if (item.score === null) {
      tally.count('unscored', groups);
      itemGaps.push(gap({ kind: GapKind.UNSCORED, ...base }));
    }
    const evidenceCount = inputs.evidence.get(item.id) ?? 0;
    if (evidenceCount === 0) {
      tally.count('missingEvidence', groups);
      evidenceGaps.push(gap({ kind: GapKind.MISSING_EVIDENCE, ...base }));
    }
    if (!opd && (item.score === null || evidenceCount === 0)) tally.unassignedItemGaps++;
    return {
      assessmentItemId: item.id,
      code: r.code,
      question: r.question,
      evaluationDimension: r.dimension,
      smartCityDimension: r.smartCityDimension,
      score: item.score,
      evidenceCount,
      opdId: opd?.id ?? null,
      opdName: opd?.name ?? null,
    };
  });
  tally.gapList.push(...itemGaps, ...evidenceGaps);
  return items;
}

/** Tallies the plans' gaps: reports waiting for verification, then late plans. */
function tallyPlans(tally: GapTally, inputs: ReadinessInputs, opdById: Map<string, Opd>): void {
  const planById = new Map(inputs.plans.map((p) => [p.id, p]));
  const planGap = (planId: string, field: GapField, kind: GapKind, progressReportId?: string) => {
    const plan = planById.get(planId);
    if (!plan) return;
    const opd = opdById.get(plan.ownerOpd.id) ?? null;
    tally.count(field, [tally.counts(tally.bySmart, plan.dimension), opd ? tally.counts(tally.byOpd, opd.id) : null]);
    tally.gapList.push(
      gap({
        kind,
        title: plan.title,
        smartCityDimension: plan.dimension,
        opdId: opd?.id ?? null,
        opdName: opd?.name ?? null,
        actionPlanId: plan.id,
        ...(progressReportId === undefined ? {} : { progressReportId }),
      }),
    );
  };
  for (const report of inputs.unverified) planGap(report.actionPlan.id, 'unverifiedReports', GapKind.UNVERIFIED_REPORT, report.id);
  for (const id of inputs.overview.lateIds) planGap(id, 'latePlans', GapKind.LATE_PLAN);
}

/** The index as it stands: the assessment's self scores, else the framework's (or an empty one's) with nothing scored. */
async function readinessFigures(
  ctx: Context,
  inputs: ReadinessInputs,
): Promise<{ scale: { scaleMin: number; scaleMax: number }; f: IndexFigures }> {
  const { framework, data } = inputs;
  const scale = framework ?? { scaleMin: 0, scaleMax: 4 };
  const f = data
    ? figures(data, 'self')
    : computeIndex(
        scale,
        framework?.weights ?? { BASELINE: 0, OUTPUT: 0, OUTCOME: 0, IMPACT: 0, QUICK_WIN: 0 },
        framework
          ? (await frameworkItems(ctx.em, framework.id)).map((r) => ({ dimension: r.dimension, weight: r.weight, score: null }))
          : [],
      );
  return { scale, f };
}

/**
 * A city's readiness for a year's monev, computed once per request (and once per change for every
 * subscriber, see modules/live). Late plans, the next visit and the days left come from the overview
 * service (the one home of those definitions); unverified reports are the verification queue
 * (`City.progressReports(status: SUBMITTED)`).
 */
export function cityReadiness(ctx: Context, city: City, year: number): Promise<Readiness> {
  return memoize(ctx, `readiness:${city.id}:${year}`, async () => {
    const inputs = await readinessInputs(ctx, city, year);
    const { overview, framework, assessment, rubric } = inputs;
    const opdById = new Map(inputs.opds.map((o) => [o.id, o]));
    const tally = new GapTally();
    const items = tallyItems(tally, inputs, opdById);
    tallyPlans(tally, inputs, opdById);
    const { scale, f } = await readinessFigures(ctx, inputs);
    const visit = overview.nextEvaluationVisit;
    return {
      cityId: city.id,
      year,
      seq: overview.seq,
      asOf: ctx.now,
      today: overview.today,
      frameworkId: framework?.id ?? null,
      frameworkName: framework?.name ?? null,
      assessmentId: assessment?.id ?? null,
      assessmentStatus: assessment?.status ?? null,
      scaleMin: scale.scaleMin,
      scaleMax: scale.scaleMax,
      index: f.index,
      itemCount: f.itemCount,
      scoredCount: f.scoredCount,
      gaps: tally.total,
      visitStartDate: visit?.startDate ?? null,
      visitEndDate: visit?.endDate ?? null,
      daysToVisit: overview.daysToNextEvaluation,
      dimensions: f.dimensions.map((d) => ({
        dimension: d.dimension,
        label: evaluationDimensionLabel(d.dimension, ctx.locale),
        weight: d.weight,
        score: d.score,
        itemCount: d.itemCount,
        gaps: tally.byEval.get(d.dimension) ?? new GapCounts(),
      })),
      smartCityDimensions: DIMENSIONS.map((d) => ({
        dimension: d,
        label: dimensionLabel(d, ctx.locale),
        itemCount: rubric.filter((r) => r.rubric.smartCityDimension === d).length,
        gaps: tally.bySmart.get(d) ?? new GapCounts(),
      })),
      // Who must act: an OPD answering for complete items only (no gap) is not listed.
      opds: [...tally.byOpd.entries()]
        .filter(([, gaps]) => gaps.total > 0)
        .map(([id, gaps]) => ({ opdId: id, name: opdById.get(id)?.name ?? '', abbreviation: opdById.get(id)?.abbreviation ?? '', gaps }))
        .sort((a, b) => b.gaps.total - a.gaps.total || a.name.localeCompare(b.name, 'id')),
      unassignedItemGaps: tally.unassignedItemGaps,
      items,
      gapList: tally.gapList,
    };
  });
}

/** The year a readiness is for: the one asked (2000–2100), else the city's current year. */
export function readinessYear(city: City, year: number | null | undefined, now: Date): number {
  if (year === null || year === undefined) return Number(todayIn(city.timeZone, now).slice(0, 4));
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw badInput('year', 'yearRange', { min: 2000, max: 2100 });
  return year;
}
