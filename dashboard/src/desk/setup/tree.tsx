// The masterplan as a tree: dimension → program → action plan → indicators and milestones, each
// node with its progress and state, folding, and its form opened in place ("Ubah").
import type { ComponentChildren, JSX } from 'preact';
import type { PlanState } from '../../i18n';
import type { DeskCtx } from '../lib';
import { Bar } from '../ui';
import type { IndicatorRow, MasterplanRow, MilestoneRow, PlanRow, ProgramRow, TreeData } from './data';
import { AddForm, EntityForm, type FormSpec, type Versioned } from './form';
import {
  indicatorAttainment,
  parseNumber,
  milestoneState,
  planMatches,
  rollupState,
  weightedProgress,
  weightSum,
  type TreeFilter,
} from './pure';
import { indicatorSpec, milestoneSpec, planSpec, programSpec } from './specs';
import type { Words } from './words';

const ICONS: Record<PlanState, string> = { DONE: '✓', ON_TRACK: '●', LATE: '!', NOT_STARTED: '○' };

/** A state as a word with its icon and colour (never colour alone), in the page's language. */
export function StateWord({ state, w }: { state: PlanState; w: Words }): JSX.Element {
  return (
    <span class={`dk-state st-${state}`}>
      <span aria-hidden="true">{ICONS[state]}</span> {w.states[state]}
    </span>
  );
}

/** What every node of the tree shares. */
export interface TreeCtx {
  ctx: DeskCtx;
  w: Words;
  data: TreeData;
  masterplan: MasterplanRow;
  filter: TreeFilter;
  reload: () => void;
  /** Unfolded nodes (`d:<dimension>`, `p:<id>`, `a:<id>`). */
  open: ReadonlySet<string>;
  toggle: (key: string) => void;
  /** Nodes whose form is open (`p:<id>`, `a:<id>`, `i:<id>`, `m:<id>`). */
  editing: ReadonlySet<string>;
  toggleEdit: (key: string, on?: boolean) => void;
  /** Weight boxes being typed, by plan id. */
  drafts: Readonly<Record<string, string>>;
  setDraft: (planId: string, text: string | null) => void;
  say: (message: string) => void;
}

/** A node's head: the fold button (its name), the state, the bar and the figures. */
function Head({
  t,
  fold,
  name,
  state,
  progress,
  children,
  edit,
  level,
}: {
  t: TreeCtx;
  fold?: string;
  name: ComponentChildren;
  state: PlanState;
  progress: number | null;
  children?: ComponentChildren;
  edit?: string;
  level: number;
}): JSX.Element {
  const open = fold ? t.open.has(fold) : false;
  const Tag = `h${Math.min(6, level + 1)}` as 'h3';
  return (
    <div class="su-node-head">
      <Tag class="su-node-name">
        {fold ? (
          <button type="button" class="su-fold" aria-expanded={open} onClick={() => t.toggle(fold)}>
            <span aria-hidden="true">{open ? '▾' : '▸'}</span> {name}
          </button>
        ) : (
          <span class="su-leaf">{name}</span>
        )}
      </Tag>
      <div class="su-node-figures">
        <StateWord state={state} w={t.w} />
        {progress === null ? null : (
          <>
            <Bar value={progress} state={state} label={t.w.tree.progressLabel(t.ctx.f.percent(progress))} />
            <strong class="su-pct">{t.ctx.f.percent(progress)}</strong>
          </>
        )}
        {edit ? (
          <button
            type="button"
            class="dk-btn su-edit"
            data-action="edit"
            aria-expanded={t.editing.has(edit)}
            onClick={() => t.toggleEdit(edit)}
          >
            {t.editing.has(edit) ? t.w.form.close : t.w.form.edit}
          </button>
        ) : null}
      </div>
      {children ? <div class="su-node-meta dk-meta">{children}</div> : null}
    </div>
  );
}

/** An object's form in place, closed after a save or an archive. */
function Editor<O extends Versioned>({
  t,
  k,
  spec,
  obj,
  question,
  onDraft,
}: {
  t: TreeCtx;
  k: string;
  spec: FormSpec<O>;
  obj: O;
  question: string;
  onDraft?: (v: Record<string, unknown>) => void;
}): JSX.Element | null {
  if (!t.editing.has(k)) return null;
  return (
    <EntityForm
      ctx={t.ctx}
      spec={spec}
      obj={obj}
      prefix={k.replace(':', '-')}
      submitLabel={t.w.form.saveChanges}
      onSaved={() => {
        t.toggleEdit(k, false);
        t.say(t.w.form.saved);
      }}
      onReload={t.reload}
      onCancel={() => t.toggleEdit(k, false)}
      archiveQuestion={question}
      onArchived={() => t.say(t.w.form.archivedDone)}
      {...(onDraft ? { onDraft } : {})}
    />
  );
}

/** The plans that count in roll-ups (cancelled ones do not). */
const counting = (plans: PlanRow[]): PlanRow[] => plans.filter((p) => p.status !== 'CANCELLED');

