import { isIsoDate } from '../../util/dates';
import { DECIMALS, roundTo } from '../../util/validate';
import { choiceOf, type Column } from './columns';

/*
 * Cells in and out. A cell's value inside Pantau is `Value`: text, a number, a boolean (yes/no) or
 * null (empty); a date is `YYYY-MM-DD` text, a choice its stored value, a list of codes its codes
 * joined by "; " in order. `readCell` turns what a spreadsheet holds — typed the Indonesian way —
 * into that, or says why it cannot; `writeCell` turns it into what a workbook cell holds.
 */

/** A cell's value inside Pantau. */
export type Value = string | number | boolean | null;

/** What a cell holds once read (a formula by its cached value, rich text as its text): see `xlsx-reader.ts` and `rawOf`. */
export type RawCell = string | number | boolean | Date | null | { error: string };

/** Why a cell could not be read (an i18n key suffix, see `messages.ts`). */
export type CellProblem =
  'required' | 'tooLong' | 'number' | 'notNegative' | 'positive' | 'whole' | 'date' | 'year' | 'choice' | 'formulaError';

/** exceljs's value of a cell as a plain value: a formula's cached result (never evaluated), rich text's text. */
export function rawOf(value: unknown): RawCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value !== 'object') return null;
  const v = value as {
    result?: unknown;
    richText?: { text?: unknown }[];
    text?: unknown;
    error?: unknown;
    formula?: unknown;
    sharedFormula?: unknown;
  };
  if ('error' in v && typeof v.error === 'string') return { error: v.error };
  if ('formula' in v || 'sharedFormula' in v) {
    // Never evaluated: its cached value, if the file has one (an error or no value is a problem).
    if (v.result === undefined || v.result === null) return { error: '—' };
    if (typeof v.result === 'number' && Number.isNaN(v.result)) return { error: '#VALUE!' };
    return rawOf(v.result);
  }
  if (Array.isArray(v.richText)) return v.richText.map((r) => (typeof r?.text === 'string' ? r.text : '')).join('');
  if (typeof v.text === 'string') return v.text;
  return null;
}

const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

/** Text a spreadsheet would take for a formula gets a leading apostrophe (OWASP CSV injection). */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The text of a cell, trimmed; the apostrophe `neutralise` added is taken off again. */
function textOf(raw: Exclude<RawCell, null | { error: string }>): string {
  if (raw instanceof Date) return isoOfDate(raw);
  if (typeof raw === 'number') return String(raw);
  if (typeof raw === 'boolean') return raw ? 'Ya' : 'Tidak';
  const t = raw.replace(/\u00a0/g, ' ').trim();
  return t.startsWith("'") && FORMULA_START.test(t.slice(1)) ? t.slice(1) : t;
}

/** A date cell's calendar day (exceljs gives dates as UTC midnight). */
function isoOfDate(d: Date): string {
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10);
}

/** Excel's day number (1900 system) → `YYYY-MM-DD`, for days from 1901 to 2199. */
export function serialToIso(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 367 || serial > 109_574) return null;
  return new Date(Date.UTC(1899, 11, 30) + Math.floor(serial) * 86_400_000).toISOString().slice(0, 10);
}

const MONTHS: Record<string, number> = {};
[
  ['januari', 'january', 'jan'],
  ['februari', 'pebruari', 'february', 'feb', 'peb'],
  ['maret', 'march', 'mar'],
  ['april', 'apr'],
  ['mei', 'may'],
  ['juni', 'june', 'jun'],
  ['juli', 'july', 'jul'],
  ['agustus', 'august', 'agu', 'agt', 'aug', 'ags'],
  ['september', 'sep', 'sept'],
  ['oktober', 'october', 'okt', 'oct'],
  ['november', 'nopember', 'nov', 'nop'],
  ['desember', 'december', 'des', 'dec'],
].forEach((names, i) => names.forEach((n) => (MONTHS[n] = i + 1)));

function isoOf(y: number, m: number, d: number): string | null {
  const iso = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return y >= 1901 && y <= 2199 && isIsoDate(iso) ? iso : null;
}

