// "Penilaian mandiri": the city's self-assessment of a year against the ministry's rubric — the
// index as it stands, the items by evaluation dimension with their score, narrative, responsible
// OPD and evidence (data dukung: uploaded files and links), the gaps as readiness counts them, and
// the submission. City admins edit a draft; an OPD reporter adds evidence to the items its OPD
// answers for; everybody else (and everyone once it is submitted) reads.
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { RequestError } from '../api/http';
import { downloadEvidence, UploadError, uploadEvidence } from './evidence';
import { explain, fieldOf, gq, ROLE_LABELS, when, ymdIn, type DeskCtx } from './lib';
import { ConfirmButton, Notice } from './ui';

type Dimension = 'BASELINE' | 'OUTPUT' | 'OUTCOME' | 'IMPACT' | 'QUICK_WIN';

interface Attachment {
  id: string;
  version: number;
  attachedAt: string;
  evidence: {
    id: string;
    kind: 'FILE' | 'LINK';
    title: string;
    url: string | null;
    size: number | null;
    supplierName: string;
    suppliedAt: string;
    supplierOpd: { abbreviation: string } | null;
  };
}

interface Item {
  id: string;
  version: number;
  score: number | null;
  narrative: string | null;
  scoredAt: string | null;
  assessorScore: number | null;
  assessorNotes: string | null;
  responsibleOpd: { id: string; name: string } | null;
  actionPlans: { id: string; title: string }[];
  quickWins: { id: string; name: string }[];
  rubricItem: { code: string; question: string; expectedEvidence: string; dimension: Dimension; supplierHint: string | null };
  evidence: Attachment[];
}

interface Assessment {
  id: string;
  version: number;
  year: number;
  status: 'DRAFT' | 'SUBMITTED';
  submittedAt: string | null;
  index: number;
  scoredItemCount: number;
  assessorScoresVisible: boolean;
  assessorIndex: number | null;
  framework: {
    id: string;
    name: string;
    scaleMin: number;
    scaleMax: number;
    dimensions: { dimension: Dimension; label: string; weight: number }[];
  };
  dimensions: { dimension: Dimension; score: number }[];
  assessorDimensions: { dimension: Dimension; score: number }[] | null;
  items: Item[];
}

interface Counts {
  unscored: number;
  missingEvidence: number;
}

interface Readiness {
  index: number;
  scaleMax: number;
  scoredCount: number;
  itemCount: number;
  daysToVisit: number | null;
  visitStartDate: string | null;
  gaps: Counts;
  dimensions: { dimension: Dimension; gaps: Counts }[];
  gapList: { kind: string; assessmentItemId: string | null }[];
}

interface Other {
  id: string;
  year: number;
  status: 'DRAFT' | 'SUBMITTED';
}

const ATTACHMENT_FIELDS = 'id version attachedAt evidence { id kind title url size supplierName suppliedAt supplierOpd { abbreviation } }';
const ASSESSMENT_QUERY = `query DeskAssessment($city: ID!, $year: Int!) { city(id: $city) {
  selfAssessments { id year status }
  selfAssessment(year: $year) {
    id version year status submittedAt index scoredItemCount assessorScoresVisible assessorIndex
    framework { id name scaleMin scaleMax dimensions { dimension label weight } }
    dimensions { dimension score } assessorDimensions { dimension score }
    items { id version score narrative scoredAt assessorScore assessorNotes responsibleOpd { id name }
      actionPlans { id title } quickWins { id name }
      rubricItem { code question expectedEvidence dimension supplierHint }
      evidence { ${ATTACHMENT_FIELDS} } }
  }
} }`;
// A request of its own: readiness loads attachments partially into the request's identity map, and
// the same request's `AssessmentItem.evidence { version }` would then come back null.
const READINESS_QUERY = `query DeskAssessmentReadiness($city: ID!, $year: Int!) { city(id: $city) { readiness(year: $year) {
  index scaleMax scoredCount itemCount daysToVisit visitStartDate gaps { unscored missingEvidence }
  dimensions { dimension gaps { unscored missingEvidence } } gapList { kind assessmentItemId }
} } }`;
const UPDATE_ITEM = `mutation DeskAssessmentItem($input: UpdateAssessmentItemInput!) { updateAssessmentItem(input: $input) { id version } }`;
const SUBMIT = `mutation DeskSubmitAssessment($input: VersionedInput!) { submitSelfAssessment(input: $input) { id status } }`;
const START = `mutation DeskStartAssessment($input: StartSelfAssessmentInput!) { startSelfAssessment(input: $input) { id } }`;
const FRAMEWORKS = `query DeskFrameworks($year: Int!) { evaluationFrameworks(year: $year) { id name revision scaleMax } }`;
const ADD_LINK = `mutation DeskEvidenceLink($input: AddEvidenceLinkInput!) { addEvidenceLink(input: $input) { id } }`;
const ATTACH = `mutation DeskAttach($input: AttachEvidenceInput!) { attachEvidence(input: $input) { id } }`;
const DETACH = `mutation DeskDetach($input: VersionedInput!) { detachEvidence(input: $input) { id } }`;

