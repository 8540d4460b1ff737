// "Nasional": the cities the person may read, side by side (the ministry's view): progress,
// verified progress, late plans, reports awaiting verification, days to the evaluation visit.
// Sorted by the server (`nationalOverview(sort)`); each column header is a button with aria-sort.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { explain, gq, type DeskCtx } from './lib';
import { Notice } from './ui';

type Key = 'NAME' | 'INDEX' | 'GAPS' | 'PROGRESS' | 'VERIFIED_PROGRESS' | 'LATE' | 'UNVERIFIED' | 'DAYS_TO_VISIT';
type Direction = 'ASC' | 'DESC';

interface Row {
  cityId: string;
  evaluationYear: number;
  index: number | null;
  indexScaleMax: number | null;
  readinessGaps: number;
  name: string;
  province: string;
  progress: number;
  verifiedProgress: number;
  actionPlanCount: number;
  lateCount: number;
  unverifiedCount: number;
  daysToNextEvaluation: number | null;
  nextEvaluationVisit: { startDate: string } | null;
}

const NATIONAL_QUERY = `query DeskNational($sort: NationalSort) { nationalOverview(sort: $sort) {
  cityId name province progress verifiedProgress actionPlanCount lateCount unverifiedCount daysToNextEvaluation nextEvaluationVisit { startDate } evaluationYear index indexScaleMax readinessGaps
} }`;

/** The columns, their headers and the direction a first click sorts them (worst first for counts). */
const COLUMNS: { key: Key; label: string; first: Direction; numeric: boolean }[] = [
  { key: 'NAME', label: 'Kota', first: 'ASC', numeric: false },
  { key: 'PROGRESS', label: 'Capaian', first: 'DESC', numeric: true },
  { key: 'VERIFIED_PROGRESS', label: 'Capaian terverifikasi', first: 'DESC', numeric: true },
  { key: 'LATE', label: 'Terlambat', first: 'DESC', numeric: true },
  { key: 'UNVERIFIED', label: 'Belum diverifikasi', first: 'DESC', numeric: true },
  { key: 'DAYS_TO_VISIT', label: 'Kunjungan monev', first: 'ASC', numeric: true },
  { key: 'INDEX', label: 'Indeks', first: 'DESC', numeric: true },
  { key: 'GAPS', label: 'Kekurangan', first: 'DESC', numeric: true },
];

export function NationalPage({ ctx }: { ctx: DeskCtx }): JSX.Element {
  const [sort, setSort] = useState<{ by: Key; direction: Direction }>({ by: 'NAME', direction: 'ASC' });
  const [rows, setRows] = useState<Row[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    gq<{ nationalOverview: Row[] }>(ctx, NATIONAL_QUERY, { sort })
      .then((d) => {
        setRows(d.nationalOverview);
        setError(null);
      })
      .catch((e: unknown) => setError(explain(e)));
  }, [sort.by, sort.direction]);

  const f = ctx.f;
  const toggle = (key: Key): void => {
    const column = COLUMNS.find((c) => c.key === key)!;
    setSort(sort.by === key ? { by: key, direction: sort.direction === 'ASC' ? 'DESC' : 'ASC' } : { by: key, direction: column.first });
  };
  const visit = (r: Row): string =>
    r.daysToNextEvaluation === null || !r.nextEvaluationVisit
      ? 'belum dijadwalkan'
      : `${r.daysToNextEvaluation === 0 ? 'sedang berlangsung' : `${f.days(r.daysToNextEvaluation)} lagi`} · ${f.date(r.nextEvaluationVisit.startDate)}`;
  const current = COLUMNS.find((c) => c.key === sort.by)!;
  return (
    <section aria-labelledby="national-title">
      <h1 id="national-title">Perbandingan {rows ? f.int(rows.length) : '…'} kota</h1>
      <p class="dk-lead">
        Capaian, rencana aksi terlambat, laporan yang belum diverifikasi, hari menuju kunjungan monev, indeks penilaian mandiri tahun ini
        dan kekurangan menjelang monev setiap kota yang boleh Anda lihat. Klik judul kolom untuk mengurutkan.
      </p>
      {error ? <Notice kind="error">{error}</Notice> : null}
      <p class="dk-visually-hidden" role="status" aria-live="polite">
        Diurutkan menurut {current.label}, {sort.direction === 'ASC' ? 'naik' : 'turun'}.
      </p>
      <div class="dk-table-wrap" role="region" aria-label="Tabel perbandingan kota (geser ke samping bila perlu)" tabIndex={0}>
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
                    {c.label}
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
                  {r.name}
                  <span class="dk-meta dk-block">
                    {r.province} · {f.int(r.actionPlanCount)} rencana aksi
                  </span>
                </th>
                <td class="dk-num" data-label="Capaian">
                  {f.percent(r.progress)}
                </td>
                <td class="dk-num" data-label="Capaian terverifikasi">
                  {f.percent(r.verifiedProgress)}
                </td>
                <td class={`dk-num${r.lateCount > 0 ? ' dk-late-text' : ''}`} data-label="Terlambat">
                  {f.int(r.lateCount)}
                </td>
                <td class="dk-num" data-label="Belum diverifikasi">
                  {f.int(r.unverifiedCount)}
                </td>
                <td class="dk-num" data-label="Kunjungan monev">
                  {visit(r)}
                </td>
                <td class="dk-num" data-label="Indeks">
                  {r.index === null || r.indexScaleMax === null ? 'belum dinilai' : `${f.index(r.index)} dari ${f.int(r.indexScaleMax)}`}
                </td>
                <td class={`dk-num${r.readinessGaps > 0 ? ' dk-late-text' : ''}`} data-label="Kekurangan">
                  {f.int(r.readinessGaps)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows === null && !error ? <p role="status">Memuat…</p> : null}
    </section>
  );
}
