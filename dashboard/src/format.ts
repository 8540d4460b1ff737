// Numbers, percentages, dates and relative times for people, through Intl (id-ID or en-GB).
import type { Lang } from './i18n';

/** Formatters for one language; build once and reuse (Intl objects are costly to create). */
export interface Format {
  lang: Lang;
  locale: 'id-ID' | 'en-GB';
  /** 70.3 → "70,3%" (id) / "70.3%" (en); the input is 0–100. */
  percent: (value: number) => string;
  /** 1234 → "1.234" (id) / "1,234" (en). */
  int: (value: number) => string;
  /** An evaluation index, two decimals: 3.48 → "3,48" (id) / "3.48" (en). */
  index: (value: number) => string;
  /** An ISO instant → "14.02" (id) / "14:02" (en) in the city's time zone. */
  time: (iso: string, timeZone: string) => string;
  /**
   * When something happened, as short as is clear in the city's time zone: "14.02" today,
   * "kemarin 14.02" / "yesterday 14:02", "28 Nov 14.02" before that.
   */
  stamp: (iso: string, timeZone: string, nowMs?: number) => string;
  /** Time with its zone, "14.02 WIB". */
  timeWithZone: (iso: string, timeZone: string) => string;
  /** A YYYY-MM-DD date → "3 Okt 2025" (short) or "Jumat, 3 Oktober 2025" (long). */
  date: (ymd: string, style?: 'short' | 'long') => string;
  /** A YYYY-MM-DD date → "Okt 2025" (chart axes). */
  monthYear: (ymd: string) => string;
  /** 34 → "34 hari" / "34 days". */
  days: (count: number) => string;
  /** A long span in days said roughly: "12 hari", "3 bulan", "6 tahun". */
  span: (days: number) => string;
  /** How long ago `thenMs` was, at `nowMs`: "2 menit yang lalu" / "2 minutes ago". */
  ago: (thenMs: number, nowMs: number) => string;
}

const cache = new Map<Lang, Format>();

/** The formatters of a language (cached). */
export function formatFor(lang: Lang): Format {
  const hit = cache.get(lang);
  if (hit) return hit;
  const locale = lang === 'en' ? 'en-GB' : 'id-ID';
  const pct = new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 0, maximumFractionDigits: 1 });
  const int = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const index = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const days = new Intl.NumberFormat(locale, { style: 'unit', unit: 'day', unitDisplay: 'long' });
  const months = new Intl.NumberFormat(locale, { style: 'unit', unit: 'month', unitDisplay: 'long' });
  const years = new Intl.NumberFormat(locale, { style: 'unit', unit: 'year', unitDisplay: 'long' });
  const rel = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const times = new Map<string, Intl.DateTimeFormat>();
  const timeFmt = (timeZone: string, zone: boolean): Intl.DateTimeFormat => {
    const key = `${timeZone}|${zone}`;
    let f = times.get(key);
    if (!f) {
      try {
        f = new Intl.DateTimeFormat(locale, {
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
          timeZone,
          ...(zone ? { timeZoneName: 'short' } : {}),
        });
      } catch {
        f = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
      }
      times.set(key, f);
    }
    return f;
  };
  const shortDate = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const longDate = new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const monthYear = new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' });
  const utcDate = (ymd: string): Date => new Date(`${ymd}T00:00:00Z`);
  const days_ = new Map<string, Intl.DateTimeFormat>();
  const dayFmt = (timeZone: string): Intl.DateTimeFormat => {
    let f = days_.get(timeZone);
    if (!f) {
      try {
        f = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone });
      } catch {
        f = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' });
      }
      days_.set(timeZone, f);
    }
    return f;
  };
  const dayMonth = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const format: Format = {
    lang,
    locale,
    percent: (value) => pct.format((Number.isFinite(value) ? value : 0) / 100),
    int: (value) => int.format(value),
    index: (value) => index.format(value),
    time: (iso, timeZone) => timeFmt(timeZone, false).format(new Date(iso)),
    stamp(iso, timeZone, nowMs = Date.now()) {
      const at = new Date(iso);
      const time = timeFmt(timeZone, false).format(at);
      const day = dayFmt(timeZone).format(at);
      const today = dayFmt(timeZone).format(new Date(nowMs));
      const gap = daysBetween(day, today);
      if (gap <= 0) return time;
      if (gap === 1) return `${rel.format(-1, 'day')} ${time}`;
      return `${dayMonth.format(utcDate(day))} ${time}`;
    },
    timeWithZone: (iso, timeZone) => timeFmt(timeZone, true).format(new Date(iso)),
    date: (ymd, style = 'short') => (style === 'long' ? longDate : shortDate).format(utcDate(ymd)),
    monthYear: (ymd) => monthYear.format(utcDate(ymd)),
    days: (count) => days.format(count),
    span: (count) =>
      count < 60 ? days.format(count) : count < 730 ? months.format(Math.round(count / 30.44)) : years.format(Math.round(count / 365.25)),
    ago(thenMs, nowMs) {
      const seconds = Math.max(0, Math.round((nowMs - thenMs) / 1000));
      if (seconds < 5) return rel.format(0, 'second');
      if (seconds < 60) return rel.format(-Math.floor(seconds / 5) * 5, 'second');
      const minutes = Math.round(seconds / 60);
      if (minutes < 60) return rel.format(-minutes, 'minute');
      const hours = Math.round(minutes / 60);
      if (hours < 24) return rel.format(-hours, 'hour');
      return rel.format(-Math.round(hours / 24), 'day');
    },
  };
  cache.set(lang, format);
  return format;
}

/** Whole days from `fromYmd` to `toYmd` (both YYYY-MM-DD), negative when `toYmd` is earlier. */
export function daysBetween(fromYmd: string, toYmd: string): number {
  return Math.round((Date.parse(`${toYmd}T00:00:00Z`) - Date.parse(`${fromYmd}T00:00:00Z`)) / 86_400_000);
}

/** The first `max` characters of a narrative, cut at a word, with an ellipsis when cut. */
export function excerpt(text: string, max = 90): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:–-]+$/, '')}…`;
}
