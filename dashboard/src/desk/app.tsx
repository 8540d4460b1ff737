// The desk pages (lazily loaded; a kiosk never downloads this chunk): a light, plain layout with
// a menu of the pages the person's role allows, and the page named in the address
// (`#halaman=lapor|verifikasi|tindak-lanjut|layar|pengguna|risiko|penilaian|nasional|pengaturan|layar-kota`).
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Lang } from '../i18n';
import { AssessmentPage } from './assessment';
import { ChasePage } from './chase';
import { NationalPage } from './national';
import { RisksPage } from './risks';
import { can, explain, flushOutbox, fmt, gq, ME_AND_CITY, ROLE_LABELS, type DeskCtx, type Me } from './lib';
import { ReportingPage } from './reporting';
import { ScreensPage } from './screens';
import { CITY_BASE_EVENT, SETUP_MENU } from './setup/events';
import { LazySetupPage } from './setup/lazy';
import { UsersPage } from './users';
import { VerifyPage } from './verify';
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
  /** Kept for a later English desk; the desk pages speak Indonesian only for now. */
  onLang: (lang: Lang) => void;
  onLogout: () => void;
  onSessionEnded: () => void;
  /** Opens the desk on another city (a platform admin, after creating one). */
  onCity?: (cityId: string) => void;
}

interface PageDef {
  key: string;
  label: string;
  allowed(me: Me): boolean;
}

const PAGES: PageDef[] = [
  { key: 'lapor', label: 'Laporan OPD saya', allowed: can.reportOwn },
  { key: 'verifikasi', label: 'Verifikasi', allowed: can.verify },
  { key: 'tindak-lanjut', label: 'Tindak lanjut', allowed: can.chase },
  { key: 'layar', label: 'Layar', allowed: can.screens },
  { key: 'pengguna', label: 'Pengguna', allowed: can.users },
  { key: 'risiko', label: 'Risiko', allowed: () => true },
  // Everyone who reads the city; city admins edit, an OPD reporter adds its OPD's evidence.
  { key: 'penilaian', label: 'Penilaian mandiri', allowed: (me) => me.permissions.includes('city:read') },
  { key: 'nasional', label: 'Nasional', allowed: can.compare },
  { key: 'pengaturan', label: SETUP_MENU.id, allowed: (me) => me.permissions.includes('city:manage') },
  { key: 'layar-kota', label: 'Layar kota (langsung)', allowed: () => true },
];

/** The page a person lands on. */
function defaultPage(me: Me): string {
  return PAGES.find((p) => p.allowed(me))?.key ?? 'layar-kota';
}

/** The desk: loads who is logged in, then the menu and the page. */
export function DeskPages({ token, cityId, lang, page, route, onLogout, onSessionEnded, onCity }: DeskPagesProps): JSX.Element {
  const [base, setBase] = useState<Pick<DeskCtx, 'me' | 'city'> | null>(null);
  // The setup pages say when the city's name or OPDs changed: read them again.
  const [baseTick, setBaseTick] = useState(0);
  useEffect(() => {
    const bump = (): void => setBaseTick((n) => n + 1);
    window.addEventListener(CITY_BASE_EVENT, bump);
    return () => window.removeEventListener(CITY_BASE_EVENT, bump);
  }, []);
  const [error, setError] = useState<string | null>(null);
  const [online, setOnline] = useState(navigator.onLine);

  useEffect(() => {
    gq<{ me: Me; city: DeskCtx['city'] }>({ token, lang, onSessionEnded }, ME_AND_CITY, { city: cityId })
      .then((data) => setBase({ me: data.me, city: data.city }))
      .catch((e: unknown) => setError(explain(e)));
  }, [token, cityId, lang, baseTick]);

  // Reports written offline go out when the network is back (and every 20 s while any wait).
  useEffect(() => {
    const ctx = { token, lang, onSessionEnded };
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

  if (!base) {
    return (
      <div class="dk">
        <main class="dk-main">
          <p role={error ? 'alert' : 'status'}>{error ?? 'Memuat…'}</p>
          {error ? (
            <button type="button" class="dk-btn" onClick={onLogout}>
              Keluar
            </button>
          ) : null}
        </main>
      </div>
    );
  }
  const ctx: DeskCtx = { token, lang, cityId, city: base.city, me: base.me, f: fmt(lang), onSessionEnded };
  const current = page ?? defaultPage(base.me);
  const def = PAGES.find((p) => p.key === current);
  const allowed = def ? def.allowed(base.me) : false;
  const params = new URLSearchParams(route.replace(/^#/, ''));
  return (
    <div class="dk">
      <header class="dk-top">
        <div class="dk-brand">
          <strong>Pantau</strong> · {base.city.name}
        </div>
        <nav class="dk-nav" aria-label="Menu">
          {PAGES.filter((p) => p.allowed(base.me)).map((p) => (
            <a
              href={`#halaman=${p.key}`}
              class={p.key === current ? 'on' : ''}
              aria-current={p.key === current ? 'page' : undefined}
              data-page={p.key}
            >
              {p.label}
            </a>
          ))}
        </nav>
        <div class="dk-who">
          <span>
            {base.me.name} <span class="dk-muted">· {ROLE_LABELS[base.me.role]}</span>
          </span>
          <button type="button" class="dk-btn dk-quiet" id="logout" onClick={onLogout}>
            Keluar
          </button>
        </div>
      </header>
      {online ? null : (
        <p class="dk-offline" role="status">
          Jaringan terputus. Anda tetap bisa menulis laporan; laporan dikirim otomatis saat jaringan kembali.
        </p>
      )}
      <main class={`dk-main${page === 'nasional' ? ' dk-main-wide' : ''}`} id="main">
        {!allowed ? (
          <section>
            <h1>Halaman ini bukan untuk peran Anda</h1>
            <p>
              Anda masuk sebagai {ROLE_LABELS[base.me.role]}. Pilih halaman lain dari menu di atas, atau hubungi admin kota bila Anda perlu
              akses.
            </p>
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
          <NationalPage ctx={ctx} />
        ) : current === 'pengaturan' ? (
          <LazySetupPage ctx={ctx} part={params.get('bagian')} onCity={onCity} />
        ) : null}
      </main>
    </div>
  );
}
