// The forms of the masterplan tree: masterplan, program, action plan, indicator, milestone.
import { gq, type DeskCtx } from '../lib';
import { DIMENSIONS, type IndicatorRow, type MasterplanRow, type MilestoneRow, type PlanRow, type ProgramRow, type TreeData } from './data';
import { textOf, type FormSpec, type Values } from './form';
import { isYmd, parseNumber, plainNumber } from './pure';
import type { Words } from './words';

const BUDGET_SOURCES = ['APBD', 'APBD_PROVINSI', 'APBN', 'DAK', 'CSR', 'SWASTA', 'LAINNYA'] as const;

/** The tags of every catalogue as options ("SPBE I-01 — Tingkat kematangan …"). */
export function tagOptions(data: Pick<TreeData, 'catalogs'>): [string, string][] {
  return data.catalogs.flatMap((c) => c.tags.map((t): [string, string] => [t.id, `${c.code.replace(/_/g, ' ')} ${t.code} — ${t.name}`]));
}

const endAfterStart =
  (w: Words, start: string, end: string) =>
  (v: Values): string | undefined => {
    const a = v[start];
    const b = v[end];
    return typeof a === 'string' && typeof b === 'string' && isYmd(a) && isYmd(b) && b < a ? w.tree.endBeforeStart : undefined;
  };

export function masterplanSpec(w: Words, cityId: string): FormSpec<MasterplanRow> {
  const year = new Date().getFullYear();
  return {
    entity: 'Masterplan',
    parent: { cityId },
    fields: [
      { key: 'title', label: w.tree.mpTitle, kind: 'text', required: true, maxLength: 300, wide: true, hint: w.tree.mpTitleHint },
      { key: 'startYear', label: w.tree.startYear, kind: 'int', required: true, min: 2000, max: 2100 },
      {
        key: 'endYear',
        label: w.tree.endYear,
        kind: 'int',
        required: true,
        min: 2000,
        max: 2100,
        check: (v) => (Number(v['endYear']) < Number(v['startYear']) ? w.tree.endYearBeforeStart : undefined),
      },
      { key: 'vision', label: w.tree.vision, kind: 'textarea', maxLength: 10_000 },
    ],
    values: (m) => ({
      title: m?.title ?? '',
      startYear: m ? String(m.startYear) : String(year),
      endYear: m ? String(m.endYear) : String(year + 4),
      vision: m?.vision ?? '',
    }),
  };
}

export function programSpec(w: Words, masterplanId: string, labels: Record<string, string>, dimension?: string): FormSpec<ProgramRow> {
  return {
    entity: 'Program',
    parent: { masterplanId },
    fields: [
      { key: 'name', label: w.tree.programName, kind: 'text', required: true, maxLength: 300, wide: true },
      { key: 'dimension', label: w.tree.dimension, kind: 'select', required: true, options: DIMENSIONS.map((d) => [d, labels[d] ?? d]) },
      { key: 'quickWin', label: w.tree.quickWin, kind: 'bool', hint: w.tree.quickWinHint },
      {
        key: 'quickWinYear',
        label: w.tree.quickWinYear,
        kind: 'int',
        required: true,
        min: 2000,
        max: 2100,
        shown: (v) => v['quickWin'] === true,
      },
      { key: 'description', label: w.tree.description, kind: 'textarea', maxLength: 10_000 },
    ],
    values: (p) => ({
      name: p?.name ?? '',
      dimension: p?.dimension ?? dimension ?? 'GOVERNANCE',
      quickWin: p?.quickWin ?? false,
      quickWinYear: plainNumber(p?.quickWinYear ?? (p ? null : new Date().getFullYear())),
      description: p?.description ?? '',
    }),
  };
}

