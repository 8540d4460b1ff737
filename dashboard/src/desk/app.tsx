// The desk pages (lazily loaded; a kiosk never downloads this chunk): a light, plain layout with
// a menu of the pages the person's role allows, and the page named in the address
// (`#halaman=lapor|verifikasi|tindak-lanjut|layar|pengguna|risiko|penilaian|nasional|pengaturan|layar-kota`).
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Lang } from '../i18n';
import { LangSwitch } from '../ui/widgets';
import { AssessmentPage } from './assessment';
import { ChasePage } from './chase';
import { NationalPage } from './national';
import { RisksPage } from './risks';
import { can, explain, flushOutbox, fmt, gqKept, ME_AND_CITY, type DeskCtx, type Me } from './lib';
import { ReportingPage } from './reporting';
import { ScreensPage } from './screens';
import { WordsContext } from './ui';
import { CITY_BASE_EVENT } from './setup/events';
import { LazySetupPage } from './setup/lazy';
import { UsersPage } from './users';
import { VerifyPage } from './verify';
import { DESK_WORDS, type DeskWords } from './words';
import './desk.css';

/** What desk.tsx hands the lazily loaded pages. */
export interface DeskPagesProps {
  token: string;
  cityId: string;
  lang: Lang;
  /** The page in the address, or null for the person's default page. */
  page: string | null;
  /** The whole address fragment (`halaman=lapor&rencana=<id>`): a change re-renders the page. */
  route: string;
  /** Switches the desk's language (the choice is kept per browser). */
  onLang: (lang: Lang) => void;
  onLogout: () => void;
  onSessionEnded: () => void;
  /** Opens the desk on another city (a platform admin, after creating one). */
  onCity?: (cityId: string) => void;
  /** Opens the desk on another city, same page (the city switcher). */
  onSwitchCity?: (cityId: string) => void;
}

/** What desk.tsx hands the national view without a city (a platform admin's top-level page). */
export interface NationalTopProps {
  token: string;
  lang: Lang;
  onLang: (lang: Lang) => void;
  onLogout: () => void;
  onSessionEnded: () => void;
  /** Opens a city's desk. */
  onCity: (cityId: string) => void;
  /** Back to the city picker. */
  onPicker: () => void;
}

/** "Nasional" as a page of its own: no city chosen yet, each row opens its city. */
export function NationalTopPage({ token, lang, onLang, onLogout, onSessionEnded, onCity, onPicker }: NationalTopProps): JSX.Element {
  const w = DESK_WORDS[lang];
  return (
    <WordsContext.Provider value={w}>
      <div class="dk">
        <header class="dk-top">
          <div class="dk-brand">
            <span class="dk-brand-app">
              <strong>Pantau</strong> ·{' '}
            </span>
            {w.nav.nasional}
          </div>
          <nav class="dk-nav" aria-label={w.menu}>
            <button type="button" class="dk-btn dk-quiet" id="to-picker" onClick={onPicker}>
              {w.pickCity}
            </button>
            <LangSwitch lang={lang} onLang={onLang} class="dk-btn dk-quiet dk-nav-lang" />
          </nav>
          <div class="dk-who">
            <button type="button" class="dk-btn dk-quiet" id="logout" onClick={onLogout}>
              {w.logout}
            </button>
          </div>
        </header>
        <main class="dk-main dk-main-wide" id="main">
          <NationalPage ctx={{ token, lang, onSessionEnded, f: fmt(lang), w }} onOpen={onCity} />
        </main>
      </div>
    </WordsContext.Provider>
  );
}

/** The city switcher of a person who reads more than one city. */
function CitySwitch({
  ctx,
  cities,
  onSwitch,
}: {
  ctx: DeskCtx;
  cities: { id: string; name: string }[];
  onSwitch: (id: string) => void;
}): JSX.Element {
  return (
    <label class="dk-city-switch">
      <span class="dk-visually-hidden">{ctx.w.switchCity}</span>
      <select id="city-switch" value={ctx.cityId} onChange={(e) => onSwitch((e.target as HTMLSelectElement).value)}>
        {cities.map((c) => (
          <option value={c.id}>{c.name}</option>
        ))}
      </select>
    </label>
  );
}

