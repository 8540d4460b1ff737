// "Kalender": the programme's activities (bimtek phases, MoU signing, meetings, deadlines) and the
// ministry's evaluation visits, each with its owner and the deliverables due for it.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Notice } from '../ui';
import { CALENDAR_QUERY, type ActivityRow, type PartProps, type VisitRow } from './data';
import { EditableList, useQuery, type DeliverableRow, type FieldDef, type FormSpec, type Values } from './form';
import { isYmd } from './pure';
import { useWords, type Words } from './words';

const KINDS = ['BIMTEK', 'MOU_SIGNING', 'MEETING', 'PRESENTATION', 'MASTERPLAN_DEADLINE', 'YEARLY_REVIEW', 'OTHER'] as const;

function ownerFields(w: Words, opds: { id: string; name: string }[]): FieldDef[] {
  return [
    {
      key: 'ownerOpdId',
      label: w.calendar.ownerOpd,
      kind: 'select',
      options: opds.map((o) => [o.id, o.name]),
      empty: w.calendar.noOwner,
      audit: 'ownerOpd',
    },
    { key: 'ownerName', label: w.calendar.ownerName, kind: 'text', maxLength: 200, hint: w.calendar.ownerNameHint },
    { key: 'deliverables', label: w.calendar.deliverables, kind: 'deliverables', hint: w.calendar.deliverablesHint },
  ];
}

const endNotBefore =
  (w: Words) =>
  (v: Values): string | undefined => {
    const a = v['startDate'];
    const b = v['endDate'];
    return typeof a === 'string' && typeof b === 'string' && isYmd(a) && isYmd(b) && b < a ? w.calendar.endBeforeStart : undefined;
  };

const deliverables = (d: { deliverables: DeliverableRow[] } | null): DeliverableRow[] =>
  d?.deliverables.map((x) => ({ title: x.title, dueDate: x.dueDate, done: x.done })) ?? [];

function activitySpec(w: Words, cityId: string, opds: { id: string; name: string }[]): FormSpec<ActivityRow> {
  return {
    entity: 'Activity',
    parent: { cityId },
    fields: [
      { key: 'title', label: w.calendar.title, kind: 'text', required: true, maxLength: 300, wide: true },
      { key: 'kind', label: w.calendar.kind, kind: 'select', required: true, options: KINDS.map((k) => [k, w.calendar.kinds[k]]) },
      {
        key: 'phase',
        label: w.calendar.phase,
        kind: 'int',
        min: 1,
        max: 10,
        hint: w.calendar.phaseHint,
        shown: (v) => v['kind'] === 'BIMTEK',
      },
      { key: 'startDate', label: w.calendar.start, kind: 'date', required: true },
      { key: 'endDate', label: w.calendar.end, kind: 'date', hint: w.calendar.endHint, check: endNotBefore(w) },
      { key: 'place', label: w.calendar.place, kind: 'text', maxLength: 300 },
      ...ownerFields(w, opds),
      { key: 'outcome', label: w.calendar.outcome, kind: 'textarea', maxLength: 10_000, hint: w.calendar.outcomeHint },
    ],
    values: (a) => ({
      title: a?.title ?? '',
      kind: a?.kind ?? 'MEETING',
      phase: a?.phase ? String(a.phase) : '',
      startDate: a?.startDate ?? '',
      endDate: a?.endDate ?? '',
      place: a?.place ?? '',
      ownerOpdId: a?.ownerOpd?.id ?? '',
      ownerName: a?.ownerName ?? '',
      deliverables: deliverables(a),
      outcome: a?.outcome ?? '',
    }),
  };
}

function visitSpec(w: Words, cityId: string, opds: { id: string; name: string }[]): FormSpec<VisitRow> {
  return {
    entity: 'EvaluationVisit',
    parent: { cityId },
    fields: [
      {
        key: 'evaluator',
        label: w.calendar.evaluator,
        kind: 'text',
        required: true,
        maxLength: 300,
        wide: true,
        hint: w.calendar.evaluatorHint,
      },
      { key: 'startDate', label: w.calendar.start, kind: 'date', required: true },
      { key: 'endDate', label: w.calendar.end, kind: 'date', required: true, check: endNotBefore(w) },
      ...ownerFields(w, opds),
      { key: 'agenda', label: w.calendar.agenda, kind: 'textarea', maxLength: 10_000 },
    ],
    values: (v) => ({
      evaluator: v?.evaluator ?? '',
      startDate: v?.startDate ?? '',
      endDate: v?.endDate ?? '',
      ownerOpdId: v?.ownerOpd?.id ?? '',
      ownerName: v?.ownerName ?? '',
      deliverables: deliverables(v),
      agenda: v?.agenda ?? '',
    }),
  };
}

