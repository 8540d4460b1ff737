// "Risiko": the risk register of the city's quick wins — a 5×5 matrix (likelihood × impact, a
// count and a word in every cell, never colour alone) and the list, filterable by quick win.
// City admins add risks and change their status here; everybody else reads.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { explain, fieldOf, gq, type DeskCtx } from './lib';
import { Notice } from './ui';

type Level = 'LOW' | 'MEDIUM' | 'HIGH' | 'VERY_HIGH';
type Status = 'OPEN' | 'MITIGATED' | 'ACCEPTED' | 'CLOSED';

interface Risk {
  id: string;
  version: number;
  description: string;
  likelihood: number;
  impact: number;
  score: number;
  level: Level;
  status: Status;
  mitigation: string | null;
  program: { id: string; name: string };
  ownerOpd: { id: string; abbreviation: string } | null;
}
interface Cell {
  likelihood: number;
  impact: number;
  score: number;
  level: Level;
  count: number;
}

const RISKS_QUERY = `query DeskRisks($city: ID!, $program: ID) { city(id: $city) {
  quickWins: masterplans { programs { id name quickWin archivedAt } }
  risks(programId: $program) { id version description likelihood impact score level status mitigation program { id name } ownerOpd { id abbreviation } }
  riskMatrix(programId: $program) { total cells { likelihood impact score level count } }
} }`;
const CREATE_RISK = `mutation DeskCreateRisk($input: CreateRiskInput!) { createRisk(input: $input) { id } }`;
const UPDATE_RISK = `mutation DeskUpdateRisk($input: UpdateRiskInput!) { updateRisk(input: $input) { id } }`;

/** The severity bands, in words. */
export const LEVEL_WORDS: Record<Level, string> = { LOW: 'Rendah', MEDIUM: 'Sedang', HIGH: 'Tinggi', VERY_HIGH: 'Sangat tinggi' };
const STATUS_WORDS: Record<Status, string> = { OPEN: 'Terbuka', MITIGATED: 'Dimitigasi', ACCEPTED: 'Diterima', CLOSED: 'Ditutup' };
const LIKELIHOOD_WORDS = ['', 'Jarang', 'Kecil', 'Mungkin', 'Besar', 'Hampir pasti'];
const IMPACT_WORDS = ['', 'Sangat kecil', 'Kecil', 'Sedang', 'Besar', 'Sangat besar'];

