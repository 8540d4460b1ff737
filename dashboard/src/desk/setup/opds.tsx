// "OPD": the city's agencies — add one, rename it (name, short name, head, leading sector), archive it.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Notice } from '../ui';
import { OPDS_QUERY, type OpdRow, type PartProps } from './data';
import { EditableList, EntityForm, useQuery, type FormSpec } from './form';
import { useWords, type Words } from './words';

function opdSpec(w: Words, cityId: string): FormSpec<OpdRow> {
  return {
    entity: 'Opd',
    parent: { cityId },
    fields: [
      { key: 'name', label: w.opds.name, kind: 'text', required: true, maxLength: 200, hint: w.opds.nameHint, wide: true },
      { key: 'abbreviation', label: w.opds.abbreviation, kind: 'text', required: true, maxLength: 40, hint: w.opds.abbreviationHint },
      { key: 'head', label: w.opds.head, kind: 'text', maxLength: 200, hint: w.opds.headHint },
      { key: 'leadingSector', label: w.opds.leadingSector, kind: 'bool', hint: w.opds.leadingSectorHint },
    ],
    values: (o) => ({
      name: o?.name ?? '',
      abbreviation: o?.abbreviation ?? '',
      head: o?.head ?? '',
      leadingSector: o?.leadingSector ?? false,
    }),
  };
}

/** The part. */
export function OpdsSection({ ctx, tick, reload }: PartProps): JSX.Element {
  const w = useWords(ctx);
  const { data, error } = useQuery(ctx, OPDS_QUERY, tick);
  const [notice, setNotice] = useState<string | null>(null);
  const opds = data?.city.opds ?? null;
  const title = w.opds.title(ctx.city.name, opds?.length ?? null);
  useEffect(() => {
    document.title = `${title} — Pantau`;
  }, [title]);
  const spec = opdSpec(w, ctx.cityId);
  return (
    <div>
      <h1>{title}</h1>
      <p class="dk-lead">{w.opds.lead}</p>
      <EntityForm
        ctx={ctx}
        spec={spec}
        obj={null}
        prefix="new-opd"
        title={w.opds.add}
        submitLabel={w.opds.addButton}
        onSaved={() => setNotice(w.opds.added)}
        onReload={reload}
      />
      <div class="dk-panel">
        <h2>{w.opds.list}</h2>
        {error ? <Notice kind="error">{error}</Notice> : null}
        {notice ? <Notice kind="ok">{notice}</Notice> : null}
        {opds === null ? <p role="status">{w.page.loading}</p> : opds.length === 0 ? <p>{w.opds.none}</p> : null}
        <EditableList
          ctx={ctx}
          items={opds ?? []}
          spec={spec}
          prefix="opd"
          listId="opds"
          dataKey={(o) => o.abbreviation}
          reload={reload}
          onChanged={setNotice}
          archiveQuestion={(o) => (o.actionPlans.totalCount ? w.opds.archiveWithPlans(o.actionPlans.totalCount) : w.opds.archiveQuestion)}
          summary={(o) => (
            <div>
              <strong>{o.name}</strong> <span class="dk-muted">· {o.abbreviation}</span>
              {o.leadingSector ? <span class="dk-status st-VERIFIED su-badge-gap">{w.opds.leading}</span> : null}
              <div class="dk-meta">
                {o.head ? `${o.head} · ` : ''}
                {w.opds.plans(o.actionPlans.totalCount)}
              </div>
            </div>
          )}
        />
      </div>
    </div>
  );
}
