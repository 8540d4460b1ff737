// The setup pages' logic without the DOM: numbers as people type them, a node's state rolled up
// from its plans, the weight sum of a program as it is being typed, and the masterplan filter.
import type { PlanState } from '../../i18n';
import { parseNumber } from '../pure';

export { parseNumber };

/** A number for an input box, without grouping ("1250000", "1.5"). */
export function plainNumber(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : String(Math.round(value * 1e6) / 1e6);
}

/**
 * The state of a group of plans (a program, a dimension), said with the plans' own words: none or
 * all not started → NOT_STARTED; all done → DONE; any late → LATE; otherwise ON_TRACK.
 */
export function rollupState(states: readonly PlanState[]): PlanState {
  if (states.length === 0 || states.every((s) => s === 'NOT_STARTED')) return 'NOT_STARTED';
  if (states.every((s) => s === 'DONE')) return 'DONE';
  if (states.includes('LATE')) return 'LATE';
  return 'ON_TRACK';
}

/** Weighted progress of plans (0–100), as the server rolls up a program; 0 without weight. */
export function weightedProgress(plans: readonly { progress: number; weight: number }[]): number {
  const total = plans.reduce((s, p) => s + p.weight, 0);
  return total > 0 ? plans.reduce((s, p) => s + p.progress * p.weight, 0) / total : 0;
}

/**
 * The sum of a program's plan weights with what is being typed: `drafts` holds the text of a
 * weight box per plan id; a box that is not a positive number counts as the stored weight, and
 * `invalid` says so.
 */
export function weightSum(
  plans: readonly { id: string; weight: number }[],
  drafts: Readonly<Record<string, string>>,
): { sum: number; invalid: boolean; typing: boolean } {
  let sum = 0;
  let invalid = false;
  let typing = false;
  for (const p of plans) {
    const text = drafts[p.id];
    if (text === undefined) {
      sum += p.weight;
      continue;
    }
    const n = parseNumber(text);
    if (n === null || !Number.isFinite(n) || n <= 0) {
      invalid = true;
      sum += p.weight;
    } else {
      if (n !== p.weight) typing = true;
      sum += n;
    }
  }
  return { sum: Math.round(sum * 1e6) / 1e6, invalid, typing };
}

/** What the masterplan tree is filtered by (empty string: any). */
export interface TreeFilter {
  opd: string;
  dimension: string;
  tag: string;
  state: string;
}

/** The fields of a plan the filter reads. */
export interface FilterablePlan {
  ownerOpdId: string;
  dimension: string;
  tagIds: readonly string[];
  state: PlanState;
}

/** Whether a plan passes the filter. */
export function planMatches(plan: FilterablePlan, f: TreeFilter): boolean {
  return (
    (!f.opd || plan.ownerOpdId === f.opd) &&
    (!f.dimension || plan.dimension === f.dimension) &&
    (!f.tag || plan.tagIds.includes(f.tag)) &&
    (!f.state || plan.state === f.state)
  );
}

/** Whether any filter other than the dimension is set (then programs without a matching plan are hidden). */
export function narrowsPlans(f: TreeFilter): boolean {
  return Boolean(f.opd || f.tag || f.state);
}

/** Whether `ymd` is a real calendar day written YYYY-MM-DD. */
export function isYmd(ymd: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(ymd)) return false;
  const d = new Date(`${ymd}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === ymd;
}

/** How far a measured value has come from the baseline toward the target, 0–100 (null without a value). */
export function indicatorAttainment(ind: { baseline: number; target: number; latest: number | null }): number | null {
  if (ind.latest === null) return null;
  const span = ind.target - ind.baseline;
  if (span === 0) return ind.latest === ind.target ? 100 : 0;
  return Math.max(0, Math.min(100, ((ind.latest - ind.baseline) / span) * 100));
}

/** A milestone's state: reached → DONE; past its due date → LATE; otherwise ON_TRACK. */
export function milestoneState(m: { dueDate: string; doneDate: string | null }, today: string): PlanState {
  if (m.doneDate) return 'DONE';
  return m.dueDate < today ? 'LATE' : 'ON_TRACK';
}

/** Errors of an import, a page at a time: the page `page` (from 0) of `size` rows and the page count. */
export function pageOf<T>(rows: readonly T[], page: number, size: number): { rows: T[]; pages: number; page: number } {
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const p = Math.max(0, Math.min(pages - 1, page));
  return { rows: rows.slice(p * size, p * size + size), pages, page: p };
}

/**
 * Reads an NDJSON stream line by line as it arrives (a line may be split across chunks); calls
 * `onLine` with each parsed line. Lines that are not JSON are skipped.
 */
export async function readNdjson(body: ReadableStream<Uint8Array>, onLine: (value: unknown) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const flush = (final: boolean): void => {
    const lines = buffer.split('\n');
    buffer = final ? '' : (lines.pop() ?? '');
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        onLine(JSON.parse(line));
      } catch {
        // not a line of ours
      }
    }
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    flush(false);
  }
  buffer += decoder.decode();
  flush(true);
}
