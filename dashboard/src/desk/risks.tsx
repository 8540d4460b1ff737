// "Risiko": the risk register of the city's quick wins — a 5×5 matrix (likelihood × impact, a
// count and a word in every cell, never colour alone) and the list, filterable by quick win.
// City admins add risks and change their status here; everybody else reads.
import type { JSX } from 'preact';
import { graphql, type ResultOf } from '../api/document';
import { useEffect, useState } from 'preact/hooks';
import { explain, fieldOf, gq, type DeskCtx } from './lib';
import { Notice } from './ui';

type Status = Risk['status'];

const RISKS_QUERY = graphql(`
  query DeskRisks($city: ID!, $program: ID) {
    city(id: $city) {
      quickWins: masterplans {
        programs {
          id
          name
          quickWin
          archivedAt
        }
      }
      risks(programId: $program) {
        id
        version
        description
        likelihood
        impact
        score
        level
        status
        mitigation
        program {
          id
          name
        }
        ownerOpd {
          id
          abbreviation
        }
      }
      riskMatrix(programId: $program) {
        total
        cells {
          likelihood
          impact
          score
          level
          count
        }
      }
    }
  }
`);
type Answer = ResultOf<typeof RISKS_QUERY>['city'];
type Risk = Answer['risks'][number];
type Cell = Answer['riskMatrix']['cells'][number];

const CREATE_RISK = graphql(`
  mutation DeskCreateRisk($input: CreateRiskInput!) {
    createRisk(input: $input) {
      id
    }
  }
`);
const UPDATE_RISK = graphql(`
  mutation DeskUpdateRisk($input: UpdateRiskInput!) {
    updateRisk(input: $input) {
      id
    }
  }
`);

/** The statuses a risk can be given, in order. */
const STATUSES: Status[] = ['OPEN', 'MITIGATED', 'ACCEPTED', 'CLOSED'];

