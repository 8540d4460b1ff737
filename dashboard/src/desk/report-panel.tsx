// The "Laporan monev" panel of the self-assessment page: the print report of a date (today, or the
// visit's first day in one click) in either language, its XLSX workbook, and the evidence pack.
// Every request carries the session's Bearer header, as evidence downloads do; the print report
// opens in a new tab from a Blob (it has no script, and the tab keeps the desk's CSP).
import type { JSX } from 'preact';
import { graphql } from '../api/document';
import { useEffect, useState } from 'preact/hooks';
import { RequestError, reportsUrl } from '../api/http';
import type { Lang } from '../i18n';
import { gq, ymdIn, type DeskCtx } from './lib';
import { Notice } from './ui';

const VISITS = graphql(`
  query DeskReportVisits($city: ID!) {
    city(id: $city) {
      evaluationVisits {
        year
        startDate
        archivedAt
      }
    }
  }
`);

/** Fetches a report with the session; the Blob, or throws the sentence to show. */
async function fetchReport(ctx: DeskCtx, path: string): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(reportsUrl(path), { headers: { authorization: `Bearer ${ctx.token}` }, credentials: 'omit', cache: 'no-store' });
  } catch {
    throw new Error(ctx.w.errors.network);
  }
  if (response.status === 401) {
    ctx.onSessionEnded();
    throw new RequestError('unauthenticated', 'Unauthenticated');
  }
  if (response.status === 400) throw new Error(ctx.w.reports.badDate);
  if (!response.ok) throw new Error(ctx.w.reports.failed);
  return response.blob();
}

/** Hands a Blob to the browser as a download named `name`. */
function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The panel for the self-assessment of `year`. */
export function ReportPanel({ ctx, year }: { ctx: DeskCtx; year: number }): JSX.Element {
  const w = ctx.w.reports;
  const today = ymdIn(new Date().toISOString(), ctx.city.timeZone);
  const lastDay = `${year}-12-31` < today ? `${year}-12-31` : today;
  const [asOf, setAsOf] = useState(lastDay);
  const [lang, setLang] = useState<Lang>(ctx.lang);
  const [visit, setVisit] = useState<string | null>(null);
  const [busy, setBusy] = useState<'open' | 'xlsx' | 'pack' | null>(null);
  const [msg, setMsg] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);

  useEffect(() => {
    setAsOf(lastDay);
    gq(ctx, VISITS, { city: ctx.cityId })
      .then((d) => setVisit(d.city.evaluationVisits.find((v) => v.year === year && !v.archivedAt)?.startDate ?? null))
      .catch(() => setVisit(null));
  }, [ctx.cityId, year]);

  const query = (extra: Record<string, string> = {}) =>
    `?${new URLSearchParams({ cityId: ctx.cityId, year: String(year), asOf, lang, ...extra }).toString()}`;
  const run = (kind: 'open' | 'xlsx' | 'pack', job: () => Promise<void>) => {
    setBusy(kind);
    setMsg(null);
    job()
      .catch((e: unknown) => setMsg({ kind: 'error', text: e instanceof Error ? e.message : w.failed }))
      .finally(() => setBusy(null));
  };
  const open = () => {
    // Opened at the click (a tab opened later, after the fetch, is what pop-up blockers hold back).
    const tab = window.open('', '_blank');
    run('open', async () => {
      const blob = await fetchReport(ctx, `/monev${query()}`);
      const html = new Blob([blob], { type: 'text/html;charset=utf-8' });
      if (tab) {
        tab.location.href = URL.createObjectURL(html);
        setMsg({ kind: 'info', text: w.printHint });
      } else {
        save(html, `laporan-monev-${year}-${asOf}.html`);
        setMsg({ kind: 'info', text: w.popupBlocked });
      }
    });
  };
  const visitUsable = visit !== null && visit <= today;
  return (
    <section class="dk-panel dk-report-panel" id="report-panel" aria-labelledby="report-title">
      <h2 id="report-title">{w.title}</h2>
      <p class="dk-meta">{w.lead}</p>
      <div class="dk-grid">
        <div class="dk-field">
          <label for="report-as-of">{w.asOf}</label>
          <input id="report-as-of" type="date" value={asOf} max={today} onInput={(e) => setAsOf((e.target as HTMLInputElement).value)} />
          <div class="dk-report-dates">
            {visitUsable ? (
              <button type="button" class="dk-btn" data-action="visit-day" onClick={() => setAsOf(visit)}>
                {w.visitDay(ctx.f.date(visit))}
              </button>
            ) : null}
            <button type="button" class="dk-btn" data-action="today" onClick={() => setAsOf(today)}>
              {w.today}
            </button>
          </div>
        </div>
        <div class="dk-field">
          <label for="report-lang">{w.language}</label>
          <select id="report-lang" value={lang} onChange={(e) => setLang((e.target as HTMLSelectElement).value as Lang)}>
            <option value="id">{w.languages.id}</option>
            <option value="en">{w.languages.en}</option>
          </select>
        </div>
      </div>
      <div class="dk-actions">
        <button type="button" class="dk-btn dk-primary" data-action="open-report" disabled={busy !== null || !asOf} onClick={open}>
          {busy === 'open' ? w.working : w.open}
        </button>
        <button
          type="button"
          class="dk-btn"
          data-action="download-xlsx"
          disabled={busy !== null || !asOf}
          onClick={() =>
            run('xlsx', async () =>
              save(await fetchReport(ctx, `/monev${query({ format: 'xlsx' })}`), `laporan-monev-${year}-${asOf}.xlsx`),
            )
          }
        >
          {busy === 'xlsx' ? w.working : w.xlsx}
        </button>
        <button
          type="button"
          class="dk-btn"
          data-action="download-pack"
          disabled={busy !== null}
          onClick={() =>
            run('pack', async () =>
              save(
                await fetchReport(ctx, `/evidence.zip?${new URLSearchParams({ cityId: ctx.cityId, year: String(year), lang }).toString()}`),
                `${lang === 'en' ? 'evidence-pack' : 'paket-bukti'}-${year}.zip`,
              ),
            )
          }
        >
          {busy === 'pack' ? w.working : w.pack}
        </button>
      </div>
      <p class="dk-meta">{w.packNote}</p>
      {msg ? <Notice kind={msg.kind}>{msg.text}</Notice> : null}
    </section>
  );
}
