// A uPlot line chart that is created once and then only fed new data (`setData`) — never rebuilt
// on an update. Sizes and fonts follow the root font size (the screen's scale); a change of scale
// (a different TV) resizes it.
import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** One line. */
export interface Line {
  label: string;
  color: string;
  /** Line width in rem (scaled). */
  width: number;
  dash?: number[];
}

/** Props of the chart: x in seconds since the epoch, one array of y per line. */
export interface LineChartProps {
  xs: number[];
  ys: (number | null)[][];
  lines: Line[];
  /** Size in rem. */
  widthRem: number;
  heightRem: number;
  formatX: (seconds: number) => string;
  formatY: (value: number) => string;
}

const rem = (): number => parseFloat(getComputedStyle(document.documentElement).fontSize) || 10;

function options({ lines, widthRem, heightRem, formatX, formatY }: LineChartProps, r: number): uPlot.Options {
  const font = `${Math.round(2.8 * r)}px system-ui, sans-serif`;
  const axis = {
    stroke: '#c3ccda',
    font,
    size: 8.5 * r,
    gap: r,
    grid: { stroke: 'rgba(195,204,218,0.14)', width: Math.max(1, r / 10) },
    ticks: { stroke: 'rgba(195,204,218,0.3)', width: Math.max(1, r / 10), size: r },
  };
  return {
    width: Math.round(widthRem * r),
    height: Math.round(heightRem * r),
    pxAlign: false,
    legend: { show: false },
    cursor: { show: false },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    scales: { x: { time: false }, y: { range: [0, 100] } },
    axes: [
      { ...axis, values: (_u, splits) => splits.map(formatX), space: 22 * r },
      { ...axis, size: 13 * r, values: (_u, splits) => splits.map(formatY), space: 8 * r },
    ],
    series: [
      {},
      ...lines.map((l) => ({
        label: l.label,
        stroke: l.color,
        width: l.width * r,
        ...(l.dash ? { dash: l.dash.map((d) => d * r) } : {}),
        points: { show: false },
        spanGaps: true,
      })),
    ],
  };
}

/** The chart element. */
export function LineChart(props: LineChartProps): JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const scale = useRef(0);
  const latest = useRef(props);
  latest.current = props;

  // Created once (and again only if the screen's scale changes).
  useEffect(() => {
    const build = (): void => {
      const r = rem();
      if (plot.current && r === scale.current) return;
      plot.current?.destroy();
      scale.current = r;
      const p = latest.current;
      if (host.current) plot.current = new uPlot(options(p, r), [p.xs, ...p.ys] as uPlot.AlignedData, host.current);
    };
    build();
    window.addEventListener('resize', build);
    return () => {
      window.removeEventListener('resize', build);
      plot.current?.destroy();
      plot.current = null;
    };
  }, []);

  // Data changes: in place.
  useEffect(() => {
    plot.current?.setData([props.xs, ...props.ys] as uPlot.AlignedData);
  }, [props.xs, props.ys]);

  return <div class="chart" ref={host} />;
}
