// "Masterplan": the masterplan of a period as a tree (see tree.tsx), filtered by OPD, dimension,
// tag and state, with the masterplan's own form and a form for another period.
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { explain, gq } from '../lib';
import { Notice } from '../ui';
import { DIMENSIONS, TREE_PLANS_QUERY, TREE_QUERY, type MasterplanRow, type PartProps, type PlanRow, type TreeData } from './data';
import { AddForm, EntityForm } from './form';
import { narrowsPlans, planMatches, type TreeFilter } from './pure';
import { masterplanSpec } from './specs';
import { DimensionNode, toFilterable, type TreeCtx } from './tree';
import { useWords } from './words';

interface TreeAnswer {
  tagCatalogs: TreeData['catalogs'];
  city: {
    opds: TreeData['opds'];
    overview: { today: string; dimensions: TreeData['dimensions'] };
    masterplans: MasterplanRow[];
  };
}

/** Reads the tree: the masterplans and programs in one request, the plans 50 at a time. */
async function loadTree(ctx: PartProps['ctx']): Promise<TreeData> {
  const head = await gq<TreeAnswer>(ctx, TREE_QUERY, { city: ctx.cityId });
  const plans: PlanRow[] = [];
  let after: string | null = null;
  for (;;) {
    const page: { city: { actionPlans: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: PlanRow }[] } } } =
      await gq(ctx, TREE_PLANS_QUERY, { city: ctx.cityId, after });
    plans.push(...page.city.actionPlans.edges.map((e) => e.node));
    if (!page.city.actionPlans.pageInfo.hasNextPage || !page.city.actionPlans.pageInfo.endCursor) break;
    after = page.city.actionPlans.pageInfo.endCursor;
  }
  return {
    today: head.city.overview.today,
    dimensions: head.city.overview.dimensions,
    opds: head.city.opds,
    masterplans: head.city.masterplans,
    plans,
    catalogs: head.tagCatalogs,
  };
}

const EMPTY: TreeFilter = { opd: '', dimension: '', tag: '', state: '' };

