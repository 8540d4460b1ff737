// The kiosk URL and what the screen remembers. `/dashboard/#city=<id>&token=<pst_…>&views=ringkasan,opd,tren&rotate=30&lang=id`
// (`&basis=verified`: the headline counts verified reports only; `basis=all`, the default, every report;
// `&tren=semua`: Tren counts every plan; `tren=periode`, the default, this masterplan period's plans)
// (`?token=` in the query string works too, for TV browsers that mangle fragments). The token is
// kept in localStorage and removed from the address bar, so a TV that loses power comes back by itself.
import type { Basis, TrendPlans } from './api/queries';
import { DEFAULT_VIEWS, VIEW_NAMES, type Lang, type ViewName } from './i18n';

/** What the screen shows and how. */
export interface ScreenConfig {
  cityId: string | null;
  /** A screen token (`pst_…`); null: a person logs in. */
  token: string | null;
  views: ViewName[];
  /** Seconds per view; 0 = no rotation. */
  rotateSeconds: number;
  lang: Lang;
  /** Which reports the figures count: every report (ALL, the default) or verified ones only. */
  basis: Basis;
  /** Which plans Tren counts: this masterplan period's (PERIOD, the default) or all of them. */
  trend: TrendPlans;
}

/** localStorage key of the kiosk configuration (token included). */
export const KIOSK_KEY = 'pantau.screen.kiosk';
/** localStorage key of a person's login (the desk). */
export const SESSION_KEY = 'pantau.screen.session';
/** localStorage key of the desk's language, chosen per browser (it outlives a logout). */
export const DESK_LANG_KEY = 'pantau.desk.lang';
/** localStorage key prefix of the desk's report drafts, one per plan (`<prefix><planId>`, desk/lib.ts). */
export const DRAFT_PREFIX = 'pantau.desk.draft.';
/** …of reports sent offline, parked at logout for their author (`<prefix><userId>.<planId>`, desk.tsx). */
export const OUTBOX_PREFIX = 'pantau.desk.outbox.';
/** The desk's last answers (who is logged in, the OPD's plans, a plan), kept for an offline reload; cleared at logout. */
export const ANSWER_PREFIX = 'pantau.answer.';

const DEFAULT_ROTATE = 30;

/** Reads the parameters of a fragment and a query string; later sources override earlier ones. */
function readParams(url: URL): Map<string, string> {
  const out = new Map<string, string>();
  for (const source of [url.search.replace(/^\?/, ''), url.hash.replace(/^#/, '')]) {
    for (const [key, value] of new URLSearchParams(source)) if (value) out.set(key, value);
  }
  return out;
}

function parseViews(raw: string | undefined): ViewName[] | null {
  if (!raw) return null;
  const views = raw
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter((v, i, all): v is ViewName => (VIEW_NAMES as readonly string[]).includes(v) && all.indexOf(v) === i);
  return views.length ? views : null;
}

/** `basis=verified` (or `terverifikasi`) / `basis=all` (or `semua`); null for anything else. */
function parseBasis(raw: unknown): Basis | null {
  const value = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (value === 'verified' || value === 'terverifikasi') return 'VERIFIED';
  if (value === 'all' || value === 'semua') return 'ALL';
  return null;
}

/** `tren=periode|semua` (or `trend=period|all`); null for anything else. */
function parseTrend(raw: unknown): TrendPlans | null {
  const value = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (value === 'period' || value === 'periode') return 'PERIOD';
  if (value === 'all' || value === 'semua') return 'ALL';
  return null;
}

function parseStored(raw: string | null): Partial<ScreenConfig> {
  try {
    const value = JSON.parse(raw ?? 'null') as Partial<ScreenConfig> | null;
    return value && typeof value === 'object' ? value : {};
  } catch {
    return {};
  }
}

/**
 * The screen's configuration from the address (fragment and query) over what is stored, and the
 * address to show instead (token removed) when it differs. A token in the URL replaces the stored
 * one; a URL for another city without a token drops the stored token.
 */
export function resolveConfig(href: string, stored: string | null): { config: ScreenConfig; cleanHref: string | null } {
  const url = new URL(href);
  const params = readParams(url);
  const saved = parseStored(stored);
  const token = params.get('token') ?? null;
  const cityFromUrl = params.get('city') ?? null;
  const savedToken = typeof saved.token === 'string' && saved.token.startsWith('pst_') ? saved.token : null;
  const sameCity = !cityFromUrl || cityFromUrl === saved.cityId;
  const langParam = params.get('lang');
  const lang: Lang = langParam === 'en' || langParam === 'id' ? langParam : saved.lang === 'en' || saved.lang === 'id' ? saved.lang : 'id';
  const rotateRaw = params.get('rotate');
  const rotate =
    rotateRaw !== undefined && rotateRaw !== null
      ? Number(rotateRaw)
      : typeof saved.rotateSeconds === 'number'
        ? saved.rotateSeconds
        : DEFAULT_ROTATE;
  const config: ScreenConfig = {
    cityId: cityFromUrl ?? (typeof saved.cityId === 'string' ? saved.cityId : null),
    token: token && token.startsWith('pst_') ? token : sameCity ? savedToken : null,
    views: parseViews(params.get('views')) ?? (Array.isArray(saved.views) ? parseViews(saved.views.join(',')) : null) ?? [...DEFAULT_VIEWS],
    rotateSeconds:
      Number.isFinite(rotate) && rotate >= 0 ? Math.min(Math.max(rotate === 0 ? 0 : rotate, rotate === 0 ? 0 : 3), 3600) : DEFAULT_ROTATE,
    lang,
    basis: parseBasis(params.get('basis')) ?? parseBasis(saved.basis) ?? 'ALL',
    trend: parseTrend(params.get('tren') ?? params.get('trend')) ?? parseTrend(saved.trend) ?? 'PERIOD',
  };
  let cleanHref: string | null = null;
  if (url.searchParams.has('token') || new URLSearchParams(url.hash.replace(/^#/, '')).has('token')) {
    url.searchParams.delete('token');
    const hash = new URLSearchParams(url.hash.replace(/^#/, ''));
    hash.delete('token');
    url.hash = hash.toString();
    cleanHref = url.toString().replace(/#$/, '');
  }
  return { config, cleanHref };
}

/** The desk's language: `lang=` in the address, else the one this browser chose last, else Indonesian. */
export function deskLang(href: string, stored: string | null): Lang {
  const asked = readParams(new URL(href)).get('lang');
  if (asked === 'id' || asked === 'en') return asked;
  return stored === 'en' || stored === 'id' ? stored : 'id';
}

/** The configuration to store (null when there is no token: nothing to remember for a kiosk). */
export function storedConfig(config: ScreenConfig): string | null {
  return config.token ? JSON.stringify(config) : null;
}
