// Shared pieces of the desk pages: who is logged in, GraphQL with the session, error messages that
// say what to do (in the desk's language), dates as people say them, drafts kept in localStorage, and the
// city's change stream (cityEvents) for pages that follow it live.
import type { Client } from 'graphql-ws';
import { useEffect, useRef, useState } from 'preact/hooks';
import { graphql, type Doc, type ResultOf } from '../api/document';
import { request, RequestError } from '../api/http';
import { judgeSeq } from '../api/seq';
import { openSocket } from '../api/socket';
import { formatFor, type Format } from '../format';
import type { Lang } from '../i18n';
import type { DeskWords } from './words';
import { ANSWER_PREFIX, DRAFT_PREFIX } from '../params';
import { ATTACH_REPORT_FILE, attachLeftovers, attachQueued, uploadQueued, type Attach, type FileProgress } from './attachments';
import { parseNumber } from './pure';

/** The session a desk page works with. */
export interface DeskCtx {
  token: string;
  lang: Lang;
  cityId: string;
  city: ResultOf<typeof ME_AND_CITY>['city'];
  me: Me;
  f: Format;
  /** The desk's words in `lang`. */
  w: DeskWords;
  onSessionEnded: () => void;
}

export const ME_AND_CITY = graphql(`
  query DeskMe($city: ID!) {
    me {
      id
      name
      email
      role
      permissions
      cityId
      opdId
    }
    city(id: $city) {
      id
      name
      timeZone
      opds {
        id
        name
        abbreviation
      }
    }
    cities {
      id
      name
    }
  }
`);

/** `me`, as the desk reads it: the role and permissions decide which pages and buttons show. */
export type Me = NonNullable<ResultOf<typeof ME_AND_CITY>['me']>;

/** What a person may do, from `me.permissions` (the API still refuses anything else). */
export const can = {
  reportOwn: (me: Me) => me.permissions.includes('progress:report:own-opd') && !!me.opdId,
  verify: (me: Me) => me.permissions.includes('progress:verify'),
  chase: (me: Me) => me.permissions.includes('progress:verify'),
  screens: (me: Me) => me.permissions.includes('city-screens:manage'),
  users: (me: Me) => me.permissions.includes('city-users:manage') || me.permissions.includes('users:manage'),
  /** The national view: a platform admin, or anyone who may read more than one city. */
  compare: (me: Me) => me.permissions.includes('cities:compare'),
};

/** The variables argument of a typed document: optional when it takes none. */
type VariablesArg<V> = Record<string, never> extends V ? [variables?: V] : [variables: V];
type SessionCtx = Pick<DeskCtx, 'token' | 'lang' | 'onSessionEnded'>;

/** Runs an operation with the session; an ended session logs the person out. */
export async function gq<R, V>(ctx: SessionCtx, query: Doc<R, V>, ...variables: VariablesArg<V>): Promise<R>;
/** An untyped document (a page not yet written with `graphql()`): the caller names what it answers. */
export async function gq<T>(ctx: SessionCtx, query: string, variables?: Record<string, unknown>): Promise<T>;
export async function gq<T>(ctx: SessionCtx, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  try {
    return await request<T>(query, variables, { token: ctx.token, lang: ctx.lang });
  } catch (error) {
    if (error instanceof RequestError && error.kind === 'unauthenticated') ctx.onSessionEnded();
    throw error;
  }
}

/**
 * Runs a query and keeps its answer under `key`; when the network is down, answers the kept one
 * instead (so the desk reloads offline with what it last read: the offline band says it is old).
 */
export async function gqKept<R, V>(ctx: SessionCtx, key: string, query: Doc<R, V>, ...variables: VariablesArg<V>): Promise<R>;
/** An untyped document: the caller names what it answers. */
export async function gqKept<T>(ctx: SessionCtx, key: string, query: string, variables?: Record<string, unknown>): Promise<T>;
export async function gqKept<T>(ctx: SessionCtx, key: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  try {
    const data = await gq<T>(ctx, query, variables);
    try {
      localStorage.setItem(ANSWER_PREFIX + key, JSON.stringify(data));
    } catch {
      // no room or no storage: not kept
    }
    return data;
  } catch (error) {
    if (!(error instanceof RequestError && error.kind === 'network')) throw error;
    let kept: T | null;
    try {
      kept = JSON.parse(localStorage.getItem(ANSWER_PREFIX + key) ?? 'null') as T | null;
    } catch {
      kept = null;
    }
    if (kept === null) throw error;
    return kept;
  }
}

