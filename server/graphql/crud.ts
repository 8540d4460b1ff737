import type { EntityManager } from '@mikro-orm/core';
import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Resolver, type ClassType } from 'type-graphql';
import { policy, type Principal } from '../auth/policy';
import type { Context } from '../context';
import { inTransaction, loadForWrite, type Versioned } from '../events/writes';

/** Identifies the object a change applies to and the version the client last read. */
@InputType({ description: 'The object to change and the version you last read (optimistic locking).' })
export class VersionedInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: 'The `version` you read; a newer one on the server answers CONFLICT and changes nothing.' })
  expectedVersion!: number;
}

/** How one entity is created and changed; `crudResolver` turns it into three mutations. */
export interface CrudSpec<E extends Versioned, C extends object, U extends VersionedInput> {
  /** Name stem of the mutations: `create<Name>`, `update<Name>`, `archive<Name>`. */
  name: string;
  /** The entity class, which is also its GraphQL object type. */
  entity: ClassType<E>;
  createInput: ClassType<C>;
  updateInput: ClassType<U>;
  /** The id of the city the object belongs to. */
  cityIdOf: (row: E) => string;
  /** Validates the input, authorises (through `policy`) and returns the new, unsaved object. */
  create(em: EntityManager, input: C, principal: Principal | null): Promise<E>;
  /** Validates and applies a change to a loaded, authorised object. */
  update(em: EntityManager, row: E, input: U, principal: Principal): Promise<void>;
  /** Who may change or archive an existing object; default: whoever manages its city. */
  authorize?: (principal: Principal | null, row: E) => Principal;
  /** Who may archive an existing object; default: `authorize`. */
  authorizeArchive?: (principal: Principal | null, row: E) => Principal;
  /** Runs when an object is archived, in the same transaction. */
  onArchive?(row: E, now: Date, principal: Principal): void;
}

/** Acronyms among the entity names, written as people write them. */
const ACRONYMS: Record<string, string> = { opd: 'OPD' };

/**
 * An entity's name for descriptions, with its article: `ActionPlan` → "an action plan", `Opd` →
 * "an OPD", `User` → "a user" (the article follows the sound, not the letter).
 */
export function describedName(name: string): string {
  const words = name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(' ')
    .map((w) => ACRONYMS[w] ?? w);
  const label = words.join(' ');
  const vowelSound = /^(OPD|[aeio]|u(?!s|ni))/i.test(label) && !/^(one|eu)/i.test(label);
  return `${vowelSound ? 'an' : 'a'} ${label}`;
}

/**
 * The create/update/archive mutations of one entity. Each runs in one transaction; updates and
 * archives check `expectedVersion` (CONFLICT when stale) and the version column guards the race.
 */
export function crudResolver<E extends Versioned, C extends object, U extends VersionedInput>(spec: CrudSpec<E, C, U>): ClassType {
  const authorize =
    spec.authorize ?? ((principal: Principal | null, row: E) => policy.assertManage(principal, spec.cityIdOf(row), spec.name, row.id));
  const authorizeArchive = spec.authorizeArchive ?? authorize;

  @Resolver()
  class CrudResolver {
    @Mutation(() => spec.entity, { name: `create${spec.name}`, description: `Creates ${describedName(spec.name)}.` })
    async create(@Arg('input', () => spec.createInput) input: C, @Ctx() ctx: Context): Promise<E> {
      return inTransaction(ctx, spec.name, async (em) => {
        const row = await spec.create(em, input, ctx.principal);
        em.persist(row);
        return row;
      });
    }

    @Mutation(() => spec.entity, {
      name: `update${spec.name}`,
      description: `Changes ${describedName(spec.name)}; fields left out stay as they are.`,
    })
    async update(@Arg('input', () => spec.updateInput) input: U, @Ctx() ctx: Context): Promise<E> {
      return inTransaction(ctx, spec.name, async (em) => {
        let principal: Principal | null = null;
        const row = await loadForWrite(em, spec.entity, spec.name, input.id, input.expectedVersion, (r) => {
          principal = authorize(ctx.principal, r);
        });
        await spec.update(em, row, input, principal ?? policy.requireLogin(ctx.principal));
        return row;
      });
    }

    @Mutation(() => spec.entity, {
      name: `archive${spec.name}`,
      description: `Archives ${describedName(spec.name)}: hidden from lists and roll-ups, kept for history.`,
    })
    async archive(@Arg('input', () => VersionedInput) input: VersionedInput, @Ctx() ctx: Context): Promise<E> {
      return inTransaction(ctx, spec.name, async (em) => {
        let principal: Principal | null = null;
        const row = await loadForWrite(em, spec.entity, spec.name, input.id, input.expectedVersion, (r) => {
          principal = authorizeArchive(ctx.principal, r);
        });
        const now = ctx.services.clock();
        if (row.archivedAt === null) {
          row.archivedAt = now;
          spec.onArchive?.(row, now, principal ?? policy.requireLogin(ctx.principal));
        }
        return row;
      });
    }
  }
  Object.defineProperty(CrudResolver, 'name', { value: `${spec.name}CrudResolver` });
  return CrudResolver;
}