const STATUS_WORDS = { DRAFT: 'Draf', SUBMITTED: 'Terkirim' } as const;

/** The page: the year's self-assessment (`&tahun=YYYY`, default the city's current year). */
export function AssessmentPage({ ctx, year: asked }: { ctx: DeskCtx; year: number | null }): JSX.Element {
  const thisYear = Number(ymdIn(new Date().toISOString(), ctx.city.timeZone).slice(0, 4));
  const year = asked ?? thisYear;
  const [data, setData] = useState<{ assessment: Assessment | null; readiness: Readiness; others: Other[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dirty, setDirty] = useState<ReadonlySet<string>>(new Set());
  const [onlyGaps, setOnlyGaps] = useState(false);
  const manage = ctx.me.permissions.includes('city:manage');

  const reload = (): Promise<void> =>
    Promise.all([
      gq<{ city: { selfAssessment: Assessment | null; selfAssessments: Other[] } }>(ctx, ASSESSMENT_QUERY, { city: ctx.cityId, year }),
      gq<{ city: { readiness: Readiness } }>(ctx, READINESS_QUERY, { city: ctx.cityId, year }),
    ])
      .then(([d, r]) => {
        setData({ assessment: d.city.selfAssessment, readiness: r.city.readiness, others: d.city.selfAssessments });
        setError(null);
      })
      .catch((e: unknown) => setError(explain(e)));
  useEffect(() => {
    document.title = `Penilaian mandiri ${year} — Pantau`;
    void reload();
  }, [ctx.cityId, year]);

  const markDirty = (id: string, on: boolean): void =>
    setDirty((set) => {
      if (set.has(id) === on) return set;
      const next = new Set(set);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  if (!data) return error ? <Notice kind="error">{error}</Notice> : <p role="status">Memuat penilaian mandiri…</p>;
  const { assessment: a, readiness: r } = data;
  const others = data.others.filter((o) => o.year !== year);
  const editable = manage && a?.status === 'DRAFT';
  const withGaps = new Set(r.gapList.flatMap((g) => (g.assessmentItemId ? [g.assessmentItemId] : [])));
  return (
    <section aria-labelledby="assessment-title" class="dk-assessment">
      <h1 id="assessment-title">
        Penilaian mandiri {ctx.city.name} {year}
      </h1>
      {a ? <p class="dk-lead">{a.framework.name}</p> : null}
      {error ? <Notice kind="error">{error}</Notice> : null}
      {a ? (
        <Summary ctx={ctx} a={a} r={r} current={year === thisYear} />
      ) : (
        <StartPanel ctx={ctx} year={year} manage={manage} others={others} onStarted={() => void reload()} />
      )}
      {others.length ? (
        <p class="dk-meta" id="other-years">
          Penilaian lain:{' '}
          {others.map((o, i) => (
            <>
              {i ? ' · ' : ''}
              <a href={`#halaman=penilaian&tahun=${o.year}`}>
                {o.year} ({STATUS_WORDS[o.status]})
              </a>
            </>
          ))}
          {year !== thisYear && !others.some((o) => o.year === thisYear) ? (
            <>
              {' · '}
              <a href="#halaman=penilaian">tahun ini</a>
            </>
          ) : null}
        </p>
      ) : null}
      {a && !editable ? (
        <Notice kind="info" id="read-only">
          {a.status === 'SUBMITTED'
            ? `Penilaian ini sudah dikirim${a.submittedAt ? ` pada ${when(ctx, a.submittedAt)}` : ''} dan tidak dapat diubah lagi.`
            : `Anda melihat penilaian ini tanpa mengubahnya (${ROLE_LABELS[ctx.me.role]}). Skor dan narasi diisi admin kota.`}
        </Notice>
      ) : null}
      {a && withGaps.size ? (
        <label class="dk-check" id="only-gaps">
          <input type="checkbox" checked={onlyGaps} onChange={(e) => setOnlyGaps((e.target as HTMLInputElement).checked)} />
          Tampilkan hanya butir yang belum lengkap ({ctx.f.int(withGaps.size)} dari {ctx.f.int(a.items.length)})
        </label>
      ) : null}
      {a
        ? a.framework.dimensions.map((d) => {
            const items = a.items.filter((i) => i.rubricItem.dimension === d.dimension);
            // Hidden, not unmounted: what was typed in a filtered-out item stays.
            const shown = items.filter((i) => !onlyGaps || withGaps.has(i.id));
            const gaps = r.dimensions.find((x) => x.dimension === d.dimension)?.gaps;
            const score = a.dimensions.find((x) => x.dimension === d.dimension)?.score ?? 0;
            const assessor = a.assessorDimensions?.find((x) => x.dimension === d.dimension)?.score;
            return (
              <section class="dk-dimension" aria-labelledby={`dim-${d.dimension}`} data-dimension={d.dimension}>
                <h2 id={`dim-${d.dimension}`}>
                  {d.label} <span class="dk-muted">· bobot {ctx.f.percent(d.weight)}</span>
                </h2>
                <p class="dk-meta">
                  Skor {ctx.f.index(score)} dari {ctx.f.int(a.framework.scaleMax)}
                  {a.assessorScoresVisible && assessor !== undefined ? ` · skor penilai ${ctx.f.index(assessor)}` : ''}
                  {gaps ? ` · ${ctx.f.int(gaps.unscored)} belum dinilai · ${ctx.f.int(gaps.missingEvidence)} tanpa data dukung` : ''}
                </p>
                {shown.length === 0 ? <p class="dk-empty">Semua butir dimensi ini sudah lengkap.</p> : null}
                <ul class="dk-cards">
                  {items.map((item) => (
                    <ItemCard
                      key={item.id}
                      hidden={!shown.includes(item)}
                      ctx={ctx}
                      a={a}
                      item={item}
                      gaps={r.gapList.filter((g) => g.assessmentItemId === item.id).map((g) => g.kind)}
                      editable={editable}
                      supply={
                        a.status === 'DRAFT' &&
                        (manage || (ctx.me.permissions.includes('progress:report:own-opd') && item.responsibleOpd?.id === ctx.me.opdId))
                      }
                      onChanged={reload}
                      onDirty={(on) => markDirty(item.id, on)}
                    />
                  ))}
                </ul>
              </section>
            );
          })
        : null}
      {a && editable ? <SubmitPanel ctx={ctx} a={a} r={r} unsaved={dirty.size} onSubmitted={() => void reload()} /> : null}
    </section>
  );
}

/** The header figures: the index as it stands, scored items, gaps, the visit, the status. */
function Summary({ ctx, a, r, current }: { ctx: DeskCtx; a: Assessment; r: Readiness; current: boolean }): JSX.Element {
  const f = ctx.f;
  const visit = r.daysToVisit === null ? 'belum dijadwalkan' : r.daysToVisit === 0 ? 'sedang berlangsung' : `${f.days(r.daysToVisit)} lagi`;
  return (
    <dl class="dk-stats" id="assessment-summary">
      <div>
        <dt>{a.status === 'DRAFT' ? 'Indeks saat ini' : 'Indeks mandiri'}</dt>
        <dd id="assessment-index">
          {f.index(a.index)} dari {f.int(a.framework.scaleMax)}
        </dd>
      </div>
      {a.assessorScoresVisible && a.assessorIndex !== null ? (
        <div>
          <dt>Indeks penilai</dt>
          <dd id="assessor-index">
            {f.index(a.assessorIndex)} dari {f.int(a.framework.scaleMax)}
          </dd>
        </div>
      ) : null}
      <div>
        <dt>Butir dinilai</dt>
        <dd id="assessment-scored">
          {f.int(a.scoredItemCount)} dari {f.int(a.items.length)}
        </dd>
      </div>
      <div>
        <dt>Belum dinilai</dt>
        <dd id="gap-unscored">{f.int(r.gaps.unscored)}</dd>
      </div>
      <div>
        <dt>Tanpa data dukung</dt>
        <dd id="gap-evidence">{f.int(r.gaps.missingEvidence)}</dd>
      </div>
      {/* The countdown is to the next visit: worth showing only for this year's assessment. */}
      <div hidden={!current}>
        <dt>Kunjungan monev</dt>
        <dd id="assessment-visit">
          {visit}
          {r.visitStartDate && r.daysToVisit ? <span class="dk-stat-note">{f.date(r.visitStartDate, 'long')}</span> : null}
        </dd>
      </div>
      <div>
        <dt>Status</dt>
        <dd id="assessment-status" data-status={a.status}>
          {STATUS_WORDS[a.status]}
        </dd>
      </div>
    </dl>
  );
}

interface Form {
  score: string;
  narrative: string;
  opd: string;
}

function formOf(item: Item): Form {
  return { score: item.score === null ? '' : String(item.score), narrative: item.narrative ?? '', opd: item.responsibleOpd?.id ?? '' };
}

const sameForm = (x: Form, y: Form): boolean => x.score === y.score && x.narrative.trim() === y.narrative.trim() && x.opd === y.opd;

/** The scores offered: the scale in half steps (and the current score, if it falls between). */
function scoreOptions(min: number, max: number, current: number | null): number[] {
  const out: number[] = [];
  for (let s = min; s <= max + 1e-9; s += 0.5) out.push(Math.round(s * 2) / 2);
  if (current !== null && !out.includes(current)) out.push(current);
  return out.sort((p, q) => p - q);
}

function ItemCard({
  ctx,
  a,
  item,
  hidden,
  gaps,
  editable,
  supply,
  onChanged,
  onDirty,
}: {
  ctx: DeskCtx;
  a: Assessment;
  item: Item;
  hidden: boolean;
  gaps: string[];
  editable: boolean;
  supply: boolean;
  onChanged: () => Promise<void>;
  onDirty: (on: boolean) => void;
}): JSX.Element {
  const [base, setBase] = useState<Form & { version: number }>(() => ({ ...formOf(item), version: item.version }));
  const [form, setForm] = useState<Form>(() => formOf(item));
  const [mine, setMine] = useState<Form | null>(null);
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error' | 'warn'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const reset = useRef(false);
  const changed = !sameForm(form, base);
  useEffect(() => onDirty(changed), [changed]);
  // A newer version from the server: take it, unless the person is typing (then saving answers CONFLICT).
  useEffect(() => {
    if (item.version === base.version) return;
    if (!changed || reset.current) {
      reset.current = false;
      setBase({ ...formOf(item), version: item.version });
      setForm(formOf(item));
    }
  }, [item.version]);

  const code = item.rubricItem.code;
  const id = `item-${code}`;
  const f = ctx.f;
  const scale = a.framework;
  const save = (event: Event): void => {
    event.preventDefault();
    const input: Record<string, unknown> = { id: item.id, expectedVersion: base.version };
    if (form.score !== base.score) input['score'] = form.score === '' ? null : Number(form.score);
    if (form.narrative.trim() !== base.narrative.trim()) input['narrative'] = form.narrative.trim() || null;
    if (form.opd !== base.opd) input['responsibleOpdId'] = form.opd || null;
    setBusy(true);
    setMsg(null);
    gq<{ updateAssessmentItem: { version: number } }>(ctx, UPDATE_ITEM, { input })
      .then(async (d) => {
        setBase({ ...form, version: d.updateAssessmentItem.version });
        setMine(null);
        setMsg({ kind: 'ok', text: `Butir ${code} tersimpan.` });
        await onChanged();
      })
      .catch(async (e: unknown) => {
        if (e instanceof RequestError && e.code === 'CONFLICT') {
          // Show what the other person saved; keep what was typed one click away.
          setMine(form);
          reset.current = true;
          setMsg({ kind: 'warn', text: 'Data ini sudah diubah orang lain. Lihat perubahannya di bawah, lalu simpan lagi.' });
          await onChanged();
        } else
          setMsg({
            kind: 'error',
            text: fieldOf(e) === 'score' ? `Skor harus antara ${scale.scaleMin} dan ${scale.scaleMax}.` : explain(e),
          });
      })
      .finally(() => setBusy(false));
  };

  return (
    <li class="dk-card dk-item-card" id={id} data-item={item.id} data-code={code} hidden={hidden}>
      <div class="dk-card-head">
        <h3 class="dk-card-title">
          <span class="dk-code">{code}</span> {item.rubricItem.question}
        </h3>
        <span class="dk-gaps" data-gaps={gaps.join(' ')}>
          {gaps.includes('UNSCORED') ? (
            <span class="dk-gap">
              <span aria-hidden="true">!</span> Belum dinilai
            </span>
          ) : null}
          {gaps.includes('MISSING_EVIDENCE') ? (
            <span class="dk-gap">
              <span aria-hidden="true">!</span> Data dukung belum ada
            </span>
          ) : null}
          {gaps.length === 0 ? (
            <span class="dk-gap dk-gap-ok">
              <span aria-hidden="true">✓</span> Lengkap
            </span>
          ) : null}
        </span>
      </div>
      <p class="dk-meta">
        <strong>Data dukung yang diharapkan:</strong> {item.rubricItem.expectedEvidence}
        {item.rubricItem.supplierHint ? ` (biasanya dari ${item.rubricItem.supplierHint})` : ''}
      </p>
      {item.actionPlans.length || item.quickWins.length ? (
        <p class="dk-meta">
          Didukung oleh:{' '}
          {[...item.actionPlans.map((p) => `rencana aksi “${p.title}”`), ...item.quickWins.map((q) => `quick win “${q.name}”`)].join('; ')}
        </p>
      ) : null}
      {a.assessorScoresVisible && (item.assessorScore !== null || item.assessorNotes) ? (
        <p class="dk-review" data-assessor>
          Skor penilai: <strong>{item.assessorScore === null ? '—' : f.index(item.assessorScore)}</strong>
          {item.assessorNotes ? ` · “${item.assessorNotes}”` : ''}
        </p>
      ) : null}
      {editable ? (
        <form class="dk-item-form" onSubmit={save} noValidate>
          {msg?.kind === 'warn' ? (
            <div class="dk-notice dk-warn" role="alert" data-conflict>
              <p>
                <strong>{msg.text}</strong>
              </p>
              {mine ? (
                <p>
                  Isian Anda: skor {mine.score === '' ? 'kosong' : f.index(Number(mine.score))}
                  {mine.narrative.trim() ? `, narasi “${mine.narrative.trim().slice(0, 120)}”` : ''}.{' '}
                  <button
                    type="button"
                    class="dk-btn"
                    onClick={() => {
                      setForm(mine);
                      setMine(null);
                      setMsg(null);
                    }}
                  >
                    Pakai isian saya lagi
                  </button>
                </p>
              ) : null}
            </div>
          ) : null}
          <div class="dk-grid">
            <div class="dk-field">
              <label for={`${id}-score`}>
                Skor ({scale.scaleMin}–{scale.scaleMax})
              </label>
              <select
                id={`${id}-score`}
                value={form.score}
                onChange={(e) => setForm({ ...form, score: (e.target as HTMLSelectElement).value })}
              >
                <option value="">Belum dinilai</option>
                {scoreOptions(scale.scaleMin, scale.scaleMax, item.score).map((s) => (
                  <option value={String(s)}>{f.index(s)}</option>
                ))}
              </select>
            </div>
            <div class="dk-field">
              <label for={`${id}-opd`}>OPD penanggung jawab data dukung</label>
              <select id={`${id}-opd`} value={form.opd} onChange={(e) => setForm({ ...form, opd: (e.target as HTMLSelectElement).value })}>
                <option value="">Belum ditentukan</option>
                {ctx.city.opds.map((o) => (
                  <option value={o.id}>{o.name}</option>
                ))}
              </select>
            </div>
          </div>
          <div class="dk-field">
            <label for={`${id}-narrative`}>Narasi: bagaimana kota memenuhi butir ini</label>
            <textarea
              id={`${id}-narrative`}
              rows={3}
              maxLength={10_000}
              value={form.narrative}
              onInput={(e) => setForm({ ...form, narrative: (e.target as HTMLTextAreaElement).value })}
            />
          </div>
          {msg && msg.kind !== 'warn' ? <Notice kind={msg.kind}>{msg.text}</Notice> : null}
          <div class="dk-actions">
            {changed || busy ? (
              <>
                <button type="submit" class="dk-btn dk-primary" disabled={busy} data-action="save-item">
                  {busy ? 'Menyimpan…' : `Simpan ${code}`}
                </button>
                <span class="dk-warn-text">Ada perubahan yang belum disimpan.</span>
              </>
            ) : (
              <span class="dk-muted dk-saved">✓ Semua isian butir ini sudah tersimpan.</span>
            )}
          </div>
        </form>
      ) : (
        <dl class="dk-answer">
          <div>
            <dt>Skor</dt>
            <dd data-score>{item.score === null ? 'Belum dinilai' : `${f.index(item.score)} dari ${f.int(scale.scaleMax)}`}</dd>
          </div>
          <div>
            <dt>OPD penanggung jawab</dt>
            <dd>{item.responsibleOpd?.name ?? 'Belum ditentukan'}</dd>
          </div>
          <div class="dk-answer-wide">
            <dt>Narasi</dt>
            <dd>{item.narrative ?? 'Belum ada narasi.'}</dd>
          </div>
        </dl>
      )}
      <EvidenceSection ctx={ctx} item={item} supply={supply} onChanged={onChanged} />
    </li>
  );
}

/** The item's evidence: who supplied it and when, download or open, detach; and adding more. */
function EvidenceSection({
  ctx,
  item,
  supply,
  onChanged,
}: {
  ctx: DeskCtx;
  item: Item;
  supply: boolean;
  onChanged: () => Promise<void>;
}): JSX.Element {
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const code = item.rubricItem.code;
  const run = (key: string, work: () => Promise<string>): void => {
    setBusy(key);
    setMsg(null);
    work()
      .then(async (text) => {
        setMsg({ kind: 'ok', text });
        await onChanged();
      })
      .catch((e: unknown) => setMsg({ kind: 'error', text: e instanceof UploadError ? e.message : explain(e) }))
      .finally(() => setBusy(null));
  };
  const attach = (evidenceId: string): Promise<unknown> => gq(ctx, ATTACH, { input: { evidenceId, assessmentItemId: item.id } });
  return (
    <div class="dk-evidence" aria-label={`Data dukung ${code}`} role="group">
      <h4>Data dukung ({ctx.f.int(item.evidence.length)})</h4>
      {item.evidence.length === 0 ? <p class="dk-muted">Belum ada data dukung untuk butir ini.</p> : null}
      <ul class="dk-evidence-list">
        {item.evidence.map((at) => {
          const e = at.evidence;
          return (
            <li data-evidence={e.id} data-kind={e.kind}>
              <div class="dk-evidence-main">
                {e.kind === 'LINK' && e.url ? (
                  <a href={e.url} target="_blank" rel="noopener noreferrer">
                    <span class="dk-kind">Tautan</span> {e.title}
                  </a>
                ) : (
                  <button
                    type="button"
                    class="dk-link"
                    onClick={() =>
                      void downloadEvidence(ctx, e.id, e.title).catch((err: unknown) =>
                        setMsg({ kind: 'error', text: err instanceof UploadError ? err.message : explain(err) }),
                      )
                    }
                  >
                    <span class="dk-kind">Berkas</span> {e.title}
                    {e.size !== null ? <span class="dk-muted">&nbsp;({sizeText(e.size)}) · unduh</span> : null}
                  </button>
                )}
                <span class="dk-meta">
                  Dari {e.supplierName}
                  {e.supplierOpd ? ` (${e.supplierOpd.abbreviation})` : ''} · {when(ctx, e.suppliedAt)}
                </span>
              </div>
              {supply ? (
                <ConfirmButton
                  label="Lepas"
                  question={`Lepas dari ${code}? Berkas atau tautannya tetap tersimpan.`}
                  confirmLabel="Ya, lepas"
                  name="detach"
                  busy={busy === at.id}
                  onConfirm={() =>
                    run(at.id, () =>
                      gq(ctx, DETACH, { input: { id: at.id, expectedVersion: at.version } }).then(
                        () => `“${e.title}” dilepas dari ${code}.`,
                      ),
                    )
                  }
                />
              ) : null}
            </li>
          );
        })}
      </ul>
      {msg ? <Notice kind={msg.kind}>{msg.text}</Notice> : null}
      {supply ? (
        <details class="dk-add-evidence">
          <summary>Tambah data dukung</summary>
          <div class="dk-grid">
            <UploadForm
              code={code}
              busy={busy === 'upload'}
              onFile={(file) =>
                run('upload', async () => {
                  await attach(await uploadEvidence(ctx, file));
                  return `Berkas “${file.name}” dilampirkan ke ${code}.`;
                })
              }
            />
            <LinkForm
              code={code}
              busy={busy === 'link'}
              onLink={(title, url) =>
                run('link', async () => {
                  const d = await gq<{ addEvidenceLink: { id: string } }>(ctx, ADD_LINK, { input: { cityId: ctx.cityId, title, url } });
                  await attach(d.addEvidenceLink.id);
                  return `Tautan “${title}” dilampirkan ke ${code}.`;
                })
              }
            />
          </div>
        </details>
      ) : null}
    </div>
  );
}

function sizeText(bytes: number): string {
  const n = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 1 });
  return bytes < 1024 ? `${n.format(bytes)} B` : bytes < 1_048_576 ? `${n.format(bytes / 1024)} KB` : `${n.format(bytes / 1_048_576)} MB`;
}

function UploadForm({ code, busy, onFile }: { code: string; busy: boolean; onFile: (file: File) => void }): JSX.Element {
  const input = useRef<HTMLInputElement>(null);
  const [missing, setMissing] = useState(false);
  const [chosen, setChosen] = useState<string | null>(null);
  const id = `upload-${code}`;
  return (
    <form
      class="dk-upload"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const file = input.current?.files?.[0];
        setMissing(!file);
        if (!file) return;
        onFile(file);
        if (input.current) input.current.value = '';
        setChosen(null);
      }}
    >
      <div class="dk-field">
        <span class="dk-label">Unggah berkas</span>
        <input
          id={id}
          class="dk-file"
          type="file"
          ref={input}
          aria-describedby={`${id}-hint`}
          onChange={() => {
            setChosen(input.current?.files?.[0]?.name ?? null);
            setMissing(false);
          }}
        />
        <label for={id} class="dk-btn dk-file-button">
          Pilih berkas…
        </label>{' '}
        <span class="dk-file-name">{chosen ?? 'Belum ada berkas dipilih'}</span>
        <p id={`${id}-hint`} class={missing ? 'dk-error' : 'dk-hint'}>
          {missing ? 'Pilih berkasnya dulu.' : 'PDF, foto (PNG, JPEG, WebP), Word/Excel/PowerPoint, ODF, CSV atau teks.'}
        </p>
      </div>
      <button type="submit" class="dk-btn" disabled={busy} data-action="upload">
        {busy ? 'Mengunggah…' : 'Unggah dan lampirkan'}
      </button>
    </form>
  );
}

