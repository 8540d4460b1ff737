import type { EntityManager } from '@mikro-orm/core';
import { badInput } from '../../errors';
import { isUuid } from '../../util/ids';
import { Tag } from './tag.entity';

/**
 * The ids of a city's action plans tagged with `tagId` (archived plans too; the plan list filters
 * them): BAD_USER_INPUT on `filter.tag` for an unknown tag. Two SQL statements.
 */
export async function planIdsWithTag(em: EntityManager, cityId: string, tagId: string): Promise<Set<string>> {
  if (!isUuid(tagId) || !(await em.findOne(Tag, { id: tagId, archivedAt: null })))
    throw badInput('filter.tag', 'notFound', { entity: 'Tag' });
  const rows = (await em
    .getConnection()
    .execute('select action_plan_id from action_plan_tags where city_id = ? and tag_id = ? and archived_at is null', [cityId, tagId])) as {
    action_plan_id: string;
  }[];
  return new Set(rows.map((r) => String(r.action_plan_id)));
}
