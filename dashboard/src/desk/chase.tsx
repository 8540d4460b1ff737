// "Tindak lanjut": late plans grouped by OPD, OPDs with running plans that have not reported for N
// days, the plans expected to be late (the early warning, `City.atRiskActionPlans`), and a ready
// reminder text (for WhatsApp or a letter) with a copy button for each OPD with a late plan. An OPD
// with nothing to do (every plan done, not started yet, or on hold) is not chased.
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { daysBetween } from '../format';
import { graphql, type ResultOf } from '../api/document';
import { explain, gq, ymdIn, type DeskCtx } from './lib';
import { CopyButton, Notice } from './ui';

const CHASE_QUERY = graphql(`
  query DeskChase($city: ID!, $after: String) {
    city(id: $city) {
      overview {
        today
        lateActionPlans(first: 100) {
          id
          title
          code
          dueDate
          progress
          expectedProgress
          ownerOpd {
            id
          }
        }
      }
      atRiskActionPlans(first: 100) {
        edges {
          node {
            id
            title
            code
            dueDate
            progress
            ownerOpd {
              id
            }
            forecast {
              expectedCompletion
              daysLate
            }
          }
        }
      }
      actionPlans(first: 100, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            ownerOpd {
              id
            }
            lastReportedAt
            state
            status
            startDate
          }
        }
      }
    }
  }
`);

type ChaseAnswer = ResultOf<typeof CHASE_QUERY>;
type LatePlan = ChaseAnswer['city']['overview']['lateActionPlans'][number];
/** A plan expected to be late at its recent pace (the forecast's verdict AT_RISK). */
export type AtRiskPlan = ChaseAnswer['city']['atRiskActionPlans']['edges'][number]['node'];

interface OpdRow {
  id: string;
  name: string;
  abbreviation: string;
  late: LatePlan[];
  atRisk: AtRiskPlan[];
  lastReport: string | null;
  silentDays: number | null;
  planCount: number;
  /** Plans it should be reporting on: active, started, not done. */
  running: number;
}

const CHOICES = [7, 14, 30, 60];

