import { memoize, type Context } from '../../context';
import { badInput } from '../../errors';
import { todayIn } from '../../util/dates';
import type { City } from '../cities/city.entity';
import { DIMENSIONS, dimensionLabel, type Dimension } from '../masterplan/dimension';
import { cityOpds, cityPlans } from '../overview/city-data';
import { cityOverview } from '../overview/overview.service';
import { ProgressReport, ReportStatus } from '../progress/progress-report.entity';
import { SelfAssessment } from './assessment.entity';
import { assessmentData, figures, liveItems } from './assessment.service';
import { EvidenceAttachment } from './evidence.entity';
import { EvaluationFramework, evaluationDimensionLabel, type EvaluationDimension } from './framework.entity';
import { frameworkItems } from './framework.service';
import { GapCounts, GapKind, type Readiness, type ReadinessGap } from './readiness';
import { computeIndex } from './score';

/**
 * A city's readiness for a year's monev, computed once per request (and once per change for every
 * subscriber, see modules/live). Late plans, the next visit and the days left come from the overview
 * service (the one home of those definitions); unverified reports are the verification queue
 * (`City.progressReports(status: SUBMITTED)`).
 */
export function cityReadiness(ctx: Context, city: City, year: number): Promise<Readiness> {
  return memoize(ctx, `readiness:${city.id}:${year}`, async () => {
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

    const opdById = new Map(opds.map((o) => [o.id, o]));
    const planById = new Map(plans.map((p) => [p.id, p]));
    const total = new GapCounts();
    const byEval = new Map<EvaluationDimension, GapCounts>();
    const bySmart = new Map<Dimension, GapCounts>();
    const byOpd = new Map<string, GapCounts>();
    let unassignedItemGaps = 0;
    const counts = <K>(map: Map<K, GapCounts>, key: K) => {
      let c = map.get(key);
      if (!c) map.set(key, (c = new GapCounts()));
      return c;
    };
    const count = (field: 'unscored' | 'missingEvidence' | 'unverifiedReports' | 'latePlans', groups: (GapCounts | null)[]) => {
      for (const g of [total, ...groups]) {
        if (!g) continue;
        g[field]++;
        g.total++;
      }
    };
    const gapList: ReadinessGap[] = [];
    const gap = (g: Partial<ReadinessGap> & Pick<ReadinessGap, 'kind' | 'title'>): ReadinessGap => ({
      code: null,
      evaluationDimension: null,
      smartCityDimension: null,
      opdId: null,
      opdName: null,
      assessmentItemId: null,
      actionPlanId: null,
      progressReportId: null,
      ...g,
    });

    const itemGaps: ReadinessGap[] = [];
    const evidenceGaps: ReadinessGap[] = [];
    const items = rubric.map(({ rubric: r, item }) => {
      const opd = item.responsibleOpd ? (opdById.get(item.responsibleOpd.id) ?? null) : null;
      const groups = [
        counts(byEval, r.dimension),
        r.smartCityDimension ? counts(bySmart, r.smartCityDimension) : null,
        opd ? counts(byOpd, opd.id) : null,
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
        count('unscored', groups);
        itemGaps.push(gap({ kind: GapKind.UNSCORED, ...base }));
      }
      const evidenceCount = evidence.get(item.id) ?? 0;
      if (evidenceCount === 0) {
        count('missingEvidence', groups);
        evidenceGaps.push(gap({ kind: GapKind.MISSING_EVIDENCE, ...base }));
      }
      if (!opd && (item.score === null || evidenceCount === 0)) unassignedItemGaps++;
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
    gapList.push(...itemGaps, ...evidenceGaps);
    for (const report of unverified) {
      const plan = planById.get(report.actionPlan.id);
      if (!plan) continue;
      const opd = opdById.get(plan.ownerOpd.id) ?? null;
      count('unverifiedReports', [counts(bySmart, plan.dimension), opd ? counts(byOpd, opd.id) : null]);
      gapList.push(
        gap({
          kind: GapKind.UNVERIFIED_REPORT,
          title: plan.title,
          smartCityDimension: plan.dimension,
          opdId: opd?.id ?? null,
          opdName: opd?.name ?? null,
          actionPlanId: plan.id,
          progressReportId: report.id,
        }),
      );
    }
    for (const id of overview.lateIds) {
      const plan = planById.get(id);
      if (!plan) continue;
      const opd = opdById.get(plan.ownerOpd.id) ?? null;
      count('latePlans', [counts(bySmart, plan.dimension), opd ? counts(byOpd, opd.id) : null]);
      gapList.push(
        gap({
          kind: GapKind.LATE_PLAN,
          title: plan.title,
          smartCityDimension: plan.dimension,
          opdId: opd?.id ?? null,
          opdName: opd?.name ?? null,
          actionPlanId: plan.id,
        }),
      );
    }

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
      gaps: total,
      visitStartDate: visit?.startDate ?? null,
      visitEndDate: visit?.endDate ?? null,
      daysToVisit: overview.daysToNextEvaluation,
      dimensions: f.dimensions.map((d) => ({
        dimension: d.dimension,
        label: evaluationDimensionLabel(d.dimension, ctx.locale),
        weight: d.weight,
        score: d.score,
        itemCount: d.itemCount,
        gaps: byEval.get(d.dimension) ?? new GapCounts(),
      })),
      smartCityDimensions: DIMENSIONS.map((d) => ({
        dimension: d,
        label: dimensionLabel(d, ctx.locale),
        itemCount: rubric.filter((r) => r.rubric.smartCityDimension === d).length,
        gaps: bySmart.get(d) ?? new GapCounts(),
      })),
      // Who must act: an OPD answering for complete items only (no gap) is not listed.
      opds: [...byOpd.entries()]
        .filter(([, gaps]) => gaps.total > 0)
        .map(([id, gaps]) => ({ opdId: id, name: opdById.get(id)?.name ?? '', abbreviation: opdById.get(id)?.abbreviation ?? '', gaps }))
        .sort((a, b) => b.gaps.total - a.gaps.total || a.name.localeCompare(b.name, 'id')),
      unassignedItemGaps,
      items,
      gapList,
    };
  });
}

/** The year a readiness is for: the one asked (2000–2100), else the city's current year. */
export function readinessYear(city: City, year: number | null | undefined, now: Date): number {
  if (year === null || year === undefined) return Number(todayIn(city.timeZone, now).slice(0, 4));
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw badInput('year', 'yearRange', { min: 2000, max: 2100 });
  return year;
}
