// The live connection of one city: snapshot over HTTP, `citySummary` and `cityEvents` over graphql-ws,
// gap detection on `seq`, reconnect with capped jittered backoff, a ping that notices a dead link,
// and the last good snapshot kept (in memory and in localStorage) whatever happens.
import type { Client } from 'graphql-ws';
import { SocketCloseCode } from '../../../server/realtime/close-codes';
import type { Lang } from '../i18n';
import { request, RequestError } from './http';
import { backoffMs, judgeSeq } from './seq';
import { isAuthClose, openSocket } from './socket';
import {
  DETAILS_QUERY,
  EVENTS_SUBSCRIPTION,
  MAX_PLAN_PAGES,
  MORE_PLANS_QUERY,
  SNAPSHOT_QUERY,
  SUMMARY_SUBSCRIPTION,
  toDetails,
  type Basis,
  type CityEvent,
  type Overview,
  type Plan,
  type PlanPage,
  type RawDetails,
  type RawSnapshot,
  type Snapshot,
} from './queries';

/** Where the connection stands. */
export type LiveStatus = 'connecting' | 'live' | 'offline' | 'revoked';

/** What the views render. */
export interface LiveState {
  snapshot: Snapshot | null;
  status: LiveStatus;
  /** When the data was last known fresh (ms since the epoch); null before any data. */
  updatedAt: number | null;
}

/** Options of a live connection. */
export interface LiveOptions {
  cityId: string;
  token: string;
  lang: Lang;
  /** Which reports the headline counts: all (default) or verified ones only. */
  basis?: Basis;
  /** Called with every new state. */
  onState: (state: LiveState) => void;
  /** The token stopped working (closed 4401/4403, HTTP 401). */
  onUnauthorized?: () => void;
  /** Client-side counters for tests and diagnostics. */
  stats?: LiveStats;
  /** Ping interval (ms); a ping without a pong within `pongTimeoutMs` closes the socket. */
  keepAliveMs?: number;
  pongTimeoutMs?: number;
  /** A full refetch this often even when nothing seems missed (ms). */
  resyncMs?: number;
  /** While not live, the snapshot is read over HTTP this often (ms); the first time after `firstPollMs`. */
  pollMs?: number;
  firstPollMs?: number;
}

/** Counters the e2e tests read through `window.__pantau`. */
export interface LiveStats {
  events: number;
  gaps: number;
  snapshots: number;
  connects: number;
}

const storageKey = (cityId: string, lang: Lang, basis: Basis = 'ALL'): string =>
  `pantau.screen.snapshot.${cityId}.${lang}${basis === 'VERIFIED' ? '.verified' : ''}`;

/** Reads the snapshot a previous run left in localStorage (null when none or unreadable). */
export function loadCachedSnapshot(cityId: string, lang: Lang, basis: Basis = 'ALL'): { snapshot: Snapshot; savedAt: number } | null {
  try {
    const value = JSON.parse(localStorage.getItem(storageKey(cityId, lang, basis)) ?? 'null') as {
      snapshot?: Snapshot;
      savedAt?: number;
    } | null;
    if (value?.snapshot?.overview && value.snapshot.city?.id === cityId && typeof value.savedAt === 'number') {
      // A snapshot kept by an older screen has no early warning yet.
      const atRisk = (value.snapshot as Partial<Snapshot>).atRisk ?? { totalCount: 0, items: [] };
      return { snapshot: { ...value.snapshot, atRisk }, savedAt: value.savedAt };
    }
  } catch {
    // A corrupt entry is the same as none.
  }
  return null;
}

/** Forgets every cached snapshot (logout, revoked screen). */
export function clearCachedSnapshots(): void {
  try {
    for (const key of Object.keys(localStorage)) if (key.startsWith('pantau.screen.snapshot.')) localStorage.removeItem(key);
  } catch {
    // Storage unavailable: nothing to clear.
  }
}

/**
 * Keeps one city's data live until `stop()`. Never throws to its caller: every failure becomes a
 * status (`offline`, `revoked`) while the last good data stays.
 */
export class LiveCity {
  private readonly options: LiveOptions;
  private state: LiveState;
  private client: Client | null = null;
  private socket: WebSocket | null = null;
  /** Bumped on every (re)connect and close: work started for an older connection is dropped. */
  private generation = 0;
  private lastSeq: number | null = null;
  private subscriptions: (() => void)[] = [];
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private resyncTimer: ReturnType<typeof setInterval> | null = null;
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  private detailsRunning = false;
  private detailsAgain = false;
  private savedAt = 0;
  private stopped = false;

  constructor(options: LiveOptions) {
    this.options = options;
    const cached = loadCachedSnapshot(options.cityId, options.lang, options.basis);
    this.state = { snapshot: cached?.snapshot ?? null, status: 'connecting', updatedAt: cached?.savedAt ?? null };
  }

  /** The current state. */
  get current(): LiveState {
    return this.state;
  }

