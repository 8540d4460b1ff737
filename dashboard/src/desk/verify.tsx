// "Verifikasi": the city team's queue of SUBMITTED reports, oldest first, each with its plan, OPD,
// the change since the plan's last verified report, the narrative and the evidence. Verify in one
// click, return with a required comment. The queue follows the city's events live.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ago, explain, gq, useCityEvents, when, type DeskCtx } from './lib';
import { EvidenceLinks, Notice } from './ui';

interface QueueItem {
  id: string;
  version: number;
  percent: number;
  narrative: string;
  obstacles: string | null;
  evidenceUrls: string[];
  reportedAt: string;
  reporterName: string | null;
  actionPlan: {
    id: string;
    title: string;
    code: string | null;
    verifiedProgress: number;
    ownerOpd: { id: string; name: string; abbreviation: string };
  };
}

const QUEUE_QUERY = `query DeskQueue($city: ID!, $after: String) { city(id: $city) { progressReports(first: 100, after: $after, status: SUBMITTED) { totalCount pageInfo { hasNextPage endCursor } edges { node {
  id version percent narrative obstacles evidenceUrls reportedAt reporterName
  actionPlan { id title code verifiedProgress ownerOpd { id name abbreviation } }
} } } } }`;

const REVIEW = (m: string): string =>
  `mutation DeskReview($input: ReviewProgressReportInput!) { ${m}(input: $input) { id status version } }`;

export function VerifyPage({ ctx }: { ctx: DeskCtx }): JSX.Element {
  const w = ctx.w.verify;
  const [items, setItems] = useState<QueueItem[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const load = (): void => {
    (async () => {
      type Page = {
        city: {
          progressReports: {
            totalCount: number;
            pageInfo: { hasNextPage: boolean; endCursor: string | null };
            edges: { node: QueueItem }[];
          };
        };
      };
      // The API lists newest first; the queue is worked oldest first, so read it all (up to 500).
      const all: QueueItem[] = [];
      let after: string | null = null;
      let count = 0;
      for (let page = 0; page < 5; page++) {
        const d: Page = await gq<Page>(ctx, QUEUE_QUERY, { city: ctx.cityId, after });
        all.push(...d.city.progressReports.edges.map((e) => e.node));
        count = d.city.progressReports.totalCount;
        if (!d.city.progressReports.pageInfo.hasNextPage) break;
        after = d.city.progressReports.pageInfo.endCursor;
      }
      setItems(all.reverse());
      setTotal(count);
      setError(null);
    })().catch((e: unknown) => setError(explain(e, ctx.w)));
  };
  useEffect(load, []);
  const live = useCityEvents(ctx, ['PROGRESS_REPORTED', 'PROGRESS_VERIFIED', 'PROGRESS_RETURNED'], load);
  useEffect(() => {
    document.title = `${w.title(total)} — Pantau`;
  }, [total, w]);
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
      <ul class="dk-cards" id="queue">
        {(items ?? []).map((r) => (
          <QueueCard
            key={r.id}
            ctx={ctx}
            r={r}
            onDone={(message) => {
              setDone(message);
              setItems((list) => (list ?? []).filter((x) => x.id !== r.id));
              setTotal((t) => Math.max(0, t - 1));
            }}
            onStale={load}
          />
        ))}
      </ul>
    </section>
  );
}

function QueueCard({
  ctx,
  r,
  onDone,
  onStale,
}: {
  ctx: DeskCtx;
  r: QueueItem;
  onDone: (message: string) => void;
  onStale: () => void;
}): JSX.Element {
  const w = ctx.w.verify;
  const [returning, setReturning] = useState(false);
  const [comment, setComment] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const delta = r.percent - r.actionPlan.verifiedProgress;
  const review = (kind: 'verify' | 'return'): void => {
    if (kind === 'return' && !comment.trim()) {
      setTried(true);
      document.getElementById(`c-${r.id}`)?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    gq(ctx, REVIEW(kind === 'verify' ? 'verifyProgressReport' : 'returnProgressReport'), {
      input: { id: r.id, expectedVersion: r.version, ...(kind === 'return' ? { comment: comment.trim() } : {}) },
    })
      .then(() =>
        onDone(kind === 'verify' ? w.verified(r.actionPlan.title) : w.returned(r.actionPlan.title, r.actionPlan.ownerOpd.abbreviation)),
      )
      .catch((e: unknown) => {
        setError(explain(e, ctx.w));
        onStale();
      })
      .finally(() => setBusy(false));
  };
  const sign = delta > 0 ? '+' : delta < 0 ? '−' : '±';
  return (
    <li class="dk-card dk-review-card" data-report={r.id}>
      <h2 class="dk-card-title">{r.actionPlan.title}</h2>
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
      {r.evidenceUrls.length ? (
        <div>
          {w.evidence}
          <EvidenceLinks urls={r.evidenceUrls} />
        </div>
      ) : (
        <p class="dk-muted">{w.noEvidence}</p>
      )}
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
              {w.verify}
            </button>
            <button type="button" class="dk-btn" data-action="return" onClick={() => setReturning(true)}>
              {w.return}
            </button>
          </>
        )}
      </div>
    </li>
  );
}