/** A sentence for a failed request that says what to do (other messages come from the API, in the desk's language). */
export function explain(error: unknown, w: DeskWords): string {
  // A refused upload (evidence.ts) already says what to do.
  if (error instanceof Error && error.name === 'UploadError') return error.message;
  if (error instanceof RequestError) {
    if (error.kind === 'network') return w.errors.network;
    if (error.code === 'CONFLICT') return w.errors.conflict;
    if (error.code === 'FORBIDDEN') return w.errors.forbidden;
    if (error.code === 'RATE_LIMITED') return w.errors.rateLimited;
    if (error.code === 'NOT_FOUND') return w.errors.notFound;
    return error.message;
  }
  return w.errors.unknown;
}

/** The input field a BAD_USER_INPUT error names (`input.percent` → `percent`), if any. */
export function fieldOf(error: unknown): string | null {
  if (!(error instanceof RequestError) || error.code !== 'BAD_USER_INPUT') return null;
  const field = error.extensions['field'];
  return typeof field === 'string' ? field.replace(/^input\./, '').replace(/\.\d+$/, '') : null;
}

/** Formatters for the desk's language. */
export function fmt(lang: Lang): Format {
  return formatFor(lang);
}

const ymdCache = new Map<string, Intl.DateTimeFormat>();
/** An instant's calendar day (YYYY-MM-DD) in the city's time zone. */
export function ymdIn(iso: string, timeZone: string): string {
  let f = ymdCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone });
    ymdCache.set(timeZone, f);
  }
  return f.format(new Date(iso));
}

/** "Jumat, 3 Oktober 2025 pukul 14.02 WIB" / "Friday, 3 October 2025 at 14:02 WIB" in the city's time zone. */
export function when(ctx: Pick<DeskCtx, 'f' | 'city' | 'w'>, iso: string): string {
  const tz = ctx.city.timeZone;
  return ctx.w.dateAt(ctx.f.date(ymdIn(iso, tz), 'long'), ctx.f.timeWithZone(iso, tz));
}

/** "2 hari yang lalu" / "2 days ago"; beyond a month, the date ("pada 3 Okt 2025" / "on 3 Oct 2025"). */
export function ago(ctx: Pick<DeskCtx, 'f' | 'w'>, iso: string): string {
  const then = Date.parse(iso);
  if (Date.now() - then > 31 * 86_400_000) return ctx.w.onDate(ctx.f.date(new Date(then).toISOString().slice(0, 10)));
  return ctx.f.ago(then, Math.max(Date.now(), then));
}

/** The text of a percent without the sign, for number inputs ("65" / "65.5"). */
export function plainPercent(value: number): string {
  return String(Math.round(value * 100) / 100);
}

// ---- Drafts: a report form's content, kept per plan in localStorage until it is sent. ----

/** A report being written (or waiting for the network). */
export interface Draft {
  percent: string;
  narrative: string;
  obstacles: string;
  evidence: string;
  /** The plan version the form read (sent as `expectedVersion`). */
  version: number;
  /** Sent but not yet delivered ("belum terkirim"): the outbox retries when the network is back. */
  pending: boolean;
  /** The server answered CONFLICT while sending from the outbox: the form shows it. */
  conflict?: boolean;
  savedAt: number;
}

/** Fired on window when drafts change (sent, conflict) so pages can refresh. */
export const DRAFTS_EVENT = 'pantau-drafts';
/** What the outbox did: the plans whose pending report it delivered. */
export interface DraftsChange {
  sent: string[];
}

export function loadDraft(planId: string): Draft | null {
  try {
    const value = JSON.parse(localStorage.getItem(DRAFT_PREFIX + planId) ?? 'null') as Draft | null;
    return value && typeof value.version === 'number' ? value : null;
  } catch {
    return null;
  }
}

export function saveDraft(planId: string, draft: Draft | null): void {
  try {
    if (draft) localStorage.setItem(DRAFT_PREFIX + planId, JSON.stringify(draft));
    else localStorage.removeItem(DRAFT_PREFIX + planId);
  } catch {
    // No storage: the draft lives as long as the page.
  }
}

