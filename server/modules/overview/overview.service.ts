import { memoize, type Context } from '../../context';
import type { City } from '../cities/city.entity';
import { cityOpds, cityPlans, cityPrograms, citySeq, cityVerifiedProgress, nextEvaluationVisit, plansByIds } from './city-data';
import { computeOverview, ProgressBasis, type CityOverview } from './overview';

/**
 * The overview service: the one place a city's roll-ups are computed. The city resolver and the
 * live summary hub call it; it reads the city data (city-data.ts), which reads the database.
 */

/** The overview of a city, computed once per request (context) and basis from the shared city data. */
export function cityOverview(ctx: Context, city: City, basis: ProgressBasis = ProgressBasis.ALL): Promise<CityOverview> {
  return memoize(ctx, `overview:${city.id}:${basis}`, async () => {
    // The sequence first: the figures read after it reflect at least that change.
    const seq = await citySeq(ctx, city.id);
    const [rows, programs, opds, nextVisit] = await Promise.all([cityPlans(ctx, city.id), cityPrograms(ctx, city.id), cityOpds(ctx, city.id), nextEvaluationVisit(ctx.em, city, ctx.now)]);
    let plans = rows;
    if (basis === ProgressBasis.VERIFIED) {
      const verified = await cityVerifiedProgress(ctx, city.id);
      plans = rows.map((r) => ({ ...r, progress: verified.get(r.id) ?? 0 }));
    }
    return computeOverview(city, { seq, plans, programs: [...programs.values()], opds, nextVisit }, ctx.now, ctx.locale, basis);
  });
}

/** How many late plans an overview pushed to many subscribers carries already loaded. */
const PRELOADED_LATE_PLANS = 100;

/** The overview with its first late plans loaded, for one computation sent to many subscribers. */
export async function sharedCityOverview(ctx: Context, city: City, basis: ProgressBasis): Promise<CityOverview> {
  const overview = await cityOverview(ctx, city, basis);
  return { ...overview, latePlans: await plansByIds(ctx, overview.lateIds.slice(0, PRELOADED_LATE_PLANS)) };
}
