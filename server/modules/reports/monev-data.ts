import type { Context } from '../../context';
import type { Locale } from '../../i18n';
import { addDays, daysBetween, startOfDayIn, todayIn } from '../../util/dates';
import { ActionPlanForecast, cityForecasts } from '../action-plans/forecast';
import { listAtRiskPlans } from '../action-plans/action-plan.service';
import { Indicator, IndicatorValue } from '../action-plans/indicator.entity';
import type { PlanRecord } from '../action-plans/plan-record';
import { ActionPlanState, planState, weightedProgress } from '../action-plans/state';
import type { City } from '../cities/city.entity';
import { Activity, EvaluationVisit } from '../evaluation/evaluation.entity';
import { DIMENSIONS, dimensionLabel, type Dimension } from '../masterplan/dimension';
import { SelfAssessment } from '../monev/assessment.entity';
import { assessmentData, liveItems } from '../monev/assessment.service';
import { EvidenceAttachment, EvidenceKind, type Evidence } from '../monev/evidence.entity';
import { evaluationDimensionLabel, type EvaluationDimension } from '../monev/framework.entity';
import type { Readiness } from '../monev/readiness';
import { cityReadiness } from '../monev/readiness.service';
import { cityOpdsById, cityPlans, cityPrograms } from '../overview/city-data';
import { StateCounts, type ProgressBasis } from '../overview/overview';
import { progressAsOf } from '../overview/overview.service';
import { ProgressReport, ReportStatus } from '../progress/progress-report.entity';
import { Risk } from '../risks/risk.entity';
import { riskLevel, type RiskLevel } from '../risks/severity';

/*
 * What the monev report (issue 24 §1) says, gathered from the services that compute each figure:
 * progress as of the date from `progressAsOf` (the rules of `City.progressHistory`), the index and
 * gaps from `cityReadiness`, the forecast from `cityForecasts`/`listAtRiskPlans`. The renderers
 * (HTML, XLSX) only lay this out; they compute nothing.
 */

/** A piece of evidence as a report lists it: its title and where it is (a link, or the download path of a file). */
export interface ReportLink {
  title: string;
  href: string;
  kind: EvidenceKind;
}

/** One action plan as of the date. */
export interface ReportPlan {
  id: string;
  code: string | null;
  title: string;
  opd: string;
  startDate: string;
  dueDate: string;
  progress: number;
  state: ActionPlanState;
  /** The latest report verified by the end of the date. */
  verified: { narrative: string; obstacles: string | null; reportedAt: Date; evidenceUrls: string[] } | null;
  evidence: ReportLink[];
}

export interface ReportProgram {
  name: string;
  quickWin: boolean;
  plans: ReportPlan[];
}

export interface ReportDimension {
  dimension: Dimension;
  label: string;
  progress: number;
  programs: ReportProgram[];
}

export interface ReportIndicator {
  plan: string;
  name: string;
  unit: string;
  baseline: number;
  target: number;
  values: { period: string; value: number }[];
}

export interface ReportItem {
  code: string;
  question: string;
  dimension: EvaluationDimension;
  dimensionLabel: string;
  score: number | null;
  narrative: string | null;
  opd: string | null;
  evidence: ReportLink[];
}

export interface ReportRisk {
  quickWin: string;
  description: string;
  likelihood: number;
  impact: number;
  level: RiskLevel;
  mitigation: string | null;
  opd: string | null;
  status: string;
}

export interface ReportAgendaEntry {
  startDate: string;
  endDate: string;
  title: string;
  owner: string | null;
  deliverables: { title: string; dueDate: string; done: boolean }[];
}

export interface ReportAtRisk {
  title: string;
  opd: string;
  dueDate: string;
  progress: number;
  forecast: ActionPlanForecast;
}

