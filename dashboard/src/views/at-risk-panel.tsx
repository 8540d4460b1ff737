// The early warning: plans not late yet that their recent pace will make late (City.atRiskActionPlans),
// most days late first, paged by themselves; and the chip that marks them.
import type { JSX } from 'preact';
import type { AtRiskPlan } from '../api/queries';
import type { Format } from '../format';
import type { Strings } from '../i18n';
import { Paged } from '../ui/widgets';

/** The mark of "diperkirakan terlambat": amber, with its icon (never colour alone) and, `short`, without its word. */
export function AtRiskChip({ s, count, short }: { s: Strings; count?: string; short?: boolean }): JSX.Element {
  return (
    <span class="chip at-risk" title={s.atRisk} aria-label={s.atRisk}>
      <span class="chip-icon" aria-hidden="true">
        ▲
      </span>
      {short ? null : <span class="chip-word">{s.atRisk}</span>}
      {count === undefined ? null : <span class="chip-count">{count}</span>}
    </span>
  );
}

/** When a plan will be done at its pace and how late: "selesai ± 29 Apr 2027 · lewat 2 bulan", or "tidak bergerak". */
export function forecastText(plan: AtRiskPlan, s: Strings, f: Format): string {
  const { expectedCompletion, daysLate } = plan.forecast ?? { expectedCompletion: null, daysLate: null };
  if (expectedCompletion === null || daysLate === null) return s.notMoving;
  return `${s.expectedOn(f.date(expectedCompletion))} · ${s.lateBy(f.span(daysLate))}`;
}

/** The panel of plans forecast late; `perPage` rows a page. */
export function AtRiskPanel({
  atRisk,
  s,
  f,
  perPage,
}: {
  atRisk: { totalCount: number; items: readonly AtRiskPlan[] };
  s: Strings;
  f: Format;
  perPage: number;
}): JSX.Element {
  return (
    <div class="panel at-risk-panel">
      <h2 class="panel-title">
        <AtRiskChip s={s} count={`(${f.int(atRisk.totalCount)})`} />
      </h2>
      <Paged
        items={atRisk.items}
        perPage={perPage}
        empty={s.noAtRisk}
        pageLabel={s.page}
        render={(p) => (
          <li class="row" key={p.id} data-plan={p.id}>
            <span class="row-main">
              <span class="abbr">{p.ownerOpd.abbreviation}</span> {p.title}
            </span>
            <span class="row-side">
              {f.percent(p.progress)} · {forecastText(p, s, f)}
            </span>
          </li>
        )}
      />
    </div>
  );
}
