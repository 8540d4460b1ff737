import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Query, Resolver, Root } from 'type-graphql';
import { policy } from '../../auth/policy';
import type { Context } from '../../context';
import { check } from '../../util/validate';
import { connectionType, pageOfQuery, PageArgs, type Page } from '../../graphql/connection';
import { readableCity } from '../cities/city.service';
import { AuditAction, AuditChange, AuditEntry } from './audit.entity';

/** A page of audit entries. */
export const AuditEntryConnection = connectionType(AuditEntry, 'AuditEntry');

@InputType({ description: 'Filters for the audit log; every condition given must hold.' })
class AuditFilter {
  @Field(() => String, { nullable: true, description: 'The kind of object, e.g. ActionPlan.' }) entity?: string | null;
  @Field(() => ID, { nullable: true }) entityId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Who made the change.' }) actorId?: string | null;
  @Field(() => AuditAction, { nullable: true }) action?: AuditAction | null;
  @Field(() => String, { nullable: true, description: 'From this date (YYYY-MM-DD, UTC), inclusive.' }) from?: string | null;
  @Field(() => String, { nullable: true, description: 'Up to this date (YYYY-MM-DD, UTC), inclusive.' }) to?: string | null;
}

/** The audit trail of a city (city admins of that city and platform admins). Read-only. */
@Resolver(() => AuditEntry)
export class AuditResolver {
  @Query(() => AuditEntryConnection, {
    description: "Every change to a city's data, newest first (city admins of the city, platform admins).",
  })
  async auditLog(
    @Arg('cityId', () => ID) cityId: string,
    @Arg('filter', () => AuditFilter, { nullable: true }) filter: AuditFilter | null,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<Page<AuditEntry>> {
    const city = await readableCity(ctx, cityId);
    policy.assertManage(ctx.principal, city.id, 'City', city.id);
    return pageOfQuery(ctx.em, AuditEntry, auditWhere(city.id, filter), args, 'desc');
  }

  @Query(() => AuditEntryConnection, {
    description:
      'Changes to platform-level objects, which belong to no city — platform admins and evaluators, their accounts and scope — newest first (platform admins only).',
  })
  async platformAuditLog(
    @Arg('filter', () => AuditFilter, { nullable: true }) filter: AuditFilter | null,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<Page<AuditEntry>> {
    policy.assertManageCities(ctx.principal);
    return pageOfQuery(ctx.em, AuditEntry, auditWhere(null, filter), args, 'desc');
  }

  @FieldResolver(() => ID, { nullable: true, description: 'The user who made the change.' })
  actorId(@Root() entry: AuditEntry): string | null {
    return entry.actor?.id ?? null;
  }

  @FieldResolver(() => ID, { nullable: true, description: 'The city of the changed object; null for platform-level objects.' })
  cityId(@Root() entry: AuditEntry): string | null {
    return entry.city?.id ?? null;
  }

  @FieldResolver(() => [AuditChange], { description: 'Each changed field, before and after (secrets masked).' })
  changes(@Root() entry: AuditEntry): AuditChange[] {
    return Object.entries(entry.changes).map(([field, { before, after }]) => ({ field, before, after }));
  }
}

/** The conditions of an audit query: one city's entries (or the platform's, `null`) and the filter. */
function auditWhere(cityId: string | null, filter: AuditFilter | null): Record<string, unknown> {
  const where: Record<string, unknown> = { city: cityId };
  if (filter?.entity) where.entity = filter.entity;
  if (filter?.entityId) where.entityId = filter.entityId;
  if (filter?.actorId) where.actor = filter.actorId;
  if (filter?.action) where.action = filter.action;
  const at: Record<string, Date> = {};
  if (filter?.from) at.$gte = new Date(`${check.date('filter.from', filter.from)}T00:00:00Z`);
  if (filter?.to) at.$lt = new Date(Date.parse(`${check.date('filter.to', filter.to)}T00:00:00Z`) + 86_400_000);
  if (Object.keys(at).length > 0) where.at = at;
  return where;
}
