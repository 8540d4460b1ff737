// "Verifikasi": the city team's queue of SUBMITTED reports, oldest first, one card per plan (its
// newest report in full, older ones folded under it), each with its OPD, the change since the
// plan's last verified report, the narrative and the evidence. Filters by OPD and plan, pages of
// 20 plans, verifying several plans at once. Verifying a plan's newest report settles its older
// ones explicitly (each verified by its own mutation, so each is audited); return one with a
// required comment. The queue follows the city's events live: after its first read, an event reads
// again only the reports waiting on the plans it names, and puts them in place (the whole queue
// again only on a (re)connect or a gap in the events).
import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { graphql, type ResultOf } from '../api/document';
import type { DeskQueueNodeFragment } from '../api/operations.generated';
import { ago, explain, gq, useCityEvents, when, type CityChange, type DeskCtx } from './lib';
import { filterGroups, groupByPlan, opdChoices, patchPlan, type QueueFilter, type QueueGroup } from './queue';
import { AttachedFiles, EvidenceLinks, Notice } from './ui';

/** What a card shows of a report (the whole queue and one plan's reports read the same). */
const QUEUE_NODE = graphql(`
  fragment DeskQueueNode on ProgressReport {
    id
    version
    percent
    narrative
    obstacles
    evidenceUrls
    evidence {
      evidence {
        id
        title
      }
    }
    reportedAt
    reporterName
    actionPlan {
      id
      title
      code
      verifiedProgress
      ownerOpd {
        id
        name
        abbreviation
      }
    }
  }
`);
type QueueItem = DeskQueueNodeFragment;

const QUEUE_QUERY = graphql(
  `
    query DeskQueue($city: ID!, $after: String) {
      city(id: $city) {
        progressReports(first: 100, after: $after, status: SUBMITTED) {
          totalCount
          pageInfo {
            hasNextPage
            endCursor
          }
          edges {
            node {
              ...DeskQueueNode
            }
          }
        }
      }
    }
  `,
  QUEUE_NODE,
);

/** The reports waiting on a few plans (`p0`, `p1`, …) and how many wait in all: what an event changed, in one request. */
const plansQuery = (n: number): string =>
  `query DeskQueuePlans($city: ID!, ${Array.from({ length: n }, (_, i) => `$p${i}: ID!`).join(', ')}) {
  waiting: city(id: $city) { progressReports(first: 1, status: SUBMITTED) { totalCount } }
  ${Array.from(
    { length: n },
    (_, i) => `p${i}: actionPlan(id: $p${i}) { progressReports(first: 100, status: SUBMITTED) { edges { node { ...DeskQueueNode } } } }`,
  ).join(' ')} }\n${QUEUE_NODE}`;

/** The events that change the queue; a plan's edit only matters to a plan in it. */
const QUEUE_EVENTS = ['PROGRESS_REPORTED', 'PROGRESS_VERIFIED', 'PROGRESS_RETURNED', 'ACTION_PLAN_UPDATED'];
/** Beyond this many plans changed at once, the whole queue is read again. */
const MAX_PLANS_PER_PATCH = 20;

const REVIEW = (m: string): string =>
  `mutation DeskReview($input: ReviewProgressReportInput!) { ${m}(input: $input) { id status version } }`;

/** Plans' waiting reports shown per page of the queue. */
export const GROUPS_PER_PAGE = 20;