/** The part. */
export function MasterplanSection({ ctx, tick, reload }: PartProps): JSX.Element {
  const w = useWords(ctx);
  const [data, setData] = useState<TreeData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [filter, setFilter] = useState<TreeFilter>(EMPTY);
  const [open, setOpen] = useState<Set<string>>(() => new Set(DIMENSIONS.map((d) => `d:${d}`)));
  const [editing, setEditing] = useState<Set<string>>(new Set());
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const seen = useRef(new Set<string>());
  useEffect(() => {
    let alive = true;
    loadTree(ctx)
      .then((d) => {
        if (!alive) return;
        setData(d);
        setError(null);
        // Programs unfold the first time they are seen (a new one too); what the person folded stays folded.
        const fresh = d.masterplans.flatMap((m) => m.programs.map((p) => p.id)).filter((id) => !seen.current.has(id));
        for (const id of fresh) seen.current.add(id);
        if (fresh.length) setOpen((o) => new Set([...o, ...fresh.map((id) => `p:${id}`)]));
      })
      .catch((e: unknown) => alive && setError(explain(e, ctx.w)));
    return () => {
      alive = false;
    };
  }, [tick, ctx.cityId, ctx.lang]);
  const masterplan = data?.masterplans.find((m) => m.id === chosen) ?? data?.masterplans[0] ?? null;
  const title = w.tree.title(ctx.city.name, masterplan ? `${masterplan.startYear}–${masterplan.endYear}` : null);
  useEffect(() => {
    document.title = `${title} — Pantau`;
  }, [title]);
  if (error && !data) return <Notice kind="error">{error}</Notice>;
  if (!data) return <p role="status">{w.page.loading}</p>;

  const toggle = (set: Set<string>, key: string, on?: boolean): Set<string> => {
    const next = new Set(set);
    if (on ?? !next.has(key)) next.add(key);
    else next.delete(key);
    return next;
  };
  const t: TreeCtx | null = masterplan
    ? {
        ctx,
        w,
        data,
        masterplan,
        filter,
        reload,
        open,
        toggle: (k) => setOpen((s) => toggle(s, k)),
        editing,
        toggleEdit: (k, on) => {
          setEditing((s) => toggle(s, k, on));
          if (k.startsWith('a:') && on !== true) setDrafts(({ [k.slice(2)]: _, ...rest }) => rest);
        },
        drafts,
        setDraft: (id, text) => setDrafts(({ [id]: _, ...rest }) => (text === null ? rest : { ...rest, [id]: text })),
        say: setNotice,
      }
    : null;
  const programs = masterplan?.programs ?? [];
  const planIds = new Set(programs.map((p) => p.id));
  const plans = data.plans.filter((p) => planIds.has(p.program.id));
  const matching = plans.filter((p) => planMatches(toFilterable(p), filter));
  const narrowed = narrowsPlans(filter);
  const dims = data.dimensions.filter((d) => !filter.dimension || d.dimension === filter.dimension);
  const shownPrograms = (dimension: string) =>
    programs.filter((p) => p.dimension === dimension && (!narrowed || matching.some((x) => x.program.id === p.id)));
  const setF = (patch: Partial<TreeFilter>): void => {
    setFilter({ ...filter, ...patch });
    // A filter shows what matches: unfold down to the plans.
    setOpen((o) => new Set([...o, ...DIMENSIONS.map((d) => `d:${d}`), ...programs.map((p) => `p:${p.id}`)]));
  };
  return (
    <div>
      <h1>{title}</h1>
      <p class="dk-lead">{w.tree.lead}</p>
      {error ? <Notice kind="error">{error}</Notice> : null}
      {!masterplan ? (
        <EntityForm
          ctx={ctx}
          spec={masterplanSpec(w, ctx.cityId)}
          obj={null}
          prefix="new-masterplan"
          title={w.tree.createMasterplan}
          submitLabel={w.tree.createMasterplanButton}
          onSaved={(id) => setChosen(id)}
          onReload={reload}
        />
      ) : (
        <MasterplanHead t={t!} all={data.masterplans} onChoose={setChosen} />
      )}
      {masterplan && t ? (
        <>
          <form class="dk-panel su-filters" role="search" aria-label={w.tree.filterLabel} onSubmit={(e) => e.preventDefault()}>
            <div class="dk-grid">
              <div class="dk-field">
                <label for="f-opd">{w.tree.filterOpd}</label>
                <select id="f-opd" value={filter.opd} onChange={(e) => setF({ opd: (e.target as HTMLSelectElement).value })}>
                  <option value="">{w.tree.allOpds}</option>
                  {data.opds.map((o) => (
                    <option value={o.id}>{o.name}</option>
                  ))}
                </select>
              </div>
              <div class="dk-field">
                <label for="f-dimension">{w.tree.dimension}</label>
                <select
                  id="f-dimension"
                  value={filter.dimension}
                  onChange={(e) => setF({ dimension: (e.target as HTMLSelectElement).value })}
                >
                  <option value="">{w.tree.allDimensions}</option>
                  {data.dimensions.map((d) => (
                    <option value={d.dimension}>{d.label}</option>
                  ))}
                </select>
              </div>
              <div class="dk-field">
                <label for="f-tag">{w.tree.tag}</label>
                <select id="f-tag" value={filter.tag} onChange={(e) => setF({ tag: (e.target as HTMLSelectElement).value })}>
                  <option value="">{w.tree.allTags}</option>
                  {data.catalogs.map((c) => (
                    <optgroup label={c.name}>
                      {c.tags.map((x) => (
                        <option value={x.id}>
                          {x.code} — {x.name}
                        </option>
                      ))}
                    </optgroup>
                  ))}
                </select>
              </div>
              <div class="dk-field">
                <label for="f-state">{w.tree.state}</label>
                <select id="f-state" value={filter.state} onChange={(e) => setF({ state: (e.target as HTMLSelectElement).value })}>
                  <option value="">{w.tree.allStates}</option>
                  {(['LATE', 'NOT_STARTED', 'ON_TRACK', 'DONE'] as const).map((s) => (
                    <option value={s}>{w.states[s]}</option>
                  ))}
                </select>
              </div>
            </div>
            <p class="dk-hint" role="status" id="tree-count">
              {w.tree.showing(matching.length, plans.length, Object.values(filter).some(Boolean))}
            </p>
            <div class="dk-actions">
              {Object.values(filter).some(Boolean) ? (
                <button type="button" class="dk-btn dk-quiet" data-action="clear-filter" onClick={() => setFilter(EMPTY)}>
                  {w.tree.clearFilter}
                </button>
              ) : null}
              <button
                type="button"
                class="dk-btn dk-quiet"
                data-action="unfold-all"
                onClick={() =>
                  setOpen(
                    new Set([...DIMENSIONS.map((d) => `d:${d}`), ...programs.map((p) => `p:${p.id}`), ...plans.map((p) => `a:${p.id}`)]),
                  )
                }
              >
                {w.tree.unfoldAll}
              </button>
              <button type="button" class="dk-btn dk-quiet" data-action="fold-all" onClick={() => setOpen(new Set())}>
                {w.tree.foldAll}
              </button>
            </div>
          </form>
          {notice ? <Notice kind="ok">{notice}</Notice> : null}
          <ul class="su-tree" id="tree" aria-label={w.tree.treeLabel}>
            {dims
              .filter((d) => !narrowed || shownPrograms(d.dimension).length > 0)
              .map((d) => (
                <DimensionNode t={t} dimension={d.dimension} label={d.label} programs={shownPrograms(d.dimension)} key={d.dimension} />
              ))}
          </ul>
          {narrowed && matching.length === 0 ? <p>{w.tree.nothingMatches}</p> : null}
        </>
      ) : null}
    </div>
  );
}