/** The part. */
export function CalendarSection({ ctx, tick, reload }: PartProps): JSX.Element {
  const w = useWords(ctx);
  const { data, error } = useQuery(ctx, CALENDAR_QUERY, tick);
  const [notice, setNotice] = useState<string | null>(null);
  const title = w.calendar.pageTitle(ctx.city.name);
  useEffect(() => {
    document.title = `${title} — Pantau`;
  }, [title]);
  if (!data) return error ? <Notice kind="error">{error}</Notice> : <p role="status">{w.page.loading}</p>;
  const { opds, overview } = data.city;
  const activities = data.city.activities.edges.map((e) => e.node).sort((a, b) => a.startDate.localeCompare(b.startDate));
  const visits = [...data.city.evaluationVisits].sort((a, b) => a.startDate.localeCompare(b.startDate));
  const range = (a: string, b: string): string => (a === b ? ctx.f.date(a, 'long') : `${ctx.f.date(a, 'long')} – ${ctx.f.date(b, 'long')}`);
  const dues = (list: DeliverableRow[]): string => {
    if (!list.length) return '';
    const open = list.filter((d) => !d.done);
    const late = open.filter((d) => d.dueDate < overview.today).length;
    return ` · ${w.calendar.deliverableCount(list.length, list.length - open.length, late)}`;
  };
  return (
    <div>
      <h1>{title}</h1>
      <p class="dk-lead">{w.calendar.lead}</p>
      {error ? <Notice kind="error">{error}</Notice> : null}
      {notice ? <Notice kind="ok">{notice}</Notice> : null}
      <section class="dk-panel" aria-labelledby="visits-title">
        <h2 id="visits-title">{w.calendar.visits(visits.length)}</h2>
        <EditableList
          add={{ prefix: 'new-visit', label: w.calendar.addVisit, done: w.calendar.visitAdded }}
          empty={w.calendar.noVisits}
          ctx={ctx}
          items={visits}
          spec={visitSpec(w, ctx.cityId, opds)}
          prefix="visit"
          listId="visits"
          dataKey={(v) => `${v.evaluator} ${v.year}`}
          reload={reload}
          onChanged={setNotice}
          archiveQuestion={() => w.calendar.archiveVisit}
          summary={(v) => (
            <div>
              <strong>{w.calendar.visitName(v.year)}</strong> <span class="dk-muted">· {v.evaluator}</span>
              <div class="dk-meta">
                {range(v.startDate, v.endDate)}
                {v.ownerOpd ? ` · ${opds.find((o) => o.id === v.ownerOpd?.id)?.abbreviation ?? ''}` : ''}
                {v.ownerName ? ` · ${v.ownerName}` : ''}
                {dues(v.deliverables)}
              </div>
            </div>
          )}
        />
      </section>
      <section class="dk-panel" aria-labelledby="activities-title">
        <h2 id="activities-title">{w.calendar.activities(activities.length)}</h2>
        <EditableList
          add={{ prefix: 'new-activity', label: w.calendar.addActivity, done: w.calendar.activityAdded }}
          empty={w.calendar.noActivities}
          ctx={ctx}
          items={activities}
          spec={activitySpec(w, ctx.cityId, opds)}
          prefix="activity"
          listId="activities"
          dataKey={(a) => a.title}
          reload={reload}
          onChanged={setNotice}
          archiveQuestion={(a) => w.calendar.archiveActivity(a.title)}
          summary={(a) => (
            <div>
              <strong>{a.title}</strong>{' '}
              <span class="dk-status">
                {w.calendar.kinds[a.kind] ?? a.kind}
                {a.phase ? ` ${w.calendar.phaseShort(a.phase)}` : ''}
              </span>
              <div class="dk-meta">
                {range(a.startDate, a.endDate)}
                {a.place ? ` · ${a.place}` : ''}
                {a.ownerOpd ? ` · ${opds.find((o) => o.id === a.ownerOpd?.id)?.abbreviation ?? ''}` : ''}
                {a.ownerName ? ` · ${a.ownerName}` : ''}
                {dues(a.deliverables)}
              </div>
            </div>
          )}
        />
      </section>
    </div>
  );
}
