import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/core';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import { policy } from '../../auth/policy';
import type { Context } from '../../context';
import { badInput } from '../../errors';
import { entityLabel } from '../../i18n';
import { isUuid } from '../../util/ids';
import { ActionPlan } from '../action-plans/action-plan.entity';
import type { PlanRecord } from '../action-plans/plan-record';
import { Indicator } from '../action-plans/indicator.entity';
import { inTransaction, resolveManagedParent } from '../../events/writes';
import { ActionPlanTag, IndicatorTag, Tag, TagCatalog } from './tag.entity';

/** The most tags one plan or indicator may carry. */
const MAX_TAGS = 30;

@InputType({ description: "Sets an action plan's tags: the list replaces the ones it has." })
class SetActionPlanTagsInput {
  @Field(() => ID) actionPlanId!: string;
  @Field(() => [ID], { description: 'Tag ids (at most 30); an empty list removes every tag.' }) tagIds!: string[];
}

@InputType({ description: "Sets an indicator's tags: the list replaces the ones it has." })
class SetIndicatorTagsInput {
  @Field(() => ID) indicatorId!: string;
  @Field(() => [ID], { description: 'Tag ids (at most 30); an empty list removes every tag.' }) tagIds!: string[];
}

/** The tags named by an input, each checked: BAD_USER_INPUT on `input.tagIds.<i>` for an unknown one. */
async function wantedTags(em: EntityManager, tagIds: readonly string[]): Promise<Tag[]> {
  if (tagIds.length > MAX_TAGS) throw badInput('input.tagIds', 'tooMany', { max: MAX_TAGS });
  const ids = [...new Set(tagIds)];
  const found = new Map((await em.find(Tag, { id: { $in: ids.filter(isUuid) }, archivedAt: null })).map((t) => [t.id, t]));
  return ids.map((id) => {
    const tag = found.get(id);
    if (!tag) throw badInput(`input.tagIds.${tagIds.indexOf(id)}`, 'notFound', { entity: entityLabel('Tag') });
    return tag;
  });
}

/**
 * Makes the live tag rows of one object exactly `tags`: rows no longer wanted are archived, wanted
 * ones revived or created. Each change is an audited row of the object's city.
 */
function syncTags<R extends { tag: Tag; archivedAt: Date | null }>(
  em: EntityManager,
  existing: R[],
  tags: Tag[],
  make: (tag: Tag) => R,
  now: Date,
): void {
  const wanted = new Set(tags.map((t) => t.id));
  const have = new Set<string>();
  for (const row of existing) {
    have.add(row.tag.id);
    if (wanted.has(row.tag.id)) row.archivedAt = null;
    else if (row.archivedAt === null) row.archivedAt = now;
  }
  for (const tag of tags) if (!have.has(tag.id)) em.persist(make(tag));
}

/** A loader of the live tags of objects (plans or indicators) by their id, one statement per batch. */
function tagLoader(
  ctx: Context,
  key: string,
  load: (ids: string[]) => Promise<{ ownerId: string; tag: Tag }[]>,
): DataLoader<string, Tag[]> {
  let loader = ctx.memo.get(key) as unknown as DataLoader<string, Tag[]> | undefined;
  if (!loader) {
    loader = new DataLoader<string, Tag[]>(async (ids) => {
      const groups = new Map<string, Tag[]>(ids.map((id) => [id, []]));
      for (const { ownerId, tag } of await load([...ids])) groups.get(ownerId)?.push(tag);
      return ids.map((id) => (groups.get(id) ?? []).sort((a, b) => a.code.localeCompare(b.code, 'en', { numeric: true })));
    });
    ctx.memo.set(key, loader as unknown as Promise<unknown>);
  }
  return loader;
}

/** The catalogues, the tags of plans and indicators, and setting them. */
@Resolver()
export class TagResolver {
  @Query(() => [TagCatalog], { description: 'Every tag catalogue (SPBE, SAKIP IKU, ISO 37122), by code.' })
  async tagCatalogs(@Ctx() ctx: Context): Promise<TagCatalog[]> {
    policy.requireLogin(ctx.principal);
    return ctx.em.find(TagCatalog, { archivedAt: null }, { orderBy: { code: 'asc' } });
  }

