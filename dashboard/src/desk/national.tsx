// "Nasional": the cities the person may read, side by side (the ministry's view): progress,
// verified progress, late plans, reports awaiting verification, days to the evaluation visit.
// Sorted by the server (`nationalOverview(sort)`); each column header is a button with aria-sort.
import type { JSX } from 'preact';
import { graphql, type ResultOf } from '../api/document';
import { useEffect, useState } from 'preact/hooks';
import { explain, gq, type DeskCtx } from './lib';
import { Notice } from './ui';

type Key = 'NAME' | 'INDEX' | 'GAPS' | 'PROGRESS' | 'VERIFIED_PROGRESS' | 'LATE' | 'UNVERIFIED' | 'DAYS_TO_VISIT';
type Direction = 'ASC' | 'DESC';

const NATIONAL_QUERY = graphql(`
  query DeskNational($sort: NationalSort) {
    nationalOverview(sort: $sort) {
      cityId
      name
      province
      progress
      verifiedProgress
      actionPlanCount
      lateCount
      unverifiedCount
      daysToNextEvaluation
      nextEvaluationVisit {
        startDate
      }
      evaluationYear
      index
      indexScaleMax
      readinessGaps
    }
  }
`);

type Row = ResultOf<typeof NATIONAL_QUERY>['nationalOverview'][number];

/** The columns (headers in `w.national.columns`) and the direction a first click sorts them (worst first for counts). */
const COLUMNS: { key: Key; first: Direction; numeric: boolean }[] = [
  { key: 'NAME', first: 'ASC', numeric: false },
  { key: 'PROGRESS', first: 'DESC', numeric: true },
  { key: 'VERIFIED_PROGRESS', first: 'DESC', numeric: true },
  { key: 'LATE', first: 'DESC', numeric: true },
  { key: 'UNVERIFIED', first: 'DESC', numeric: true },
  { key: 'DAYS_TO_VISIT', first: 'ASC', numeric: true },
  { key: 'INDEX', first: 'DESC', numeric: true },
  { key: 'GAPS', first: 'DESC', numeric: true },
];

export function NationalPage({
  ctx,
  onOpen,
}: {
  ctx: Pick<DeskCtx, 'token' | 'lang' | 'onSessionEnded' | 'f' | 'w'>;
  /** Opens a city's desk (its name becomes a button). */
  onOpen?: ((cityId: string) => void) | undefined;
}): JSX.Element {
  const w = ctx.w.national;
  const label = w.columns;
  const [sort, setSort] = useState<{ by: Key; direction: Direction }>({ by: 'NAME', direction: 'ASC' });
  const [rows, setRows] = useState<Row[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    gq(ctx, NATIONAL_QUERY, { sort })
      .then((d) => {
        setRows(d.nationalOverview);
        setError(null);
      })
      .catch((e: unknown) => setError(explain(e, ctx.w)));
  }, [sort.by, sort.direction]);
  useEffect(() => {
    document.title = `${w.title(rows ? ctx.f.int(rows.length) : '…')} — Pantau`;
  }, [rows?.length, w]);

  const f = ctx.f;
  const toggle = (key: Key): void => {
    const column = COLUMNS.find((c) => c.key === key)!;
    setSort(sort.by === key ? { by: key, direction: sort.direction === 'ASC' ? 'DESC' : 'ASC' } : { by: key, direction: column.first });
  };
  const visit = (r: Row): string =>
    r.daysToNextEvaluation === null || !r.nextEvaluationVisit
      ? w.notScheduled
      : `${r.daysToNextEvaluation === 0 ? w.underWay : w.inDays(f.days(r.daysToNextEvaluation))} · ${f.date(r.nextEvaluationVisit.startDate)}`;
  const current = COLUMNS.find((c) => c.key === sort.by)!;
  return (
    <section aria-labelledby="national-title">
      <h1 id="national-title">{w.title(rows ? f.int(rows.length) : '…')}</h1>
      <p class="dk-lead">{w.lead}</p>
      {error ? <Notice kind="error">{error}</Notice> : null}
      <p class="dk-visually-hidden" role="status" aria-live="polite">
        {w.sortedBy(label[current.key], sort.direction === 'ASC')}
      </p>
      <div class="dk-table-wrap" role="region" aria-label={w.table} tabIndex={0}>
        <table class="dk-table" id="national-table">
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th
                  scope="col"
                  aria-sort={sort.by === c.key ? (sort.direction === 'ASC' ? 'ascending' : 'descending') : 'none'}
                  class={c.numeric ? 'dk-num' : ''}
                >
                  <button type="button" class="dk-sort" data-sort={c.key} onClick={() => toggle(c.key)}>
                    {label[c.key]}
                    <span aria-hidden="true" class="dk-sort-mark">
                      {sort.by === c.key ? (sort.direction === 'ASC' ? '▲' : '▼') : '↕'}
                    </span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {(rows ?? []).map((r) => (
              <tr data-city={r.cityId}>
                <th scope="row">
                  {onOpen ? (
                    <button type="button" class="dk-link-btn" data-open-city={r.cityId} onClick={() => onOpen(r.cityId)}>
                      {r.name}
                    </button>
                  ) : (
                    r.name
                  )}
                  <span class="dk-meta dk-block">
                    {r.province} · {w.plans(f.int(r.actionPlanCount))}
                  </span>
                </th>
                <td class="dk-num" data-label={label.PROGRESS}>
                  {f.percent(r.progress)}
                </td>
                <td class="dk-num" data-label={label.VERIFIED_PROGRESS}>
                  {f.percent(r.verifiedProgress)}
                </td>
                <td class={`dk-num${r.lateCount > 0 ? ' dk-late-text' : ''}`} data-label={label.LATE}>
                  {f.int(r.lateCount)}
                </td>
                <td class="dk-num" data-label={label.UNVERIFIED}>
                  {f.int(r.unverifiedCount)}
                </td>
                <td class="dk-num" data-label={label.DAYS_TO_VISIT}>
                  {visit(r)}
                </td>
                <td class="dk-num" data-label={label.INDEX}>
                  {r.index === null || r.indexScaleMax === null ? w.notScored : w.indexOf(f.index(r.index), f.int(r.indexScaleMax))}
                </td>
                <td class={`dk-num${r.readinessGaps > 0 ? ' dk-late-text' : ''}`} data-label={label.GAPS}>
                  {f.int(r.readinessGaps)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows === null && !error ? <p role="status">{ctx.w.loading}</p> : null}
    </section>
  );
}