/** A date as people type it: `17/08/2025`, `17-08-2025`, `17.08.2025`, `2025-08-17`, `17 Agustus 2025`, `17 Agt 2025`. */
export function parseDateText(text: string): string | null {
  const t = text.trim().toLowerCase().replace(/,/g, ' ').replace(/\s+/g, ' ');
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ]00:00(?::00(?:\.0+)?)?z?)?$/.exec(t);
  if (m) return isoOf(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (m) return isoOf(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(?:[a-z]+ )?(\d{1,2})[ -]([a-z]+)\.?[ -](\d{4})$/.exec(t);
  if (m && MONTHS[m[2]!]) return isoOf(Number(m[3]), MONTHS[m[2]!]!, Number(m[1]));
  return null;
}

/**
 * A number as people type it in Indonesia: `1.234,5`, `1.500.000`, `12,5`, `Rp 1.500.000`, `45%`,
 * `-3`; also `1,234.5` and `2.5`. A lone dot followed by exactly three digits groups thousands.
 */
export function parseNumberText(text: string): number | null {
  let t = text.replace(/\u00a0/g, ' ').trim();
  t = t
    .replace(/^rp\.?\s*/i, '')
    .replace(/\s*%$/, '')
    .replace(/\s+/g, '');
  const negative = /^\(.*\)$/.test(t) || t.startsWith('-');
  t = t.replace(/^\((.*)\)$/, '$1').replace(/^[+-]/, '');
  if (!/^[\d.,]+$/.test(t) || !/\d/.test(t)) return null;
  const dots = (t.match(/\./g) ?? []).length;
  const commas = (t.match(/,/g) ?? []).length;
  let normal: string;
  if (dots && commas) {
    const decimal = t.lastIndexOf(',') > t.lastIndexOf('.') ? ',' : '.';
    const group = decimal === ',' ? '.' : ',';
    if ((t.match(decimal === ',' ? /,/g : /\./g) ?? []).length > 1) return null;
    normal = t.split(group).join('').replace(decimal, '.');
  } else if (commas) normal = commas === 1 ? t.replace(',', '.') : t.split(',').join('');
  else if (dots) normal = dots > 1 || /^\d{1,3}\.\d{3}$/.test(t) ? t.split('.').join('') : t;
  else normal = t;
  if (!/^\d*\.?\d+$|^\d+\.$/.test(normal)) return null;
  const n = Number(normal);
  if (!Number.isFinite(n)) return null;
  return negative ? -n : n;
}

/** A cell read for `column`: its value, or the problem. */
export function readCell(column: Column, raw: RawCell): { value: Value } | { problem: CellProblem } {
  if (raw !== null && typeof raw === 'object' && !(raw instanceof Date)) return { problem: 'formulaError' };
  const empty = raw === null || (typeof raw === 'string' && textOf(raw) === '');
  if (empty) return column.required ? { problem: 'required' } : { value: null };
  switch (column.kind) {
    case 'code':
    case 'text':
    case 'ref': {
      const text = column.kind === 'text' ? textOf(raw) : textOf(raw).replace(/\s+/g, ' ');
      return text.length > (column.max ?? 40) ? { problem: 'tooLong' } : { value: text };
    }
    case 'refList': {
      const codes = [
        ...new Set(
          textOf(raw)
            .split(/[;\n]/)
            .map((c) => c.trim().replace(/\s+/g, ' '))
            .filter(Boolean),
        ),
      ].sort();
      if (codes.some((c) => c.length > 40) || codes.length > 50) return { problem: 'tooLong' };
      return { value: codes.length ? codes.join('; ') : null };
    }
    case 'number':
    case 'money': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? parseNumberText(textOf(raw)) : null;
      if (n === null || !Number.isFinite(n)) return { problem: 'number' };
      if (column.kind === 'money') {
        if (n < 0) return { problem: 'notNegative' };
        if (!Number.isSafeInteger(n)) return { problem: 'whole' };
      }
      if (column.key === 'weight' && roundTo(n, DECIMALS.other) <= 0) return { problem: 'positive' };
      return { value: roundTo(n, DECIMALS.other) };
    }
    case 'date': {
      const iso =
        raw instanceof Date
          ? isoOfDate(raw)
          : typeof raw === 'number'
            ? serialToIso(raw)
            : typeof raw === 'string'
              ? parseDateText(textOf(raw))
              : null;
      return iso && isIsoDate(iso) ? { value: iso } : { problem: 'date' };
    }
    case 'year': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(textOf(raw)) : NaN;
      return Number.isInteger(n) && n >= 2000 && n <= 2100 ? { value: n } : { problem: 'year' };
    }
    case 'yesNo':
    case 'choice': {
      if (typeof raw === 'boolean' && column.kind === 'yesNo') return { value: raw };
      const choice = choiceOf(column.choices ?? [], textOf(raw));
      if (!choice) return { problem: 'choice' };
      return { value: column.kind === 'yesNo' ? choice.value === 'true' : choice.value };
    }
  }
}

/** A number with a decimal comma and no grouping, for CSV cells (read back by `parseNumberText`). */
export function csvNumber(n: number): string {
  return String(n).replace('.', ',');
}