  @Mutation(() => ActionPlan, {
    description: "Sets an action plan's tags (city admins of its city). Removed tags are archived, so the audit trail keeps them.",
  })
  async setActionPlanTags(
    @Arg('input', () => SetActionPlanTagsInput) input: SetActionPlanTagsInput,
    @Ctx() ctx: Context,
  ): Promise<ActionPlan> {
    return inTransaction(ctx, 'ActionPlan', async (em) => {
      const plan = await resolveManagedParent(
        em,
        ActionPlan,
        'ActionPlan',
        input.actionPlanId,
        'actionPlanId',
        (p) => p.city.id,
        ctx.principal,
      );
      const tags = await wantedTags(em, input.tagIds);
      syncTags(
        em,
        await em.find(ActionPlanTag, { actionPlan: plan.id }),
        tags,
        (tag) => new ActionPlanTag(plan, tag),
        ctx.services.clock(),
      );
      return plan;
    });
  }

  @Mutation(() => Indicator, { description: "Sets an indicator's tags (city admins of its city)." })
  async setIndicatorTags(@Arg('input', () => SetIndicatorTagsInput) input: SetIndicatorTagsInput, @Ctx() ctx: Context): Promise<Indicator> {
    return inTransaction(ctx, 'Indicator', async (em) => {
      const indicator = await resolveManagedParent(
        em,
        Indicator,
        'Indicator',
        input.indicatorId,
        'indicatorId',
        (i) => i.city.id,
        ctx.principal,
      );
      const tags = await wantedTags(em, input.tagIds);
      syncTags(
        em,
        await em.find(IndicatorTag, { indicator: indicator.id }),
        tags,
        (tag) => new IndicatorTag(indicator, tag),
        ctx.services.clock(),
      );
      return indicator;
    });
  }
}

/** `TagCatalog.tags`. */
@Resolver(() => TagCatalog)
export class TagCatalogResolver {
  @FieldResolver(() => [Tag], { description: 'The entries, by code.' })
  tags(@Root() catalog: TagCatalog, @Ctx() ctx: Context): Promise<Tag[]> {
    return ctx.loaders.childrenOf(Tag, 'catalog', { code: 'asc' }).load(catalog.id);
  }
}

/** `Tag.catalog`. */
@Resolver(() => Tag)
export class TagFieldsResolver {
  @FieldResolver(() => TagCatalog)
  async catalog(@Root() tag: Tag, @Ctx() ctx: Context): Promise<TagCatalog> {
    const catalog = await ctx.loaders.byId(TagCatalog).load(tag.catalog.id);
    if (!catalog) throw new Error(`tag ${tag.id} has no catalogue`);
    return catalog;
  }
}

/** `ActionPlan.tags`. */
@Resolver(() => ActionPlan)
export class ActionPlanTagsResolver {
  @FieldResolver(() => [Tag], { description: 'Cross-index tags (SPBE, SAKIP IKU, ISO 37122).' })
  tags(@Root() plan: PlanRecord, @Ctx() ctx: Context): Promise<Tag[]> {
    return tagLoader(ctx, 'loader:planTags', async (ids) =>
      (await ctx.em.find(ActionPlanTag, { actionPlan: { $in: ids }, archivedAt: null }, { populate: ['tag'] })).map((r) => ({
        ownerId: r.actionPlan.id,
        tag: r.tag,
      })),
    ).load(plan.id);
  }
}

/** `Indicator.tags`. */
@Resolver(() => Indicator)
export class IndicatorTagsResolver {
  @FieldResolver(() => [Tag], { description: 'Cross-index tags (SPBE, SAKIP IKU, ISO 37122).' })
  tags(@Root() indicator: Indicator, @Ctx() ctx: Context): Promise<Tag[]> {
    return tagLoader(ctx, 'loader:indicatorTags', async (ids) =>
      (await ctx.em.find(IndicatorTag, { indicator: { $in: ids }, archivedAt: null }, { populate: ['tag'] })).map((r) => ({
        ownerId: r.indicator.id,
        tag: r.tag,
      })),
    ).load(indicator.id);
  }
}
