// "Laporan OPD saya": an OPD reporter's own action plans (late first), and for one plan the report
// form (kept as a draft in localStorage, sent later when offline, resent on top of a conflicting
// report without retyping), the report history with the city team's verdicts, and indicator values.
import type { JSX } from 'preact';
import { graphql, type ResultOf } from '../api/document';
import { useEffect, useState } from 'preact/hooks';
import { RequestError } from '../api/http';
import { daysBetween } from '../format';
import type { PlanState } from '../i18n';
import {
  ago,
  DRAFTS_EVENT,
  evidenceList,
  explain,
  fieldOf,
  gq,
  gqKept,
  loadDraft,
  plainPercent,
  saveDraft,
  sendDraft,
  useDraftsVersion,
  when,
  type DeskCtx,
  type Draft,
  type DraftsChange,
} from './lib';
import { FILE_ACCEPT, MAX_FILES, queuedFiles, queueFiles, removeQueued, type FileProgress, type QueuedFile } from './attachments';
import { parseNumber, periodOf } from './pure';
import { AttachedFiles, Bar, EvidenceLinks, Notice, StateTag } from './ui';

const LIST_QUERY = graphql(`
  query DeskOwnPlans($city: ID!, $opd: ID!) {
    opd(id: $opd) {
      id
      name
      abbreviation
    }
    city(id: $city) {
      overview {
        today
      }
      actionPlans(first: 100, filter: { opdId: $opd }) {
        totalCount
        edges {
          node {
            id
            title
            code
            state
            progress
            expectedProgress
            dueDate
            lastReportedAt
            progressReports(first: 1) {
              edges {
                node {
                  status
                  reviewComment
                }
              }
            }
            forecast {
              verdict
              expectedCompletion
              daysLate
            }
          }
        }
      }
    }
  }
`);

type ListPlan = ResultOf<typeof LIST_QUERY>['city']['actionPlans']['edges'][number]['node'];

const ORDER: Record<PlanState, number> = { LATE: 0, NOT_STARTED: 1, ON_TRACK: 2, DONE: 3 };

/** The page: the list, or one plan (`&rencana=<id>`). */
export function ReportingPage({ ctx, planId }: { ctx: DeskCtx; planId: string | null }): JSX.Element {
  return planId ? <PlanPage ctx={ctx} planId={planId} key={planId} /> : <PlanList ctx={ctx} />;
}