export function DimensionNode({
  t,
  dimension,
  label,
  programs,
}: {
  t: TreeCtx;
  dimension: string;
  label: string;
  programs: ProgramRow[];
}): JSX.Element {
  const key = `d:${dimension}`;
  const plans = t.data.plans.filter((p) => programs.some((g) => g.id === p.program.id));
  const live = counting(plans);
  const labels = Object.fromEntries(t.data.dimensions.map((d) => [d.dimension, d.label]));
  return (
    <li class="su-node su-dim" data-dimension={dimension}>
      <Head t={t} fold={key} name={label} state={rollupState(live.map((p) => p.state))} progress={weightedProgress(live)} level={2}>
        {t.w.tree.dimCounts(programs.length, plans.length)}
      </Head>
      {t.open.has(key) ? (
        <div class="su-children">
          <ul>
            {programs.map((p) => (
              <ProgramNode t={t} program={p} key={p.id} />
            ))}
          </ul>
          <AddForm
            ctx={t.ctx}
            spec={programSpec(t.w, t.masterplan.id, labels, dimension)}
            prefix={`new-program-${dimension}`}
            label={t.w.tree.addProgram}
            submitLabel={t.w.tree.addProgram}
            onSaved={() => t.say(t.w.tree.programAdded)}
            onReload={t.reload}
          />
        </div>
      ) : null}
    </li>
  );
}

function ProgramNode({ t, program }: { t: TreeCtx; program: ProgramRow }): JSX.Element {
  const key = `p:${program.id}`;
  const all = t.data.plans.filter((p) => p.program.id === program.id);
  const shown = all.filter((p) => planMatches(toFilterable(p), t.filter));
  const live = counting(all);
  const sum = weightSum(live, t.drafts);
  const stored = live.reduce((s, p) => s + p.weight, 0);
  const labels = Object.fromEntries(t.data.dimensions.map((d) => [d.dimension, d.label]));
  return (
    <li class="su-node su-program" data-program={program.name}>
      <Head
        t={t}
        fold={key}
        name={
          <>
            {program.name}
            {program.quickWin ? <span class="su-badge"> {t.w.tree.quickWinBadge(program.quickWinYear)}</span> : null}
          </>
        }
        state={rollupState(live.map((p) => p.state))}
        progress={program.progress}
        edit={key}
        level={3}
      >
        {t.w.tree.planCount(all.length)} ·{' '}
        <span class={sum.typing ? 'su-weight su-typing' : 'su-weight'} aria-live="polite" data-weight-sum={String(sum.sum)}>
          {sum.typing ? t.w.tree.weightSumTyping(formatNum(t, stored), formatNum(t, sum.sum)) : t.w.tree.weightSum(formatNum(t, sum.sum))}
          {sum.invalid ? ` ${t.w.tree.weightSumInvalid}` : ''}
        </span>
      </Head>
      <Editor t={t} k={key} spec={programSpec(t.w, t.masterplan.id, labels)} obj={program} question={t.w.tree.archiveProgram(all.length)} />
      {t.open.has(key) ? (
        <div class="su-children">
          <ul>
            {shown.map((p) => (
              <PlanNode t={t} plan={p} total={sum.sum} key={p.id} />
            ))}
          </ul>
          {shown.length < all.length ? <p class="dk-muted">{t.w.tree.hiddenByFilter(all.length - shown.length)}</p> : null}
          <AddForm
            ctx={t.ctx}
            spec={planSpec(t.ctx, t.w, t.data, t.masterplan.programs, program.id)}
            prefix={`new-plan-${program.id}`}
            label={t.w.tree.addPlan}
            submitLabel={t.w.tree.addPlan}
            onSaved={() => t.say(t.w.tree.planAdded)}
            onReload={t.reload}
          />
        </div>
      ) : null}
    </li>
  );
}

function formatNum(t: TreeCtx, n: number): string {
  return new Intl.NumberFormat(t.ctx.f.locale, { maximumFractionDigits: 4 }).format(n);
}

/** The fields of a plan the filter reads. */
export function toFilterable(p: PlanRow): { ownerOpdId: string; dimension: string; tagIds: string[]; state: PlanState } {
  return { ownerOpdId: p.ownerOpd.id, dimension: p.dimension, tagIds: p.tags.map((x) => x.id), state: p.state };
}

