// The words that give a language away, derived from the desk's dictionaries (and the screen's, and
// Intl's month, weekday, relative-time and unit words): a word of one language's dictionary that is
// not in the other's. A word legitimately in both (OPD, quick win, Pantau…) must be listed in
// SHARED, so an English entry left in Indonesian cannot hide its words by being in both.
// Data from the server (plan titles, OPD names, narratives) is taken out of a page's text before
// its words are checked: the strings the page received from the API (`dropData`).
import { STRINGS, type Lang } from '../../dashboard/src/i18n';
import type { ReminderFacts } from '../../dashboard/src/desk/words/chase';
import { DESK_WORDS } from '../../dashboard/src/desk/words';

/** Words in both languages' dictionaries on purpose: names, loanwords, abbreviations, file types. */
export const SHARED = new Set([
  ...['pantau', 'opd', 'quick', 'win', 'monev', 'bimtek', 'mou', 'smart', 'city', 'email', 'status', 'target', 'evaluator', 'menu'],
  ...['whatsapp', 'google', 'drive', 'pdf', 'png', 'jpeg', 'webp', 'word', 'excel', 'powerpoint', 'odf', 'csv', 'mb', 'http', 'https'],
  ...['bappelitbang', 'tv', 'qr', 'go', 'id', 'agenda', 'platform', 'admin', 'masterplan', 'per', 'server', 'data'],
  // "Baseline": the evaluation dimension's name in Indonesian too (the API's label)
  'baseline',
  // "Jan–Mar", in the quarters' names of both languages
  ...['jan', 'mar', 'apr', 'jun', 'jul', 'sep'],
  // The report's language picker names each language in its own words, in both dictionaries;
  // file formats, keys, and "tab"/"browser" as Indonesian uses them
  ...['bahasa', 'indonesia', 'english', 'xlsx', 'zip', 'html', 'tab', 'ctrl', 'browser'],
]);

const LOCALES: Record<Lang, string> = { id: 'id-ID', en: 'en-GB' };

const SAMPLE_FACTS: ReminderFacts[] = [
  { opdName: '§', abbreviation: '§', cityName: '§', today: '§', late: ['§', '§'], atRisk: ['§'], silence: { never: true }, menu: '§' },
  {
    opdName: '§',
    abbreviation: '§',
    cityName: '§',
    today: '§',
    late: ['§'],
    atRisk: ['§', '§'],
    silence: { since: '§', ago: '§' },
    menu: '§',
  },
  { opdName: '§', abbreviation: '§', cityName: '§', today: '§', late: [], atRisk: [], silence: null, menu: '§' },
];

/** Every text a dictionary can produce: strings, and what its functions say for a few arguments. */
export function textsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(textsOf);
  if (typeof value === 'function') {
    const fn = value as (...args: unknown[]) => unknown;
    const call = (args: unknown[]): string[] => {
      try {
        const out = fn(...args);
        return typeof out === 'string' || Array.isArray(out) ? textsOf(out) : [];
      } catch {
        return [];
      }
    };
    // Strings, empty strings (the other side of each condition), numbers (singular and plural);
    // a function of a reminder's facts fails on those and gets sample facts instead.
    const plain = ['§', '', 1, 2].flatMap((arg) => call(Array.from({ length: fn.length }, () => arg)));
    return plain.length ? plain : SAMPLE_FACTS.flatMap((facts) => call([facts]));
  }
  if (value && typeof value === 'object') return Object.values(value).flatMap(textsOf);
  return [];
}

/** The words of a text, lower case (letters only, two or more). */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/\p{L}{2,}/gu) ?? [];
}

/** Month and weekday names, relative times and day/month/year units of a locale. */
function intlTexts(locale: string): string[] {
  const out: string[] = [];
  for (const month of ['long', 'short'] as const) {
    const f = new Intl.DateTimeFormat(locale, { month, timeZone: 'UTC' });
    for (let m = 0; m < 12; m++) out.push(f.format(new Date(Date.UTC(2024, m, 1))));
  }
  for (const weekday of ['long', 'short'] as const) {
    const f = new Intl.DateTimeFormat(locale, { weekday, timeZone: 'UTC' });
    for (let d = 0; d < 7; d++) out.push(f.format(new Date(Date.UTC(2024, 0, 1 + d))));
  }
  const rel = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const unit of ['second', 'minute', 'hour', 'day', 'week', 'month', 'year'] as const) {
    for (const n of [-2, -1, 0, 1, 2]) out.push(rel.format(n, unit));
    for (const n of [1, 2]) out.push(new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(n));
  }
  return out;
}

/** The dictionary words of a language (the desk's and the screen's). */
export function dictionaryWords(lang: Lang): Set<string> {
  return new Set([...textsOf(DESK_WORDS[lang]), ...textsOf(STRINGS[lang])].flatMap(wordsOf));
}

/** For each language, the words that give it away: in its dictionaries or Intl texts, not in the other's, not shared. */
export function distinctiveWords(): Record<Lang, Set<string>> {
  const all = (lang: Lang): Set<string> => new Set([...dictionaryWords(lang), ...intlTexts(LOCALES[lang]).flatMap(wordsOf)]);
  const id = all('id');
  const en = all('en');
  const only = (a: Set<string>, b: Set<string>): Set<string> => new Set([...a].filter((w) => !b.has(w) && !SHARED.has(w)));
  return { id: only(id, en), en: only(en, id) };
}

/**
 * The texts of an API answer (GraphQL `data`), except those the API words in the request's language:
 * a dimension's `label` (beside its `dimension`) and `dimensionLabel`.
 */
export function dataStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(dataStrings);
  if (value && typeof value === 'object') {
    const localised = (key: string): boolean => key === 'dimensionLabel' || (key === 'label' && 'dimension' in value);
    return Object.entries(value).flatMap(([k, v]) => (localised(k) ? [] : dataStrings(v)));
  }
  return [];
}

const flat = (text: string): string => text.replace(/\s+/g, ' ').trim();
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A page's text without the data it shows: URLs and emails, every string the API sent (whole words
 * only, longest first), and a shortened one ("…") that begins one of them.
 */
export function dropData(texts: string[], data: Iterable<string>): string[] {
  const values = [...new Set([...data].map(flat))].filter((v) => v.length >= 2 && /\p{L}/u.test(v)).sort((a, b) => b.length - a.length);
  const patterns = values.map((v) => new RegExp(`(?<![\\p{L}\\p{N}])${escape(v)}(?![\\p{L}\\p{N}])`, 'gu'));
  return texts.map((raw) => {
    let text = flat(raw)
      .replace(/\bhttps?:\/\/\S+/g, ' ')
      .replace(/\S+@\S+\.\S+/g, ' ');
    for (const p of patterns) text = text.replace(p, ' ');
    return text.replace(/(?:^|[“"(·—:]\s*)([^“"(·—:]+)…/gu, (whole, cut: string) =>
      values.some((v) => v.startsWith(cut.trim())) ? ' ' : whole,
    );
  });
}

/** The words of `texts` that belong to the other language, each with the text it was found in. */
export function foreignWords(texts: string[], other: Set<string>): { word: string; text: string }[] {
  const out: { word: string; text: string }[] = [];
  for (const text of texts) for (const word of wordsOf(text)) if (other.has(word)) out.push({ word, text: flat(text).slice(0, 160) });
  return out;
}
