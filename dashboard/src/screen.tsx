// The screen around the views: the city's name and the countdown at the top, the current view,
// the status line (updated at · live), the rotation (a thin progress line and the view's name in
// the corner), the amber offline band, and a slow drift against burn-in.
import { Component, type ComponentChildren, type JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { LiveState } from './api/live';
import type { Basis, TrendPlans } from './api/queries';
import { formatFor } from './format';
import { STRINGS, type Lang, type ViewName } from './i18n';
import { useNow } from './ui/widgets';
import type { ViewProps } from './views/common';
import { Dimensi } from './views/dimensi';
import { OpdView } from './views/opd';
import { Ringkasan } from './views/ringkasan';
import { Tren } from './views/tren';
import { Kesiapan } from './views/kesiapan';

const VIEWS: Record<ViewName, (props: ViewProps) => JSX.Element> = {
  ringkasan: Ringkasan,
  opd: OpdView,
  dimensi: Dimensi,
  tren: Tren,
  kesiapan: Kesiapan,
};

/** Offsets (px) the whole layout drifts through, one step every DRIFT_MS. */
const DRIFT: [number, number][] = [
  [0, 0],
  [1, 0],
  [1, 1],
  [0, 1],
  [-1, 1],
  [-1, 0],
  [-1, -1],
  [0, -1],
];
const DRIFT_MS = 3 * 60_000;

/** Props of the screen. */
export interface ScreenProps {
  live: LiveState;
  lang: Lang;
  views: ViewName[];
  /** Seconds per view; 0: no rotation. */
  rotateSeconds: number;
  token: string;
  /** Which reports the figures count (default all). */
  basis?: Basis | undefined;
  /** Which plans Tren counts (default this period's). */
  trend?: TrendPlans | undefined;
  /** The desk: a small menu to pick a view and log out; no hidden cursor. */
  menu?: { onLogout: () => void; onLang: (lang: Lang) => void; onDesk?: (() => void) | undefined } | undefined;
}

/** Keeps a view's last good rendering when it throws (a TV never shows a stack trace). */
class Guard extends Component<{ children: ComponentChildren }, { failed: boolean }> {
  override state = { failed: false };
  override componentDidCatch(error: unknown): void {
    console.warn('[pantau] a view failed to render', error);
    this.setState({ failed: true });
    // Try again a little later: the next data may render fine.
    setTimeout(() => this.setState({ failed: false }), 10_000);
  }
  override render(): ComponentChildren {
    return this.state.failed ? null : this.props.children;
  }
}

/** The whole screen. */
export function Screen({ live, lang, views, rotateSeconds, token, menu, basis = 'ALL', trend = 'PERIOD' }: ScreenProps): JSX.Element {
  const s = STRINGS[lang];
  const f = formatFor(lang);
  const [index, setIndex] = useState(0);
  const [drift, setDrift] = useState(0);
  const current = views[Math.min(index, views.length - 1)] ?? 'ringkasan';
  const rotating = rotateSeconds > 0 && views.length > 1;

  useEffect(() => {
    if (!rotating) return undefined;
    const timer = setTimeout(() => setIndex((i) => (i + 1) % views.length), rotateSeconds * 1000);
    return () => clearTimeout(timer);
  }, [index, rotating, rotateSeconds, views.length]);

  useEffect(() => {
    const timer = setInterval(() => setDrift((d) => (d + 1) % DRIFT.length), DRIFT_MS);
    return () => clearInterval(timer);
  }, []);

  const snapshot = live.snapshot;
  const cityName = snapshot?.city.name;
  useEffect(() => {
    if (cityName) document.title = `${cityName} — Pantau`;
  }, [cityName]);
  if (!snapshot) {
    return (
      <div class="stage message" data-state="loading">
        <p class="message-text">{live.status === 'offline' ? s.offline(s.connecting) : s.loading}</p>
      </div>
    );
  }
  const { city, overview } = snapshot;
  const masterplan = city.masterplans[0];
  const [dx, dy] = DRIFT[drift] ?? [0, 0];
  const next = views[(index + 1) % views.length];
  const visit = overview.daysToNextEvaluation;
  const offline = live.status === 'offline' || live.status === 'connecting';
  return (
    <div
      class="stage"
      style={{ transform: `translate(calc(-50% + ${dx}px), calc(-50% + ${dy}px))` }}
      data-status={live.status}
      data-view={current}
      lang={lang}
    >
      <header class="top">
        <h1 class="city">
          <span class="city-name">{city.name}</span>
          {masterplan ? (
            <span class="city-plan">
              {' '}
              · Smart City {masterplan.startYear}–{masterplan.endYear}
            </span>
          ) : null}
        </h1>
        <div class="visit" data-glow>
          {s.visit}: <strong>{visit === null ? s.visitNone : visit <= 0 ? s.visitNow : s.visitIn(f.days(visit))}</strong>
        </div>
      </header>
      <main class="views">
        {views.map((v) => {
          const View = VIEWS[v];
          return (
            <div class={v === current ? 'slot on' : 'slot'} aria-hidden={v !== current}>
              <Guard>
                <View snapshot={snapshot} s={s} f={f} lang={lang} active={v === current} token={token} basis={basis} trend={trend} />
              </Guard>
            </div>
          );
        })}
      </main>
      <footer class="bottom">
        <StatusLine live={live} lang={lang} timeZone={city.timeZone} />
        {menu ? (
          <nav class="menu">
            {menu.onDesk ? (
              <button type="button" onClick={menu.onDesk} id="to-desk">
                {lang === 'id' ? '← Meja kerja' : '← Desk'}
              </button>
            ) : null}
            {views.map((v, i) => (
              <button type="button" class={v === current ? 'on' : ''} onClick={() => setIndex(i)} data-menu={v}>
                {s.views[v]}
              </button>
            ))}
            <button type="button" onClick={() => menu.onLang(lang === 'id' ? 'en' : 'id')}>
              {lang === 'id' ? 'EN' : 'ID'}
            </button>
            <button type="button" onClick={menu.onLogout} id="logout">
              {s.logout}
            </button>
          </nav>
        ) : null}
        <span class="corner">
          <strong class="view-name">{s.views[current]}</strong>
          {rotating && next ? (
            <span class="next">
              {' '}
              · {s.next}: {s.views[next]}
            </span>
          ) : null}
        </span>
      </footer>
      {rotating ? <div class="rotor" key={`${index}-${current}`} style={{ animationDuration: `${rotateSeconds}s` }} /> : null}
      {offline ? <OfflineBand updatedAt={live.updatedAt} lang={lang} /> : null}
    </div>
  );
}

/** "Diperbarui 14.02 WIB ● langsung", or how old the data is. */
function StatusLine({ live, lang, timeZone }: { live: LiveState; lang: Lang; timeZone: string }): JSX.Element {
  const s = STRINGS[lang];
  const f = formatFor(lang);
  const now = useNow(5_000);
  const at = live.updatedAt;
  return (
    <span class="status" data-live={live.status}>
      {s.updated} {at ? f.timeWithZone(new Date(at).toISOString(), timeZone) : '—'}{' '}
      {live.status === 'live' ? (
        <span class="live-dot">● {s.live}</span>
      ) : (
        <span class="stale">· {s.lastUpdated(at ? f.ago(at, Math.max(now, at)) : '—')}</span>
      )}
    </span>
  );
}

/** The amber band while offline: how old the data is, and that it is reconnecting (re-rendered each second, alone). */
function OfflineBand({ updatedAt, lang }: { updatedAt: number | null; lang: Lang }): JSX.Element {
  const s = STRINGS[lang];
  const f = formatFor(lang);
  const now = useNow(1_000);
  return (
    <div class="offline" role="status">
      {s.offline(updatedAt ? f.ago(updatedAt, Math.max(now, updatedAt)) : '—')}
    </div>
  );
}

/** The calm full-screen message of a screen whose token no longer works. */
export function Revoked({ lang, cityName }: { lang: Lang; cityName?: string | undefined }): JSX.Element {
  const s = STRINGS[lang];
  return (
    <div class="stage message" data-state="revoked">
      {cityName ? <p class="message-city">{cityName}</p> : null}
      <p class="message-text">{s.revoked}</p>
      <p class="message-hint">{s.revokedHint}</p>
    </div>
  );
}