export function VerifyPage({ ctx }: { ctx: DeskCtx }): JSX.Element {
  const w = ctx.w.verify;
  const [items, setItems] = useState<QueueItem[] | null>(null);
  /** How many reports wait in all (the queue reads the newest 500). */
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [filter, setFilter] = useState<QueueFilter>({ opd: '', plan: '' });
  const [page, setPage] = useState(0);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [bulk, setBulk] = useState<{ done: number; of: number } | null>(null);
  /** Reports this desk verified or returned: out of the queue, whatever an answer read before says. */
  const mine = useRef(new Set<string>());
  const fresh = (list: readonly QueueItem[]): QueueItem[] => list.filter((r) => !mine.current.has(r.id));
  const plansIn = useRef(new Set<string>());
  plansIn.current = new Set((items ?? []).map((r) => r.actionPlan.id));
  /** Everything again: the first read, a (re)connect, a gap in the city's events. */
  const load = async (): Promise<void> => {
    try {
      // The API lists newest first; the queue is worked oldest first, so read it all (up to 500).
      const all: QueueItem[] = [];
      let after: string | null = null;
      let count = 0;
      for (let n = 0; n < 5; n++) {
        const d: ResultOf<typeof QUEUE_QUERY> = await gq(ctx, QUEUE_QUERY, { city: ctx.cityId, after });
        all.push(...d.city.progressReports.edges.map((e) => e.node));
        count = d.city.progressReports.totalCount;
        if (!d.city.progressReports.pageInfo.hasNextPage) break;
        after = d.city.progressReports.pageInfo.endCursor;
      }
      setItems(fresh(all.reverse()));
      setTotal(count);
      setError(null);
    } catch (e) {
      setError(explain(e, ctx.w));
    }
  };
  /** Reads again only the reports waiting on `planIds`, and puts them in place. */
  const refreshPlans = async (planIds: readonly string[]): Promise<void> => {
    if (planIds.length > MAX_PLANS_PER_PATCH) return load();
    const vars = { city: ctx.cityId, ...Object.fromEntries(planIds.map((id, i) => [`p${i}`, id])) };
    type Answer = { waiting: { progressReports: { totalCount: number } } } & Record<
      string,
      { progressReports: { edges?: { node: QueueItem }[] } }
    >;
    const d = await gq<Answer>(ctx, plansQuery(planIds.length), vars);
    setTotal(d.waiting.progressReports.totalCount);
    setItems((list) =>
      planIds.reduce(
        (acc, id, i) => patchPlan(acc, id, fresh((d[`p${i}`]?.progressReports.edges ?? []).map((e) => e.node).reverse())),
        list ?? [],
      ),
    );
  };
  useEffect(() => void load(), []);
  // While verifying several, a full read waits until the loop is over (it would put back what the loop settles).
  const bulkRunning = useRef(false);
  const loadAfterBulk = useRef(false);
  const live = useCityEvents(ctx, QUEUE_EVENTS, {
    resync: () => (bulkRunning.current ? void (loadAfterBulk.current = true) : load()),
    apply: (events: CityChange[]) => {
      const planIds = new Set<string>();
      for (const e of events) {
        // Our own verdicts are already applied.
        if (e.entity === 'ProgressReport' && mine.current.has(e.entityId)) continue;
        if (!e.actionPlanId) return load();
        if (e.kind === 'ACTION_PLAN_UPDATED' && !plansIn.current.has(e.actionPlanId)) continue;
        planIds.add(e.actionPlanId);
      }
      return planIds.size ? refreshPlans([...planIds]) : undefined;
    },
  });
  useEffect(() => {
    document.title = `${w.title(total)} — Pantau`;
  }, [total, w]);
  const groups = useMemo(() => groupByPlan(items ?? []), [items]);
  const shown = useMemo(() => filterGroups(groups, filter), [groups, filter]);
  const pages = Math.max(1, Math.ceil(shown.length / GROUPS_PER_PAGE));
  const current = Math.min(page, pages - 1);
  const visible = shown.slice(current * GROUPS_PER_PAGE, (current + 1) * GROUPS_PER_PAGE);
  const chosen = groups.filter((g) => selected.has(g.planId));
  const chosenReports = chosen.reduce((n, g) => n + g.reports.length, 0);
  /** Reports settled (verified, or returned): out of the queue and of the selection. */
  const settled = (ids: readonly string[], message: string): void => {
    for (const id of ids) mine.current.add(id);
    setDone(message);
    setItems((list) => (list ?? []).filter((x) => !ids.includes(x.id)));
    setTotal((t) => Math.max(0, t - ids.length));
  };
  const verifyChosen = async (): Promise<void> => {
    bulkRunning.current = true;
    setBulk({ done: 0, of: chosenReports });
    setError(null);
    let count = 0;
    let failed: string | null = null;
    for (const g of chosen) {
      try {
        await settleGroup(ctx, g, (id) => {
          mine.current.add(id);
          setBulk({ done: ++count, of: chosenReports });
        });
        settled(
          g.reports.map((r) => r.id),
          w.bulkDone(count),
        );
        setSelected((s) => {
          const next = new Set(s);
          next.delete(g.planId);
          return next;
        });
      } catch (e) {
        failed = `${g.plan.title}: ${explain(e, ctx.w)}`;
        break;
      }
    }
    bulkRunning.current = false;
    setBulk(null);
    if (failed) setError(failed);
    if (failed || loadAfterBulk.current) {
      loadAfterBulk.current = false;
      void load();
    }
  };
  const opds = useMemo(() => opdChoices(groups), [groups]);
  const plans = shown.length && filter.opd ? groups.filter((g) => g.plan.ownerOpd.id === filter.opd) : [];
  return (
    <section>
      <h1 id="queue-title">{w.title(total)}</h1>
      <p class="dk-lead">
        {w.lead}{' '}
        <span class={`dk-live dk-live-${live}`} data-live={live}>
          {live === 'live' ? w.live : live === 'offline' ? w.offline : w.connecting}
        </span>
      </p>
      {error ? <Notice kind="error">{error}</Notice> : null}
      {done ? <Notice kind="ok">{done}</Notice> : null}
      {items === null ? <p role="status">{w.loading}</p> : null}
      {items && items.length === 0 ? <p class="dk-empty">{w.empty}</p> : null}
      {items && items.length ? (
        <div class="dk-panel dk-queue-tools" id="queue-tools">
          <div class="dk-grid">
            <div class="dk-field">
              <label for="filter-opd">{w.filterOpd}</label>
              <select
                id="filter-opd"
                value={filter.opd}
                onChange={(e) => {
                  setFilter({ opd: (e.target as HTMLSelectElement).value, plan: '' });
                  setPage(0);
                }}
              >
                <option value="">{w.allOpds(groups.length)}</option>
                {opds.map((o) => (
                  <option value={o.id}>{w.opdChoice(o.name, o.count)}</option>
                ))}
              </select>
            </div>
            <div class="dk-field">
              <label for="filter-plan">{w.filterPlan}</label>
              <select
                id="filter-plan"
                value={filter.plan}
                disabled={!filter.opd}
                onChange={(e) => {
                  setFilter({ ...filter, plan: (e.target as HTMLSelectElement).value });
                  setPage(0);
                }}
              >
                <option value="">{filter.opd ? w.allPlans : w.pickOpdFirst}</option>
                {plans.map((g) => (
                  <option value={g.planId}>{w.planChoice(g.plan.title, g.reports.length)}</option>
                ))}
              </select>
            </div>
          </div>
          <div class="dk-actions dk-bulk" id="bulk">
            <button
              type="button"
              class="dk-btn"
              id="select-page"
              disabled={!!bulk}
              onClick={() => setSelected(new Set([...selected, ...visible.map((g) => g.planId)]))}
            >
              {w.selectPage(visible.length)}
            </button>
            {selected.size ? (
              <button type="button" class="dk-btn dk-quiet" id="select-none" disabled={!!bulk} onClick={() => setSelected(new Set())}>
                {w.selectNone}
              </button>
            ) : null}
            <button
              type="button"
              class="dk-btn dk-primary"
              id="bulk-verify"
              disabled={!chosen.length || !!bulk}
              onClick={() => void verifyChosen()}
            >
              {bulk ? w.bulkRunning(bulk.done, bulk.of) : w.bulkVerify(chosenReports, chosen.length)}
            </button>
          </div>
          <p class="dk-hint" role="status" id="queue-shown">
            {w.shown(
              shown.reduce((n, g) => n + g.reports.length, 0),
              shown.length,
              current + 1,
              pages,
            )}
          </p>
        </div>
      ) : null}
      <ul class="dk-cards" id="queue">
        {visible.map((g) => (
          <QueueCard
            // Keyed by the newest report, not the plan: a plan's next report is a new card (a card
            // being returned must not carry its open comment box over to the report sent after it).
            key={g.newest.id}
            ctx={ctx}
            group={g}
            selected={selected.has(g.planId)}
            onSelect={(on) =>
              setSelected((s) => {
                const next = new Set(s);
                if (on) next.add(g.planId);
                else next.delete(g.planId);
                return next;
              })
            }
            onDone={settled}
            onStale={() => void refreshPlans([g.planId]).catch(() => undefined)}
          />
        ))}
      </ul>
      {pages > 1 ? (
        <nav class="dk-actions dk-pager" id="pager" aria-label={w.pages}>
          <button type="button" class="dk-btn" id="page-prev" disabled={current === 0} onClick={() => setPage(current - 1)}>
            {w.prev}
          </button>
          <span>{w.pageOf(current + 1, pages)}</span>
          <button type="button" class="dk-btn" id="page-next" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
            {w.next}
          </button>
        </nav>
      ) : null}
    </section>
  );
}

