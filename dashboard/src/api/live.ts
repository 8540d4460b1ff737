// The live connection of one city: the whole screen pushed over graphql-ws (`cityScreen`: a full
// state, then a patch per change; no HTTP request for a change), a patch that does not fit the
// state (a gap) answered by resubscribing (the full state again), reconnect with capped jittered
// backoff, a ping that notices a dead link, the snapshot over HTTP only while the socket is down,
// and the last good snapshot kept (in memory and in localStorage) whatever happens.
import type { Client } from 'graphql-ws';
import { SocketCloseCode } from '../../../server/realtime/close-codes';
import { applyState, type Json } from '../../../server/realtime/state-patch';
import type { Lang } from '../i18n';
import type { ResultOf, VariablesOf } from './document';
import { request, RequestError } from './http';
import { backoffMs } from './seq';
import { isAuthClose, openSocket } from './socket';
import {
  MAX_PLAN_PAGES,
  MORE_PLANS_QUERY,
  SCREEN_SUBSCRIPTION,
  SNAPSHOT_QUERY,
  toDetails,
  toScreenSnapshot,
  type Basis,
  type Plan,
  type PlanPage,
  type RawScreen,
  type ScreenFrame,
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
  /**
   * While not live, the snapshot is read over HTTP this often (ms); the first time after
   * `firstPollMs` if the socket has closed by then (a socket still connecting, as a whole wall's
   * on a busy server, waits for its full state rather than add a snapshot computation each).
   */
  pollMs?: number;
  firstPollMs?: number;
}

/** Counters the e2e tests read through `window.__pantau`. */
export interface LiveStats {
  /** Changes applied (a patch applies `seq - baseSeq` of them). */
  events: number;
  /** Patches that did not fit the state (the screen resubscribed for the full state). */
  gaps: number;
  /** Full states received (pushed on subscribing; the HTTP polls while offline are not counted). */
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
  /** A socket closed (or failed to open) since `start`. */
  private sawClose = false;
  /** Bumped on every (re)connect and close: work started for an older connection is dropped. */
  private generation = 0;
  private lastSeq: number | null = null;
  /** The pushed state the patches apply to (null until the first full frame of a subscription). */
  private raw: RawScreen | null = null;
  private subscriptions: (() => void)[] = [];
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private resyncTimer: ReturnType<typeof setInterval> | null = null;
  private pollTimer: ReturnType<typeof setInterval> | null = null;
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

  /** Opens the socket (and keeps it open); the first snapshot is the subscription's first frame. */
  start(): void {
    const { resyncMs = 10 * 60_000, pollMs = 30_000, firstPollMs = 4_000 } = this.options;
    this.emit({});
    this.openClient();
    this.resyncTimer = setInterval(() => {
      if (this.state.status === 'live') this.resubscribe();
    }, resyncMs);
    this.later(() => this.sawClose && this.poll(), firstPollMs);
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
    // A (re)connect may follow a restart or missed changes: the subscription's first frame is the whole state.
    this.resubscribe();
  }

  /** Starts over on this socket: a new subscription, greeted with the full state. */
  private resubscribe(): void {
    const generation = ++this.generation;
    this.dropSubscriptions();
    this.raw = null;
    this.subscribe(generation);
  }

  private onClosed(event: unknown): void {
    this.socket = null;
    this.sawClose = true;
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
    const { cityId, basis = 'ALL' } = this.options;
    const fail = (error: unknown): void => {
      if (generation !== this.generation) return;
      if (isAuthClose(error)) this.unauthorized();
      // An error result (not a close): start over on this socket after a moment.
      else this.later(() => generation === this.generation && this.socket?.close(SocketCloseCode.ClientResubscribe, 'Resubscribe'), 2_000);
    };
    this.subscriptions.push(
      client.subscribe<ResultOf<typeof SCREEN_SUBSCRIPTION>>(
        { query: SCREEN_SUBSCRIPTION, variables: { id: cityId, basis } satisfies VariablesOf<typeof SCREEN_SUBSCRIPTION> },
        {
          next: (result) => {
            const frame = result.data?.cityScreen;
            if (generation !== this.generation || !frame) return;
            this.onFrame(frame);
          },
          error: fail,
          complete: () => {},
        },
      ),
    );
  }

  /** Applies a frame: a full state replaces everything, a patch applies to the state at its `baseSeq`. */
  private onFrame(frame: ScreenFrame): void {
    const stats = this.options.stats;
    let raw: RawScreen;
    if (frame.baseSeq === null) {
      if (!frame.overview || !frame.city || !frame.plans) return;
      raw = { overview: frame.overview, city: frame.city, plans: frame.plans };
      if (stats) stats.snapshots++;
    } else {
      if (!this.raw || frame.baseSeq !== this.lastSeq) return this.gap();
      try {
        raw = applyState(this.raw as unknown as Json, frame.patch as Json) as unknown as RawScreen;
      } catch {
        return this.gap();
      }
      if (stats) stats.events += Math.max(0, frame.seq - frame.baseSeq);
    }
    this.raw = raw;
    // The state is the truth (a restored or reseeded database may even have gone back).
    this.lastSeq = frame.seq;
    this.emit({ snapshot: toScreenSnapshot(raw), status: 'live', updatedAt: Date.now() });
    this.persist(frame.baseSeq === null);
  }

  /** A patch that does not fit the state: missed changes; the full state again. */
  private gap(): void {
    if (this.options.stats) this.options.stats.gaps++;
    this.resubscribe();
  }

  private async morePlans(page: PlanPage): Promise<Plan[]> {
    const { cityId, token, lang } = this.options;
    const more: Plan[] = [];
    let info = page.pageInfo;
    for (let i = 1; i < MAX_PLAN_PAGES && info.hasNextPage && info.endCursor; i++) {
      const data = await request(MORE_PLANS_QUERY, { id: cityId, after: info.endCursor }, { token, lang });
      more.push(...data.city.actionPlans.edges.map((e) => e.node));
      info = data.city.actionPlans.pageInfo;
    }
    return more;
  }

  private async fetchSnapshot(): Promise<Snapshot> {
    const { cityId, token, lang, basis = 'ALL' } = this.options;
    const data = await request(SNAPSHOT_QUERY, { id: cityId, basis }, { token, lang });
    const more = await this.morePlans(data.city.actionPlans);
    const { overview, id, name, province, kind, timeZone, masterplans } = data.city;
    return { city: { id, name, province, kind, timeZone, masterplans }, overview, ...toDetails(data.city, more) };
  }

  /**
   * While the socket is down (a proxy that blocks WebSockets, a long outage), read the snapshot
   * over HTTP now and then: the screen shows fresh numbers (still under the band, as they are not
   * live) and notices a revoked token. Not while it is connected: its full state is on the way
   * (a wall of screens opening on a busy server would otherwise compute a snapshot each).
   */
  private poll(): void {
    if (this.stopped || this.socket || this.state.status === 'live' || this.state.status === 'revoked') return;
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
