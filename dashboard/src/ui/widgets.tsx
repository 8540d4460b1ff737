// Small building blocks shared by the views: a number that counts to its new value and glows, a
// progress bar, a state chip (colour always with a word or icon), a list that pages by itself.
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { LANG_NAMES, type Lang, type PlanState, type Strings } from '../i18n';

/** How long a changed number counts (ms) and how long its tile glows (ms). */
export const COUNT_MS = 600;
export const GLOW_MS = 3_000;

/**
 * A number that counts from its old value to the new one over COUNT_MS and marks its element with
 * `data-changed` for GLOW_MS (the CSS glow). The first value shows at once.
 */
export function AnimatedNumber({
  value,
  format,
  class: className,
}: {
  value: number;
  format: (v: number) => string;
  class?: string;
}): JSX.Element {
  const ref = useRef<HTMLSpanElement>(null);
  const shown = useRef(value);
  const frame = useRef(0);
  const glow = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    const el = ref.current;
    const from = shown.current;
    if (!el || from === value) return;
    if (matchMedia('(prefers-reduced-motion: reduce)').matches) {
      shown.current = value;
      el.textContent = format(value);
      return;
    }
    cancelAnimationFrame(frame.current);
    const start = performance.now();
    const step = (now: number): void => {
      const t = Math.min(1, (now - start) / COUNT_MS);
      const eased = 1 - (1 - t) ** 3;
      shown.current = from + (value - from) * eased;
      el.textContent = format(t < 1 ? shown.current : value);
      if (t < 1) frame.current = requestAnimationFrame(step);
      else shown.current = value;
    };
    frame.current = requestAnimationFrame(step);
    const tile = el.closest<HTMLElement>('[data-glow]') ?? el;
    tile.dataset['changed'] = 'true';
    if (glow.current) clearTimeout(glow.current);
    glow.current = setTimeout(() => delete tile.dataset['changed'], GLOW_MS);
  }, [value]);
  useEffect(
    () => () => {
      cancelAnimationFrame(frame.current);
      if (glow.current) clearTimeout(glow.current);
    },
    [],
  );
  return (
    <span ref={ref} class={className} data-value={value}>
      {format(value)}
    </span>
  );
}

/** A horizontal bar, 0–100. */
export function Bar({ value, state }: { value: number; state?: PlanState | undefined }): JSX.Element {
  const width = `${Math.max(0, Math.min(100, value))}%`;
  return (
    <span class="bar" role="presentation">
      <span class={`bar-fill${state ? ` s-${state}` : ''}`} style={{ width }} />
    </span>
  );
}

const ICONS: Record<PlanState, string> = { DONE: '✓', ON_TRACK: '●', LATE: '!', NOT_STARTED: '○' };

/** A state's colour with its word (and icon); `short` shows the icon only, for dense lists, with the word as its label. */
export function StateChip({ state, s, count, short }: { state: PlanState; s: Strings; count?: string; short?: boolean }): JSX.Element {
  return (
    <span class={`chip s-${state}`} title={s.states[state]} aria-label={s.states[state]}>
      <span class="chip-icon" aria-hidden="true">
        {ICONS[state]}
      </span>
      {short ? null : <span class="chip-word">{s.states[state]}</span>}
      {count === undefined ? null : <span class="chip-count">{count}</span>}
    </span>
  );
}

/**
 * Shows `items` `perPage` at a time and turns the page every `seconds` by itself (a TV cannot
 * scroll): full pages first, so the first page is never half empty. Renders the page number when there is more than one page.
 */
export function Paged<T>({
  items,
  perPage,
  seconds = 8,
  render,
  empty,
  class: className,
  pageLabel,
}: {
  items: readonly T[];
  perPage: number;
  seconds?: number;
  render: (item: T, index: number) => ComponentChildren;
  empty?: ComponentChildren;
  class?: string;
  pageLabel?: (page: number, pages: number) => string;
}): JSX.Element {
  const pages = Math.max(1, Math.ceil(items.length / perPage));
  const size = perPage;
  const [page, setPage] = useState(0);
  useEffect(() => {
    if (pages <= 1) return undefined;
    const timer = setInterval(() => setPage((p) => (p + 1) % pages), seconds * 1000);
    return () => clearInterval(timer);
  }, [pages, seconds]);
  const current = Math.min(page, pages - 1);
  const start = current * size;
  return (
    <div class={`paged ${className ?? ''}`}>
      <ul class="paged-list">
        {items.length === 0 ? <li class="empty">{empty}</li> : items.slice(start, start + size).map((item, i) => render(item, start + i))}
      </ul>
      {pages > 1 ? (
        <div class="paged-dots" aria-label={pageLabel?.(current + 1, pages)}>
          {Array.from({ length: pages }, (_, i) => (
            <span class={i === current ? 'dot on' : 'dot'} />
          ))}
        </div>
      ) : null}
    </div>
  );
}

/** The current time, refreshed every `everyMs` (for "2 menit lalu" and the clock). */
export function useNow(everyMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** The button that switches the desk to the other language, named in that language (with its `lang`). */
export function LangSwitch({ lang, onLang, class: className }: { lang: Lang; onLang: (lang: Lang) => void; class: string }): JSX.Element {
  const other: Lang = lang === 'id' ? 'en' : 'id';
  return (
    <button type="button" class={className} lang={other} id="lang-switch" onClick={() => onLang(other)}>
      {LANG_NAMES[other]}
    </button>
  );
}