/** The whole report. */
export interface MonevReport {
  city: { id: string; name: string };
  year: number;
  /** The language of its words (the request's). */
  locale: Locale;
  asOf: string;
  /** The city's today when it was made. */
  today: string;
  generatedAt: Date;
  basis: ProgressBasis;
  visit: { startDate: string; endDate: string; evaluator: string } | null;
  /** Days from the date to the first day of the year's visit (0 while it runs); null without one or once it is over. */
  daysToVisit: number | null;
  progress: number;
  counts: StateCounts;
  dimensions: ReportDimension[];
  quickWins: { name: string; year: number; progress: number; planCount: number }[];
  indicators: ReportIndicator[];
  readiness: Readiness;
  items: ReportItem[];
  risks: ReportRisk[];
  agenda: ReportAgendaEntry[];
  atRisk: ReportAtRisk[];
}

/** What the report is asked for. */
export interface MonevReportArgs {
  year: number;
  /** YYYY-MM-DD, not after the city's today. */
  asOf: string;
  basis: ProgressBasis;
}

/** Where a piece of evidence is: its address, or its download path (absolute with `PUBLIC_URL`). */
function linkOf(ctx: Context, evidence: Evidence): ReportLink {
  const base = ctx.services.publicUrl ?? ctx.requestOrigin ?? '';
  const href = evidence.kind === EvidenceKind.LINK ? (evidence.url ?? '') : `${base}/uploads/${evidence.id}`;
  return { title: evidence.title, href, kind: evidence.kind };
}

/** The evidence attached to plans or items, by the id of what it is attached to. */
async function attachedEvidence(ctx: Context, field: 'actionPlan' | 'assessmentItem', ids: string[]): Promise<Map<string, ReportLink[]>> {
  const out = new Map<string, ReportLink[]>();
  if (ids.length === 0) return out;
  const rows = await ctx.em.find(
    EvidenceAttachment,
    { [field]: { $in: ids }, archivedAt: null, evidence: { archivedAt: null } },
    { populate: ['evidence'], orderBy: { attachedAt: 'asc', id: 'asc' } },
  );
  for (const row of rows) {
    const key = row[field]?.id;
    if (!key) continue;
    const list = out.get(key) ?? [];
    list.push(linkOf(ctx, row.evidence));
    out.set(key, list);
  }
  return out;
}

/** Each plan's latest report verified before `end`. */
async function latestVerified(ctx: Context, cityId: string, end: Date): Promise<Map<string, ProgressReport>> {
  const rows = await ctx.em.find(
    ProgressReport,
    { city: cityId, status: ReportStatus.VERIFIED, reportedAt: { $lt: end }, reviewedAt: { $lt: end } },
    { orderBy: { reportedAt: 'asc', id: 'asc' } },
  );
  return new Map(rows.map((r) => [r.actionPlan.id, r]));
}

/** The first day of a period (`2022`, `2022-09`, `2022-Q3`). */
function periodStart(period: string): string {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(period);
  if (quarter) return `${quarter[1]}-${String((Number(quarter[2]) - 1) * 3 + 1).padStart(2, '0')}-01`;
  return /^\d{4}$/.test(period) ? `${period}-01-01` : `${period}-01`;
}

async function indicatorsOf(ctx: Context, plans: PlanRecord[], asOf: string): Promise<ReportIndicator[]> {
  if (plans.length === 0) return [];
  const titles = new Map(plans.map((p) => [p.id, p.title]));
  const indicators = await ctx.em.find(
    Indicator,
    { actionPlan: { $in: [...titles.keys()] }, archivedAt: null },
    { orderBy: { actionPlan: { dueDate: 'asc' }, name: 'asc', id: 'asc' } },
  );
  const values =
    indicators.length === 0
      ? []
      : await ctx.em.find(
          IndicatorValue,
          { indicator: { $in: indicators.map((i) => i.id) }, archivedAt: null },
          { orderBy: { period: 'asc' } },
        );
  return indicators.map((i) => ({
    plan: titles.get(i.actionPlan.id) ?? '',
    name: i.name,
    unit: i.unit,
    baseline: i.baseline,
    target: i.target,
    values: values
      .filter((v) => v.indicator.id === i.id && periodStart(v.period) <= asOf)
      .map((v) => ({ period: v.period, value: v.value })),
  }));
}

