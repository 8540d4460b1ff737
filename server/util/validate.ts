import { badInput } from '../errors';
import { isIsoDate } from './dates';

/**
 * Decimals every stored number keeps (README: "How the API behaves"): a percent two (0.01), any
 * other number (weights, budgets, indicator baselines, targets and values) six. A denormal such as
 * `5e-324` is noise from a client, not a measurement, and must not land in the database as is.
 */
export const DECIMALS = { percent: 2, other: 6 } as const;

/** `value` rounded to `decimals` places (the decimal the double stands for; no negative zero). */
export function roundTo(value: number, decimals: number): number {
  if (!Number.isFinite(value) || Math.abs(value) >= 1e21) return value;
  const rounded = Number(value.toFixed(decimals));
  return rounded === 0 ? 0 : rounded;
}

/**
 * Input checks that name the offending field. Each returns the cleaned value or throws
 * BAD_USER_INPUT with `extensions.field` = `input.<name>`.
 */
export const check = {
  /** A required, trimmed text of at most `max` characters. */
  text(field: string, value: string | null | undefined, max: number): string {
    const v = value?.trim() ?? '';
    if (!v) throw badInput(`input.${field}`, 'required');
    if (v.length > max) throw badInput(`input.${field}`, 'tooLong', { max });
    return v;
  },

  /** An optional text: empty becomes null. */
  optionalText(field: string, value: string | null | undefined, max: number): string | null {
    const v = value?.trim() ?? '';
    if (!v) return null;
    if (v.length > max) throw badInput(`input.${field}`, 'tooLong', { max });
    return v;
  },

  /** A calendar date `YYYY-MM-DD`. */
  date(field: string, value: string | null | undefined): string {
    if (!value) throw badInput(`input.${field}`, 'required');
    if (!isIsoDate(value)) throw badInput(`input.${field}`, 'invalidDate');
    return value;
  },

  /** An optional calendar date. */
  optionalDate(field: string, value: string | null | undefined): string | null {
    return value ? check.date(field, value) : null;
  },

  /** `end` is not before `start`; the error names `endField`. */
  order(endField: string, start: string, end: string, key: 'dueBeforeStart' | 'endBeforeStart' = 'endBeforeStart'): void {
    if (end < start) throw badInput(`input.${endField}`, key);
  },

  /** A finite number within [min, max], rounded to `DECIMALS.other`. */
  number(field: string, input: number, { min = -Infinity, max = Infinity }: { min?: number; max?: number } = {}): number {
    if (!Number.isFinite(input)) throw badInput(`input.${field}`, 'notFinite');
    const value = roundTo(input, DECIMALS.other);
    if (value < min && min === 0) throw badInput(`input.${field}`, 'notNegative');
    if (value < min || value > max) throw badInput(`input.${field}`, field === 'percent' ? 'percentRange' : 'notFinite');
    return value;
  },

  /** A percent 0–100, rounded to `DECIMALS.percent`. */
  percent(field: string, input: number): number {
    const value = roundTo(input, DECIMALS.percent);
    if (!Number.isFinite(value) || value < 0 || value > 100) throw badInput(`input.${field}`, 'percentRange');
    return value;
  },

  /** A number greater than zero once rounded to `DECIMALS.other`. */
  positive(field: string, input: number): number {
    const value = roundTo(input, DECIMALS.other);
    if (!Number.isFinite(value) || value <= 0) throw badInput(`input.${field}`, 'positive');
    return value;
  },

  /** A whole year between 2000 and 2100. */
  year(field: string, value: number): number {
    if (!Number.isInteger(value) || value < 2000 || value > 2100) throw badInput(`input.${field}`, 'yearRange', { min: 2000, max: 2100 });
    return value;
  },

  /** At most `max` http(s) URLs, each at most 2 000 characters. */
  urls(field: string, values: string[] | null | undefined, max = 20): string[] {
    const list = (values ?? []).map((v) => v.trim()).filter(Boolean);
    if (list.length > max) throw badInput(`input.${field}`, 'tooMany', { max });
    for (const url of list) {
      let ok = url.length <= 2_000;
      try {
        ok &&= ['http:', 'https:'].includes(new URL(url).protocol);
      } catch {
        ok = false;
      }
      if (!ok) throw badInput(`input.${field}`, 'invalidUrl');
    }
    return list;
  },
};

/** Whether an optional input field was given (present and not undefined). */
export function given<T>(value: T | undefined): value is T {
  return value !== undefined;
}
