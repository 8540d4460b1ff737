// The verification queue without the DOM (unit-tested in queue.test.ts): waiting reports grouped
// by plan (several reports on one plan are worked together: the newest is the one to judge, the
// older ones are settled with it), the OPD and plan filters, and the OPD choices with their counts.

/** A waiting report, as the queue reads it. */
export interface QueueReport {
  id: string;
  reportedAt: string;
  actionPlan: { id: string; title: string; ownerOpd: { id: string; name: string; abbreviation: string } };
}

/** A plan's waiting reports, oldest first; the last is the newest. */
export interface QueueGroup<R extends QueueReport> {
  planId: string;
  plan: R['actionPlan'];
  reports: R[];
  newest: R;
}

export interface QueueFilter {
  /** An OPD id, or '' for all. */
  opd: string;
  /** A plan id, or '' for all (of the OPD). */
  plan: string;
}

/** Groups reports (oldest first) by plan; the groups in the order of their oldest waiting report. */
export function groupByPlan<R extends QueueReport>(oldestFirst: readonly R[]): QueueGroup<R>[] {
  const byPlan = new Map<string, QueueGroup<R>>();
  for (const r of oldestFirst) {
    const g = byPlan.get(r.actionPlan.id);
    if (g) {
      g.reports.push(r);
      if (r.reportedAt >= g.newest.reportedAt) g.newest = r;
    } else byPlan.set(r.actionPlan.id, { planId: r.actionPlan.id, plan: r.actionPlan, reports: [r], newest: r });
  }
  for (const g of byPlan.values()) {
    // The newest last, whatever order the reports came in.
    g.reports = [...g.reports.filter((r) => r !== g.newest), g.newest];
  }
  return [...byPlan.values()];
}

/** The groups an OPD filter and a plan filter keep. */
export function filterGroups<R extends QueueReport>(groups: readonly QueueGroup<R>[], filter: QueueFilter): QueueGroup<R>[] {
  return groups.filter((g) => (!filter.opd || g.plan.ownerOpd.id === filter.opd) && (!filter.plan || g.planId === filter.plan));
}

/** The OPDs with waiting reports, by name, with how many reports each has waiting. */
export function opdChoices<R extends QueueReport>(groups: readonly QueueGroup<R>[]): { id: string; name: string; count: number }[] {
  const out = new Map<string, { id: string; name: string; count: number }>();
  for (const g of groups) {
    const o = g.plan.ownerOpd;
    const row = out.get(o.id) ?? { id: o.id, name: o.name, count: 0 };
    row.count += g.reports.length;
    out.set(o.id, row);
  }
  return [...out.values()].sort((a, b) => a.name.localeCompare(b.name, 'id'));
}

/**
 * The queue with one plan's waiting reports replaced by `fresh` (what the API says waits on it now),
 * everything else where it was: a report still waiting keeps its place (updated), one no longer
 * waiting leaves, a new one goes in by `reportedAt` (the list is oldest first). `fresh` empty: the
 * plan leaves the queue.
 */
export function patchPlan<R extends QueueReport>(oldestFirst: readonly R[], planId: string, fresh: readonly R[]): R[] {
  const byId = new Map(fresh.map((r) => [r.id, r]));
  const out: R[] = [];
  for (const r of oldestFirst) {
    if (r.actionPlan.id !== planId) out.push(r);
    else {
      const now = byId.get(r.id);
      if (now) out.push(now);
      byId.delete(r.id);
    }
  }
  // The new ones, oldest first, each before the first report reported after it.
  for (const r of [...byId.values()].sort((a, b) => a.reportedAt.localeCompare(b.reportedAt))) {
    const at = out.findIndex((x) => x.reportedAt > r.reportedAt);
    out.splice(at < 0 ? out.length : at, 0, r);
  }
  return out;
}