function PlanList({ ctx }: { ctx: DeskCtx }): JSX.Element {
  const w = ctx.w.reporting;
  const [data, setData] = useState<{ opd: { name: string }; plans: ListPlan[]; today: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const drafts = useDraftsVersion();
  useEffect(() => {
    // The page is shown only to a person of an OPD (`can.reportOwn`).
    gqKept(ctx, `plans.${ctx.me.opdId ?? ''}.${ctx.lang}`, LIST_QUERY, { city: ctx.cityId, opd: ctx.me.opdId ?? '' })
      .then((d) => {
        const plans = d.city.actionPlans.edges.map((e) => e.node);
        plans.sort((a, b) => ORDER[a.state] - ORDER[b.state] || a.dueDate.localeCompare(b.dueDate));
        setData({ opd: d.opd, plans, today: d.city.overview.today });
      })
      .catch((e: unknown) => setError(explain(e, ctx.w)));
  }, [drafts]);
  useEffect(() => {
    if (data) document.title = `${w.title(data.opd.name)} — Pantau`;
  }, [data, w]);
  if (error) return <Notice kind="error">{error}</Notice>;
  if (!data) return <p role="status">{w.loading}</p>;
  const late = data.plans.filter((p) => p.state === 'LATE').length;
  const returned = data.plans.filter((p) => p.progressReports.edges[0]?.node.status === 'RETURNED').length;
  const atRisk = data.plans.filter((p) => p.state !== 'LATE' && p.forecast?.verdict === 'AT_RISK').length;
  return (
    <section>
      <h1>{w.title(data.opd.name)}</h1>
      <p class="dk-lead">
        {w.lead(data.plans.length, late, returned)}
        {atRisk ? (
          <>
            {' '}
            <strong class="dk-warn-text" id="at-risk-count">
              {w.atRiskCount(atRisk)}
            </strong>
          </>
        ) : null}
      </p>
      <ul class="dk-cards" id="own-plans">
        {data.plans.map((p) => {
          const last = p.progressReports.edges[0]?.node;
          const draft = loadDraft(p.id);
          const overdue = daysBetween(p.dueDate, data.today);
          return (
            <li class={`dk-card dk-plan${last?.status === 'RETURNED' ? ' dk-returned' : ''}`} data-plan={p.id}>
              <div class="dk-card-head">
                <a class="dk-card-link" href={`#halaman=lapor&rencana=${p.id}`}>
                  <span class="dk-card-title">{p.title}</span>
                  {p.code ? <span class="dk-muted"> · {p.code}</span> : null}
                </a>
                <a class="dk-btn dk-go" href={`#halaman=lapor&rencana=${p.id}`} aria-hidden="true" tabIndex={-1}>
                  {w.report}
                </a>
              </div>
              <div class="dk-row">
                <StateTag state={p.state} />
                <Bar value={p.progress} state={p.state} label={w.progress(ctx.f.percent(p.progress))} />
                <strong>{ctx.f.percent(p.progress)}</strong>
              </div>
              <div class="dk-meta">
                {w.due(ctx.f.date(p.dueDate, 'long'))}
                {p.state === 'LATE' ? (
                  <strong class="dk-late-text">
                    {' '}
                    · {overdue > 0 ? w.overdue(ctx.f.days(overdue)) : w.behind(ctx.f.percent(p.expectedProgress))}
                  </strong>
                ) : null}
                <Forecast ctx={ctx} plan={p} />
                <br />
                {p.lastReportedAt ? w.lastReport(ago(ctx, p.lastReportedAt)) : w.neverReported}
                {last ? ` · ${ctx.w.reportStatus[last.status]}` : ''}
              </div>
              {last?.status === 'RETURNED' ? <p class="dk-flag">{w.returnedFlag(last.reviewComment ?? '')}</p> : null}
              {draft?.pending ? <p class="dk-flag dk-pending">{w.pendingFlag}</p> : draft ? <p class="dk-muted">{w.hasDraft}</p> : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** The plan's forecast on its card: a warning when it will be late at its pace, the date when on track. */
function Forecast({ ctx, plan }: { ctx: DeskCtx; plan: ListPlan }): JSX.Element | null {
  const w = ctx.w.reporting;
  const f = plan.forecast;
  if (!f || f.verdict === 'NO_PACE' || plan.state === 'DONE') return null;
  // Already late: said above; the forecast only adds when it will be done at its pace.
  if (plan.state === 'LATE')
    return f.expectedCompletion ? (
      <span data-forecast="LATE">
        <br />
        {w.lateFinish(ctx.f.date(f.expectedCompletion, 'long'))}
      </span>
    ) : null;
  if (f.verdict === 'ON_TRACK')
    return f.expectedCompletion ? (
      <span data-forecast="ON_TRACK">
        <br />
        {w.onTrack(ctx.f.date(f.expectedCompletion, 'long'))}
      </span>
    ) : null;
  return (
    <>
      <br />
      <strong class="dk-warn-text" data-forecast="AT_RISK">
        <span aria-hidden="true">⚠ </span>
        {f.expectedCompletion ? w.atRisk(ctx.f.date(f.expectedCompletion, 'long'), ctx.f.days(f.daysLate ?? 0)) : w.notMoving}
      </strong>
    </>
  );
}

const REPORT = graphql(`
  fragment DeskReport on ProgressReport {
    id
    percent
    narrative
    obstacles
    evidenceUrls
    evidence {
      evidence {
        id
        title
      }
    }
    reportedAt
    status
    reviewComment
    reviewerName
    reporterName
  }
`);
const PLAN_QUERY = graphql(
  `
    query DeskPlan($id: ID!) {
      actionPlan(id: $id) {
        id
        title
        code
        version
        state
        progress
        expectedProgress
        startDate
        dueDate
        ownerOpd {
          id
          name
        }
        indicators {
          id
          name
          unit
          baseline
          target
          values {
            period
            value
            note
          }
        }
        progressReports(first: 30) {
          totalCount
          edges {
            node {
              ...DeskReport
            }
          }
        }
      }
    }
  `,
  REPORT,
);

type FullPlan = NonNullable<ResultOf<typeof PLAN_QUERY>['actionPlan']>;
type Report = FullPlan['progressReports']['edges'][number]['node'];
type Indicator = FullPlan['indicators'][number];

function PlanPage({ ctx, planId }: { ctx: DeskCtx; planId: string }): JSX.Element {
  const w = ctx.w.reporting;
  const [plan, setPlan] = useState<FullPlan | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const drafts = useDraftsVersion();
  const reload = (): void => {
    gqKept(ctx, `plan.${planId}.${ctx.lang}`, PLAN_QUERY, { id: planId })
      .then((d) => {
        setPlan(d.actionPlan);
        document.title = `${d.actionPlan.title} — Pantau`;
      })
      .catch((e: unknown) => setError(explain(e, ctx.w)));
  };
  useEffect(reload, [planId]);
  // The outbox sent (or found a conflict for) this plan's pending draft.
  useEffect(() => {
    const onChange = (event: Event): void => {
      if ((event as CustomEvent<DraftsChange>).detail?.sent.includes(planId)) setNotice(w.pendingSent);
      reload();
    };
    window.addEventListener(DRAFTS_EVENT, onChange);
    return () => window.removeEventListener(DRAFTS_EVENT, onChange);
  }, [planId, w]);
  if (error) return <Notice kind="error">{error}</Notice>;
  if (!plan) return <p role="status">{w.loading}</p>;
  const reports = plan.progressReports.edges.map((e) => e.node);
  const latest = reports[0];
  return (
    <section>
      <p>
        <a href="#halaman=lapor" class="dk-back">
          {w.back(plan.ownerOpd.name)}
        </a>
      </p>
      <h1>{plan.title}</h1>
      <div class="dk-row dk-summary">
        <StateTag state={plan.state} />
        <Bar value={plan.progress} state={plan.state} label={w.progress(ctx.f.percent(plan.progress))} />
        <strong>{ctx.f.percent(plan.progress)}</strong>
      </div>
      <p class="dk-meta">
        {plan.code ? `${plan.code} · ` : ''}
        {ctx.f.date(plan.startDate, 'long')} – {ctx.f.date(plan.dueDate, 'long')} · {w.schedule(ctx.f.percent(plan.expectedProgress))}
      </p>
      {latest?.status === 'RETURNED' ? (
        <div class="dk-notice dk-warn" id="returned-banner" role="note">
          <strong>{w.returnedTitle}</strong> {w.returnedBy(latest.reviewerName)}: “{latest.reviewComment}”
          <br />
          {w.returnedFix}
        </div>
      ) : null}
      {notice ? <Notice kind="ok">{notice}</Notice> : null}
      <ReportForm
        key={`${plan.version}-${drafts}`}
        ctx={ctx}
        plan={plan}
        onSent={() => {
          setNotice(w.sent);
          reload();
        }}
        onConflict={reload}
      />
      <History ctx={ctx} reports={reports} total={plan.progressReports.totalCount} />
      {plan.indicators.length ? <Indicators ctx={ctx} plan={plan} onSaved={reload} /> : null}
    </section>
  );
}

interface Conflict {
  actualVersion: number;
  other: Report | null;
  progress: number;
}

function freshDraft(plan: FullPlan): Draft {
  return {
    percent: plainPercent(plan.progress),
    narrative: '',
    obstacles: '',
    evidence: '',
    version: plan.version,
    pending: false,
    savedAt: Date.now(),
  };
}

/** Client-side checks, as you type; each message says what to do. */
function problems(d: Draft, w: DeskCtx['w']['reporting']): { percent?: string; narrative?: string; evidence?: string } {
  const out: { percent?: string; narrative?: string; evidence?: string } = {};
  const n = parseNumber(d.percent) ?? Number.NaN;
  if (!Number.isFinite(n) || n < 0 || n > 100) out.percent = w.badPercent;
  if (!d.narrative.trim()) out.narrative = w.noNarrative;
  const bad = evidenceList(d.evidence).filter((u) => !/^https?:\/\/\S+\.\S+/.test(u));
  if (bad.length) out.evidence = w.badLinks(bad.join(', '));
  if (evidenceList(d.evidence).length > 20) out.evidence = w.tooManyLinks;
  return out;
}

const CONFLICT_QUERY = graphql(
  `
    query DeskPlanNow($id: ID!) {
      actionPlan(id: $id) {
        version
        progress
        progressReports(first: 1) {
          edges {
            node {
              ...DeskReport
            }
          }
        }
      }
    }
  `,
  REPORT,
);

function ReportForm({
  ctx,
  plan,
  onSent,
  onConflict,
}: {
  ctx: DeskCtx;
  plan: FullPlan;
  onSent: () => void;
  onConflict: () => void;
}): JSX.Element {
  const w = ctx.w.reporting;
  const [d, setD] = useState<Draft>(() => loadDraft(plan.id) ?? freshDraft(plan));
  const [status, setStatus] = useState<'idle' | 'sending' | 'pending' | 'error'>(d.pending ? 'pending' : 'idle');
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [serverError, setServerError] = useState<{ message: string; field: string | null } | null>(null);
  const [tried, setTried] = useState(false);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [fileProgress, setFileProgress] = useState<FileProgress>({});
  // Bumped when the queued files changed under the list (sent with the report).
  const [filesVersion, setFilesVersion] = useState(0);

  const update = (patch: Partial<Draft>): void => {
    const next = { ...d, ...patch, savedAt: Date.now() };
    setD(next);
    saveDraft(plan.id, next);
    if (serverError?.field && serverError.field in patch) setServerError(null);
  };

  const loadConflict = async (actualVersion?: number): Promise<void> => {
    const now = await gq(ctx, CONFLICT_QUERY, { id: plan.id });
    setConflict({
      actualVersion: actualVersion ?? now.actionPlan.version,
      other: now.actionPlan.progressReports.edges[0]?.node ?? null,
      progress: now.actionPlan.progress,
    });
  };
  useEffect(() => {
    if (d.conflict) void loadConflict().catch(() => {});
  }, []);

  const send = async (draft: Draft): Promise<void> => {
    setServerError(null);
    const queued = { ...draft, pending: true, conflict: false };
    saveDraft(plan.id, queued);
    setD(queued);
    if (!navigator.onLine) {
      setStatus('pending');
      return;
    }
    setStatus('sending');
    try {
      await sendDraft(ctx, plan.id, queued, setFileProgress);
      saveDraft(plan.id, null);
      setFileProgress({});
      setFilesVersion((n) => n + 1);
      setConflict(null);
      setStatus('idle');
      onSent();
    } catch (error) {
      if (error instanceof RequestError && error.kind === 'network') {
        setStatus('pending');
        return;
      }
      const kept = { ...queued, pending: false };
      saveDraft(plan.id, kept);
      setD(kept);
      setStatus('error');
      if (error instanceof RequestError && error.code === 'CONFLICT') {
        // Kept with the conflict noted: the page re-reads the plan (its history shows the other
        // report) and the form, built again from this draft, shows the conflict again.
        saveDraft(plan.id, { ...kept, conflict: true });
        const actual = error.extensions['actualVersion'];
        await loadConflict(typeof actual === 'number' ? actual : undefined).catch(() => {});
        onConflict();
      } else setServerError({ message: explain(error, ctx.w), field: fieldOf(error) });
    }
  };

  const found = problems(d, w);
  const show = (field: keyof typeof found): string | undefined =>
    (tried || touched[field] ? found[field] : undefined) ?? (serverError?.field === field ? serverError.message : undefined);
  const basis = conflict ? conflict.progress : plan.progress;
  const percentNumber = parseNumber(d.percent) ?? Number.NaN;
  const goesDown = Number.isFinite(percentNumber) && d.percent.trim() !== '' && percentNumber < basis;

  const submit = (event: Event): void => {
    event.preventDefault();
    setTried(true);
    if (Object.keys(found).length) {
      const first = Object.keys(found)[0];
      document.getElementById(`f-${first}`)?.focus();
      return;
    }
    void send(d);
  };

  return (
    <form class="dk-panel dk-form" id="report-form" onSubmit={submit} noValidate>
      <h2>{w.formTitle}</h2>
      <p class="dk-muted">{w.formNote}</p>
      {conflict ? (
        <div class="dk-notice dk-warn" id="conflict" role="alert">
          <p>
            <strong>{w.conflictTitle}</strong> {w.conflictLook}
          </p>
          {conflict.other ? (
            <div class="dk-quote">
              {conflict.other.reporterName ?? w.someone} {w.otherReported} <strong>{ctx.f.percent(conflict.other.percent)}</strong> {w.on}{' '}
              {when(ctx, conflict.other.reportedAt)}:
              <br />“{conflict.other.narrative}”
              {conflict.other.obstacles ? (
                <>
                  <br />
                  {w.obstacles}: {conflict.other.obstacles}
                </>
              ) : null}
            </div>
          ) : null}
          <p>{w.conflictKept}</p>
          <button type="button" class="dk-btn dk-primary" id="resend" onClick={() => void send({ ...d, version: conflict.actualVersion })}>
            {w.resend}
          </button>
        </div>
      ) : null}
      <div class="dk-field">
        <label for="f-percent">{w.percentLabel}</label>
        <div class="dk-percent">
          <input
            type="range"
            min={0}
            max={100}
            step={1}
            value={Number.isFinite(percentNumber) ? percentNumber : 0}
            aria-label={w.percentSlider}
            onInput={(e) => update({ percent: (e.target as HTMLInputElement).value })}
          />
          <input
            id="f-percent"
            type="text"
            inputMode="decimal"
            autoComplete="off"
            value={d.percent}
            aria-invalid={show('percent') ? 'true' : undefined}
            aria-describedby="h-percent"
            onInput={(e) => update({ percent: (e.target as HTMLInputElement).value })}
            onBlur={() => setTouched({ ...touched, percent: true })}
          />
        </div>
        <p id="h-percent" class={show('percent') ? 'dk-error' : goesDown ? 'dk-warn-text' : 'dk-hint'}>
          {show('percent') ?? (goesDown ? w.percentDown(ctx.f.percent(basis)) : w.percentHint(ctx.f.percent(basis)))}
        </p>
      </div>
      <div class="dk-field">
        <label for="f-narrative">{w.narrativeLabel}</label>
        <textarea
          id="f-narrative"
          rows={4}
          value={d.narrative}
          aria-invalid={show('narrative') ? 'true' : undefined}
          aria-describedby="h-narrative"
          onInput={(e) => update({ narrative: (e.target as HTMLTextAreaElement).value })}
          onBlur={() => setTouched({ ...touched, narrative: true })}
        />
        <p id="h-narrative" class={show('narrative') ? 'dk-error' : 'dk-hint'}>
          {show('narrative') ?? w.narrativeHint}
        </p>
      </div>
      <div class="dk-field">
        <label for="f-obstacles">{w.obstaclesLabel}</label>
        <textarea
          id="f-obstacles"
          rows={2}
          value={d.obstacles}
          aria-describedby="h-obstacles"
          onInput={(e) => update({ obstacles: (e.target as HTMLTextAreaElement).value })}
        />
        <p id="h-obstacles" class="dk-hint">
          {w.obstaclesHint}
        </p>
      </div>
      <div class="dk-field">
        <label for="f-evidence">{w.evidenceLabel}</label>
        <textarea
          id="f-evidence"
          rows={2}
          value={d.evidence}
          aria-invalid={show('evidence') ? 'true' : undefined}
          aria-describedby="h-evidence"
          onInput={(e) => update({ evidence: (e.target as HTMLTextAreaElement).value })}
          onBlur={() => setTouched({ ...touched, evidence: true })}
        />
        <p id="h-evidence" class={show('evidence') ? 'dk-error' : 'dk-hint'}>
          {show('evidence') ?? w.evidenceHint}
        </p>
      </div>
      <ReportFiles ctx={ctx} planId={plan.id} progress={fileProgress} busy={status === 'sending'} version={filesVersion} />
      {serverError && !serverError.field ? <Notice kind="error">{serverError.message}</Notice> : null}
      {status === 'pending' ? (
        <p class="dk-notice dk-pending" id="pending" role="status">
          <strong>{w.pendingTitle}</strong> {w.pendingText}
        </p>
      ) : null}
      <div class="dk-actions">
        <button type="submit" class="dk-btn dk-primary" id="send-report" disabled={status === 'sending'}>
          {status === 'sending' ? w.sending : w.send}
        </button>
        {d.narrative || d.obstacles || d.evidence ? (
          <button
            type="button"
            class="dk-btn dk-quiet"
            onClick={() => {
              saveDraft(plan.id, null);
              // The draft's photos and files go with it.
              void queuedFiles(plan.id, ctx.token)
                .then((files) => Promise.all(files.map((f) => removeQueued(f.key))))
                .then(() => setFilesVersion((n) => n + 1));
              setD(freshDraft(plan));
              setStatus('idle');
              setConflict(null);
              setTried(false);
            }}
          >
            {w.dropDraft}
          </button>
        ) : null}
      </div>
    </form>
  );
}

/** The report's photos and files: the camera, the file picker, and what waits to go with the report. */
function ReportFiles({
  ctx,
  planId,
  progress,
  busy,
  version,
}: {
  ctx: DeskCtx;
  planId: string;
  progress: FileProgress;
  busy: boolean;
  version: number;
}): JSX.Element {
  const w = ctx.w.reporting;
  const [files, setFiles] = useState<QueuedFile[]>([]);
  const [preparing, setPreparing] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const reload = (): void => void queuedFiles(planId, ctx.token).then(setFiles);
  useEffect(reload, [planId, version]);
  const add = (input: HTMLInputElement): void => {
    const chosen = [...(input.files ?? [])];
    input.value = '';
    if (!chosen.length) return;
    if (files.length + chosen.length > MAX_FILES) {
      setProblem(w.tooManyFiles(MAX_FILES));
      return;
    }
    setProblem(null);
    setPreparing(true);
    queueFiles(planId, ctx.token, chosen)
      .catch(() => setProblem(ctx.w.upload.failed))
      .finally(() => {
        setPreparing(false);
        reload();
      });
  };
  const state = (f: QueuedFile): string => {
    const p = progress[f.key];
    if (f.evidenceId || p === 1) return w.fileUploaded;
    if (p !== undefined && busy) return w.fileUploading(ctx.f.percent(p * 100));
    return w.fileWaiting;
  };
  return (
    <fieldset class="dk-field dk-files">
      <legend>{w.filesLabel}</legend>
      <div class="dk-actions">
        <input
          id="f-photo"
          class="dk-file"
          type="file"
          accept="image/*"
          capture="environment"
          disabled={busy}
          aria-describedby="h-files"
          onChange={(e) => add(e.target as HTMLInputElement)}
        />
        <label for="f-photo" class="dk-btn dk-file-button">
          {w.takePhoto}
        </label>
        <input
          id="f-files"
          class="dk-file"
          type="file"
          accept={FILE_ACCEPT}
          multiple
          disabled={busy}
          aria-describedby="h-files"
          onChange={(e) => add(e.target as HTMLInputElement)}
        />
        <label for="f-files" class="dk-btn dk-file-button">
          {w.chooseFiles}
        </label>
      </div>
      <p id="h-files" class={problem ? 'dk-error' : 'dk-hint'}>
        {problem ?? w.filesHint}
      </p>
      {preparing ? <p role="status">{w.shrinking}</p> : null}
      {files.length ? (
        <ul class="dk-file-list" id="f-file-list">
          {files.map((f) => (
            <li data-file={f.name}>
              <span class="dk-file-name">{f.name}</span>{' '}
              <span class="dk-muted">
                ·{' '}
                {new Intl.NumberFormat(ctx.f.locale, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 0 }).format(
                  Math.max(1, f.size / 1024),
                )}{' '}
                · {state(f)}
              </span>
              {progress[f.key] !== undefined && busy ? (
                <progress max={1} value={progress[f.key]} aria-label={`${f.name}: ${state(f)}`} />
              ) : null}
              {busy ? null : (
                <button
                  type="button"
                  class="dk-btn dk-quiet"
                  aria-label={w.removeFile(f.name)}
                  onClick={() => void removeQueued(f.key).then(reload)}
                >
                  ✕
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </fieldset>
  );
}

function History({ ctx, reports, total }: { ctx: DeskCtx; reports: Report[]; total: number }): JSX.Element {
  const w = ctx.w.reporting;
  return (
    <section class="dk-panel" aria-labelledby="history-title">
      <h2 id="history-title">{w.history(total)}</h2>
      {reports.length === 0 ? <p>{w.noHistory}</p> : null}
      <ol class="dk-history" id="history">
        {reports.map((r, i) => (
          <li class={`dk-report s-${r.status}${i === 0 && r.status === 'RETURNED' ? ' dk-returned' : ''}`} data-status={r.status}>
            <div class="dk-row">
              <strong>{ctx.f.percent(r.percent)}</strong>
              <span class={`dk-status st-${r.status}`}>{ctx.w.reportStatus[r.status]}</span>
              <span class="dk-muted">
                {when(ctx, r.reportedAt)}
                {r.reporterName ? ` · ${r.reporterName}` : ''}
              </span>
            </div>
            <p>{r.narrative}</p>
            {r.obstacles ? (
              <p class="dk-muted">
                {w.obstacles}: {r.obstacles}
              </p>
            ) : null}
            {r.evidenceUrls.length ? <EvidenceLinks urls={r.evidenceUrls} /> : null}
            <AttachedFiles ctx={ctx} files={r.evidence} />
            {r.reviewComment ? (
              <p class={r.status === 'RETURNED' ? 'dk-review dk-review-returned' : 'dk-review'}>
                {r.status === 'RETURNED' ? w.returned : w.note} {r.reviewerName ? w.by(r.reviewerName) : ''}: “{r.reviewComment}”
              </p>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

// ---- Indicator values ----

/** The month names of a locale ("Januari" / "January"). */
function monthNames(locale: string): string[] {
  const format = new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' });
  return Array.from({ length: 12 }, (_, i) => format.format(new Date(Date.UTC(2024, i, 1))));
}

/** "Oktober 2025" / "October 2025", "Triwulan III 2025" / "Q3 2025", "Tahun 2025" / "Year 2025". */
function periodLabel(ctx: DeskCtx, period: string): string {
  const m = /^(\d{4})(?:-(\d{2})|-Q([1-4]))?$/.exec(period);
  if (!m) return period;
  const year = m[1] ?? '';
  if (m[2]) return `${monthNames(ctx.f.locale)[Number(m[2]) - 1]} ${year}`;
  if (m[3]) return ctx.w.reporting.quarter(Number(m[3]), year);
  return ctx.w.reporting.year(year);
}

function Indicators({ ctx, plan, onSaved }: { ctx: DeskCtx; plan: FullPlan; onSaved: () => void }): JSX.Element {
  return (
    <section class="dk-panel" aria-labelledby="ind-title">
      <h2 id="ind-title">{ctx.w.reporting.indicators}</h2>
      {plan.indicators.map((ind) => (
        <IndicatorForm ctx={ctx} ind={ind} onSaved={onSaved} />
      ))}
    </section>
  );
}

function IndicatorForm({ ctx, ind, onSaved }: { ctx: DeskCtx; ind: Indicator; onSaved: () => void }): JSX.Element {
  const w = ctx.w.reporting;
  const months = monthNames(ctx.f.locale);
  const number = (value: number): string => value.toLocaleString(ctx.f.locale);
  const today = new Date();
  const lastPeriod = ind.values[ind.values.length - 1]?.period ?? '';
  // Start with the kind of period the indicator is already measured in.
  const [kind, setKind] = useState<'year' | 'month' | 'quarter'>(
    /-Q\d$/.test(lastPeriod) ? 'quarter' : /^\d{4}$/.test(lastPeriod) ? 'year' : 'month',
  );
  const [year, setYear] = useState(today.getFullYear());
  const [month, setMonth] = useState(today.getMonth() + 1);
  const [quarter, setQuarter] = useState(Math.floor(today.getMonth() / 3) + 1);
  const [value, setValue] = useState('');
  const [note, setNote] = useState('');
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const period = periodOf(kind, year, month, quarter);
  const existing = ind.values.find((v) => v.period === period);
  const latest = ind.values[ind.values.length - 1];
  const n = parseNumber(value) ?? Number.NaN;
  const invalid = value.trim() !== '' && !Number.isFinite(n) ? w.badValue : null;
  const id = `ind-${ind.id}`;
  const save = (event: Event): void => {
    event.preventDefault();
    if (value.trim() === '' || invalid) {
      setMsg({ kind: 'error', text: invalid ?? w.noValueTyped });
      return;
    }
    setBusy(true);
    setMsg(null);
    gq(ctx, 'mutation DeskIndicator($input: RecordIndicatorValueInput!) { recordIndicatorValue(input: $input) { id period value } }', {
      input: { indicatorId: ind.id, period, value: n, note: note.trim() || null },
    })
      .then(() => {
        setMsg({ kind: 'ok', text: w.saved(periodLabel(ctx, period)) });
        setValue('');
        setNote('');
        onSaved();
      })
      .catch((e: unknown) => setMsg({ kind: 'error', text: explain(e, ctx.w) }))
      .finally(() => setBusy(false));
  };
  const years = [today.getFullYear() - 3, today.getFullYear() - 2, today.getFullYear() - 1, today.getFullYear()];
  return (
    <form class="dk-indicator" onSubmit={save} data-indicator={ind.id} noValidate>
      <h3>{ind.name}</h3>
      <p class="dk-muted">
        {w.unit(ind.unit, ctx.f.int(ind.baseline), ctx.f.int(ind.target))}
        {latest ? w.latest(periodLabel(ctx, latest.period), number(latest.value)) : w.noValue}
      </p>
      <div class="dk-grid">
        <div class="dk-field">
          <label for={`${id}-kind`}>{w.periodKind}</label>
          <select id={`${id}-kind`} value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value as typeof kind)}>
            <option value="month">{w.monthly}</option>
            <option value="quarter">{w.quarterly}</option>
            <option value="year">{w.yearly}</option>
          </select>
        </div>
        <div class="dk-field">
          <label for={`${id}-year`}>{w.yearLabel}</label>
          <select id={`${id}-year`} value={year} onChange={(e) => setYear(Number((e.target as HTMLSelectElement).value))}>
            {years.map((y) => (
              <option value={y}>{y}</option>
            ))}
          </select>
        </div>
        {kind === 'month' ? (
          <div class="dk-field">
            <label for={`${id}-month`}>{w.monthLabel}</label>
            <select id={`${id}-month`} value={month} onChange={(e) => setMonth(Number((e.target as HTMLSelectElement).value))}>
              {months.map((m, i) => (
                <option value={i + 1}>{m}</option>
              ))}
            </select>
          </div>
        ) : kind === 'quarter' ? (
          <div class="dk-field">
            <label for={`${id}-quarter`}>{w.quarterLabel}</label>
            <select id={`${id}-quarter`} value={quarter} onChange={(e) => setQuarter(Number((e.target as HTMLSelectElement).value))}>
              {w.quarters.map((q, i) => (
                <option value={i + 1}>{q}</option>
              ))}
            </select>
          </div>
        ) : null}
        <div class="dk-field">
          <label for={`${id}-value`}>{w.value(ind.unit)}</label>
          <input
            id={`${id}-value`}
            type="text"
            inputMode="decimal"
            value={value}
            aria-invalid={invalid ? 'true' : undefined}
            onInput={(e) => setValue((e.target as HTMLInputElement).value)}
          />
        </div>
      </div>
      <div class="dk-field">
        <label for={`${id}-note`}>{w.noteLabel}</label>
        <input id={`${id}-note`} type="text" value={note} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
      </div>
      <p class="dk-hint">
        {w.period}: <strong>{periodLabel(ctx, period)}</strong>
        {existing ? w.replaces(number(existing.value)) : ''}
      </p>
      {msg ? <Notice kind={msg.kind}>{msg.text}</Notice> : null}
      <button type="submit" class="dk-btn" disabled={busy}>
        {busy ? w.saving : w.save}
      </button>
    </form>
  );
}
