// "Laporan OPD saya": an OPD reporter's own action plans (late first), and for one plan the report
// form (kept as a draft in localStorage, sent later when offline, resent on top of a conflicting
// report without retyping), the report history with the city team's verdicts, and indicator values.
import type { JSX } from 'preact';
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
  loadDraft,
  plainPercent,
  saveDraft,
  sendDraft,
  STATUS_LABELS,
  useDraftsVersion,
  when,
  type DeskCtx,
  type Draft,
  type DraftsChange,
} from './lib';
import { periodOf } from './pure';
import { Bar, EvidenceLinks, Notice, StateTag } from './ui';

interface ListPlan {
  id: string;
  title: string;
  code: string | null;
  state: PlanState;
  progress: number;
  expectedProgress: number;
  dueDate: string;
  lastReportedAt: string | null;
  progressReports: { edges: { node: { status: 'SUBMITTED' | 'VERIFIED' | 'RETURNED'; reviewComment: string | null } }[] };
}

const LIST_QUERY = `query DeskOwnPlans($city: ID!, $opd: ID!) {
  opd(id: $opd) { id name abbreviation }
  city(id: $city) { overview { today } actionPlans(first: 100, filter: { opdId: $opd }) { totalCount edges { node {
    id title code state progress expectedProgress dueDate lastReportedAt
    progressReports(first: 1) { edges { node { status reviewComment } } }
  } } } }
}`;

const ORDER: Record<PlanState, number> = { LATE: 0, NOT_STARTED: 1, ON_TRACK: 2, DONE: 3 };

/** The page: the list, or one plan (`&rencana=<id>`). */
export function ReportingPage({ ctx, planId }: { ctx: DeskCtx; planId: string | null }): JSX.Element {
  return planId ? <PlanPage ctx={ctx} planId={planId} key={planId} /> : <PlanList ctx={ctx} />;
}