/** Every at-risk plan (the early warning), a page at a time. */
async function atRiskPlans(ctx: Context, city: City, basis: ProgressBasis, opds: Map<string, { name: string }>): Promise<ReportAtRisk[]> {
  const forecasts = await cityForecasts(ctx, city, basis);
  const out: ReportAtRisk[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await listAtRiskPlans(ctx, city, basis, { first: 100, after });
    for (const { node } of page.edges) {
      const forecast = forecasts.get(node.id);
      if (forecast)
        out.push({
          title: node.title,
          opd: opds.get(node.ownerOpd.id)?.name ?? '',
          dueDate: node.dueDate,
          progress: node.progress,
          forecast,
        });
    }
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return out;
    after = page.pageInfo.endCursor;
  }
}

/** Gathers the monev report of a city for a year as of a date. */
export async function monevReport(ctx: Context, city: City, args: MonevReportArgs): Promise<MonevReport> {
  const { year, asOf, basis } = args;
  const end = startOfDayIn(city.timeZone, addDays(asOf, 1));
  const [asOfProgress, records, programs, opds, verified, readiness, visit] = await Promise.all([
    progressAsOf(ctx, city, asOf, basis),
    cityPlans(ctx, city.id),
    cityPrograms(ctx, city.id),
    cityOpdsById(ctx, city.id),
    latestVerified(ctx, city.id, end),
    cityReadiness(ctx, city, year),
    ctx.em.findOne(EvaluationVisit, { city: city.id, year, archivedAt: null }, { orderBy: { startDate: 'asc', id: 'asc' } }),
  ]);
  const counting = records.filter((p) => asOfProgress.plans.has(p.id));
  const planEvidence = await attachedEvidence(
    ctx,
    'actionPlan',
    counting.map((p) => p.id),
  );
  const counts = new StateCounts();
  const rows = counting.map((p): ReportPlan => {
    const progress = asOfProgress.plans.get(p.id)!.progress;
    const state = planState({ progress, startDate: p.startDate, dueDate: p.dueDate }, asOf);
    counts.total++;
    if (state === ActionPlanState.NOT_STARTED) counts.notStarted++;
    else if (state === ActionPlanState.ON_TRACK) counts.onTrack++;
    else if (state === ActionPlanState.LATE) counts.late++;
    else counts.done++;
    const report = verified.get(p.id);
    return {
      id: p.id,
      code: p.code,
      title: p.title,
      opd: opds.get(p.ownerOpd.id)?.name ?? '',
      startDate: p.startDate,
      dueDate: p.dueDate,
      progress,
      state,
      verified: report
        ? { narrative: report.narrative, obstacles: report.obstacles, reportedAt: report.reportedAt, evidenceUrls: report.evidenceUrls }
        : null,
      evidence: planEvidence.get(p.id) ?? [],
    };
  });
  const planOf = new Map(rows.map((r) => [r.id, r]));
  const dimensions = DIMENSIONS.map((dimension, i): ReportDimension => {
    const byProgram = new Map<string, ReportPlan[]>();
    for (const p of counting.filter((c) => c.dimension === dimension)) {
      const list = byProgram.get(p.program.id) ?? [];
      list.push(planOf.get(p.id)!);
      byProgram.set(p.program.id, list);
    }
    return {
      dimension,
      label: dimensionLabel(dimension, ctx.locale),
      progress: asOfProgress.history.dimensions[i]!.values[0]!,
      programs: [...byProgram]
        .map(([id, plans]) => ({ name: programs.get(id)?.name ?? '', quickWin: programs.get(id)?.quickWin ?? false, plans }))
        .sort((a, b) => a.name.localeCompare(b.name, 'id')),
    };
  });
  const quickWins = [...programs.values()]
    .filter((p) => p.quickWin && p.archivedAt === null)
    .sort((a, b) => (a.quickWinYear ?? 0) - (b.quickWinYear ?? 0) || a.name.localeCompare(b.name, 'id'))
    .map((p) => {
      const members = counting.filter((c) => c.program.id === p.id).map((c) => asOfProgress.plans.get(c.id)!);
      return { name: p.name, year: p.quickWinYear ?? 0, progress: weightedProgress(members), planCount: members.length };
    });

  const [indicators, items, risks, agenda, atRisk] = await Promise.all([
    indicatorsOf(ctx, counting, asOf),
    assessmentItems(ctx, readiness),
    riskRegister(ctx, city, programs, opds),
    agendaOf(ctx, city, year, opds),
    atRiskPlans(ctx, city, basis, opds),
  ]);
  const today = todayIn(city.timeZone, ctx.now);
  return {
    city: { id: city.id, name: city.name },
    year,
    locale: ctx.locale,
    asOf,
    today,
    generatedAt: ctx.now,
    basis,
    visit: visit ? { startDate: visit.startDate, endDate: visit.endDate, evaluator: visit.evaluator } : null,
    daysToVisit: visit && asOf <= visit.endDate ? Math.max(0, daysBetween(asOf, visit.startDate)) : null,
    progress: asOfProgress.history.city[0]!,
    counts,
    dimensions,
    quickWins,
    indicators,
    readiness,
    items,
    risks,
    agenda,
    atRisk,
  };
}

