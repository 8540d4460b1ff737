// Dimensi: each of the six dimensions with its programs and action plans, paged by themselves, every
// name on up to two lines (readable at 5 m, not cut after a few words).
import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import type { Plan, Program } from '../api/queries';
import { AnimatedNumber, Bar, Paged, StateChip } from '../ui/widgets';
import type { ViewProps } from './common';

/** Lines of names a page of a dimension's card holds (at 2.8 rem, with the gaps between rows). */
const LINES_PER_PAGE = 8;
/** About how many characters of a name fit on one line of a card (a little fewer than measured). */
const CHARS_PER_LINE = 22;
/** A name takes at most this many lines. */
const MAX_LINES = 3;
/** A name longer than this (characters) is set a little tighter, so it fits in its lines. */
const LONG_NAME = 48;

const linesOf = (name: string): number => Math.min(MAX_LINES, Math.ceil(name.length / CHARS_PER_LINE));

type Row = { kind: 'program'; item: Program } | { kind: 'plan'; item: Plan };

/**
 * The card's pages: its programs first, then its plans (late first), as many rows a page as their
 * names' lines fit in LINES_PER_PAGE (a gap between rows counts a quarter line).
 */
function pagesOf(programs: readonly Program[], plans: readonly Plan[]): Row[][] {
  const rows: Row[] = [
    ...programs.map((item) => ({ kind: 'program' as const, item })),
    ...plans.map((item) => ({ kind: 'plan' as const, item })),
  ];
  const pages: Row[][] = [];
  let page: Row[] = [];
  let used = 0;
  for (const row of rows) {
    const lines = linesOf(row.kind === 'program' ? row.item.name : row.item.title);
    if (page.length && used + 0.25 + lines > LINES_PER_PAGE) {
      pages.push(page);
      page = [];
      used = 0;
    }
    used += (page.length ? 0.25 : 0) + lines;
    page.push(row);
  }
  if (page.length) pages.push(page);
  return pages;
}

/** The dimensions view. */
export function Dimensi({ snapshot, s, f }: ViewProps): JSX.Element {
  const { overview } = snapshot;
  const grouped = useMemo(() => {
    const programs = new Map<string, Program[]>();
    const plans = new Map<string, Plan[]>();
    for (const p of snapshot.programs) programs.set(p.dimension, [...(programs.get(p.dimension) ?? []), p]);
    for (const p of snapshot.plans) plans.set(p.dimension, [...(plans.get(p.dimension) ?? []), p]);
    // Late first, then the least progressed: what needs attention is on the first page.
    const rank = { LATE: 0, NOT_STARTED: 1, ON_TRACK: 2, DONE: 3 } as const;
    for (const list of plans.values()) list.sort((a, b) => rank[a.state] - rank[b.state] || a.progress - b.progress);
    return { programs, plans };
  }, [snapshot.programs, snapshot.plans]);
  return (
    <section class="view dimensi" data-view="dimensi">
      {overview.dimensions.map((d) => {
        const programs = grouped.programs.get(d.dimension) ?? [];
        const plans = grouped.plans.get(d.dimension) ?? [];
        return (
          <div class="dim-card tile" data-glow data-dimension={d.dimension}>
            <span class="dim-label">{d.label}</span>
            <div class="dim-row">
              <Bar value={d.progress} />
              <AnimatedNumber class="dim-value" value={d.progress} format={f.percent} />
            </div>
            <Paged
              items={pagesOf(programs, plans)}
              perPage={1}
              seconds={7}
              class="dim-pages"
              pageLabel={s.page}
              render={(page) =>
                page.map((row) =>
                  row.kind === 'program' ? (
                    <li class="program" key={row.item.id}>
                      <span class="program-name" data-long={row.item.name.length > LONG_NAME ? '' : undefined}>
                        {row.item.quickWin ? (
                          <span class="qw-mark" title={s.quickWins}>
                            ★
                          </span>
                        ) : null}
                        {row.item.name}
                      </span>
                      <span class="program-value">{f.percent(row.item.progress)}</span>
                    </li>
                  ) : (
                    <li class="plan" key={row.item.id}>
                      <StateChip state={row.item.state} s={s} short />
                      <span class="plan-title" data-long={row.item.title.length > LONG_NAME ? '' : undefined}>
                        {row.item.title}
                      </span>
                      <span class="plan-value">{f.percent(row.item.progress)}</span>
                    </li>
                  ),
                )
              }
            />
          </div>
        );
      })}
    </section>
  );
}
