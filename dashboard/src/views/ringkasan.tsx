// Ringkasan kota: the city at one glance — progress, six dimensions, states, quick wins, the late
// plans with their OPDs, the latest reports as they arrive, and the next three agenda items.
import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import { excerpt } from '../format';
import type { PlanState } from '../i18n';
import { AnimatedNumber, Bar, Paged, StateChip } from '../ui/widgets';
import { nameReports, plansById, type ViewProps } from './common';
import { AgendaPanel } from './agenda-panel';
import { LatePanel } from './late-panel';

const STATE_ORDER: [PlanState, 'done' | 'onTrack' | 'late' | 'notStarted'][] = [
  ['DONE', 'done'],
  ['ON_TRACK', 'onTrack'],
  ['LATE', 'late'],
  ['NOT_STARTED', 'notStarted'],
];

/** The overview view. */
export function Ringkasan({ snapshot, s, f, basis }: ViewProps): JSX.Element {
  const { overview, city } = snapshot;
  const byId = useMemo(() => plansById(snapshot.plans), [snapshot.plans]);
  const feed = useMemo(() => nameReports(snapshot.reports, byId), [snapshot.reports, byId]);
  const pct = f.percent;
  return (
    <section class="view ringkasan" data-view="ringkasan">
      <div class="hero">
        <div class="tile headline" data-glow>
          <AnimatedNumber class="headline-value" value={overview.progress} format={pct} />
          <span class="headline-label">{s.cityProgress}</span>
          <span class="headline-basis" data-basis={basis}>
            {basis === 'VERIFIED' ? '✓ ' : ''}
            {s.basisWord[basis]}
          </span>
          <div class="stack" aria-hidden="true">
            {STATE_ORDER.map(([state, key]) => (
              <span class={`stack-part s-${state}`} style={{ flexGrow: overview.counts[key] }} />
            ))}
          </div>
          <span class="headline-sub">
            {f.int(overview.counts.total)} {s.plans}
          </span>
        </div>
        <div class="dims">
          {overview.dimensions.map((d) => (
            <div class="dim tile" data-glow data-dimension={d.dimension}>
              <span class="dim-label">{d.label}</span>
              <div class="dim-row">
                <Bar value={d.progress} />
                <AnimatedNumber class="dim-value" value={d.progress} format={pct} />
              </div>
            </div>
          ))}
        </div>
      </div>
      <div class="counts">
        {STATE_ORDER.map(([state, key]) => (
          <div class={`count tile count-${key}`} data-glow data-state={state}>
            <StateChip state={state} s={s} />
            <AnimatedNumber class="count-value" value={overview.counts[key]} format={f.int} />
          </div>
        ))}
      </div>
      <div class="quickwins">
        <span class="label">{s.quickWins}</span>
        <Paged
          items={overview.quickWins}
          perPage={3}
          seconds={10}
          class="qw-pages"
          pageLabel={s.page}
          render={(q) => (
            <li class="qw tile" data-glow key={q.id}>
              <span class="qw-name">{q.name}</span>
              <AnimatedNumber class="qw-value" value={q.progress} format={pct} />
            </li>
          )}
        />
      </div>
      <div class="lists">
        <LatePanel overview={overview} s={s} f={f} seconds={7} perPage={3} />
        <div class="panel feed">
          <h2 class="panel-title">{s.latestReports}</h2>
          <ul class="feed-list">
            {feed.length === 0 ? <li class="empty">{s.noReports}</li> : null}
            {feed.slice(0, 3).map((r) => (
              <li class="row feed-row" key={r.id} data-report={r.id}>
                <span class="feed-head">
                  <span class="row-main">
                    <span class="abbr">{r.plan?.ownerOpd.abbreviation ?? '—'}</span> · {r.plan?.title ?? ''}
                  </span>
                  <strong class="feed-pct">{f.percent(r.percent)}</strong>
                </span>
                <span class="row-sub">
                  <span class="time">{f.stamp(r.reportedAt, city.timeZone)}</span> · {excerpt(r.narrative, 90)}
                </span>
              </li>
            ))}
          </ul>
        </div>
        <AgendaPanel items={snapshot.agenda ?? []} s={s} f={f} />
      </div>
    </section>
  );
}