/** The self-assessment item by item, as `cityReadiness` found it, with narratives and evidence. */
async function assessmentItems(ctx: Context, readiness: Readiness): Promise<ReportItem[]> {
  if (!readiness.assessmentId) return [];
  const assessment = await ctx.em.findOneOrFail(SelfAssessment, { id: readiness.assessmentId });
  const data = await assessmentData(ctx, assessment);
  const narratives = new Map(liveItems(data).map(({ item }) => [item.id, item.narrative]));
  const evidence = await attachedEvidence(
    ctx,
    'assessmentItem',
    readiness.items.map((i) => i.assessmentItemId),
  );
  return readiness.items.map((i) => ({
    code: i.code,
    question: i.question,
    dimension: i.evaluationDimension,
    dimensionLabel: evaluationDimensionLabel(i.evaluationDimension, ctx.locale),
    score: i.score,
    narrative: narratives.get(i.assessmentItemId) ?? null,
    opd: i.opdName,
    evidence: evidence.get(i.assessmentItemId) ?? [],
  }));
}

async function riskRegister(
  ctx: Context,
  city: City,
  programs: Map<string, { name: string }>,
  opds: Map<string, { name: string }>,
): Promise<ReportRisk[]> {
  const risks = await ctx.em.find(Risk, { city: city.id, archivedAt: null }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  return risks
    .map((r) => ({
      quickWin: programs.get(r.program.id)?.name ?? '',
      description: r.description,
      likelihood: r.likelihood,
      impact: r.impact,
      level: riskLevel(r.likelihood * r.impact),
      mitigation: r.mitigation,
      opd: r.ownerOpd ? (opds.get(r.ownerOpd.id)?.name ?? null) : null,
      status: r.status,
    }))
    .sort((a, b) => b.likelihood * b.impact - a.likelihood * a.impact);
}

/** The year's activities and visits, by date. */
async function agendaOf(ctx: Context, city: City, year: number, opds: Map<string, { name: string }>): Promise<ReportAgendaEntry[]> {
  const first = `${year}-01-01`;
  const last = `${year}-12-31`;
  const inYear = { city: city.id, archivedAt: null, startDate: { $lte: last }, endDate: { $gte: first } };
  const [activities, visits] = await Promise.all([
    ctx.em.find(Activity, inYear, { orderBy: { startDate: 'asc', id: 'asc' } }),
    ctx.em.find(EvaluationVisit, inYear, { orderBy: { startDate: 'asc', id: 'asc' } }),
  ]);
  const visitTitle = (v: EvaluationVisit) => (ctx.locale === 'en' ? `Evaluation visit ${v.year}` : `Kunjungan monev ${v.year}`);
  return [
    ...activities.map((a) => ({ row: a, title: a.title })),
    ...visits.map((v) => ({ row: v, title: `${visitTitle(v)} (${v.evaluator})` })),
  ]
    .map(({ row, title }) => ({
      startDate: row.startDate,
      endDate: row.endDate,
      title,
      owner: [row.ownerOpd ? opds.get(row.ownerOpd.id)?.name : null, row.ownerName].filter(Boolean).join(' · ') || null,
      deliverables: row.deliverables.map((d) => ({ title: d.title, dueDate: d.dueDate, done: d.done })),
    }))
    .sort((a, b) => a.startDate.localeCompare(b.startDate) || a.title.localeCompare(b.title, 'id'));
}
