// "Spreadsheet": the masterplan template and an export to download, and an import in two steps —
// a dry run that lists every problem (sheet, row, column, message), a page at a time, then the
// real run — with a progress bar while the server reads, checks and writes (NDJSON progress lines).
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { RequestError } from '../../api/http';
import type { DeskCtx } from '../lib';
import { Notice } from '../ui';
import { pageOf, readNdjson } from './pure';
import { useWords, type Words } from './words';

/** One problem the import found. */
export interface ImportProblem {
  sheet: string;
  row: number | null;
  column: string | null;
  code: string;
  message: string;
}
type Count = number | Record<string, number>;
/** What an import did (or, in a dry run, would do). */
export interface ImportResult {
  dryRun: boolean;
  created: Count;
  updated: Count;
  unchanged: Count;
  archived: Count;
  errors: ImportProblem[];
}
interface Progress {
  phase: 'read' | 'check' | 'write';
  done: number;
  total: number | null;
}

/** An address beside /dashboard/ on this origin (relative, so a path prefix is kept). */
function serverUrl(path: string): string {
  return new URL(`../${path}`, new URL('.', location.href)).toString();
}

const total = (c: Count | undefined): number => (typeof c === 'number' ? c : c ? Object.values(c).reduce((s, n) => s + n, 0) : 0);

/** The server's refusal, said for people. */
async function refusal(response: Response, w: Words): Promise<string> {
  const body = (await response.json().catch(() => null)) as { errors?: { message?: string; extensions?: { code?: string } }[] } | null;
  if (response.status === 413) return w.sheets.tooBig;
  if (response.status === 403) return w.sheets.forbidden;
  return body?.errors?.[0]?.message ?? w.sheets.failed(response.status);
}