export function RisksPage({ ctx }: { ctx: DeskCtx }): JSX.Element {
  const w = ctx.w.risks;
  const [program, setProgram] = useState('');
  const [data, setData] = useState<{ quickWins: { id: string; name: string }[]; risks: Risk[]; cells: Cell[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const manage = ctx.me.permissions.includes('city:manage');

  useEffect(() => {
    gq(ctx, RISKS_QUERY, { city: ctx.cityId, program: program || null })
      .then((d) => {
        const quickWins = d.city.quickWins.flatMap((m) => m.programs).filter((p) => p.quickWin && !p.archivedAt);
        setData({ quickWins, risks: d.city.risks, cells: d.city.riskMatrix.cells, total: d.city.riskMatrix.total });
        setError(null);
      })
      .catch((e: unknown) => setError(explain(e, ctx.w)));
  }, [ctx.cityId, program, reload]);

  const chosen = data?.quickWins.find((q) => q.id === program);
  const title = w.title(chosen ? `“${chosen.name}”` : ctx.city.name, data ? ctx.f.int(data.total) : '…');
  useEffect(() => {
    document.title = `${title} — Pantau`;
  }, [title]);
  return (
    <section aria-labelledby="risk-title">
      <h1 id="risk-title">{title}</h1>
      <p class="dk-lead">{w.lead}</p>
      {error ? <Notice kind="error">{error}</Notice> : null}
      <div class="dk-field dk-risk-filter">
        <label for="risk-program">{w.quickWin}</label>
        <select id="risk-program" value={program} onChange={(e) => setProgram((e.target as HTMLSelectElement).value)}>
          <option value="">{w.allQuickWins}</option>
          {(data?.quickWins ?? []).map((q) => (
            <option value={q.id}>{q.name}</option>
          ))}
        </select>
      </div>
      {data ? (
        <>
          <Matrix cells={data.cells} ctx={ctx} />
          {manage ? <NewRisk ctx={ctx} quickWins={data.quickWins} preset={program} onSaved={() => setReload((n) => n + 1)} /> : null}
          <h2 id="risk-list">{w.list(ctx.f.int(data.risks.length))}</h2>
          {data.risks.length === 0 ? <p class="dk-empty">{w.none}</p> : null}
          <ul class="dk-cards" aria-labelledby="risk-list">
            {data.risks.map((r) => (
              <RiskCard key={r.id} ctx={ctx} risk={r} manage={manage} onSaved={() => setReload((n) => n + 1)} />
            ))}
          </ul>
        </>
      ) : error ? null : (
        <p role="status">{ctx.w.loading}</p>
      )}
    </section>
  );
}

/** The 5×5 matrix as a table: rows are likelihood 5→1, columns impact 1→5. */
function Matrix({ cells, ctx }: { cells: Cell[]; ctx: DeskCtx }): JSX.Element {
  const { f } = ctx;
  const w = ctx.w.risks;
  const rows = [5, 4, 3, 2, 1];
  return (
    <div class="dk-panel dk-matrix-wrap">
      <table class="dk-matrix" id="risk-matrix">
        <caption>{w.caption}</caption>
        <thead>
          <tr>
            <th scope="col">
              <span class="dk-visually-hidden">{w.corner}</span>
            </th>
            {[1, 2, 3, 4, 5].map((i) => (
              <th scope="col">
                {i}
                <span class="dk-axis">{w.impacts[i]}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((l) => (
            <tr>
              <th scope="row">
                {l}
                <span class="dk-axis">{w.likelihoods[l]}</span>
              </th>
              {[1, 2, 3, 4, 5].map((i) => {
                const c = cells.find((x) => x.likelihood === l && x.impact === i);
                if (!c) return <td />;
                return (
                  <td class={`dk-cell lv-${c.level}${c.count === 0 ? ' dk-cell-empty' : ''}`} data-count={c.count}>
                    <span class="dk-cell-count">{f.int(c.count)}</span>
                    <span class="dk-cell-level">{w.levels[c.level]}</span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p class="dk-meta">{w.bands}</p>
    </div>
  );
}

function RiskCard({ ctx, risk, manage, onSaved }: { ctx: DeskCtx; risk: Risk; manage: boolean; onSaved: () => void }): JSX.Element {
  const w = ctx.w.risks;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const setStatus = (status: Status): void => {
    setBusy(true);
    gq(ctx, UPDATE_RISK, { input: { id: risk.id, expectedVersion: risk.version, status } })
      .then(onSaved)
      .catch((e: unknown) => setError(explain(e, ctx.w)))
      .finally(() => setBusy(false));
  };
  return (
    <li class={`dk-card dk-risk lv-${risk.level}`} data-risk={risk.id}>
      <div class="dk-card-head">
        <p class="dk-card-title">{risk.description}</p>
        <span class={`dk-level lv-${risk.level}`}>
          {w.levels[risk.level]} · {risk.likelihood}×{risk.impact} = {risk.score}
        </span>
      </div>
      <p class="dk-meta">
        {w.quickWin}: {risk.program.name} · {w.owner}: {risk.ownerOpd?.abbreviation ?? w.unassigned} · {w.status}:{' '}
        <strong>{w.statuses[risk.status]}</strong>
      </p>
      <p>
        <span class="dk-muted">{w.mitigation}</span> {risk.mitigation ?? w.noMitigation}
      </p>
      {manage ? (
        <div class="dk-field dk-inline-form">
          <label for={`status-${risk.id}`}>{w.changeStatus}</label>
          <select
            id={`status-${risk.id}`}
            value={risk.status}
            disabled={busy}
            onChange={(e) => setStatus((e.target as HTMLSelectElement).value as Status)}
          >
            {STATUSES.map((s) => (
              <option value={s}>{w.statuses[s]}</option>
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
  const w = ctx.w.risks;
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
      setError({ text: missing === 'programId' ? w.noQuickWin : w.noDescription, field: missing });
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
      .catch((err: unknown) => setError({ text: explain(err, ctx.w), field: fieldOf(err) }))
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
      <summary>{w.newRisk}</summary>
      <form onSubmit={submit} id="new-risk" noValidate>
        <div class="dk-field">
          <label for="risk-new-program">{w.quickWin}</label>
          <select id="risk-new-program" value={form.programId} onChange={set('programId')} aria-invalid={error?.field === 'programId'}>
            <option value="">{w.pickQuickWin}</option>
            {quickWins.map((q) => (
              <option value={q.id}>{q.name}</option>
            ))}
          </select>
        </div>
        <div class="dk-field">
          <label for="risk-description">{w.description}</label>
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
          {scale('likelihood', w.likelihood, w.likelihoods)}
          {scale('impact', w.impact, w.impacts)}
        </div>
        <div class="dk-field">
          <label for="risk-mitigation">{w.mitigationLabel}</label>
          <textarea id="risk-mitigation" rows={2} maxLength={2000} value={form.mitigation} onInput={set('mitigation')} />
        </div>
        <div class="dk-field">
          <label for="risk-owner">{w.ownerLabel}</label>
          <select id="risk-owner" value={form.ownerOpdId} onChange={set('ownerOpdId')} aria-invalid={error?.field === 'ownerOpdId'}>
            <option value="">{w.nobody}</option>
            {ctx.city.opds.map((o) => (
              <option value={o.id}>{o.name}</option>
            ))}
          </select>
        </div>
        {error ? <Notice kind="error">{error.text}</Notice> : null}
        {saved ? <Notice kind="ok">{w.saved}</Notice> : null}
        <button type="submit" class="dk-btn dk-primary" disabled={busy}>
          {busy ? w.saving : w.save}
        </button>
      </form>
    </details>
  );
}
