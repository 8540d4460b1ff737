// OPD: the agencies ranked by progress, with their late plans, the plans forecast late and their reports not yet verified.
import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import { excerpt } from '../format';
import { AnimatedNumber, Bar, Paged, StateChip } from '../ui/widgets';
import { nameReports, plansById, type ViewProps } from './common';
import { AtRiskChip, AtRiskPanel } from './at-risk-panel';
import { LatePanel } from './late-panel';

/** The agencies view. */
export function OpdView({ snapshot, s, f }: ViewProps): JSX.Element {
  const { overview, city } = snapshot;
  const byId = useMemo(() => plansById(snapshot.plans), [snapshot.plans]);
  const ranked = useMemo(
    () =>
      [...overview.opds]
        .filter((o) => o.actionPlanCount > 0)
        .sort((a, b) => b.progress - a.progress || a.abbreviation.localeCompare(b.abbreviation)),
    [overview.opds],
  );
  const unverified = useMemo(() => nameReports(snapshot.unverified.items, byId), [snapshot.unverified.items, byId]);
  const unverifiedByOpd = useMemo(() => {
    const counts = new Map<string, number>();
    for (const r of unverified) if (r.plan) counts.set(r.plan.ownerOpd.id, (counts.get(r.plan.ownerOpd.id) ?? 0) + 1);
    return counts;
  }, [unverified]);
  const atRiskByOpd = useMemo(() => {
    const counts = new Map<string, number>();
    for (const p of snapshot.atRisk.items) counts.set(p.ownerOpd.id, (counts.get(p.ownerOpd.id) ?? 0) + 1);
    return counts;
  }, [snapshot.atRisk.items]);
  return (
    <section class="view opd" data-view="opd">
      <div class="panel ranking">
        <h2 class="panel-title">{s.opdRanking}</h2>
        <Paged
          items={ranked}
          perPage={10}
          pageLabel={s.page}
          render={(o, i) => (
            <li class="row rank-row tile" key={o.id} data-glow data-opd={o.abbreviation}>
              <span class="rank">{i + 1}</span>
              <span class="rank-name">
                <span class="abbr">{o.abbreviation}</span>
                <span class="rank-full">{o.name}</span>
              </span>
              <Bar value={o.progress} />
              <AnimatedNumber class="rank-value" value={o.progress} format={f.percent} />
              <span class="rank-flag">{o.lateCount > 0 ? <StateChip state="LATE" s={s} short count={f.int(o.lateCount)} /> : null}</span>
              <span class="rank-flag">
                {atRiskByOpd.get(o.id) ? <AtRiskChip s={s} short count={f.int(atRiskByOpd.get(o.id) ?? 0)} /> : null}
              </span>
              <span class="rank-flag">
                {unverifiedByOpd.get(o.id) ? (
                  <span class="chip pending" title={s.unverified}>
                    ◔ {f.int(unverifiedByOpd.get(o.id) ?? 0)}
                  </span>
                ) : null}
              </span>
            </li>
          )}
        />
        <p class="rank-legend">
          <StateChip state="LATE" s={s} short /> {s.states.LATE.toLowerCase()} · <AtRiskChip s={s} short /> {s.atRisk.toLowerCase()} ·{' '}
          <span class="chip pending">◔</span> {s.unverified.toLowerCase()}
        </p>
      </div>
      <div class="side">
        <LatePanel overview={overview} s={s} f={f} perPage={2} />
        <AtRiskPanel atRisk={snapshot.atRisk} s={s} f={f} perPage={2} />
        <div class="panel pending-panel">
          <h2 class="panel-title">
            {s.unverified} ({f.int(snapshot.unverified.totalCount)})
          </h2>
          <Paged
            items={unverified}
            perPage={2}
            empty={s.noUnverified}
            pageLabel={s.page}
            render={(r) => (
              <li class="row" key={r.id}>
                <span class="row-main">
                  <span class="abbr">{r.plan?.ownerOpd.abbreviation ?? '—'}</span> {r.plan?.title ?? ''}{' '}
                  <strong>{f.percent(r.percent)}</strong>
                </span>
                <span class="row-sub">
                  {f.stamp(r.reportedAt, city.timeZone)} · {excerpt(r.narrative, 60)}
                </span>
              </li>
            )}
          />
        </div>
      </div>
    </section>
  );
}
