// Pure helpers of the desk pages (unit-tested in pure.test.ts).
import type { ViewName } from '../i18n';

/**
 * A number as people type it, with a decimal comma or point: "45,5" and "45.5" → 45.5 (never 455);
 * "1.234,5" → 1234.5 (the last mark is the decimal one). Null when empty, NaN when not a number.
 * `grouped` (rupiah amounts): dots or commas before three digits group thousands ("1.250.000").
 */
export function parseNumber(text: string, { grouped = false }: { grouped?: boolean } = {}): number | null {
  const t = text.trim().replace(/\s/g, '');
  if (t === '') return null;
  let plain: string;
  if (grouped) plain = t.replace(/[.,](?=\d{3}(\D|$))/g, '').replace(',', '.');
  else {
    const last = Math.max(t.lastIndexOf(','), t.lastIndexOf('.'));
    plain = last < 0 ? t : t.slice(0, last).replace(/[.,](?=\d{3}(\D|$))/g, '') + '.' + t.slice(last + 1);
  }
  return /^-?\d+(\.\d+)?$/.test(plain) ? Number(plain) : Number.NaN;
}

/**
 * The kiosk URL with its fragment rebuilt from the choices (city and token kept from the API's URL).
 * Without PUBLIC_URL the API answers a path (`/dashboard/#…`): the kiosk is then this very page
 * (`here`: the desk is /dashboard/ too, behind any path prefix) with the API's fragment.
 */
export function kioskUrl(
  dashboardUrl: string,
  views: ViewName[],
  rotate: number,
  lang: 'id' | 'en',
  here: string | undefined = globalThis.location?.href,
): string {
  const absolute = /^https?:\/\//i.test(dashboardUrl);
  const url = new URL(absolute ? dashboardUrl : (here ?? dashboardUrl));
  if (!absolute) {
    url.search = '';
    url.hash = dashboardUrl.slice(dashboardUrl.indexOf('#') + 1);
  }
  const params = new URLSearchParams(url.hash.replace(/^#/, ''));
  params.set('views', views.join(','));
  params.set('rotate', String(rotate));
  params.set('lang', lang);
  // Keep commas readable (URLSearchParams writes them as %2C); the screen reads both.
  url.hash = params.toString().replace(/%2C/g, ',');
  return url.toString();
}

/** The API's period for a choice: YYYY, YYYY-MM or YYYY-Qn. */
export function periodOf(kind: 'year' | 'month' | 'quarter', year: number, month: number, quarter: number): string {
  if (kind === 'year') return String(year);
  if (kind === 'quarter') return `${year}-Q${quarter}`;
  return `${year}-${String(month).padStart(2, '0')}`;
}