/** Fetches a file with the session and hands it to the browser. */
async function download(ctx: DeskCtx, path: string, fallbackName: string, w: Words): Promise<void> {
  let response: Response;
  try {
    response = await fetch(serverUrl(path), { headers: { authorization: `Bearer ${ctx.token}` }, credentials: 'omit', cache: 'no-store' });
  } catch {
    throw new Error(w.sheets.network);
  }
  if (response.status === 401) {
    ctx.onSessionEnded();
    throw new RequestError('unauthenticated', 'Unauthenticated');
  }
  if (!response.ok) throw new Error(await refusal(response, w));
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name ? decodeURIComponent(name) : fallbackName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Sends the file; `onProgress` is told every progress line; resolves to the result. */
async function runImport(
  ctx: DeskCtx,
  file: File,
  options: { dryRun: boolean; archiveMissing: boolean; sheet: string | null },
  onProgress: (p: Progress) => void,
  signal: AbortSignal,
  w: Words,
): Promise<ImportResult> {
  const query = new URLSearchParams({ cityId: ctx.cityId, dryRun: String(options.dryRun) });
  if (options.archiveMissing) query.set('archiveMissing', 'true');
  if (options.sheet) query.set('sheet', options.sheet);
  let response: Response;
  try {
    response = await fetch(serverUrl(`imports/masterplan?${query.toString()}`), {
      method: 'POST',
      headers: {
        'content-type': file.type || 'application/octet-stream',
        accept: 'application/x-ndjson',
        'accept-language': ctx.lang === 'en' ? 'en-GB,en' : 'id-ID,id',
        authorization: `Bearer ${ctx.token}`,
      },
      body: file,
      credentials: 'omit',
      signal,
    });
  } catch (error) {
    throw new Error(signal.aborted ? w.sheets.stopped : w.sheets.network, { cause: error });
  }
  if (response.status === 401) {
    ctx.onSessionEnded();
    throw new RequestError('unauthenticated', 'Unauthenticated');
  }
  if (!response.ok) throw new Error(await refusal(response, w));
  let result: ImportResult | null = null;
  if (response.body && (response.headers.get('content-type') ?? '').includes('ndjson')) {
    await readNdjson(response.body, (line) => {
      const l = line as { progress?: Progress; result?: ImportResult };
      if (l.progress) onProgress(l.progress);
      if (l.result) result = l.result;
    });
  } else result = (await response.json().catch(() => null)) as ImportResult | null;
  if (!result) throw new Error(w.sheets.noResult);
  return result;
}

const PAGE = 50;

/** The part. */
export function SheetsSection({ ctx }: { ctx: DeskCtx }): JSX.Element {
  const w = useWords(ctx);
  const [busy, setBusy] = useState<'template' | 'export' | null>(null);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const title = w.sheets.title(ctx.city.name);
  useEffect(() => {
    document.title = `${title} — Pantau`;
  }, [title]);
  const get = (which: 'template' | 'export'): void => {
    setBusy(which);
    setDownloadError(null);
    const slug = ctx.city.name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const path = `${which === 'template' ? 'templates' : 'exports'}/masterplan.xlsx?cityId=${encodeURIComponent(ctx.cityId)}`;
    download(ctx, path, which === 'template' ? `templat-masterplan-${slug}.xlsx` : `masterplan-${slug}.xlsx`, w)
      .catch((e: unknown) => setDownloadError(e instanceof Error ? e.message : w.sheets.network))
      .finally(() => setBusy(null));
  };
  return (
    <div>
      <h1>{title}</h1>
      <p class="dk-lead">{w.sheets.lead}</p>
      <section class="dk-panel" aria-labelledby="dl-title">
        <h2 id="dl-title">{w.sheets.downloads}</h2>
        <p>{w.sheets.downloadsAbout}</p>
        <div class="dk-actions">
          <button type="button" class="dk-btn" id="download-template" disabled={busy !== null} onClick={() => get('template')}>
            {busy === 'template' ? w.sheets.downloading : w.sheets.template}
          </button>
          <button type="button" class="dk-btn" id="download-export" disabled={busy !== null} onClick={() => get('export')}>
            {busy === 'export' ? w.sheets.downloading : w.sheets.export}
          </button>
        </div>
        {downloadError ? <Notice kind="error">{downloadError}</Notice> : null}
      </section>
      <ImportPanel ctx={ctx} w={w} />
    </div>
  );
}

function ImportPanel({ ctx, w }: { ctx: DeskCtx; w: Words }): JSX.Element {
  const [file, setFile] = useState<File | null>(null);
  const [sheet, setSheet] = useState('');
  const [archiveMissing, setArchiveMissing] = useState(false);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [running, setRunning] = useState<'dry' | 'apply' | null>(null);
  const [dry, setDry] = useState<ImportResult | null>(null);
  const [applied, setApplied] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tried, setTried] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const csv = file !== null && /\.csv$/i.test(file.name);
  const fileProblem = !file ? w.sheets.chooseFile : !/\.(xlsx|csv)$/i.test(file.name) ? w.sheets.wrongType : null;
  const sheetProblem = csv && !sheet.trim() ? w.sheets.sheetNeeded : null;

  const run = (dryRun: boolean): void => {
    setTried(true);
    if (fileProblem || sheetProblem || !file) {
      document.getElementById(fileProblem ? 'import-file' : 'import-sheet')?.focus();
      return;
    }
    const controller = new AbortController();
    abort.current = controller;
    setRunning(dryRun ? 'dry' : 'apply');
    setError(null);
    setProgress({ phase: 'read', done: 0, total: null });
    if (dryRun) setApplied(null);
    runImport(ctx, file, { dryRun, archiveMissing, sheet: csv ? sheet.trim() : null }, setProgress, controller.signal, w)
      .then((result) => {
        if (dryRun) setDry(result);
        else {
          setApplied(result);
          setDry(null);
        }
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : w.sheets.network))
      .finally(() => {
        setRunning(null);
        setProgress(null);
        abort.current = null;
      });
  };

  return (
    <section class="dk-panel dk-form" aria-labelledby="import-title" id="import">
      <h2 id="import-title">{w.sheets.importTitle}</h2>
      <ol class="dk-steps">
        <li>{w.sheets.step1}</li>
        <li>{w.sheets.step2}</li>
        <li>{w.sheets.step3}</li>
      </ol>
      <div class="dk-grid">
        <div class="dk-field">
          <span class="dk-label" id="import-file-label">
            {w.sheets.file}
          </span>
          <input
            id="import-file"
            class="dk-file"
            type="file"
            accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
            aria-labelledby="import-file-label"
            aria-invalid={tried && fileProblem ? 'true' : undefined}
            aria-describedby="import-file-h"
            onChange={(e) => {
              const f = (e.target as HTMLInputElement).files?.[0] ?? null;
              setFile(f);
              setDry(null);
              setApplied(null);
              setError(null);
              if (f && /\.csv$/i.test(f.name) && !sheet) setSheet(f.name.replace(/\.csv$/i, ''));
            }}
          />
          <label for="import-file" class="dk-btn dk-file-button">
            {w.sheets.choose}
          </label>
          <span class="dk-file-name">
            {file ? w.sheets.chosen(file.name, new Intl.NumberFormat(ctx.f.locale).format(Math.ceil(file.size / 1024))) : w.sheets.noFile}
          </span>
          <p id="import-file-h" class={tried && fileProblem ? 'dk-error' : 'dk-hint'}>
            {(tried && fileProblem) || w.sheets.fileHint}
          </p>
        </div>
        {csv ? (
          <div class="dk-field">
            <label for="import-sheet">{w.sheets.sheet}</label>
            <input
              id="import-sheet"
              type="text"
              value={sheet}
              aria-invalid={tried && sheetProblem ? 'true' : undefined}
              aria-describedby="import-sheet-h"
              onInput={(e) => {
                setSheet((e.target as HTMLInputElement).value);
                setDry(null);
              }}
            />
            <p id="import-sheet-h" class={tried && sheetProblem ? 'dk-error' : 'dk-hint'}>
              {(tried && sheetProblem) || w.sheets.sheetHint}
            </p>
          </div>
        ) : null}
      </div>
      <label class="dk-check">
        <input
          type="checkbox"
          id="import-archive"
          checked={archiveMissing}
          onChange={(e) => {
            setArchiveMissing((e.target as HTMLInputElement).checked);
            setDry(null);
          }}
        />
        {w.sheets.archiveMissing}
      </label>
      <p class="dk-hint">{w.sheets.archiveMissingHint}</p>
      <div class="dk-actions">
        <button type="button" class="dk-btn dk-primary" id="import-check" disabled={running !== null} onClick={() => run(true)}>
          {running === 'dry' ? w.sheets.checking : w.sheets.check}
        </button>
        {running ? (
          <button type="button" class="dk-btn dk-quiet" onClick={() => abort.current?.abort()}>
            {w.sheets.stop}
          </button>
        ) : null}
      </div>
      {progress ? <ProgressBar w={w} ctx={ctx} p={progress} /> : null}
      {error ? <Notice kind="error">{error}</Notice> : null}
      {dry ? (
        <div id="import-dry" class="su-result">
          <h3>{dry.errors.length ? w.sheets.dryErrors(dry.errors.length) : w.sheets.dryOk}</h3>
          <Counts w={w} r={dry} would />
          {dry.errors.length ? (
            <Problems ctx={ctx} w={w} errors={dry.errors} />
          ) : (
            <div class="dk-actions">
              <button type="button" class="dk-btn dk-primary" id="import-apply" disabled={running !== null} onClick={() => run(false)}>
                {running === 'apply' ? w.sheets.applying : w.sheets.apply}
              </button>
            </div>
          )}
        </div>
      ) : null}
      {applied ? (
        <div id="import-applied" class="su-result">
          {applied.errors.length ? (
            <>
              <Notice kind="error">{w.sheets.applyFailed(applied.errors.length)}</Notice>
              <Problems ctx={ctx} w={w} errors={applied.errors} />
            </>
          ) : (
            <>
              <Notice kind="ok">{w.sheets.appliedOk}</Notice>
              <Counts w={w} r={applied} would={false} />
            </>
          )}
        </div>
      ) : null}
    </section>
  );
}