/** Plan ids with a draft, and whether each is waiting to be sent. */
export function allDrafts(): { planId: string; draft: Draft }[] {
  const out: { planId: string; draft: Draft }[] = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (!key?.startsWith(DRAFT_PREFIX)) continue;
      const planId = key.slice(DRAFT_PREFIX.length);
      const draft = loadDraft(planId);
      if (draft) out.push({ planId, draft });
    }
  } catch {
    // no storage
  }
  return out;
}

/** Evidence links typed one per line (or separated by spaces). */
export function evidenceList(text: string): string[] {
  return text
    .split(/\s+/)
    .map((l) => l.trim())
    .filter(Boolean);
}

export const REPORT_MUTATION = `mutation DeskReport($input: ReportProgressInput!) {
  reportProgress(input: $input) { id version progress state progressReports(first: 1) { edges { node { id } } } }
}`;

/** Sends a draft as a progress report, with its queued photos and files (uploaded first, attached after). */
export async function sendDraft(
  ctx: Pick<DeskCtx, 'token' | 'lang' | 'onSessionEnded' | 'cityId' | 'w' | 'f'>,
  planId: string,
  draft: Draft,
  onFiles: (p: FileProgress) => void = () => {},
): Promise<{ reportProgress: { version: number } }> {
  const obstacles = draft.obstacles.trim();
  // Uploaded before the report: a network failure leaves the report unsent, and the files uploaded
  // so far are not uploaded again.
  const files = await uploadQueued(ctx, planId, onFiles);
  const sent = await gq<{ reportProgress: { version: number; progressReports: { edges: { node: { id: string } }[] } } }>(
    ctx,
    REPORT_MUTATION,
    {
      input: {
        actionPlanId: planId,
        percent: parseNumber(draft.percent) ?? Number.NaN,
        expectedVersion: draft.version,
        narrative: draft.narrative.trim(),
        obstacles: obstacles || null,
        evidenceUrls: evidenceList(draft.evidence),
      },
    },
  );
  const reportId = sent.reportProgress.progressReports.edges[0]?.node.id;
  // Attaching is retried by the outbox if the network goes now: the report is not sent twice.
  if (reportId) await attachQueued(attachWith(ctx), files, reportId).catch(() => undefined);
  return sent;
}

/** Attaches an uploaded file to a report, with the session. */
function attachWith(ctx: Pick<DeskCtx, 'token' | 'lang' | 'onSessionEnded'>): Attach {
  return (evidenceId, reportId) => gq(ctx, ATTACH_REPORT_FILE, { input: { evidenceId, progressReportId: reportId } });
}

/** Sends every pending draft; on success the draft is gone, on CONFLICT it waits for the person. */
export async function flushOutbox(ctx: Pick<DeskCtx, 'token' | 'lang' | 'onSessionEnded' | 'cityId' | 'w' | 'f'>): Promise<void> {
  if (!navigator.onLine) return;
  await attachLeftovers(ctx.token, attachWith(ctx)).catch(() => undefined);
  let changed = false;
  const sent: string[] = [];
  for (const { planId, draft } of allDrafts()) {
    if (!draft.pending) continue;
    try {
      await sendDraft(ctx, planId, draft);
      saveDraft(planId, null);
      sent.push(planId);
      changed = true;
    } catch (error) {
      if (error instanceof RequestError && error.kind === 'network') break;
      // A file the server refused: the report waits in the form, which says why.
      // CONFLICT or a refused value: keep what was typed; the form shows why.
      saveDraft(planId, { ...draft, pending: false, conflict: error instanceof RequestError && error.code === 'CONFLICT' });
      changed = true;
    }
  }
  if (changed) window.dispatchEvent(new CustomEvent<DraftsChange>(DRAFTS_EVENT, { detail: { sent } }));
}

// ---- Live: the city's change stream. ----

/** One change in the city, as `cityEvents` says it. */
export interface CityChange {
  seq: number;
  kind: string;
  entity: string;
  entityId: string;
  actionPlanId: string | null;
}

/** How a page follows the city: everything again, or only what the events say changed. */
export interface CityFollow {
  /** Reads everything again: after every (re)connect and after a gap in `seq`. */
  resync: () => void | Promise<void>;
  /**
   * Applies the events of the listed kinds that arrived since the last call (in `seq` order, 250 ms
   * after the last of them); without it, such events read everything again (`resync`).
   */
  apply?: (events: CityChange[]) => void | Promise<void>;
}

