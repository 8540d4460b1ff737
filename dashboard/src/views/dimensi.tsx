// Dimensi: each of the six dimensions with its programs and action plans.
import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import type { Plan, Program } from '../api/queries';
import { AnimatedNumber, Bar, Paged, StateChip } from '../ui/widgets';
import type { ViewProps } from './common';

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
            <ul class="programs">
              {programs.slice(0, 3).map((p) => (
                <li class="program">
                  <span class="program-name">
                    {p.quickWin ? (
                      <span class="qw-mark" title={s.quickWins}>
                        ★
                      </span>
                    ) : null}
                    {p.name}
                  </span>
                  <span class="program-value">{f.percent(p.progress)}</span>
                </li>
              ))}
            </ul>
            <Paged
              items={plans}
              perPage={4}
              seconds={7}
              class="plans"
              pageLabel={s.page}
              render={(p) => (
                <li class="plan" key={p.id}>
                  <StateChip state={p.state} s={s} short />
                  <span class="plan-title">{p.title}</span>
                  <span class="plan-value">{f.percent(p.progress)}</span>
                </li>
              )}
            />
          </div>
        );
      })}
    </section>
  );
}
