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
  /** Vertical marks with a short label at the top (e.g. where plans joined), x in seconds. */
  marks?: { x: number; label: string }[];
}

/** Draws the marks of the latest props: a dashed vertical line each, its label beside it at the top. */
function drawMarks(u: uPlot, marks: readonly { x: number; label: string }[], r: number): void {
  const ctx = u.ctx;
  const { top, height, left, width } = u.bbox;
  ctx.save();
  ctx.strokeStyle = 'rgba(240, 180, 60, 0.85)';
  ctx.fillStyle = '#f0b43c';
  ctx.lineWidth = Math.max(1, r / 4) * devicePixelRatio;
  ctx.setLineDash([r * 0.8 * devicePixelRatio, r * 0.8 * devicePixelRatio]);
  ctx.font = `700 ${Math.round(2.8 * r * devicePixelRatio)}px system-ui, sans-serif`;
  ctx.textBaseline = 'top';
  let lastRight = -Infinity;
  for (const mark of marks) {
    const x = Math.round(u.valToPos(mark.x, 'x', true));
    if (x < left || x > left + width) continue;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    // Labels that would overlap the previous one are left out (the line stays).
    const textWidth = ctx.measureText(mark.label).width;
    const textX = Math.min(x + 0.6 * r * devicePixelRatio, left + width - textWidth);
    if (textX > lastRight) {
      ctx.fillText(mark.label, textX, top + 0.4 * r * devicePixelRatio);
      lastRight = textX + textWidth + r * devicePixelRatio;
    }
  }
  ctx.restore();
}

const rem = (): number => parseFloat(getComputedStyle(document.documentElement).fontSize) || 10;

/** The screens that get the phone layout (screen.css): the chart takes its host's width there. */
export const NARROW_SCREEN = '(max-width: 719px) and (orientation: portrait)';

/** The chart's size in px: its size in rem, or on a phone its host's width and ¾ of it in height. */
function sizeOf({ widthRem, heightRem }: LineChartProps, r: number, host: HTMLElement | null): { width: number; height: number } {
  if (host && matchMedia(NARROW_SCREEN).matches && host.clientWidth > 0) {
    const width = host.clientWidth;
    return { width, height: Math.round(width * 0.75) };
  }
  return { width: Math.round(widthRem * r), height: Math.round(heightRem * r) };
}

function options(
  { lines, formatX, formatY }: LineChartProps,
  r: number,
  { width, height }: { width: number; height: number },
  marks: () => readonly { x: number; label: string }[],
): uPlot.Options {
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
    width,
    height,
    pxAlign: false,
    legend: { show: false },
    cursor: { show: false },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    scales: { x: { time: false }, y: { range: [0, 100] } },
    hooks: { draw: [(u) => drawMarks(u, marks(), r)] },
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
  const scale = useRef('');
  const latest = useRef(props);
  latest.current = props;

  // Created once (and again only if the screen's scale or, on a phone, its width changes).
  useEffect(() => {
    const build = (): void => {
      const r = rem();
      const p = latest.current;
      const size = sizeOf(p, r, host.current);
      const key = `${r}:${size.width}:${size.height}`;
      if (plot.current && key === scale.current) return;
      plot.current?.destroy();
      plot.current = null;
      scale.current = key;
      const marks = (): readonly { x: number; label: string }[] => latest.current.marks ?? [];
      if (host.current) plot.current = new uPlot(options(p, r, size, marks), [p.xs, ...p.ys] as uPlot.AlignedData, host.current);
    };
    build();
    window.addEventListener('resize', build);
    // A hidden view's chart is built before it has a width; on a phone it is rebuilt once it shows.
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(build);
    if (host.current) observer?.observe(host.current);
    return () => {
      observer?.disconnect();
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
