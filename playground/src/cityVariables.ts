// Fills the city id into the variables of the example tabs once the user has logged in: their own
// city, or for a platform admin the demo city (Tanjungpinang) or else the first city.
import { GRAPHQL_URL } from './auth';

const CITY_QUERY = `query KotaSaya { me { cityId } cities { id name } }`;

/** The city a logged-in user's example operations work on, or null (none readable, or the request failed). */
export async function cityFor(token: string, lang: 'id' | 'en'): Promise<string | null> {
  try {
    const response = await fetch(GRAPHQL_URL, {
      method: 'POST',
      // In the playground's language, like every other request it sends.
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'accept-language': lang },
      body: JSON.stringify({ query: CITY_QUERY }),
    });
    const body = (await response.json()) as { data?: { me?: { cityId?: string | null } | null; cities?: { id: string; name: string }[] } };
    const cities = body.data?.cities ?? [];
    return body.data?.me?.cityId ?? cities.find((c) => c.name === 'Tanjungpinang')?.id ?? cities[0]?.id ?? null;
  } catch {
    return null;
  }
}

/**
 * The variables-editor JSON with an empty (or missing-valued) `cityId` set to `cityId`; null when
 * nothing needs to change (no `cityId` key, one already typed in, or not JSON).
 */
export function fillCityId(text: string, cityId: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value) || !('cityId' in value)) return null;
  const current = value.cityId;
  if (current !== '' && current !== null) return null;
  return JSON.stringify({ ...value, cityId }, null, 2);
}