const EVENTS_SUBSCRIPTION = `subscription DeskEvents($id: ID!) { cityEvents(cityId: $id) { seq kind entity entityId actionPlanId } }`;

/**
 * Follows the city's events of `kinds`. `follow.resync` runs once after every (re)connect and on a
 * gap in `seq` (judged as the meeting-room screen judges it, `judgeSeq`); every other event of those
 * kinds goes to `follow.apply` (a page fetches only what changed), or, for a page without one, to a
 * debounced `resync` (a bare function is that). The work runs one piece at a time, in order: an
 * event's fetch never lands under an older full read. A socket the server closes because the
 * session is no good (4401, 4403) ends the desk's session (`onSessionEnded`) instead of retrying.
 */
export function useCityEvents(
  ctx: Pick<DeskCtx, 'token' | 'lang' | 'cityId' | 'onSessionEnded'>,
  kinds: string[],
  follow: CityFollow | (() => void),
): 'connecting' | 'live' | 'offline' {
  const [status, setStatus] = useState<'connecting' | 'live' | 'offline'>('connecting');
  // The page's latest callbacks (they close over its current state).
  const latest = useRef<CityFollow>(typeof follow === 'function' ? { resync: follow } : follow);
  latest.current = typeof follow === 'function' ? { resync: follow } : follow;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let chain: Promise<void> = Promise.resolve();
    let pending: CityChange[] = [];
    let wantResync = false;
    // The seq of the last event seen on this connection; null until its first one.
    let lastSeq: number | null = null;
    let active = true;
    const run = (): void => {
      const resync = wantResync || !latest.current.apply;
      const events = pending;
      wantResync = false;
      pending = [];
      if (!resync && !events.length) return;
      chain = chain
        .then(() => active && (resync ? latest.current.resync() : latest.current.apply?.(events)))
        .then(
          () => undefined,
          () => {
            // A change that could not be fetched: everything again (a failed full read waits for the next event).
            if (!active || resync) return;
            wantResync = true;
            later();
          },
        );
    };
    const later = (): void => {
      clearTimeout(timer);
      timer = setTimeout(run, 250);
    };
    let client: Client | null = openSocket({
      token: ctx.token,
      lang: ctx.lang,
      eager: false,
      onUnauthorized: () => ctx.onSessionEnded(),
      onConnected: () => {
        setStatus('live');
        // Anything may have changed while the socket was down: everything again, now.
        lastSeq = null;
        pending = [];
        wantResync = true;
        clearTimeout(timer);
        run();
      },
      onClosed: () => setStatus('offline'),
    });
    const stop = client.subscribe<{ cityEvents: CityChange }>(
      { query: EVENTS_SUBSCRIPTION, variables: { id: ctx.cityId } },
      {
        next: (msg) => {
          const event = msg.data?.cityEvents;
          if (!event) return;
          // The first event after a (re)connect follows the full read that the connect started.
          const verdict = lastSeq === null ? 'apply' : judgeSeq(lastSeq, event.seq);
          if (verdict === 'ignore') return;
          lastSeq = event.seq;
          if (verdict === 'gap') {
            // Missed changes: everything again (it covers the events waiting too).
            wantResync = true;
            pending = [];
            return later();
          }
          if (!kinds.includes(event.kind)) return;
          pending.push(event);
          later();
        },
        error: () => setStatus('offline'),
        complete: () => {},
      },
    );
    return () => {
      active = false;
      clearTimeout(timer);
      stop();
      void client?.dispose();
      client = null;
    };
  }, [ctx.cityId, ctx.token]);
  return status;
}

/** Copies text to the clipboard (with a fallback for http pages). */
export async function copyText(text: string, fallbackEl?: HTMLTextAreaElement | HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (!fallbackEl) return false;
    fallbackEl.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}

/** Re-renders when drafts change (sent from the outbox, or a conflict found there). */
export function useDraftsVersion(): number {
  const [n, setN] = useState(0);
  useEffect(() => {
    const bump = (): void => setN((x) => x + 1);
    window.addEventListener(DRAFTS_EVENT, bump);
    return () => window.removeEventListener(DRAFTS_EVENT, bump);
  }, []);
  return n;
}
