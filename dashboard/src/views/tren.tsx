// Tren: progress over time for the city and each dimension (City.progressHistory), one line chart,
// counting this masterplan period's plans (or every plan, `tren=semua`), with a mark where plans joined.
import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { request } from '../api/http';
import { HISTORY_QUERY, type Dimension, type History } from '../api/queries';
import { LineChart, type Line } from '../ui/chart';
import type { ViewProps } from './common';

/** Line colours (Okabe–Ito) and dashes, so lines differ in more than colour. */
const DIMENSION_LINES: Record<Dimension, { color: string; dash?: number[] }> = {
  GOVERNANCE: { color: '#E69F00' },
  BRANDING: { color: '#CC79A7', dash: [1.6, 0.8] },
  ECONOMY: { color: '#F0E442' },
  LIVING: { color: '#56B4E9', dash: [1.6, 0.8] },
  SOCIETY: { color: '#009E73' },
  ENVIRONMENT: { color: '#D55E00', dash: [0.6, 0.6] },
};
const CITY_COLOR = '#f2f4f8';

/** History is refetched at most this often after changes, and at least this often anyway (ms). */
const MIN_REFETCH_MS = 60_000;
const MAX_AGE_MS = 15 * 60_000;

const toSeconds = (ymd: string): number => Date.parse(`${ymd}T00:00:00Z`) / 1000;

/** The trend view. */
export function Tren({ snapshot, s, f, lang, token, basis, trend }: ViewProps): JSX.Element {
  const [history, setHistory] = useState<History | null>(null);
  const [failed, setFailed] = useState(false);
  const fetchedAt = useRef(0);
  const seq = snapshot.overview.seq;
  const cityId = snapshot.city.id;
  const from = useMemo(() => {
    const d = new Date(`${snapshot.overview.today}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() - 364);
    return d.toISOString().slice(0, 10);
  }, [snapshot.overview.today]);

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = (): void => {
      fetchedAt.current = Date.now();
      request(HISTORY_QUERY, { id: cityId, from, interval: 'WEEK', basis, plans: trend }, { token, lang })
        .then((data) => {
          if (cancelled) return;
          setHistory(data.city.progressHistory);
          setFailed(false);
        })
        .catch(() => {
          if (!cancelled) setFailed(true);
        });
      timer = setTimeout(load, MAX_AGE_MS);
    };
    // After a change, wait so a burst of reports costs one query.
    const wait = fetchedAt.current === 0 ? 0 : Math.max(0, MIN_REFETCH_MS - (Date.now() - fetchedAt.current));
    timer = setTimeout(load, wait);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [cityId, seq, from, token, lang, basis, trend]);

  const series = useMemo(() => {
    if (!history || history.points.length === 0) return null;
    const xs = history.points.map(toSeconds);
    const lines: Line[] = [
      { label: s.trendCity, color: CITY_COLOR, width: 0.8 },
      ...history.dimensions.map((d) => ({ label: d.label, width: 0.45, ...DIMENSION_LINES[d.dimension] })),
    ];
    const ys = [history.city, ...history.dimensions.map((d) => d.values)];
    // Where plans joined (starting at 0 %, so the lines may fall there): a mark each.
    const marks = (history.joined ?? []).flatMap((n, i) => (n > 0 && i > 0 ? [{ x: xs[i]!, label: s.trendJoined(f.int(n)) }] : []));
    return { xs, ys, lines, marks };
  }, [history, s, f]);

  const last = (values: number[]): number => values[values.length - 1] ?? 0;
  return (
    <section class="view tren" data-view="tren">
      <div class="chart-panel" data-marks={series?.marks.length ?? 0}>
        {series ? (
          <LineChart
            xs={series.xs}
            ys={series.ys}
            lines={series.lines}
            widthRem={128}
            heightRem={83}
            formatX={(x) => f.monthYear(new Date(x * 1000).toISOString().slice(0, 10))}
            formatY={(y) => f.percent(y)}
            marks={series.marks}
          />
        ) : (
          <p class="empty big">{failed ? s.trendEmpty : s.loading}</p>
        )}
      </div>
      <ul class="legend">
        <li class="legend-title">{s.trendTitle}</li>
        <li class="legend-plans" data-plans={history?.plans ?? trend}>
          {history?.plans === 'PERIOD' && history.periodFrom ? s.trendPeriod(history.periodFrom.slice(0, 4)) : s.trendAll}
        </li>
        <li class="legend-row city">
          <span class="swatch" style={{ background: CITY_COLOR }} />
          <span class="legend-label">{s.trendCity}</span>
          <span class="legend-value">{f.percent(history ? last(history.city) : snapshot.overview.progress)}</span>
        </li>
        {(
          history?.dimensions ?? snapshot.overview.dimensions.map((d) => ({ dimension: d.dimension, label: d.label, values: [d.progress] }))
        ).map((d) => (
          <li class="legend-row">
            <span
              class={`swatch${DIMENSION_LINES[d.dimension].dash ? ' dashed' : ''}`}
              style={{ color: DIMENSION_LINES[d.dimension].color }}
            />
            <span class="legend-label">{d.label}</span>
            <span class="legend-value">{f.percent(last(d.values))}</span>
          </li>
        ))}
        {series?.marks.length ? (
          <li class="legend-row legend-joined">
            <span class="swatch joined" />
            <span class="legend-label">{s.trendJoinedLegend}</span>
          </li>
        ) : null}
      </ul>
    </section>
  );
}