function LinkForm({ code, busy, onLink }: { code: string; busy: boolean; onLink: (title: string, url: string) => void }): JSX.Element {
  const [title, setTitle] = useState('');
  const [url, setUrl] = useState('');
  const [tried, setTried] = useState(false);
  const problem = !title.trim()
    ? 'Tulis judul tautannya, mis. “SK Tim Pelaksana 2026”.'
    : !/^https?:\/\/\S+\.\S+/.test(url.trim())
      ? 'Alamat harus diawali http:// atau https://.'
      : null;
  const id = `link-${code}`;
  return (
    <form
      class="dk-link-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (problem) return;
        onLink(title.trim(), url.trim());
        setTitle('');
        setUrl('');
        setTried(false);
      }}
    >
      <div class="dk-field">
        <label for={`${id}-title`}>Judul tautan</label>
        <input
          id={`${id}-title`}
          type="text"
          maxLength={255}
          value={title}
          onInput={(e) => setTitle((e.target as HTMLInputElement).value)}
        />
      </div>
      <div class="dk-field">
        <label for={`${id}-url`}>Alamat (https://…)</label>
        <input
          id={`${id}-url`}
          type="url"
          inputMode="url"
          value={url}
          aria-describedby={`${id}-hint`}
          aria-invalid={tried && problem ? 'true' : undefined}
          onInput={(e) => setUrl((e.target as HTMLInputElement).value)}
        />
        <p id={`${id}-hint`} class={tried && problem ? 'dk-error' : 'dk-hint'}>
          {tried && problem ? problem : 'Mis. dokumen di Google Drive atau situs dinas.'}
        </p>
      </div>
      <button type="submit" class="dk-btn" disabled={busy} data-action="add-link">
        {busy ? 'Menambahkan…' : 'Tambah tautan'}
      </button>
    </form>
  );
}