export function planSpec(ctx: DeskCtx, w: Words, data: TreeData, programs: ProgramRow[], programId: string): FormSpec<PlanRow> {
  const opds = data.opds.map((o): [string, string] => [o.id, `${o.name} (${o.abbreviation})`]);
  return {
    entity: 'ActionPlan',
    parent: { programId },
    fields: [
      { key: 'title', label: w.tree.planTitle, kind: 'text', required: true, maxLength: 300, wide: true },
      { key: 'code', label: w.tree.code, kind: 'text', maxLength: 40, hint: w.tree.codeHint },
      { key: 'ownerOpdId', label: w.tree.owner, kind: 'select', required: true, options: opds, empty: w.tree.chooseOpd, audit: 'ownerOpd' },
      { key: 'startDate', label: w.tree.start, kind: 'date', required: true },
      { key: 'dueDate', label: w.tree.due, kind: 'date', required: true, check: endAfterStart(w, 'startDate', 'dueDate') },
      {
        key: 'weight',
        label: w.tree.weight,
        kind: 'number',
        required: true,
        hint: w.tree.weightHint,
        check: (v) => ((parseNumber(textOf(v['weight'])) ?? 0) > 0 ? undefined : w.tree.weightPositive),
      },
      { key: 'budgetAmount', label: w.tree.budget, kind: 'money', min: 0, hint: w.tree.budgetHint },
      { key: 'budgetSource', label: w.tree.budgetSource, kind: 'select', options: BUDGET_SOURCES.map((s) => [s, w.tree.sources[s]]) },
      {
        key: 'status',
        label: w.tree.status,
        kind: 'select',
        required: true,
        options: (['ACTIVE', 'ON_HOLD', 'CANCELLED'] as const).map((s) => [s, w.tree.statuses[s]]),
      },
      {
        key: 'programId',
        label: w.tree.program,
        kind: 'select',
        required: true,
        options: programs.map((p) => [p.id, p.name]),
        audit: 'program',
      },
      { key: 'supportingOpdIds', label: w.tree.supporting, kind: 'multi', options: opds, audit: 'supportingOpds' },
      { key: 'tagIds', label: w.tree.tags, kind: 'multi', options: tagOptions(data), separate: true },
      { key: 'description', label: w.tree.description, kind: 'textarea', maxLength: 10_000 },
    ],
    values: (p) => ({
      title: p?.title ?? '',
      code: p?.code ?? '',
      ownerOpdId: p?.ownerOpd.id ?? '',
      startDate: p?.startDate ?? data.today,
      dueDate: p?.dueDate ?? '',
      weight: p ? plainNumber(p.weight) : '1',
      budgetAmount: p?.budget ? String(p.budget.amount) : '',
      budgetSource: p?.budget?.source ?? '',
      status: p?.status ?? 'ACTIVE',
      programId: p?.program.id ?? programId,
      supportingOpdIds: p?.supportingOpds.map((o) => o.id) ?? [],
      tagIds: p?.tags.map((t) => t.id) ?? [],
      description: p?.description ?? '',
    }),
    async after(id, values, changed) {
      if (!changed.includes('tagIds')) return;
      await gq(ctx, 'mutation SetupPlanTags($input: SetActionPlanTagsInput!) { setActionPlanTags(input: $input) { id } }', {
        input: { actionPlanId: id, tagIds: values['tagIds'] },
      });
    },
  };
}

export function indicatorSpec(ctx: DeskCtx, w: Words, data: TreeData, actionPlanId: string): FormSpec<IndicatorRow> {
  return {
    entity: 'Indicator',
    parent: { actionPlanId },
    fields: [
      { key: 'name', label: w.tree.indicatorName, kind: 'text', required: true, maxLength: 300, wide: true },
      { key: 'unit', label: w.tree.unit, kind: 'text', required: true, maxLength: 60, hint: w.tree.unitHint },
      { key: 'baseline', label: w.tree.baseline, kind: 'number', required: true },
      { key: 'target', label: w.tree.target, kind: 'number', required: true },
      {
        key: 'direction',
        label: w.tree.direction,
        kind: 'select',
        required: true,
        options: [
          ['INCREASE', w.tree.increase],
          ['DECREASE', w.tree.decrease],
        ],
      },
      {
        key: 'frequency',
        label: w.tree.frequency,
        kind: 'select',
        options: (['MONTHLY', 'QUARTERLY', 'YEARLY'] as const).map((f) => [f, w.tree.frequencies[f]]),
        empty: w.tree.anyPeriod,
        hint: w.tree.frequencyHint,
      },
      { key: 'tagIds', label: w.tree.tags, kind: 'multi', options: tagOptions(data), separate: true },
    ],
    values: (i) => ({
      name: i?.name ?? '',
      unit: i?.unit ?? '',
      baseline: plainNumber(i?.baseline ?? null),
      target: plainNumber(i?.target ?? null),
      direction: i?.direction ?? 'INCREASE',
      frequency: i?.frequency ?? '',
      tagIds: i?.tags.map((t) => t.id) ?? [],
    }),
    async after(id, values, changed) {
      if (!changed.includes('tagIds')) return;
      await gq(ctx, 'mutation SetupIndicatorTags($input: SetIndicatorTagsInput!) { setIndicatorTags(input: $input) { id } }', {
        input: { indicatorId: id, tagIds: values['tagIds'] },
      });
    },
  };
}

export function milestoneSpec(w: Words, actionPlanId: string): FormSpec<MilestoneRow> {
  return {
    entity: 'Milestone',
    parent: { actionPlanId },
    fields: [
      { key: 'title', label: w.tree.milestoneTitle, kind: 'text', required: true, maxLength: 300, wide: true },
      { key: 'dueDate', label: w.tree.due, kind: 'date', required: true },
      { key: 'doneDate', label: w.tree.doneDate, kind: 'date', hint: w.tree.doneDateHint },
    ],
    values: (m) => ({ title: m?.title ?? '', dueDate: m?.dueDate ?? '', doneDate: m?.doneDate ?? '' }),
  };
}