function ProgressBar({ w, ctx, p }: { w: Words; ctx: DeskCtx; p: Progress }): JSX.Element {
  const n = (x: number): string => new Intl.NumberFormat(ctx.f.locale).format(x);
  const label = w.sheets.phases[p.phase];
  return (
    <div class="su-progress" id="import-progress">
      <label for="import-progress-bar">
        {label} {p.total ? w.sheets.ofRows(n(p.done), n(p.total)) : p.done ? w.sheets.rows(n(p.done)) : ''}
      </label>
      <progress id="import-progress-bar" max={p.total ?? undefined} value={p.total ? p.done : undefined} />
    </div>
  );
}

function Counts({ w, r, would }: { w: Words; r: ImportResult; would: boolean }): JSX.Element {
  const items: [keyof typeof w.sheets.counts, Count][] = [
    ['created', r.created],
    ['updated', r.updated],
    ['unchanged', r.unchanged],
    ['archived', r.archived],
  ];
  return (
    <dl class="dk-stats su-counts" data-counts={JSON.stringify(items.map(([, c]) => total(c)))}>
      {items.map(([k, c]) => (
        <div>
          <dt>{(would ? w.sheets.wouldCounts : w.sheets.counts)[k]}</dt>
          <dd>{total(c)}</dd>
        </div>
      ))}
    </dl>
  );
}

function Problems({ ctx, w, errors }: { ctx: DeskCtx; w: Words; errors: ImportProblem[] }): JSX.Element {
  const [page, setPage] = useState(0);
  const shown = pageOf(errors, page, PAGE);
  const n = (x: number): string => new Intl.NumberFormat(ctx.f.locale).format(x);
  const pager = (
    <nav class="dk-actions su-pager" aria-label={w.sheets.pagerLabel}>
      <button type="button" class="dk-btn" data-action="prev-page" disabled={shown.page === 0} onClick={() => setPage(shown.page - 1)}>
        ← {w.sheets.prev}
      </button>
      <span role="status">{w.sheets.pageOf(n(shown.page + 1), n(shown.pages))}</span>
      <button
        type="button"
        class="dk-btn"
        data-action="next-page"
        disabled={shown.page >= shown.pages - 1}
        onClick={() => setPage(shown.page + 1)}
      >
        {w.sheets.next} →
      </button>
    </nav>
  );
  return (
    <div class="su-problems">
      <p>{w.sheets.fixThen}</p>
      {shown.pages > 1 ? pager : null}
      <div class="dk-table-wrap" tabIndex={0} role="region" aria-label={w.sheets.problemsLabel}>
        <table class="dk-table" id="import-errors">
          <thead>
            <tr>
              <th scope="col">{w.sheets.colSheet}</th>
              <th scope="col">{w.sheets.colRow}</th>
              <th scope="col">{w.sheets.colColumn}</th>
              <th scope="col">{w.sheets.colMessage}</th>
            </tr>
          </thead>
          <tbody>
            {shown.rows.map((e) => (
              <tr data-code={e.code}>
                <td>{e.sheet}</td>
                <td class="dk-num">{e.row ?? '—'}</td>
                <td>{e.column ?? '—'}</td>
                <td>{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