/** Submitting (city admins): says what is still missing first; afterwards the page is read-only. */
function SubmitPanel({
  ctx,
  a,
  r,
  unsaved,
  onSubmitted,
}: {
  ctx: DeskCtx;
  a: Assessment;
  r: Readiness;
  unsaved: number;
  onSubmitted: () => void;
}): JSX.Element {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const f = ctx.f;
  return (
    <section class="dk-panel" id="submit-panel" aria-labelledby="submit-title">
      <h2 id="submit-title">Kirim penilaian mandiri {a.year}</h2>
      <p>
        Setelah dikirim, skor, narasi dan data dukung tidak dapat diubah lagi. Indeks saat ini {f.index(a.index)} dari{' '}
        {f.int(a.framework.scaleMax)}
        {r.gaps.unscored || r.gaps.missingEvidence
          ? `; masih ada ${f.int(r.gaps.unscored)} butir belum dinilai dan ${f.int(r.gaps.missingEvidence)} butir tanpa data dukung.`
          : '; semua butir sudah dinilai dan berdata dukung.'}
      </p>
      {unsaved ? (
        <Notice kind="error">{`${f.int(unsaved)} butir punya perubahan yang belum disimpan. Simpan dulu, lalu kirim.`}</Notice>
      ) : null}
      {error ? <Notice kind="error">{error}</Notice> : null}
      <ConfirmButton
        label="Kirim penilaian"
        question="Kirim sekarang? Penilaian tidak dapat diubah lagi."
        confirmLabel="Ya, kirim"
        name="submit"
        busy={busy || unsaved > 0}
        onConfirm={() => {
          setBusy(true);
          gq(ctx, SUBMIT, { input: { id: a.id, expectedVersion: a.version } })
            .then(onSubmitted)
            .catch((e: unknown) => setError(explain(e)))
            .finally(() => setBusy(false));
        }}
      />
    </section>
  );
}

