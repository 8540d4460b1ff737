// Pure helpers of the desk pages (unit-tested in pure.test.ts).
import type { ViewName } from '../i18n';

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
