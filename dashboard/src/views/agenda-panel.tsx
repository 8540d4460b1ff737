// The next three things on the programme calendar (City.upcoming): an activity, the monev visit or
// a deliverable due, each with how far away it is, what it is and who owns it. Shown on Ringkasan.
import type { JSX } from 'preact';
import type { AgendaItem } from '../api/queries';
import type { Format } from '../format';
import type { Strings } from '../i18n';

/** The agenda panel. */
export function AgendaPanel({ items, s, f }: { items: readonly AgendaItem[]; s: Strings; f: Format }): JSX.Element {
  return (
    <div class="panel agenda">
      <h2 class="panel-title">{s.agenda}</h2>
      <ul class="agenda-list">
        {items.length === 0 ? <li class="empty">{s.noAgenda}</li> : null}
        {items.map((a) => (
          <li class={`row agenda-row agenda-${a.kind}`} key={`${a.kind}-${a.date}-${a.title}`} data-agenda={a.kind}>
            <span class="row-main">
              {a.kind === 'EVALUATION_VISIT' ? <span class="agenda-kind">★ </span> : null}
              {a.title}
            </span>
            <span class="row-sub">
              <span class="agenda-when">{a.daysAway === 0 ? s.today : s.inDays(f.days(a.daysAway))}</span> ·{' '}
              {a.done ? `✓ ${s.delivered}` : kindWord(a, s)}
              {a.ownerOpd ? ` · ${a.ownerOpd.abbreviation}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function kindWord(a: AgendaItem, s: Strings): string {
  if (a.kind === 'EVALUATION_VISIT') return s.visit;
  if (a.kind === 'DELIVERABLE') return s.deliverable;
  return s.agendaKinds[a.activityKind ?? 'OTHER'] ?? s.agendaKinds.OTHER ?? '';
}