  /** Opens the socket (and keeps it open); the first snapshot follows the first connect. */
  start(): void {
    const { resyncMs = 10 * 60_000, pollMs = 30_000, firstPollMs = 4_000 } = this.options;
    this.emit({});
    this.openClient();
    this.resyncTimer = setInterval(() => {
      if (this.state.status === 'live') void this.refresh(this.generation);
    }, resyncMs);
    this.later(() => this.poll(), firstPollMs);
    this.pollTimer = setInterval(() => this.poll(), pollMs);
  }

  private openClient(): void {
    const { token, lang, keepAliveMs, pongTimeoutMs } = this.options;
    this.client = openSocket({
      token,
      lang,
      ...(keepAliveMs !== undefined ? { keepAliveMs } : {}),
      ...(pongTimeoutMs !== undefined ? { pongTimeoutMs } : {}),
      // The token is no good (4401/4403): `onClosed` ends the connection as revoked.
      onUnauthorized: () => {},
      // graphql-ws gives up on a few close codes (4400 bad request, 4500 internal error, …). A TV
      // must not: start a new client a little later.
      onGaveUp: () => {
        if (!this.stopped) this.later(() => this.restartClient(), backoffMs(4));
      },
      retryWait: (retries) => new Promise((resolve) => this.later(resolve, backoffMs(retries))),
      onConnected: (socket) => this.onConnected(socket),
      onClosed: (event) => this.onClosed(event),
    });
  }

  private restartClient(): void {
    if (this.stopped) return;
    const old = this.client;
    this.client = null;
    void old?.dispose();
    this.openClient();
  }

  /** Closes everything; no callback fires afterwards. */
  stop(): void {
    this.stopped = true;
    this.generation++;
    this.dropSubscriptions();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    if (this.pollTimer) clearInterval(this.pollTimer);
    void this.client?.dispose();
    this.client = null;
  }

