/** Calendar dates are ISO strings `YYYY-MM-DD`; a city's "today" depends on its time zone. */

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `value` is a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(value: string): boolean {
  if (!DATE_RE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Formatters kept by use and time zone: building an `Intl` formatter costs ~100× more than formatting with it. */
const formats = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function kept<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let format = formats.get(key) as T | undefined;
  if (!format) {
    // An unknown time zone throws in `make`, before anything is kept; the zones are the cities' own (a few).
    format = make();
    if (formats.size < 1_000) formats.set(key, format);
  }
  return format;
}

/** Today's date (`YYYY-MM-DD`) in an IANA time zone, e.g. `Asia/Jakarta` (WIB). */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  // en-CA formats as YYYY-MM-DD.
  return kept(
    `day:${timeZone}`,
    () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  ).format(now);
}

/** Whole days from `from` to `to` (both `YYYY-MM-DD`); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** `date` moved by a number of days (`YYYY-MM-DD`). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * `date` moved by whole months (`YYYY-MM-DD`), the day kept where the month has it and otherwise
 * the month's last day: `2026-01-31` + 1 month = `2026-02-28`.
 */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, lastDay));
  return first.toISOString().slice(0, 10);
}

/** The instant a day (`YYYY-MM-DD`) begins in an IANA time zone, e.g. `2026-01-02` in WIB is `2026-01-01T17:00Z`. */
export function startOfDayIn(timeZone: string, date: string): Date {
  return zonedTime(date, '00:00:00', timeZone);
}

/** The instant a wall-clock time (`HH:MM:SS`) on a day (`YYYY-MM-DD`) is in an IANA time zone. */
export function zonedTime(date: string, time: string, timeZone: string): Date {
  const asUtc = Date.parse(`${date}T${time}Z`);
  // The zone's offset at a guess, then again at the corrected instant (right across an offset change).
  let at = asUtc - zoneOffsetMs(timeZone, asUtc);
  at = asUtc - zoneOffsetMs(timeZone, at);
  return new Date(at);
}

/** How far a time zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function zoneOffsetMs(timeZone: string, at: number): number {
  const parts = kept(
    `wall:${timeZone}`,
    () =>
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      }),
  ).formatToParts(new Date(at));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  // setUTCFullYear, not Date.UTC, which reads years 0–99 as 1900–1999.
  const wall = new Date(0);
  wall.setUTCFullYear(part('year'), part('month') - 1, part('day'));
  wall.setUTCHours(part('hour'), part('minute'), part('second'));
  return wall.getTime() - Math.floor(at / 1_000) * 1_000;
}

/** A date formatted for people in Indonesian (default) or English, e.g. `3 Oktober 2022`. */
export function formatDate(date: string, locale: 'id' | 'en' = 'id'): string {
  return kept(
    `date:${locale}`,
    () => new Intl.DateTimeFormat(locale === 'id' ? 'id-ID' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
  ).format(new Date(`${date}T00:00:00Z`));
}

/** An amount of rupiah formatted with `Intl` (`Rp 1.250.000.000` in id-ID). */
export function formatRupiah(amount: number, locale: 'id' | 'en' = 'id'): string {
  return kept(
    `rupiah:${locale}`,
    () => new Intl.NumberFormat(locale === 'id' ? 'id-ID' : 'en-US', { style: 'currency', currency: 'IDR', maximumFractionDigits: 0 }),
  ).format(amount);
}