function PlanNode({ t, plan, total }: { t: TreeCtx; plan: PlanRow; total: number }): JSX.Element {
  const key = `a:${plan.id}`;
  const opd = t.data.opds.find((o) => o.id === plan.ownerOpd.id);
  const tagNames = t.data.catalogs.flatMap((c) => c.tags.filter((x) => plan.tags.some((y) => y.id === x.id)).map((x) => `${x.code}`));
  const typed = t.drafts[plan.id];
  const typedWeight = typed === undefined ? null : parseNumber(typed);
  const weight = typedWeight !== null && typedWeight > 0 ? typedWeight : plan.weight;
  const share = total > 0 && plan.status !== 'CANCELLED' ? t.ctx.f.percent((weight / total) * 100) : null;
  return (
    <li class="su-node su-plan" data-plan={plan.title}>
      <Head
        t={t}
        fold={key}
        name={
          <>
            {plan.title}
            {plan.code ? <span class="dk-muted"> · {plan.code}</span> : null}
          </>
        }
        state={plan.state}
        progress={plan.progress}
        edit={key}
        level={4}
      >
        <span class="su-opd">{opd?.abbreviation ?? '—'}</span> · {t.ctx.f.date(plan.startDate, 'long')} –{' '}
        {t.ctx.f.date(plan.dueDate, 'long')} · {t.w.tree.weightOf(formatNum(t, weight), share)}
        {plan.budget
          ? ` · Rp ${t.ctx.f.int(plan.budget.amount)}${plan.budget.source ? ` (${t.w.tree.sources[plan.budget.source as keyof Words['tree']['sources']] ?? plan.budget.source})` : ''}`
          : ''}
        {plan.status !== 'ACTIVE' ? ` · ${t.w.tree.statuses[plan.status]}` : ''}
        {tagNames.length ? ` · ${t.w.tree.tagged(tagNames.join(', '))}` : ''}
        {` · ${t.w.tree.children(plan.indicators.length, plan.milestones.length)}`}
      </Head>
      <Editor
        t={t}
        k={key}
        spec={planSpec(t.ctx, t.w, t.data, t.masterplan.programs, plan.program.id)}
        obj={plan}
        question={t.w.tree.archivePlan}
        onDraft={(v) => t.setDraft(plan.id, typeof v['weight'] === 'string' ? v['weight'] : null)}
      />
      {t.open.has(key) ? (
        <div class="su-children">
          <ul>
            {plan.indicators.map((i) => (
              <IndicatorNode t={t} plan={plan} ind={i} key={i.id} />
            ))}
            {plan.milestones.map((m) => (
              <MilestoneNode t={t} plan={plan} m={m} key={m.id} />
            ))}
          </ul>
          <div class="dk-actions">
            <AddForm
              ctx={t.ctx}
              spec={indicatorSpec(t.ctx, t.w, t.data, plan.id)}
              prefix={`new-indicator-${plan.id}`}
              label={t.w.tree.addIndicator}
              submitLabel={t.w.tree.addIndicator}
              onSaved={() => t.say(t.w.tree.indicatorAdded)}
              onReload={t.reload}
            />
            <AddForm
              ctx={t.ctx}
              spec={milestoneSpec(t.w, plan.id)}
              prefix={`new-milestone-${plan.id}`}
              label={t.w.tree.addMilestone}
              submitLabel={t.w.tree.addMilestone}
              onSaved={() => t.say(t.w.tree.milestoneAdded)}
              onReload={t.reload}
            />
          </div>
        </div>
      ) : null}
    </li>
  );
}

function IndicatorNode({ t, plan, ind }: { t: TreeCtx; plan: PlanRow; ind: IndicatorRow }): JSX.Element {
  const key = `i:${ind.id}`;
  const latest = ind.latestValue?.value ?? null;
  const reached = indicatorAttainment({ baseline: ind.baseline, target: ind.target, latest });
  const state: PlanState = reached === null ? 'NOT_STARTED' : reached >= 100 ? 'DONE' : plan.state === 'LATE' ? 'LATE' : 'ON_TRACK';
  const num = (n: number): string => formatNum(t, n);
  return (
    <li class="su-node su-indicator" data-indicator={ind.name}>
      <Head
        t={t}
        name={
          <>
            {t.w.tree.indicatorPrefix} {ind.name}
          </>
        }
        state={state}
        progress={reached}
        edit={key}
        level={5}
      >
        {ind.latestValue ? t.w.tree.latest(num(ind.latestValue.value), ind.unit, ind.latestValue.period) : t.w.tree.noValue} ·{' '}
        {t.w.tree.targetOf(num(ind.baseline), num(ind.target), ind.unit)}
        {ind.frequency ? ` · ${t.w.tree.frequencies[ind.frequency]}` : ''}
      </Head>
      <Editor t={t} k={key} spec={indicatorSpec(t.ctx, t.w, t.data, plan.id)} obj={ind} question={t.w.tree.archiveIndicator} />
    </li>
  );
}

function MilestoneNode({ t, plan, m }: { t: TreeCtx; plan: PlanRow; m: MilestoneRow }): JSX.Element {
  const key = `m:${m.id}`;
  return (
    <li class="su-node su-milestone" data-milestone={m.title}>
      <Head
        t={t}
        name={
          <>
            {t.w.tree.milestonePrefix} {m.title}
          </>
        }
        state={milestoneState(m, t.data.today)}
        progress={null}
        edit={key}
        level={5}
      >
        {t.w.tree.dueOn(t.ctx.f.date(m.dueDate, 'long'))}
        {m.doneDate ? ` · ${t.w.tree.doneOn(t.ctx.f.date(m.doneDate, 'long'))}` : ''}
      </Head>
      <Editor t={t} k={key} spec={milestoneSpec(t.w, plan.id)} obj={m} question={t.w.tree.archiveMilestone} />
    </li>
  );
}
