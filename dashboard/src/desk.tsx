// Without a screen token: a person logs in with email and password, picks a city (or goes straight
// to their own) and gets the desk pages (Reporting, Verifying, Chasing, Screens, Users: a lazily
// loaded chunk, so a kiosk never downloads them) or the same live views as the screen.
import type { ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { DeskPagesProps, NationalTopProps } from './desk/app';
import type { NewCityProps } from './desk/setup/new-city';
import type { ResultOf } from './api/document';
import { request, RequestError } from './api/http';
import { clearCachedSnapshots, LiveCity, type LiveState, type LiveStats } from './api/live';
import { LOGIN_MUTATION, ME_QUERY } from './api/queries';
import { STRINGS, type Lang } from './i18n';
import { ANSWER_PREFIX, DESK_LANG_KEY, deskLang, DRAFT_PREFIX, OUTBOX_PREFIX, SESSION_KEY, type ScreenConfig } from './params';
import { Screen } from './screen';
import { LangSwitch } from './ui/widgets';

interface Session {
  token: string;
  cityId: string | null;
  /** The person's role: viewers and evaluators only read, so they get the live views, not the desk pages. */
  role?: string | undefined;
}

function loadSession(): Session | null {
  try {
    const value = JSON.parse(localStorage.getItem(SESSION_KEY) ?? 'null') as Session | null;
    return value && typeof value.token === 'string'
      ? {
          token: value.token,
          cityId: typeof value.cityId === 'string' ? value.cityId : null,
          role: typeof value.role === 'string' ? value.role : undefined,
        }
      : null;
  } catch {
    return null;
  }
}

function saveSession(session: Session | null): void {
  try {
    if (session) localStorage.setItem(SESSION_KEY, JSON.stringify(session));
    else localStorage.removeItem(SESSION_KEY);
  } catch {
    // No storage: the login lasts as long as the page.
  }
}

function storedLang(): string | null {
  try {
    return localStorage.getItem(DESK_LANG_KEY);
  } catch {
    return null;
  }
}

/** The desk's language: chosen on the login page, in the desk's menu or the live views' menu; kept per browser. */
function useDeskLang(): [Lang, (lang: Lang) => void] {
  const [lang, setLang] = useState<Lang>(() => deskLang(location.href, storedLang()));
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const choose = (next: Lang): void => {
    try {
      localStorage.setItem(DESK_LANG_KEY, next);
    } catch {
      // No storage: the choice lasts as long as the page.
    }
    setLang(next);
  };
  return [lang, choose];
}

/** The user id (`sub`) of a login token, or null. It only names storage; the server decides everything. */
function subjectOf(token: string | undefined): string | null {
  try {
    const part = (token ?? '').split('.')[1] ?? '';
    const sub = (JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: unknown }).sub;
    return typeof sub === 'string' && /^[\w-]{1,64}$/.test(sub) ? sub : null;
  } catch {
    return null;
  }
}

/**
 * At logout (or when the session ends): report drafts go, so the next person at this browser
 * neither sees nor sends them. A report its author pressed "send" on while offline is parked
 * under the author's id, and goes back to the outbox when they log in here again (`unparkOutbox`).
 */
function clearDrafts(token: string | undefined): void {
  const owner = subjectOf(token);
  try {
    for (const key of Object.keys(localStorage)) {
      // The desk's kept answers (plans, names) go too.
      if (key.startsWith(ANSWER_PREFIX)) localStorage.removeItem(key);
      if (!key.startsWith(DRAFT_PREFIX)) continue;
      const value = localStorage.getItem(key) ?? '';
      let pending = false;
      try {
        pending = (JSON.parse(value) as { pending?: unknown }).pending === true;
      } catch {
        // unreadable: a draft like any other
      }
      if (pending && owner) localStorage.setItem(`${OUTBOX_PREFIX}${owner}.${key.slice(DRAFT_PREFIX.length)}`, value);
      localStorage.removeItem(key);
    }
  } catch {
    // No storage: nothing was kept.
  }
}