/**
 * Verifies a plan's waiting reports: the older ones first, each with a comment saying it was settled
 * with the newest (each its own mutation, so each is audited on its own), then the newest.
 */
async function settleGroup(ctx: DeskCtx, g: QueueGroup<QueueItem>, onEach: (reportId: string) => void): Promise<void> {
  const note = ctx.w.verify.settledWith(when(ctx, g.newest.reportedAt));
  for (const r of g.reports) {
    const older = r !== g.newest;
    await gq(ctx, REVIEW('verifyProgressReport'), { input: { id: r.id, expectedVersion: r.version, ...(older ? { comment: note } : {}) } });
    onEach(r.id);
  }
}

function QueueCard({
  ctx,
  group,
  selected,
  onSelect,
  onDone,
  onStale,
}: {
  ctx: DeskCtx;
  group: QueueGroup<QueueItem>;
  selected: boolean;
  onSelect: (on: boolean) => void;
  onDone: (ids: string[], message: string) => void;
  onStale: () => void;
}): JSX.Element {
  const w = ctx.w.verify;
  const r = group.newest;
  const older = group.reports.filter((x) => x !== r).reverse();
  const [returning, setReturning] = useState(false);
  const [open, setOpen] = useState(false);
  const [comment, setComment] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const review = (kind: 'verify' | 'return'): void => {
    if (kind === 'return' && !comment.trim()) {
      setTried(true);
      document.getElementById(`c-${r.id}`)?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    const work =
      kind === 'verify'
        ? settleGroup(ctx, group, () => {}).then(() =>
            onDone(
              group.reports.map((x) => x.id),
              w.verified(r.actionPlan.title),
            ),
          )
        : gq(ctx, REVIEW('returnProgressReport'), { input: { id: r.id, expectedVersion: r.version, comment: comment.trim() } }).then(() =>
            onDone([r.id], w.returned(r.actionPlan.title, r.actionPlan.ownerOpd.abbreviation)),
          );
    work
      .catch((e: unknown) => {
        setError(explain(e, ctx.w));
        onStale();
      })
      .finally(() => setBusy(false));
  };
  return (
    <li
      class={`dk-card dk-review-card${selected ? ' dk-selected' : ''}`}
      data-report={r.id}
      data-plan={group.planId}
      data-opd={r.actionPlan.ownerOpd.id}
    >
      <div class="dk-card-head">
        <h2 class="dk-card-title">{r.actionPlan.title}</h2>
        <label class="dk-check dk-select">
          <input
            type="checkbox"
            data-select={group.planId}
            checked={selected}
            onChange={(e) => onSelect((e.target as HTMLInputElement).checked)}
          />
          <span class="dk-visually-hidden">{w.selectFor(r.actionPlan.title)}</span>
          <span aria-hidden="true">{w.select}</span>
        </label>
      </div>
      <ReportBody ctx={ctx} r={r} />
      {older.length ? (
        <details class="dk-older" data-older={older.length} onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
          <summary>{w.olderTitle(older.length)}</summary>
          {/* Rendered when opened: a long queue keeps its page small. */}
          {open
            ? older.map((o) => (
                <div class="dk-older-report" data-older-report={o.id}>
                  <ReportBody ctx={ctx} r={o} />
                </div>
              ))
            : null}
        </details>
      ) : null}
      {error ? <Notice kind="error">{error}</Notice> : null}
      {returning ? (
        <div class="dk-field">
          <label for={`c-${r.id}`}>{w.reasonLabel}</label>
          <textarea
            id={`c-${r.id}`}
            rows={3}
            value={comment}
            aria-invalid={tried && !comment.trim() ? 'true' : undefined}
            aria-describedby={`ch-${r.id}`}
            onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)}
          />
          <p id={`ch-${r.id}`} class={tried && !comment.trim() ? 'dk-error' : 'dk-hint'}>
            {tried && !comment.trim() ? w.reasonMissing : w.reasonHint}
          </p>
        </div>
      ) : null}
      {older.length && !returning ? <p class="dk-hint">{w.settlesOlder(older.length)}</p> : null}
      <div class="dk-actions">
        {returning ? (
          <>
            <button type="button" class="dk-btn dk-danger" data-action="return-confirm" disabled={busy} onClick={() => review('return')}>
              {w.returnConfirm}
            </button>
            <button type="button" class="dk-btn dk-quiet" onClick={() => setReturning(false)}>
              {ctx.w.cancel}
            </button>
          </>
        ) : (
          <>
            <button type="button" class="dk-btn dk-primary" data-action="verify" disabled={busy} onClick={() => review('verify')}>
              {older.length ? w.verifyWithOlder(older.length) : w.verify}
            </button>
            <button type="button" class="dk-btn" data-action="return" onClick={() => setReturning(true)}>
              {older.length ? w.returnNewest : w.return}
            </button>
          </>
        )}
      </div>
    </li>
  );
}