function MasterplanHead({ t, all, onChoose }: { t: TreeCtx; all: MasterplanRow[]; onChoose: (id: string) => void }): JSX.Element {
  const { ctx, w, masterplan } = t;
  const [editing, setEditing] = useState(false);
  return (
    <div class="dk-panel su-mp" data-masterplan={masterplan.id}>
      <div class="su-item-head">
        <div>
          <h2>{masterplan.title}</h2>
          <p class="dk-meta">
            {w.tree.period(masterplan.startYear, masterplan.endYear)}
            {masterplan.vision ? ` · ${w.tree.visionShort(masterplan.vision)}` : ''}
          </p>
        </div>
        <button type="button" class="dk-btn" data-action="edit-masterplan" aria-expanded={editing} onClick={() => setEditing(!editing)}>
          {editing ? w.form.close : w.tree.editMasterplan}
        </button>
      </div>
      {all.length > 1 ? (
        <div class="dk-field">
          <label for="mp-choose">{w.tree.chooseMasterplan}</label>
          <select id="mp-choose" value={masterplan.id} onChange={(e) => onChoose((e.target as HTMLSelectElement).value)}>
            {all.map((m) => (
              <option value={m.id}>
                {m.title} ({m.startYear}–{m.endYear})
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {editing ? (
        <EntityForm
          ctx={ctx}
          spec={masterplanSpec(w, ctx.cityId)}
          obj={masterplan}
          prefix={`mp-${masterplan.id}`}
          submitLabel={w.form.saveChanges}
          onSaved={() => setEditing(false)}
          onReload={t.reload}
          onCancel={() => setEditing(false)}
          archiveQuestion={w.tree.archiveMasterplan}
        />
      ) : null}
      <AddForm
        ctx={ctx}
        spec={masterplanSpec(w, ctx.cityId)}
        prefix="another-masterplan"
        label={w.tree.anotherMasterplan}
        submitLabel={w.tree.createMasterplanButton}
        onSaved={(id) => onChoose(id)}
        onReload={t.reload}
      />
    </div>
  );
}