/** At login: this user's parked reports go back to the outbox. */
function unparkOutbox(token: string): void {
  const owner = subjectOf(token);
  if (!owner) return;
  try {
    const prefix = `${OUTBOX_PREFIX}${owner}.`;
    for (const key of Object.keys(localStorage)) {
      if (!key.startsWith(prefix)) continue;
      localStorage.setItem(DRAFT_PREFIX + key.slice(prefix.length), localStorage.getItem(key) ?? '');
      localStorage.removeItem(key);
    }
  } catch {
    // No storage.
  }
}

type Me = ResultOf<typeof ME_QUERY>;

/** The desk: login, city choice, then the screen with a menu. */
export function Desk({ config }: { config: ScreenConfig }): JSX.Element {
  const [lang, setLang] = useDeskLang();
  const [session, setSession] = useState<Session | null>(loadSession);
  const [cities, setCities] = useState<Me['cities'] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const s = STRINGS[lang];
  // A platform admin opens a city just created: on its setup pages.
  const openCity = (cityId: string): void => {
    if (!session) return;
    history.replaceState(null, '', '#halaman=pengaturan&bagian=profil');
    const next = { ...session, cityId };
    saveSession(next);
    setSession(next);
  };

  // Another city, on the page named (the same page by default): the city switcher, the national view.
  const switchCity = (cityId: string, hash: string = location.hash): void => {
    if (!session) return;
    history.replaceState(null, '', hash ? hash : location.pathname + location.search);
    setHashPage(pageFromHash());
    const next = { ...session, cityId };
    saveSession(next);
    setSession(next);
  };
  // The picker follows the address too (its national view is `#halaman=nasional`).
  const [hashPage, setHashPage] = useState(pageFromHash);
  useEffect(() => {
    const onHash = (): void => setHashPage(pageFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const logout = (message: string | null = null): void => {
    clearDrafts(session?.token);
    saveSession(null);
    clearCachedSnapshots();
    // The next person starts on their own default page.
    if (location.hash) history.replaceState(null, '', location.pathname + location.search);
    setSession(null);
    setCities(null);
    setNotice(message);
  };

  // After login: the person's own city, the one from the URL, or a choice.
  useEffect(() => {
    if (!session || session.cityId || session.role) return;
    request(ME_QUERY, {}, { token: session.token, lang })
      .then((data) => {
        const wanted = config.cityId && data.cities.some((c) => c.id === config.cityId) ? config.cityId : null;
        const only = data.cities.length === 1 ? data.cities[0]?.id : undefined;
        const cityId = wanted ?? data.me?.cityId ?? only ?? null;
        const role = data.me?.role;
        if (cityId) {
          const next = { ...session, cityId, role };
          saveSession(next);
          setSession(next);
        } else {
          setSession({ ...session, role });
          setCities(data.cities);
        }
      })
      .catch((error: unknown) =>
        logout(error instanceof RequestError && error.kind === 'unauthenticated' ? STRINGS[lang].sessionEnded : STRINGS[lang].networkError),
      );
  }, [session]);

  if (!session)
    return (
      <Login
        lang={lang}
        notice={notice}
        onLang={setLang}
        onToken={(token) => {
          unparkOutbox(token);
          const next = { token, cityId: null };
          saveSession(next);
          setSession(next);
        }}
      />
    );
  if (!session.cityId && hashPage === 'nasional' && session.role) {
    return (
      <NationalTop
        token={session.token}
        lang={lang}
        onLang={setLang}
        onLogout={() => logout()}
        onSessionEnded={() => logout(s.sessionEnded)}
        onCity={(cityId) => switchCity(cityId, '')}
        onPicker={() => {
          location.hash = '';
        }}
      />
    );
  }
  if (!session.cityId) {
    document.documentElement.classList.add('desk-light');
    document.title = `${s.pickCity} — Pantau`;
    return (
      <main class="desk">
        <form class="login" onSubmit={(e) => e.preventDefault()}>
          <h1>{s.pickCity}</h1>
          {cities === null ? <p>{s.loading}</p> : null}
          <div class="city-list">
            {(cities ?? []).map((c) => (
              <button
                type="button"
                class="city-choice"
                data-city={c.id}
                onClick={() => {
                  const next = { ...session, cityId: c.id };
                  saveSession(next);
                  setSession(next);
                }}
              >
                {c.name}
              </button>
            ))}
          </div>
          <button type="button" class="link" onClick={() => logout()}>
            {s.logout}
          </button>
          <LangSwitch lang={lang} onLang={setLang} class="link" />
        </form>
        {session.role === 'PLATFORM_ADMIN' || (cities?.length ?? 0) > 1 ? (
          <p class="new-city">
            <a class="link" id="to-national" href="#halaman=nasional">
              {lang === 'en' ? 'National view: all cities side by side →' : 'Tampilan nasional: semua kota berdampingan →'}
            </a>
          </p>
        ) : null}
        {session.role === 'PLATFORM_ADMIN' && cities !== null ? (
          <NewCityOnPicker token={session.token} lang={lang} onSessionEnded={() => logout(s.sessionEnded)} onOpen={openCity} />
        ) : null}
      </main>
    );
  }
  return (
    <DeskShell
      session={session as Session & { cityId: string }}
      lang={lang}
      config={config}
      onLang={setLang}
      onLogout={logout}
      onCity={openCity}
      onSwitchCity={(cityId) => switchCity(cityId)}
    />
  );
}

/** A platform admin on the city picker: "new city" opens the form (loaded on first use). */
function NewCityOnPicker(props: NewCityProps): JSX.Element {
  const [Form, setForm] = useState<ComponentType<NewCityProps> | null>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (open && !Form) void import('./desk/setup/picker').then((m) => setForm(() => m.PickerNewCity));
  }, [open]);
  if (!open)
    return (
      <p class="new-city">
        <button type="button" class="link" id="new-city" onClick={() => setOpen(true)}>
          {props.lang === 'en' ? '+ New city' : '+ Kota baru'}
        </button>
      </p>
    );
  return Form ? <Form {...props} /> : <p>{STRINGS[props.lang].loading}</p>;
}

/** The desk page named in the address (`#halaman=lapor`), or null for the default one. */
export function pageFromHash(): string | null {
  return new URLSearchParams(location.hash.replace(/^#/, '')).get('halaman');
}

/** Desk pages that only read (or read only for them), open to viewers and evaluators too. */
const READ_ONLY_PAGES = new Set(['risiko', 'penilaian', 'nasional']);

/** The live city views (`#halaman=layar-kota`) or the desk pages, loaded on first use. */
function DeskShell({
  session,
  lang,
  config,
  onLang,
  onLogout,
  onCity,
  onSwitchCity,
}: {
  session: Session & { cityId: string };
  lang: Lang;
  config: ScreenConfig;
  onLang: (lang: Lang) => void;
  onLogout: (message?: string | null) => void;
  onCity: (cityId: string) => void;
  onSwitchCity: (cityId: string) => void;
}): JSX.Element {
  const [hash, setHash] = useState(location.hash);
  const page = pageFromHash();
  const [Pages, setPages] = useState<ComponentType<DeskPagesProps> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const onHash = (): void => setHash(location.hash);
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  // Viewers and evaluators only read: the live views, and the desk's read-only pages (risks, the
  // self-assessment, the national view) when they ask for them (no page with a write button).
  const readOnly = session.role === 'VIEWER' || session.role === 'EVALUATOR';
  const onScreen = (readOnly && !READ_ONLY_PAGES.has(page ?? '')) || page === 'layar-kota';
  useLightTheme(!onScreen);
  useEffect(() => {
    if (onScreen || Pages) return;
    import('./desk/app').then((m) => setPages(() => m.DeskPages)).catch(() => setFailed(true));
  }, [onScreen, Pages]);
  if (onScreen) {
    return (
      <DeskScreen
        key={`${session.cityId}-${lang}`}
        session={session}
        lang={lang}
        config={readOnly ? withReadiness(config) : config}
        onLang={onLang}
        onLogout={onLogout}
        onDesk={() => {
          // A viewer's "desk" is its read-only pages: Risiko, Penilaian mandiri (and back to the live views).
          location.hash = readOnly ? 'halaman=risiko' : '';
        }}
      />
    );
  }
  if (!Pages) return <div class="boot">{failed ? STRINGS[lang].networkError : STRINGS[lang].loading}</div>;
  return (
    <Pages
      key={session.cityId}
      route={hash}
      token={session.token}
      cityId={session.cityId}
      lang={lang}
      page={page}
      onLang={onLang}
      onLogout={() => onLogout()}
      onSessionEnded={() => onLogout(STRINGS[lang].sessionEnded)}
      onCity={(cityId) => {
        onCity(cityId);
        setHash(location.hash);
      }}
      onSwitchCity={onSwitchCity}
    />
  );
}

/** The live views a viewer gets in the desk: the screen's, with Kesiapan (the README promises it). */
function withReadiness(config: ScreenConfig): ScreenConfig {
  return config.views.includes('kesiapan') ? config : { ...config, views: [...config.views, 'kesiapan'] };
}

/** The national view without a city (a platform admin's top-level page), loaded with the desk pages. */
function NationalTop(props: NationalTopProps): JSX.Element {
  const [Page, setPage] = useState<ComponentType<NationalTopProps> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    import('./desk/app').then((m) => setPage(() => m.NationalTopPage)).catch(() => setFailed(true));
  }, []);
  if (!Page) return <div class="boot">{failed ? STRINGS[props.lang].networkError : STRINGS[props.lang].loading}</div>;
  return <Page {...props} />;
}

/** The desk's light theme (16 px, scrolling) while mounted; the live views keep the dark screen. */
function useLightTheme(on: boolean): void {
  useEffect(() => {
    const root = document.documentElement;
    root.classList.toggle('desk-light', on);
    return () => root.classList.remove('desk-light');
  }, [on]);
}

function DeskScreen({
  session,
  lang,
  config,
  onLang,
  onLogout,
  onDesk,
}: {
  session: Session & { cityId: string };
  lang: Lang;
  config: ScreenConfig;
  onLang: (lang: Lang) => void;
  onLogout: (message?: string | null) => void;
  onDesk: (() => void) | undefined;
}): JSX.Element {
  const [live, setLive] = useState<LiveState | null>(null);
  useEffect(() => {
    const stats: LiveStats = { events: 0, gaps: 0, snapshots: 0, connects: 0 };
    const city = new LiveCity({
      cityId: session.cityId,
      token: session.token,
      lang,
      stats,
      onState: setLive,
      onUnauthorized: () => onLogout(STRINGS[lang].sessionEnded),
    });
    window.__pantau = { stats, state: () => city.current };
    city.start();
    return () => city.stop();
  }, [session.cityId, session.token, lang]);
  return (
    <Screen
      live={live ?? { snapshot: null, status: 'connecting', updatedAt: null }}
      lang={lang}
      views={config.views}
      rotateSeconds={0}
      token={session.token}
      menu={{ onLogout: () => onLogout(), onLang, onDesk }}
    />
  );
}

function Login({
  lang,
  notice,
  onLang,
  onToken,
}: {
  lang: Lang;
  notice: string | null;
  onLang: (lang: Lang) => void;
  onToken: (token: string) => void;
}): JSX.Element {
  const s = STRINGS[lang];
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(notice);
  useEffect(() => {
    document.documentElement.classList.add('desk-light');
    return () => document.documentElement.classList.remove('desk-light');
  }, []);
  useEffect(() => {
    document.title = s.loginTitle;
  }, [s]);
  const submit = (event: Event): void => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    request(LOGIN_MUTATION, { input: { email: email.trim(), password } }, { token: null, lang })
      .then((data) => onToken(data.login.token))
      .catch((e: unknown) => setError(e instanceof RequestError && e.kind !== 'network' ? e.message : s.networkError))
      .finally(() => setBusy(false));
  };
  return (
    <main class="desk">
      <form class="login" onSubmit={submit} id="login-form">
        <h1>{s.loginTitle}</h1>
        <p class="hint">{s.loginHint}</p>
        <label>
          {s.email}
          <input
            id="login-email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onInput={(e) => setEmail((e.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          {s.password}
          <input
            id="login-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
          />
        </label>
        {error ? (
          <p class="error" role="alert" id="login-error">
            {error}
          </p>
        ) : null}
        <button id="login-submit" type="submit" disabled={busy}>
          {busy ? s.loggingIn : s.login}
        </button>
        <LangSwitch lang={lang} onLang={onLang} class="link" />
      </form>
    </main>
  );
}
