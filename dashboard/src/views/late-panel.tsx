// The city's late plans, most overdue first, paged by themselves: one panel for Ringkasan and OPD.
import type { JSX } from 'preact';
import type { Overview } from '../api/queries';
import type { Format } from '../format';
import type { Strings } from '../i18n';
import { Paged, StateChip } from '../ui/widgets';
import { lateness } from './common';

/** The late plans panel; `inline` puts each plan's figures beside its title (wide columns); `perPage` rows a page (4). */
export function LatePanel({
  overview,
  s,
  f,
  inline = false,
  seconds,
  perPage = 4,
}: {
  overview: Overview;
  s: Strings;
  f: Format;
  inline?: boolean;
  seconds?: number;
  perPage?: number;
}): JSX.Element {
  return (
    <div class="panel late">
      <h2 class="panel-title">
        <StateChip state="LATE" s={s} count={`(${f.int(overview.counts.late)})`} />
      </h2>
      <Paged
        items={overview.lateActionPlans}
        perPage={perPage}
        {...(seconds === undefined ? {} : { seconds })}
        empty={s.noLate}
        pageLabel={s.page}
        render={(p) => (
          <li class={inline ? 'row late-row' : 'row'} key={p.id}>
            <span class="row-main">
              <span class="abbr">{p.ownerOpd.abbreviation}</span> {p.title}
            </span>
            <span class="row-side">
              {f.percent(p.progress)} · {lateness(p.dueDate, overview.today, s, f)}
            </span>
          </li>
        )}
      />
    </div>
  );
}