interface PageDef {
  /** The page's name in the address; its menu label is `w.nav[key]`. */
  key: keyof DeskWords['nav'];
  allowed(me: Me): boolean;
}

const PAGES: PageDef[] = [
  { key: 'lapor', allowed: can.reportOwn },
  { key: 'verifikasi', allowed: can.verify },
  { key: 'tindak-lanjut', allowed: can.chase },
  { key: 'layar', allowed: can.screens },
  { key: 'pengguna', allowed: can.users },
  { key: 'risiko', allowed: () => true },
  // Everyone who reads the city; city admins edit, an OPD reporter adds its OPD's evidence.
  { key: 'penilaian', allowed: (me) => me.permissions.includes('city:read') },
  { key: 'nasional', allowed: can.compare },
  { key: 'pengaturan', allowed: (me) => me.permissions.includes('city:manage') },
  { key: 'layar-kota', allowed: () => true },
];

/** The page a person lands on. */
function defaultPage(me: Me): string {
  return PAGES.find((p) => p.allowed(me))?.key ?? 'layar-kota';
}

/** The desk: loads who is logged in, then the menu and the page. */
export function DeskPages({
  token,
  cityId,
  lang,
  page,
  route,
  onLang,
  onLogout,
  onSessionEnded,
  onCity,
  onSwitchCity,
}: DeskPagesProps): JSX.Element {
  const w = DESK_WORDS[lang];
  const [base, setBase] = useState<(Pick<DeskCtx, 'me' | 'city'> & { cities: { id: string; name: string }[] }) | null>(null);
  // The setup pages say when the city's name or OPDs changed: read them again.
  const [baseTick, setBaseTick] = useState(0);
  useEffect(() => {
    const bump = (): void => setBaseTick((n) => n + 1);
    window.addEventListener(CITY_BASE_EVENT, bump);
    return () => window.removeEventListener(CITY_BASE_EVENT, bump);
  }, []);
  const [error, setError] = useState<string | null>(null);
  const [online, setOnline] = useState(navigator.onLine);
  // On a phone the menu folds into one button; it closes when a page is chosen.
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [route]);

  useEffect(() => {
    gqKept({ token, lang, onSessionEnded }, `me.${cityId}.${lang}`, ME_AND_CITY, { city: cityId })
      // No one signed in (the token no longer names a person): the session is over.
      .then((data) => (data.me ? setBase({ me: data.me, city: data.city, cities: data.cities }) : onSessionEnded()))
      .catch((e: unknown) => setError(explain(e, w)));
  }, [token, cityId, lang, baseTick]);

  // Reports written offline go out when the network is back (and every 20 s while any wait).
  useEffect(() => {
    const ctx = { token, lang, onSessionEnded, cityId, w: DESK_WORDS[lang], f: fmt(lang) };
    const flush = (): void => {
      setOnline(navigator.onLine);
      void flushOutbox(ctx);
    };
    const offline = (): void => setOnline(false);
    window.addEventListener('online', flush);
    window.addEventListener('offline', offline);
    const timer = setInterval(flush, 20_000);
    flush();
    return () => {
      window.removeEventListener('online', flush);
      window.removeEventListener('offline', offline);
      clearInterval(timer);
    };
  }, [token, lang]);

  useEffect(() => {
    if (base && !page) {
      const first = defaultPage(base.me);
      history.replaceState(null, '', `#halaman=${first}`);
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    }
  }, [base, page]);

  const refused = base && page ? !PAGES.find((p) => p.key === page)?.allowed(base.me) : false;
  useEffect(() => {
    if (refused) document.title = `${w.notForRole} — Pantau`;
  }, [refused, w]);

  if (!base) {
    return (
      <div class="dk">
        <main class="dk-main">
          <p role={error ? 'alert' : 'status'}>{error ?? w.loading}</p>
          {error ? (
            <button type="button" class="dk-btn" onClick={onLogout}>
              {w.logout}
            </button>
          ) : null}
        </main>
      </div>
    );
  }
  const ctx: DeskCtx = { token, lang, cityId, city: base.city, me: base.me, f: fmt(lang), w, onSessionEnded };
  const current = page ?? defaultPage(base.me);
  const def = PAGES.find((p) => p.key === current);
  const allowed = def ? def.allowed(base.me) : false;
  const params = new URLSearchParams(route.replace(/^#/, ''));
  return (
    <WordsContext.Provider value={w}>
      <div class="dk">
        <header class="dk-top">
          <div class="dk-brand">
            <span class="dk-brand-app">
              <strong>Pantau</strong> ·{' '}
            </span>
            {base.cities.length > 1 && onSwitchCity ? (
              <CitySwitch ctx={ctx} cities={base.cities} onSwitch={onSwitchCity} />
            ) : (
              base.city.name
            )}
          </div>
          <button
            type="button"
            class="dk-btn dk-quiet dk-menu-toggle"
            id="menu-toggle"
            aria-expanded={menuOpen ? 'true' : 'false'}
            aria-controls="dk-menu"
            onClick={() => setMenuOpen(!menuOpen)}
          >
            <span aria-hidden="true">{menuOpen ? '✕' : '☰'}</span>
            <span class="dk-menu-label">{def ? w.nav[def.key] : w.menu}</span>
          </button>
          <div class={`dk-menu${menuOpen ? ' open' : ''}`} id="dk-menu">
            <nav class="dk-nav" aria-label={w.menu}>
              {PAGES.filter((p) => p.allowed(base.me)).map((p) => (
                <a
                  href={`#halaman=${p.key}`}
                  class={p.key === current ? 'on' : ''}
                  aria-current={p.key === current ? 'page' : undefined}
                  data-page={p.key}
                >
                  {w.nav[p.key]}
                </a>
              ))}
              <LangSwitch lang={lang} onLang={onLang} class="dk-btn dk-quiet dk-nav-lang" />
            </nav>
            <div class="dk-who">
              <span>
                {base.me.name} <span class="dk-muted">· {w.roles[base.me.role]}</span>
              </span>
              <button type="button" class="dk-btn dk-quiet" id="logout" onClick={onLogout}>
                {w.logout}
              </button>
            </div>
          </div>
        </header>
        {online ? null : (
          <p class="dk-offline" role="status">
            {w.offline}
          </p>
        )}
        <main class={`dk-main${page === 'nasional' ? ' dk-main-wide' : ''}`} id="main">
          {!allowed ? (
            <section>
              <h1>{w.notForRole}</h1>
              <p>{w.notForRoleText(w.roles[base.me.role])}</p>
            </section>
          ) : current === 'lapor' ? (
            <ReportingPage ctx={ctx} planId={params.get('rencana')} />
          ) : current === 'verifikasi' ? (
            <VerifyPage ctx={ctx} />
          ) : current === 'tindak-lanjut' ? (
            <ChasePage ctx={ctx} />
          ) : current === 'layar' ? (
            <ScreensPage ctx={ctx} />
          ) : current === 'pengguna' ? (
            <UsersPage ctx={ctx} />
          ) : current === 'risiko' ? (
            <RisksPage ctx={ctx} />
          ) : current === 'penilaian' ? (
            <AssessmentPage ctx={ctx} year={/^\d{4}$/.test(params.get('tahun') ?? '') ? Number(params.get('tahun')) : null} />
          ) : current === 'nasional' ? (
            <NationalPage ctx={ctx} onOpen={onSwitchCity ? (id) => onSwitchCity(id) : undefined} />
          ) : current === 'pengaturan' ? (
            <LazySetupPage ctx={ctx} part={params.get('bagian')} onCity={onCity} />
          ) : null}
        </main>
      </div>
    </WordsContext.Provider>
  );
}