/** No self-assessment for the year: a city admin starts one (copying another year's if wanted). */
function StartPanel({
  ctx,
  year,
  manage,
  others,
  onStarted,
}: {
  ctx: DeskCtx;
  year: number;
  manage: boolean;
  others: Other[];
  onStarted: () => void;
}): JSX.Element {
  const [frameworks, setFrameworks] = useState<{ id: string; name: string }[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const source = others.filter((o) => o.year < year).sort((p, q) => q.year - p.year)[0] ?? null;
  const [copy, setCopy] = useState(true);
  useEffect(() => {
    if (!manage) return;
    gq<{ evaluationFrameworks: { id: string; name: string }[] }>(ctx, FRAMEWORKS, { year })
      .then((d) => setFrameworks(d.evaluationFrameworks))
      .catch((e: unknown) => setError(explain(e)));
  }, [year, manage]);
  if (!manage) return <Notice kind="info">Belum ada penilaian mandiri untuk {year}. Admin kota yang memulainya.</Notice>;
  const framework = frameworks?.[0];
  return (
    <div class="dk-panel" id="start-panel">
      <h2>Belum ada penilaian mandiri untuk {year}</h2>
      {error ? <Notice kind="error">{error}</Notice> : null}
      {!frameworks ? (
        <p role="status">Memuat instrumen evaluasi…</p>
      ) : !framework ? (
        <p>Instrumen evaluasi {year} belum tersedia. Hubungi admin platform.</p>
      ) : (
        <>
          <p>Penilaian memakai {framework.name}. Setiap butir dapat diisi skor, narasi dan data dukungnya.</p>
          {source ? (
            <label class="dk-check">
              <input type="checkbox" checked={copy} onChange={(e) => setCopy((e.target as HTMLInputElement).checked)} />
              Salin skor, narasi, OPD dan data dukung dari penilaian {source.year} (bisa diubah sesudahnya)
            </label>
          ) : null}
          <button
            type="button"
            class="dk-btn dk-primary"
            id="start-assessment"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              gq(ctx, START, { input: { cityId: ctx.cityId, frameworkId: framework.id, copyFromId: copy && source ? source.id : null } })
                .then(onStarted)
                .catch((e: unknown) => setError(explain(e)))
                .finally(() => setBusy(false));
            }}
          >
            {busy ? 'Memulai…' : 'Mulai penilaian mandiri'}
          </button>
        </>
      )}
    </div>
  );
}