  private later(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private emit(patch: Partial<LiveState>): void {
    if (this.stopped) return;
    this.state = { ...this.state, ...patch };
    this.options.onState(this.state);
  }

  private dropSubscriptions(): void {
    for (const dispose of this.subscriptions.splice(0)) dispose();
  }

  private onConnected(socket: WebSocket): void {
    if (this.stopped) return;
    this.socket = socket;
    if (this.options.stats) this.options.stats.connects++;
    const generation = ++this.generation;
    this.dropSubscriptions();
    // A (re)connect may follow a restart or missed events: fetch the snapshot, then follow changes after it.
    void this.refresh(generation).then((ok) => {
      if (ok && generation === this.generation) this.subscribe(generation);
    });
  }

  private onClosed(event: unknown): void {
    this.socket = null;
    this.generation++;
    // Stop these subscriptions; the next `connected` starts fresh ones after a new snapshot.
    this.dropSubscriptions();
    if (this.stopped) return;
    if (isAuthClose(event)) return this.unauthorized();
    if (this.state.status !== 'revoked') this.emit({ status: this.state.snapshot ? 'offline' : 'connecting' });
  }

  private unauthorized(): void {
    if (this.stopped) return;
    this.stop();
    // The data stays in state (the app decides what to show); no more updates follow.
    this.state = { ...this.state, status: 'revoked' };
    this.options.onState(this.state);
    this.options.onUnauthorized?.();
  }

  private subscribe(generation: number): void {
    const client = this.client;
    if (!client) return;
    const { cityId } = this.options;
    const fail = (error: unknown): void => {
      if (generation !== this.generation) return;
      if (isAuthClose(error)) this.unauthorized();
      // An error result (not a close): start over on this socket after a moment.
      else this.later(() => generation === this.generation && this.socket?.close(SocketCloseCode.ClientResubscribe, 'Resubscribe'), 2_000);
    };
    this.subscriptions.push(
      client.subscribe<{ citySummary: Overview }>(
        { query: SUMMARY_SUBSCRIPTION, variables: { id: cityId, basis: this.options.basis ?? 'ALL' } },
        {
          next: (result) => {
            const overview = result.data?.citySummary;
            if (generation !== this.generation || !overview || !this.state.snapshot) return;
            if (overview.seq < this.state.snapshot.overview.seq) return;
            this.emit({ snapshot: { ...this.state.snapshot, overview }, updatedAt: Date.now(), status: 'live' });
            this.persist();
          },
          error: fail,
          complete: () => {},
        },
      ),
      client.subscribe<{ cityEvents: CityEvent }>(
        { query: EVENTS_SUBSCRIPTION, variables: { id: cityId, after: this.lastSeq } },
        {
          next: (result) => {
            const event = result.data?.cityEvents;
            if (generation !== this.generation || !event) return;
            this.onEvent(event, generation);
          },
          error: fail,
          complete: () => {},
        },
      ),
    );
  }

  private onEvent(event: CityEvent, generation: number): void {
    const verdict = judgeSeq(this.lastSeq, event.seq);
    if (verdict === 'ignore') return;
    if (this.options.stats) this.options.stats.events++;
    if (verdict === 'gap') {
      // Missed events: the snapshot is the truth again; it reflects at least this event.
      if (this.options.stats) this.options.stats.gaps++;
      this.lastSeq = event.seq;
      void this.refresh(generation);
      return;
    }
    this.lastSeq = event.seq;
    // The overview comes by itself (citySummary); the feed, the queue and the plans are refetched
    // (and only then does the screen re-render: one render per refetch, not one per event).
    this.refreshDetails(generation);
  }

  /** Refetches the feed, the queue and the plans; bursts of events share one request at a time. */
  private refreshDetails(generation: number): void {
    if (this.detailsRunning) {
      this.detailsAgain = true;
      return;
    }
    this.detailsRunning = true;
    this.detailsAgain = false;
    const { cityId, token, lang } = this.options;
    void request<{ city: RawDetails }>(DETAILS_QUERY, { id: cityId }, { token, lang })
      .then(async (data) => {
        const more = await this.morePlans(data.city.actionPlans);
        if (generation !== this.generation || !this.state.snapshot) return;
        this.emit({ snapshot: { ...this.state.snapshot, ...toDetails(data.city, more) }, updatedAt: Date.now() });
        this.persist();
      })
      .catch((error: unknown) => this.onRequestError(error))
      .finally(() => {
        this.detailsRunning = false;
        if (this.detailsAgain && generation === this.generation) this.later(() => this.refreshDetails(generation), 250);
      });
  }

  private async morePlans(page: PlanPage): Promise<Plan[]> {
    const { cityId, token, lang } = this.options;
    const more: Plan[] = [];
    let info = page.pageInfo;
    for (let i = 1; i < MAX_PLAN_PAGES && info.hasNextPage && info.endCursor; i++) {
      const data = await request<{ city: { actionPlans: PlanPage } }>(
        MORE_PLANS_QUERY,
        { id: cityId, after: info.endCursor },
        { token, lang },
      );
      more.push(...data.city.actionPlans.edges.map((e) => e.node));
      info = data.city.actionPlans.pageInfo;
    }
    return more;
  }

  /**
   * Fetches the whole snapshot; retries with backoff while this connection lasts. Resolves true once
   * it is applied, false when the connection went away (or the token stopped working) first.
   */
  private async refresh(generation: number, attempt = 0): Promise<boolean> {
    try {
      const snapshot = await this.fetchSnapshot();
      if (generation !== this.generation) return false;
      // The snapshot is the truth (a restored or reseeded database may even have gone back).
      this.lastSeq = snapshot.overview.seq;
      if (this.options.stats) this.options.stats.snapshots++;
      this.emit({ snapshot, status: 'live', updatedAt: Date.now() });
      this.persist(true);
      return true;
    } catch (error) {
      if (this.onRequestError(error) || generation !== this.generation) return false;
      await new Promise<void>((resolve) => this.later(resolve, backoffMs(attempt)));
      if (generation !== this.generation) return false;
      return this.refresh(generation, attempt + 1);
    }
  }

  private async fetchSnapshot(): Promise<Snapshot> {
    const { cityId, token, lang, basis = 'ALL' } = this.options;
    const data = await request<{ city: RawSnapshot }>(SNAPSHOT_QUERY, { id: cityId, basis }, { token, lang });
    const more = await this.morePlans(data.city.actionPlans);
    const { overview, id, name, province, kind, timeZone, masterplans } = data.city;
    return { city: { id, name, province, kind, timeZone, masterplans }, overview, ...toDetails(data.city, more) };
  }

  /**
   * While the socket is not live (a proxy that blocks WebSockets, a long outage), read the snapshot
   * over HTTP now and then: the screen shows fresh numbers (still under the band, as they are not
   * live) and notices a revoked token.
   */
  private poll(): void {
    if (this.stopped || this.state.status === 'live' || this.state.status === 'revoked') return;
    const generation = this.generation;
    this.fetchSnapshot()
      .then((snapshot) => {
        if (this.stopped || this.state.status === 'live' || generation !== this.generation) return;
        this.emit({ snapshot, updatedAt: Date.now(), status: 'offline' });
        this.persist();
      })
      .catch((error: unknown) => this.onRequestError(error));
  }

  /** Handles a failed request; true when it ended the connection (token no longer valid). */
  private onRequestError(error: unknown): boolean {
    if (error instanceof RequestError && error.kind === 'unauthenticated') {
      this.unauthorized();
      return true;
    }
    return false;
  }

  /** Keeps the snapshot for a restart while offline; at most once a minute unless forced. */
  private persist(force = false): void {
    const now = Date.now();
    if (!this.state.snapshot || (!force && now - this.savedAt < 60_000)) return;
    this.savedAt = now;
    try {
      localStorage.setItem(
        storageKey(this.options.cityId, this.options.lang, this.options.basis),
        JSON.stringify({ snapshot: this.state.snapshot, savedAt: now }),
      );
    } catch {
      // Storage full or unavailable: the screen still works, it only can't come back offline.
    }
  }
}