export function ChasePage({ ctx }: { ctx: DeskCtx }): JSX.Element {
  const w = ctx.w.chase;
  const [rows, setRows] = useState<OpdRow[] | null>(null);
  const [atRisk, setAtRisk] = useState<AtRiskPlan[]>([]);
  const [today, setToday] = useState('');
  const [days, setDays] = useState(14);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    (async () => {
      let after: string | null = null;
      const last = new Map<string, string>();
      const count = new Map<string, number>();
      const running = new Map<string, number>();
      let late: LatePlan[] = [];
      let risky: AtRiskPlan[] = [];
      let todayYmd = '';
      for (let page = 0; page < 10; page++) {
        const d: ChaseAnswer = await gq(ctx, CHASE_QUERY, { city: ctx.cityId, after });
        if (page === 0) {
          late = d.city.overview.lateActionPlans;
          risky = d.city.atRiskActionPlans.edges.map((e) => e.node);
          todayYmd = d.city.overview.today;
        }
        for (const { node } of d.city.actionPlans.edges) {
          const id = node.ownerOpd.id;
          count.set(id, (count.get(id) ?? 0) + 1);
          if (node.status === 'ACTIVE' && node.state !== 'DONE' && node.startDate <= todayYmd) running.set(id, (running.get(id) ?? 0) + 1);
          if (node.lastReportedAt && (last.get(id) ?? '') < node.lastReportedAt) last.set(id, node.lastReportedAt);
        }
        if (!d.city.actionPlans.pageInfo.hasNextPage) break;
        after = d.city.actionPlans.pageInfo.endCursor;
      }
      const out: OpdRow[] = ctx.city.opds
        .filter((o) => count.has(o.id))
        .map((o) => {
          const lastReport = last.get(o.id) ?? null;
          return {
            ...o,
            late: late.filter((p) => p.ownerOpd.id === o.id).sort((a, b) => a.dueDate.localeCompare(b.dueDate)),
            atRisk: risky.filter((p) => p.ownerOpd.id === o.id),
            lastReport,
            silentDays: lastReport ? daysBetween(ymdIn(lastReport, ctx.city.timeZone), todayYmd) : null,
            planCount: count.get(o.id) ?? 0,
            running: running.get(o.id) ?? 0,
          };
        });
      setToday(todayYmd);
      setAtRisk(risky);
      setRows(out);
    })().catch((e: unknown) => setError(explain(e, ctx.w)));
  }, []);
  // Silent and with something to report on: an OPD whose plans are all done or not started is not chased.
  const isSilent = (r: OpdRow): boolean => r.running > 0 && (r.silentDays === null || r.silentDays >= days);
  const silent = (rows ?? []).filter(isSilent);
  const withLate = (rows ?? []).filter((r) => r.late.length).sort((a, b) => b.late.length - a.late.length);
  const lateTotal = withLate.reduce((n, r) => n + r.late.length, 0);
  useEffect(() => {
    document.title = `${w.docTitle(lateTotal)} — Pantau`;
  }, [lateTotal, w]);
  if (error) return <Notice kind="error">{error}</Notice>;
  if (!rows) return <p role="status">{w.loading}</p>;
  // A reminder goes to an OPD with a late plan (its silence, if any, said in the same letter).
  const toChase = withLate;
  return (
    <section>
      <h1>{w.title(lateTotal, withLate.length)}</h1>
      <p class="dk-lead">{w.lead(ctx.f.date(today, 'long'))}</p>
      <div class="dk-panel">
        <h2 id="silent-title">{w.silentTitle(days, silent.length)}</h2>
        <div class="dk-choices" role="group" aria-label={w.silentChoices}>
          {CHOICES.map((n) => (
            <button type="button" class={n === days ? 'dk-btn dk-chosen' : 'dk-btn'} aria-pressed={n === days} onClick={() => setDays(n)}>
              {w.days(n)}
            </button>
          ))}
        </div>
        {silent.length === 0 ? (
          <p>{w.allReported(days)}</p>
        ) : (
          <ul class="dk-silent" id="silent">
            {silent.map((r) => (
              <li data-opd={r.id}>
                <strong>{r.name}</strong> — {w.running(r.running)},{' '}
                {r.lastReport
                  ? w.lastReportAgo(ctx.f.date(ymdIn(r.lastReport, ctx.city.timeZone), 'long'), ctx.f.days(r.silentDays ?? 0))
                  : w.neverReported}
                {r.late.length ? <span class="dk-late-text"> · {w.lateCount(r.late.length)}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </div>
      <AtRiskPanel ctx={ctx} plans={atRisk} />
      <h2 id="reminders-title">{w.perOpd(toChase.length)}</h2>
      {toChase.length === 0 ? <p>{w.noneToRemind}</p> : null}
      <ul class="dk-cards" id="chase">
        {toChase.map((r) => (
          <OpdCard ctx={ctx} row={{ ...r, silentDays: isSilent(r) ? r.silentDays : 0 }} today={today} days={days} />
        ))}
      </ul>
    </section>
  );
}

/** "Perkiraan selesai 3 Maret 2027, 45 hari setelah tenggat" / "tidak bergerak": a forecast as people say it. */
export function forecastText(ctx: Pick<DeskCtx, 'f' | 'w'>, p: Pick<AtRiskPlan, 'forecast' | 'dueDate'>): string {
  const w = ctx.w.chase;
  const f = p.forecast;
  const due = w.due(ctx.f.date(p.dueDate, 'long'));
  if (!f?.expectedCompletion) return `${due}, ${w.notMoving}`;
  return `${due}, ${w.expected(ctx.f.date(f.expectedCompletion, 'long'), ctx.f.days(f.daysLate ?? 0))}`;
}

/** The early warning: plans not late yet that will be at their recent pace, with the OPD that owns each. */
function AtRiskPanel({ ctx, plans }: { ctx: DeskCtx; plans: AtRiskPlan[] }): JSX.Element {
  const w = ctx.w.chase;
  const opd = (id: string): string => ctx.city.opds.find((o) => o.id === id)?.abbreviation ?? '';
  return (
    <div class="dk-panel" id="at-risk">
      <h2 id="at-risk-title">{w.atRiskTitle(plans.length)}</h2>
      <p class="dk-muted">{w.atRiskLead}</p>
      {plans.length === 0 ? (
        <p>{w.noneAtRisk}</p>
      ) : (
        <ul class="dk-late-list">
          {plans.map((p) => (
            <li data-plan={p.id} data-days-late={p.forecast?.daysLate ?? ''}>
              <strong>{opd(p.ownerOpd.id)}</strong> · {p.title}
              {p.code ? ` (${p.code})` : ''} — {ctx.f.percent(p.progress)}; {forecastText(ctx, p)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Why a plan is late, as a clerk says it: past its due date, or behind its schedule. */
function whyLate(ctx: Pick<DeskCtx, 'f' | 'w'>, p: LatePlan, today: string): string {
  const w = ctx.w.chase;
  const over = daysBetween(p.dueDate, today);
  const due = w.due(ctx.f.date(p.dueDate, 'long'));
  return over > 0
    ? `${due}, ${w.overdue(ctx.f.days(over), ctx.f.percent(p.progress))}`
    : `${due}, ${w.behind(ctx.f.percent(p.progress), ctx.f.percent(p.expectedProgress))}`;
}

/** The reminder for one OPD, a letter in the desk's language, ready to paste. */
export function reminderText(ctx: Pick<DeskCtx, 'f' | 'city' | 'w'>, row: OpdRow, today: string, days: number): string {
  const silence =
    row.silentDays === null
      ? { never: true as const }
      : row.silentDays >= days
        ? { since: ctx.f.date(ymdIn(row.lastReport ?? '', ctx.city.timeZone), 'long'), ago: ctx.f.days(row.silentDays) }
        : null;
  return ctx.w.chase
    .reminder({
      opdName: row.name,
      abbreviation: row.abbreviation,
      cityName: ctx.city.name,
      today: ctx.f.date(today, 'long'),
      late: row.late.map((p) => `${p.title}${p.code ? ` (${p.code})` : ''} — ${whyLate(ctx, p, today)}`),
      atRisk: row.atRisk.map((p) => `${p.title}${p.code ? ` (${p.code})` : ''} — ${forecastText(ctx, p)}`),
      silence,
      menu: ctx.w.nav.lapor,
    })
    .join('\n');
}

function OpdCard({ ctx, row, today, days }: { ctx: DeskCtx; row: OpdRow; today: string; days: number }): JSX.Element {
  const w = ctx.w.chase;
  const text = reminderText(ctx, row, today, days);
  const area = useRef<HTMLTextAreaElement>(null);
  const id = `rem-${row.id}`;
  return (
    <li class="dk-card" data-opd={row.id}>
      <h3 class="dk-card-title">{row.name}</h3>
      <p class="dk-meta">
        {row.late.length ? <strong class="dk-late-text">{w.lateCount(row.late.length)}</strong> : w.noneLate} · {w.plans(row.planCount)} ·{' '}
        {row.lastReport ? w.lastReport(ctx.f.date(ymdIn(row.lastReport, ctx.city.timeZone), 'long')) : w.neverReported}
      </p>
      {row.late.length ? (
        <ul class="dk-late-list">
          {row.late.map((p) => (
            <li>
              {p.title} — {whyLate(ctx, p, today)}
            </li>
          ))}
        </ul>
      ) : null}
      {row.atRisk.length ? (
        <ul class="dk-late-list dk-at-risk-list">
          {row.atRisk.map((p) => (
            <li>
              <span class="dk-warn-text">{w.atRiskTag}</span>: {p.title} — {forecastText(ctx, p)}
            </li>
          ))}
        </ul>
      ) : null}
      <details>
        <summary>{w.reminderFor(row.abbreviation)}</summary>
        <label for={id} class="dk-visually-hidden">
          {w.reminderFor(row.name)}
        </label>
        <textarea id={id} class="dk-reminder" readOnly rows={Math.min(14, text.split('\n').length + 1)} ref={area} value={text} />
      </details>
      <div class="dk-actions">
        <CopyButton text={text} label={w.copyFor(row.abbreviation)} target={() => area.current} />
      </div>
    </li>
  );
}