export function RisksPage({ ctx }: { ctx: DeskCtx }): JSX.Element {
  const [program, setProgram] = useState('');
  const [data, setData] = useState<{ quickWins: { id: string; name: string }[]; risks: Risk[]; cells: Cell[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const manage = ctx.me.permissions.includes('city:manage');

  useEffect(() => {
    type Answer = {
      city: {
        quickWins: { programs: { id: string; name: string; quickWin: boolean; archivedAt: string | null }[] }[];
        risks: Risk[];
        riskMatrix: { total: number; cells: Cell[] };
      };
    };
    gq<Answer>(ctx, RISKS_QUERY, { city: ctx.cityId, program: program || null })
      .then((d) => {
        const quickWins = d.city.quickWins.flatMap((m) => m.programs).filter((p) => p.quickWin && !p.archivedAt);
        setData({ quickWins, risks: d.city.risks, cells: d.city.riskMatrix.cells, total: d.city.riskMatrix.total });
        setError(null);
      })
      .catch((e: unknown) => setError(explain(e)));
  }, [ctx.cityId, program, reload]);

  const chosen = data?.quickWins.find((q) => q.id === program);
  return (
    <section aria-labelledby="risk-title">
      <h1 id="risk-title">
        Risiko quick win {chosen ? `“${chosen.name}”` : ctx.city.name} ({data ? ctx.f.int(data.total) : '…'} belum ditutup)
      </h1>
      <p class="dk-lead">
        Setiap risiko dinilai kemungkinan dan dampaknya (1–5). Angka di matriks adalah jumlah risiko yang belum ditutup.
      </p>
      {error ? <Notice kind="error">{error}</Notice> : null}
      <div class="dk-field dk-risk-filter">
        <label for="risk-program">Quick win</label>
        <select id="risk-program" value={program} onChange={(e) => setProgram((e.target as HTMLSelectElement).value)}>
          <option value="">Semua quick win</option>
          {(data?.quickWins ?? []).map((q) => (
            <option value={q.id}>{q.name}</option>
          ))}
        </select>
      </div>
      {data ? (
        <>
          <Matrix cells={data.cells} f={ctx.f} />
          {manage ? <NewRisk ctx={ctx} quickWins={data.quickWins} preset={program} onSaved={() => setReload((n) => n + 1)} /> : null}
          <h2 id="risk-list">Daftar risiko ({ctx.f.int(data.risks.length)})</h2>
          {data.risks.length === 0 ? <p class="dk-empty">Belum ada risiko yang dicatat.</p> : null}
          <ul class="dk-cards" aria-labelledby="risk-list">
            {data.risks.map((r) => (
              <RiskCard key={r.id} ctx={ctx} risk={r} manage={manage} onSaved={() => setReload((n) => n + 1)} />
            ))}
          </ul>
        </>
      ) : error ? null : (
        <p role="status">Memuat…</p>
      )}
    </section>
  );
}

/** The 5×5 matrix as a table: rows are likelihood 5→1, columns impact 1→5. */
function Matrix({ cells, f }: { cells: Cell[]; f: DeskCtx['f'] }): JSX.Element {
  const rows = [5, 4, 3, 2, 1];
  return (
    <div class="dk-panel dk-matrix-wrap">
      <table class="dk-matrix" id="risk-matrix">
        <caption>Matriks risiko: kemungkinan (baris) × dampak (kolom)</caption>
        <thead>
          <tr>
            <th scope="col">
              <span class="dk-visually-hidden">Kemungkinan menurut dampak</span>
            </th>
            {[1, 2, 3, 4, 5].map((i) => (
              <th scope="col">
                {i}
                <span class="dk-axis">{IMPACT_WORDS[i]}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((l) => (
            <tr>
              <th scope="row">
                {l}
                <span class="dk-axis">{LIKELIHOOD_WORDS[l]}</span>
              </th>
              {[1, 2, 3, 4, 5].map((i) => {
                const c = cells.find((x) => x.likelihood === l && x.impact === i);
                if (!c) return <td />;
                return (
                  <td class={`dk-cell lv-${c.level}${c.count === 0 ? ' dk-cell-empty' : ''}`} data-count={c.count}>
                    <span class="dk-cell-count">{f.int(c.count)}</span>
                    <span class="dk-cell-level">{LEVEL_WORDS[c.level]}</span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p class="dk-meta">Rendah 1–4 · Sedang 5–9 · Tinggi 10–14 · Sangat tinggi 15–25 (kemungkinan × dampak)</p>
    </div>
  );
}

function RiskCard({ ctx, risk, manage, onSaved }: { ctx: DeskCtx; risk: Risk; manage: boolean; onSaved: () => void }): JSX.Element {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const setStatus = (status: Status): void => {
    setBusy(true);
    gq(ctx, UPDATE_RISK, { input: { id: risk.id, expectedVersion: risk.version, status } })
      .then(onSaved)
      .catch((e: unknown) => setError(explain(e)))
      .finally(() => setBusy(false));
  };
  return (
    <li class={`dk-card dk-risk lv-${risk.level}`} data-risk={risk.id}>
      <div class="dk-card-head">
        <p class="dk-card-title">{risk.description}</p>
        <span class={`dk-level lv-${risk.level}`}>
          {LEVEL_WORDS[risk.level]} · {risk.likelihood}×{risk.impact} = {risk.score}
        </span>
      </div>
      <p class="dk-meta">
        Quick win: {risk.program.name} · Pemilik: {risk.ownerOpd?.abbreviation ?? 'belum ditentukan'} · Status:{' '}
        <strong>{STATUS_WORDS[risk.status]}</strong>
      </p>
      <p>
        <span class="dk-muted">Mitigasi:</span> {risk.mitigation ?? 'belum ada'}
      </p>
      {manage ? (
        <div class="dk-field dk-inline-form">
          <label for={`status-${risk.id}`}>Ubah status</label>
          <select
            id={`status-${risk.id}`}
            value={risk.status}
            disabled={busy}
            onChange={(e) => setStatus((e.target as HTMLSelectElement).value as Status)}
          >
            {(Object.keys(STATUS_WORDS) as Status[]).map((s) => (
              <option value={s}>{STATUS_WORDS[s]}</option>
            ))}
          </select>
        </div>
      ) : null}
      {error ? <Notice kind="error">{error}</Notice> : null}
    </li>
  );
}

/** The form to add a risk (city admins); keeps what was typed when saving fails. */
function NewRisk({
  ctx,
  quickWins,
  preset,
  onSaved,
}: {
  ctx: DeskCtx;
  quickWins: { id: string; name: string }[];
  preset: string;
  onSaved: () => void;
}): JSX.Element {
  const [form, setForm] = useState({ programId: preset, description: '', likelihood: '3', impact: '3', mitigation: '', ownerOpdId: '' });
  const [error, setError] = useState<{ text: string; field: string | null } | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => setForm((f) => ({ ...f, programId: preset || f.programId })), [preset]);
  const set = (key: keyof typeof form) => (e: Event) => setForm({ ...form, [key]: (e.target as HTMLInputElement).value });
  const missing = !form.programId ? 'programId' : !form.description.trim() ? 'description' : null;
  const submit = (e: Event): void => {
    e.preventDefault();
    if (missing) {
      setError({ text: missing === 'programId' ? 'Pilih quick win yang terancam.' : 'Tulis risikonya.', field: missing });
      return;
    }
    setBusy(true);
    setSaved(false);
    const input = {
      programId: form.programId,
      description: form.description,
      likelihood: Number(form.likelihood),
      impact: Number(form.impact),
      mitigation: form.mitigation || null,
      ownerOpdId: form.ownerOpdId || null,
    };
    gq(ctx, CREATE_RISK, { input })
      .then(() => {
        setForm({ ...form, description: '', mitigation: '' });
        setError(null);
        setSaved(true);
        onSaved();
      })
      .catch((err: unknown) => setError({ text: explain(err), field: fieldOf(err) }))
      .finally(() => setBusy(false));
  };
  const scale = (key: 'likelihood' | 'impact', label: string, words: string[]) => (
    <div class="dk-field">
      <label for={`risk-${key}`}>{label}</label>
      <select id={`risk-${key}`} value={form[key]} onChange={set(key)} aria-invalid={error?.field === key}>
        {[1, 2, 3, 4, 5].map((n) => (
          <option value={String(n)}>
            {n} — {words[n]}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <details class="dk-panel dk-new-risk">
      <summary>Catat risiko baru</summary>
      <form onSubmit={submit} id="new-risk" noValidate>
        <div class="dk-field">
          <label for="risk-new-program">Quick win</label>
          <select id="risk-new-program" value={form.programId} onChange={set('programId')} aria-invalid={error?.field === 'programId'}>
            <option value="">Pilih quick win…</option>
            {quickWins.map((q) => (
              <option value={q.id}>{q.name}</option>
            ))}
          </select>
        </div>
        <div class="dk-field">
          <label for="risk-description">Risiko (apa yang bisa terjadi dan mengapa)</label>
          <textarea
            id="risk-description"
            rows={2}
            maxLength={2000}
            value={form.description}
            onInput={set('description')}
            aria-invalid={error?.field === 'description'}
          />
        </div>
        <div class="dk-grid">
          {scale('likelihood', 'Kemungkinan (1–5)', LIKELIHOOD_WORDS)}
          {scale('impact', 'Dampak (1–5)', IMPACT_WORDS)}
        </div>
        <div class="dk-field">
          <label for="risk-mitigation">Mitigasi (boleh kosong)</label>
          <textarea id="risk-mitigation" rows={2} maxLength={2000} value={form.mitigation} onInput={set('mitigation')} />
        </div>
        <div class="dk-field">
          <label for="risk-owner">OPD pemilik risiko</label>
          <select id="risk-owner" value={form.ownerOpdId} onChange={set('ownerOpdId')} aria-invalid={error?.field === 'ownerOpdId'}>
            <option value="">Belum ditentukan</option>
            {ctx.city.opds.map((o) => (
              <option value={o.id}>{o.name}</option>
            ))}
          </select>
        </div>
        {error ? <Notice kind="error">{error.text}</Notice> : null}
        {saved ? <Notice kind="ok">Risiko dicatat.</Notice> : null}
        <button type="submit" class="dk-btn dk-primary" disabled={busy}>
          {busy ? 'Menyimpan…' : 'Simpan risiko'}
        </button>
      </form>
    </details>
  );
}