/** One report: who and when, the change since the last verified report, the narrative, the evidence. */
function ReportBody({ ctx, r }: { ctx: DeskCtx; r: QueueItem }): JSX.Element {
  const w = ctx.w.verify;
  const delta = r.percent - r.actionPlan.verifiedProgress;
  const sign = delta > 0 ? '+' : delta < 0 ? '−' : '±';
  return (
    <>
      <p class="dk-meta">
        <strong>{r.actionPlan.ownerOpd.name}</strong>
        {r.reporterName ? w.reportedBy(r.reporterName) : ''} · {when(ctx, r.reportedAt)} ({ago(ctx, r.reportedAt)})
      </p>
      <p class="dk-change">
        {w.change} {ctx.f.percent(r.actionPlan.verifiedProgress)} → <strong>{ctx.f.percent(r.percent)}</strong>{' '}
        <span class={delta < 0 ? 'dk-down' : 'dk-up'}>
          ({sign}
          {w.points(ctx.f.int(Math.abs(Math.round(delta * 10) / 10)))})
        </span>
      </p>
      <p class="dk-narrative">{r.narrative}</p>
      {r.obstacles ? (
        <p>
          {w.obstacles}: {r.obstacles}
        </p>
      ) : null}
      {r.evidenceUrls.length || r.evidence.length ? (
        <div>
          {w.evidence}
          <EvidenceLinks urls={r.evidenceUrls} />
          <AttachedFiles ctx={ctx} files={r.evidence} />
        </div>
      ) : (
        <p class="dk-muted">{w.noEvidence}</p>
      )}
    </>
  );
}
