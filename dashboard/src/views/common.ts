// What every view receives, and lookups they share.
import type { Basis, Snapshot, Plan, Report, TrendPlans } from '../api/queries';
import { daysBetween, type Format } from '../format';
import type { Lang, Strings } from '../i18n';

/** The props of a view. */
export interface ViewProps {
  snapshot: Snapshot;
  s: Strings;
  f: Format;
  lang: Lang;
  /** Whether the view is the one on screen (hidden views stay mounted, so charts update in place). */
  active: boolean;
  /** The bearer token (the Tren view queries history itself). */
  token: string;
  /** Which reports the figures count (the kiosk URL's `basis=`). */
  basis: Basis;
  /** Which plans Tren counts (the kiosk URL's `tren=`). */
  trend: TrendPlans;
}

/** The plans by id (to name a report's plan and OPD). */
export function plansById(plans: readonly Plan[]): Map<string, Plan> {
  return new Map(plans.map((p) => [p.id, p]));
}

/** A report with its plan, when the plan is known. */
export interface NamedReport extends Report {
  plan: Plan | undefined;
}

/** Attaches each report's plan. */
export function nameReports(reports: readonly Report[], byId: Map<string, Plan>): NamedReport[] {
  return reports.map((r) => ({ ...r, plan: byId.get(r.actionPlanId) }));
}

/** Why a late plan is late: "lewat 12 hari" past its due date, else "tenggat 3 Okt 2026" (behind schedule). */
export function lateness(dueDate: string, today: string, s: Strings, f: Format): string {
  const overdue = daysBetween(dueDate, today);
  return overdue > 0 ? s.daysLate(f.span(overdue)) : `${s.dueOn} ${f.date(dueDate)}`;
}