function PlanList({ ctx }: { ctx: DeskCtx }): JSX.Element {
  const [data, setData] = useState<{ opd: { name: string }; plans: ListPlan[]; today: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const drafts = useDraftsVersion();
  useEffect(() => {
    gq<{ opd: { name: string }; city: { overview: { today: string }; actionPlans: { edges: { node: ListPlan }[] } } }>(ctx, LIST_QUERY, {
      city: ctx.cityId,
      opd: ctx.me.opdId,
    })
      .then((d) => {
        const plans = d.city.actionPlans.edges.map((e) => e.node);
        plans.sort((a, b) => ORDER[a.state] - ORDER[b.state] || a.dueDate.localeCompare(b.dueDate));
        setData({ opd: d.opd, plans, today: d.city.overview.today });
        document.title = `Rencana aksi ${d.opd.name} — Pantau`;
      })
      .catch((e: unknown) => setError(explain(e)));
  }, [drafts]);
  if (error) return <Notice kind="error">{error}</Notice>;
  if (!data) return <p role="status">Memuat rencana aksi…</p>;
  const late = data.plans.filter((p) => p.state === 'LATE').length;
  const returned = data.plans.filter((p) => p.progressReports.edges[0]?.node.status === 'RETURNED').length;
  return (
    <section>
      <h1>Rencana aksi {data.opd.name}</h1>
      <p class="dk-lead">
        {data.plans.length} rencana aksi{late ? `, ${late} terlambat` : ''}
        {returned ? `, ${returned} laporan dikembalikan` : ''}. Pilih satu untuk melaporkan kemajuannya.
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
                  Lapor →
                </a>
              </div>
              <div class="dk-row">
                <StateTag state={p.state} />
                <Bar value={p.progress} state={p.state} label={`Capaian ${ctx.f.percent(p.progress)}`} />
                <strong>{ctx.f.percent(p.progress)}</strong>
              </div>
              <div class="dk-meta">
                Tenggat {ctx.f.date(p.dueDate, 'long')}
                {p.state === 'LATE' ? (
                  <strong class="dk-late-text">
                    {' '}
                    ·{' '}
                    {overdue > 0
                      ? `sudah lewat ${ctx.f.days(overdue)}`
                      : `tertinggal dari jadwal (seharusnya ${ctx.f.percent(p.expectedProgress)})`}
                  </strong>
                ) : null}
                <br />
                {p.lastReportedAt ? `Laporan terakhir ${ago(ctx, p.lastReportedAt)}` : 'Belum pernah dilaporkan'}
                {last ? ` · ${STATUS_LABELS[last.status]}` : ''}
              </div>
              {last?.status === 'RETURNED' ? (
                <p class="dk-flag">Dikembalikan tim kota: “{last.reviewComment}”. Kirim laporan baru.</p>
              ) : null}
              {draft?.pending ? (
                <p class="dk-flag dk-pending">Belum terkirim — dikirim otomatis saat jaringan kembali.</p>
              ) : draft ? (
                <p class="dk-muted">Ada draf yang belum dikirim.</p>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

interface Report {
  id: string;
  percent: number;
  narrative: string;
  obstacles: string | null;
  evidenceUrls: string[];
  reportedAt: string;
  status: 'SUBMITTED' | 'VERIFIED' | 'RETURNED';
  reviewComment: string | null;
  reviewerName: string | null;
  reporterName: string | null;
}

interface Indicator {
  id: string;
  name: string;
  unit: string;
  baseline: number;
  target: number;
  values: { period: string; value: number; note: string | null }[];
}

interface FullPlan {
  id: string;
  title: string;
  code: string | null;
  version: number;
  state: PlanState;
  progress: number;
  expectedProgress: number;
  startDate: string;
  dueDate: string;
  ownerOpd: { id: string; name: string };
  indicators: Indicator[];
  progressReports: { totalCount: number; edges: { node: Report }[] };
}

const REPORT_FIELDS = 'id percent narrative obstacles evidenceUrls reportedAt status reviewComment reviewerName reporterName';
const PLAN_QUERY = `query DeskPlan($id: ID!) { actionPlan(id: $id) {
  id title code version state progress expectedProgress startDate dueDate ownerOpd { id name }
  indicators { id name unit baseline target values { period value note } }
  progressReports(first: 30) { totalCount edges { node { ${REPORT_FIELDS} } } }
} }`;

function PlanPage({ ctx, planId }: { ctx: DeskCtx; planId: string }): JSX.Element {
  const [plan, setPlan] = useState<FullPlan | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const drafts = useDraftsVersion();
  const reload = (): void => {
    gq<{ actionPlan: FullPlan }>(ctx, PLAN_QUERY, { id: planId })
      .then((d) => {
        setPlan(d.actionPlan);
        document.title = `${d.actionPlan.title} — Pantau`;
      })
      .catch((e: unknown) => setError(explain(e)));
  };
  useEffect(reload, [planId]);
  // The outbox sent (or found a conflict for) this plan's pending draft.
  useEffect(() => {
    const onChange = (event: Event): void => {
      if ((event as CustomEvent<DraftsChange>).detail?.sent.includes(planId))
        setNotice('Laporan yang tertunda sudah terkirim. Menunggu verifikasi tim kota.');
      reload();
    };
    window.addEventListener(DRAFTS_EVENT, onChange);
    return () => window.removeEventListener(DRAFTS_EVENT, onChange);
  }, [planId]);
  if (error) return <Notice kind="error">{error}</Notice>;
  if (!plan) return <p role="status">Memuat rencana aksi…</p>;
  const reports = plan.progressReports.edges.map((e) => e.node);
  const latest = reports[0];
  return (
    <section>
      <p>
        <a href="#halaman=lapor" class="dk-back">
          ← Semua rencana aksi {plan.ownerOpd.name}
        </a>
      </p>
      <h1>{plan.title}</h1>
      <div class="dk-row dk-summary">
        <StateTag state={plan.state} />
        <Bar value={plan.progress} state={plan.state} label={`Capaian ${ctx.f.percent(plan.progress)}`} />
        <strong>{ctx.f.percent(plan.progress)}</strong>
      </div>
      <p class="dk-meta">
        {plan.code ? `${plan.code} · ` : ''}
        {ctx.f.date(plan.startDate, 'long')} – {ctx.f.date(plan.dueDate, 'long')} · jadwal mengharapkan{' '}
        {ctx.f.percent(plan.expectedProgress)} hari ini
      </p>
      {latest?.status === 'RETURNED' ? (
        <div class="dk-notice dk-warn" id="returned-banner" role="note">
          <strong>Laporan terakhir dikembalikan</strong> oleh {latest.reviewerName ?? 'tim kota'}: “{latest.reviewComment}”
          <br />
          Perbaiki isinya, lalu kirim laporan baru di bawah.
        </div>
      ) : null}
      {notice ? <Notice kind="ok">{notice}</Notice> : null}
      <ReportForm
        key={`${plan.version}-${drafts}`}
        ctx={ctx}
        plan={plan}
        onSent={() => {
          setNotice('Laporan terkirim. Menunggu verifikasi tim kota.');
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
function problems(d: Draft): { percent?: string; narrative?: string; evidence?: string } {
  const out: { percent?: string; narrative?: string; evidence?: string } = {};
  const n = Number(d.percent.replace(',', '.'));
  if (d.percent.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100) out.percent = 'Isi capaian sebagai angka dari 0 sampai 100.';
  if (!d.narrative.trim()) out.narrative = 'Tulis singkat apa yang sudah dikerjakan sejak laporan terakhir.';
  const bad = evidenceList(d.evidence).filter((u) => !/^https?:\/\/\S+\.\S+/.test(u));
  if (bad.length) out.evidence = `Tautan bukti harus diawali http:// atau https:// — periksa: ${bad.join(', ')}`;
  if (evidenceList(d.evidence).length > 20) out.evidence = 'Paling banyak 20 tautan bukti.';
  return out;
}

const CONFLICT_QUERY = `query DeskPlanNow($id: ID!) { actionPlan(id: $id) { version progress progressReports(first: 1) { edges { node { ${REPORT_FIELDS} } } } } }`;

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
  const [d, setD] = useState<Draft>(() => loadDraft(plan.id) ?? freshDraft(plan));
  const [status, setStatus] = useState<'idle' | 'sending' | 'pending' | 'error'>(d.pending ? 'pending' : 'idle');
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [serverError, setServerError] = useState<{ message: string; field: string | null } | null>(null);
  const [tried, setTried] = useState(false);
  const [touched, setTouched] = useState<Record<string, boolean>>({});

  const update = (patch: Partial<Draft>): void => {
    const next = { ...d, ...patch, savedAt: Date.now() };
    setD(next);
    saveDraft(plan.id, next);
    if (serverError?.field && serverError.field in patch) setServerError(null);
  };

  const loadConflict = async (actualVersion?: number): Promise<void> => {
    const now = await gq<{ actionPlan: { version: number; progress: number; progressReports: { edges: { node: Report }[] } } }>(
      ctx,
      CONFLICT_QUERY,
      { id: plan.id },
    );
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
      await sendDraft(ctx, plan.id, queued);
      saveDraft(plan.id, null);
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
      } else setServerError({ message: explain(error), field: fieldOf(error) });
    }
  };

  const found = problems(d);
  const show = (field: keyof typeof found): string | undefined =>
    (tried || touched[field] ? found[field] : undefined) ?? (serverError?.field === field ? serverError.message : undefined);
  const basis = conflict ? conflict.progress : plan.progress;
  const percentNumber = Number(d.percent.replace(',', '.'));
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
      <h2>Lapor kemajuan</h2>
      <p class="dk-muted">Semua isian tersimpan otomatis di perangkat ini sampai terkirim, juga saat jaringan putus.</p>
      {conflict ? (
        <div class="dk-notice dk-warn" id="conflict" role="alert">
          <p>
            <strong>Data ini sudah diubah orang lain.</strong> Lihat perubahannya, lalu kirim lagi.
          </p>
          {conflict.other ? (
            <div class="dk-quote">
              {conflict.other.reporterName ?? 'Seseorang'} melaporkan <strong>{ctx.f.percent(conflict.other.percent)}</strong> pada{' '}
              {when(ctx, conflict.other.reportedAt)}:
              <br />“{conflict.other.narrative}”
              {conflict.other.obstacles ? (
                <>
                  <br />
                  Kendala: {conflict.other.obstacles}
                </>
              ) : null}
            </div>
          ) : null}
          <p>Laporan Anda masih ada di formulir ini. Periksa isinya, lalu kirim di atas laporan tersebut.</p>
          <button type="button" class="dk-btn dk-primary" id="resend" onClick={() => void send({ ...d, version: conflict.actualVersion })}>
            Kirim laporan saya di atas laporan ini
          </button>
        </div>
      ) : null}
      <div class="dk-field">
        <label for="f-percent">Capaian sekarang (%)</label>
        <div class="dk-percent">
          <input
            type="range"
            min={0}
            max={100}
            step={1}
            value={Number.isFinite(percentNumber) ? percentNumber : 0}
            aria-label="Capaian (geser)"
            onInput={(e) => update({ percent: (e.target as HTMLInputElement).value })}
          />
          <input
            id="f-percent"
            type="number"
            inputMode="decimal"
            min={0}
            max={100}
            step="any"
            value={d.percent}
            aria-invalid={show('percent') ? 'true' : undefined}
            aria-describedby="h-percent"
            onInput={(e) => update({ percent: (e.target as HTMLInputElement).value })}
            onBlur={() => setTouched({ ...touched, percent: true })}
          />
        </div>
        <p id="h-percent" class={show('percent') ? 'dk-error' : goesDown ? 'dk-warn-text' : 'dk-hint'}>
          {show('percent') ??
            (goesDown
              ? `Capaian ini lebih rendah dari laporan terakhir (${ctx.f.percent(basis)}). Bila memang turun, jelaskan sebabnya di kendala.`
              : `Laporan terakhir: ${ctx.f.percent(basis)}. Geser atau ketik angkanya.`)}
        </p>
      </div>
      <div class="dk-field">
        <label for="f-narrative">Apa yang sudah dikerjakan (wajib)</label>
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
          {show('narrative') ?? 'Contoh: “Uji coba aplikasi di tiga puskesmas sudah berjalan.”'}
        </p>
      </div>
      <div class="dk-field">
        <label for="f-obstacles">Kendala (bila ada)</label>
        <textarea
          id="f-obstacles"
          rows={2}
          value={d.obstacles}
          aria-describedby="h-obstacles"
          onInput={(e) => update({ obstacles: (e.target as HTMLTextAreaElement).value })}
        />
        <p id="h-obstacles" class="dk-hint">
          Apa yang menghambat, dan bantuan apa yang dibutuhkan.
        </p>
      </div>
      <div class="dk-field">
        <label for="f-evidence">Tautan bukti dukung (satu per baris)</label>
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
          {show('evidence') ?? 'Foto, berita acara atau dokumen di Google Drive atau situs dinas, mis. https://…'}
        </p>
      </div>
      {serverError && !serverError.field ? <Notice kind="error">{serverError.message}</Notice> : null}
      {status === 'pending' ? (
        <p class="dk-notice dk-pending" id="pending" role="status">
          <strong>Belum terkirim.</strong> Laporan disimpan di perangkat ini dan dikirim otomatis saat jaringan kembali.
        </p>
      ) : null}
      <div class="dk-actions">
        <button type="submit" class="dk-btn dk-primary" id="send-report" disabled={status === 'sending'}>
          {status === 'sending' ? 'Mengirim…' : 'Kirim laporan'}
        </button>
        {d.narrative || d.obstacles || d.evidence ? (
          <button
            type="button"
            class="dk-btn dk-quiet"
            onClick={() => {
              saveDraft(plan.id, null);
              setD(freshDraft(plan));
              setStatus('idle');
              setConflict(null);
              setTried(false);
            }}
          >
            Hapus draf
          </button>
        ) : null}
      </div>
    </form>
  );
}

function History({ ctx, reports, total }: { ctx: DeskCtx; reports: Report[]; total: number }): JSX.Element {
  return (
    <section class="dk-panel" aria-labelledby="history-title">
      <h2 id="history-title">Riwayat laporan ({total})</h2>
      {reports.length === 0 ? <p>Belum ada laporan untuk rencana aksi ini.</p> : null}
      <ol class="dk-history" id="history">
        {reports.map((r, i) => (
          <li class={`dk-report s-${r.status}${i === 0 && r.status === 'RETURNED' ? ' dk-returned' : ''}`} data-status={r.status}>
            <div class="dk-row">
              <strong>{ctx.f.percent(r.percent)}</strong>
              <span class={`dk-status st-${r.status}`}>{STATUS_LABELS[r.status]}</span>
              <span class="dk-muted">
                {when(ctx, r.reportedAt)}
                {r.reporterName ? ` · ${r.reporterName}` : ''}
              </span>
            </div>
            <p>{r.narrative}</p>
            {r.obstacles ? <p class="dk-muted">Kendala: {r.obstacles}</p> : null}
            {r.evidenceUrls.length ? <EvidenceLinks urls={r.evidenceUrls} /> : null}
            {r.reviewComment ? (
              <p class={r.status === 'RETURNED' ? 'dk-review dk-review-returned' : 'dk-review'}>
                {r.status === 'RETURNED' ? 'Dikembalikan' : 'Catatan'} {r.reviewerName ? `oleh ${r.reviewerName}` : ''}: “{r.reviewComment}”
              </p>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

// ---- Indicator values ----

const MONTHS = Array.from({ length: 12 }, (_, i) =>
  new Intl.DateTimeFormat('id-ID', { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, i, 1))),
);
const QUARTERS = ['Triwulan I (Jan–Mar)', 'Triwulan II (Apr–Jun)', 'Triwulan III (Jul–Sep)', 'Triwulan IV (Okt–Des)'];

/** "Oktober 2025", "Triwulan III 2025", "2025". */
function periodLabel(period: string): string {
  const m = /^(\d{4})(?:-(\d{2})|-Q([1-4]))?$/.exec(period);
  if (!m) return period;
  if (m[2]) return `${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
  if (m[3]) return `${(QUARTERS[Number(m[3]) - 1] ?? '').split(' (')[0]} ${m[1]}`;
  return `Tahun ${m[1]}`;
}

function Indicators({ ctx, plan, onSaved }: { ctx: DeskCtx; plan: FullPlan; onSaved: () => void }): JSX.Element {
  return (
    <section class="dk-panel" aria-labelledby="ind-title">
      <h2 id="ind-title">Indikator</h2>
      {plan.indicators.map((ind) => (
        <IndicatorForm ctx={ctx} ind={ind} onSaved={onSaved} />
      ))}
    </section>
  );
}

function IndicatorForm({ ctx, ind, onSaved }: { ctx: DeskCtx; ind: Indicator; onSaved: () => void }): JSX.Element {
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
  const n = Number(value.replace(',', '.'));
  const invalid = value.trim() !== '' && !Number.isFinite(n) ? 'Isi nilai sebagai angka, mis. 12 atau 12,5.' : null;
  const id = `ind-${ind.id}`;
  const save = (event: Event): void => {
    event.preventDefault();
    if (value.trim() === '' || invalid) {
      setMsg({ kind: 'error', text: invalid ?? 'Isi nilai indikator untuk periode ini.' });
      return;
    }
    setBusy(true);
    setMsg(null);
    gq(ctx, 'mutation DeskIndicator($input: RecordIndicatorValueInput!) { recordIndicatorValue(input: $input) { id period value } }', {
      input: { indicatorId: ind.id, period, value: n, note: note.trim() || null },
    })
      .then(() => {
        setMsg({ kind: 'ok', text: `Nilai ${periodLabel(period)} tersimpan.` });
        setValue('');
        setNote('');
        onSaved();
      })
      .catch((e: unknown) => setMsg({ kind: 'error', text: explain(e) }))
      .finally(() => setBusy(false));
  };
  const years = [today.getFullYear() - 3, today.getFullYear() - 2, today.getFullYear() - 1, today.getFullYear()];
  return (
    <form class="dk-indicator" onSubmit={save} data-indicator={ind.id} noValidate>
      <h3>{ind.name}</h3>
      <p class="dk-muted">
        Satuan: {ind.unit} · awal {ctx.f.int(ind.baseline)} · target {ctx.f.int(ind.target)}
        {latest ? ` · terakhir ${periodLabel(latest.period)}: ${latest.value.toLocaleString('id-ID')}` : ' · belum ada nilai'}
      </p>
      <div class="dk-grid">
        <div class="dk-field">
          <label for={`${id}-kind`}>Jenis periode</label>
          <select id={`${id}-kind`} value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value as typeof kind)}>
            <option value="month">Bulanan</option>
            <option value="quarter">Triwulanan</option>
            <option value="year">Tahunan</option>
          </select>
        </div>
        <div class="dk-field">
          <label for={`${id}-year`}>Tahun</label>
          <select id={`${id}-year`} value={year} onChange={(e) => setYear(Number((e.target as HTMLSelectElement).value))}>
            {years.map((y) => (
              <option value={y}>{y}</option>
            ))}
          </select>
        </div>
        {kind === 'month' ? (
          <div class="dk-field">
            <label for={`${id}-month`}>Bulan</label>
            <select id={`${id}-month`} value={month} onChange={(e) => setMonth(Number((e.target as HTMLSelectElement).value))}>
              {MONTHS.map((m, i) => (
                <option value={i + 1}>{m}</option>
              ))}
            </select>
          </div>
        ) : kind === 'quarter' ? (
          <div class="dk-field">
            <label for={`${id}-quarter`}>Triwulan</label>
            <select id={`${id}-quarter`} value={quarter} onChange={(e) => setQuarter(Number((e.target as HTMLSelectElement).value))}>
              {QUARTERS.map((q, i) => (
                <option value={i + 1}>{q}</option>
              ))}
            </select>
          </div>
        ) : null}
        <div class="dk-field">
          <label for={`${id}-value`}>Nilai ({ind.unit})</label>
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
        <label for={`${id}-note`}>Catatan (bila ada)</label>
        <input id={`${id}-note`} type="text" value={note} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
      </div>
      <p class="dk-hint">
        Periode: <strong>{periodLabel(period)}</strong>
        {existing ? ` — sudah ada nilai ${existing.value.toLocaleString('id-ID')}; menyimpan akan menggantinya.` : ''}
      </p>
      {msg ? <Notice kind={msg.kind}>{msg.text}</Notice> : null}
      <button type="submit" class="dk-btn" disabled={busy}>
        {busy ? 'Menyimpan…' : 'Simpan nilai'}
      </button>
    </form>
  );
}
