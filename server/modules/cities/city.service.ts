import { policy } from '../../auth/policy';
import type { Context } from '../../context';
import { notFound } from '../../errors';
import { isUuid } from '../../util/ids';
import { City } from './city.entity';

/** Loads a city the viewer may read, or NOT_FOUND. */
export async function readableCity(ctx: Context, id: string): Promise<City> {
  const city = isUuid(id) ? await ctx.loaders.byId(City).load(id) : null;
  if (!city) throw notFound('City', id);
  policy.assertRead(ctx.principal, city.id, 'City', id);
  return city;
}
