import { Arg, Ctx, Field, FieldResolver, Float, ID, InputType, Mutation, Resolver, Root } from 'type-graphql';
import { policy } from '../../auth/policy';
import type { Context } from '../../context';
import { badInput } from '../../errors';
import { crudResolver, VersionedInput } from '../../graphql/crud';
import { check, given } from '../../util/validate';
import { inTransaction, resolveManagedParent, resolveReadable } from '../../events/writes';
import type { EntityManager } from '@mikro-orm/core';
import type { Principal } from '../../auth/policy';
import { User } from '../users/user.entity';
import { ActionPlan } from './action-plan.entity';
import { FREQUENCY_PERIOD, Indicator, IndicatorDirection, IndicatorFrequency, IndicatorValue, Milestone } from './indicator.entity';

@InputType({ description: 'A new indicator of an action plan.' })
class CreateIndicatorInput {
  @Field(() => ID) actionPlanId!: string;
  @Field(() => String) name!: string;
  @Field(() => String) unit!: string;
  @Field(() => Float) baseline!: number;
  @Field(() => Float) target!: number;
  @Field(() => IndicatorDirection, { nullable: true }) direction?: IndicatorDirection | null;
  @Field(() => IndicatorFrequency, { nullable: true, description: 'How often it is measured (default: not said, any period).' })
  frequency?: IndicatorFrequency | null;
}

@InputType({ description: 'Changes to an indicator.' })
class UpdateIndicatorInput extends VersionedInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) unit?: string | null;
  @Field(() => Float, { nullable: true }) baseline?: number | null;
  @Field(() => Float, { nullable: true }) target?: number | null;
  @Field(() => IndicatorDirection, { nullable: true }) direction?: IndicatorDirection | null;
  @Field(() => IndicatorFrequency, { nullable: true, description: 'How often it is measured; null: not said (any period).' })
  frequency?: IndicatorFrequency | null;
}

/** Loads the plan a new child belongs to and checks the viewer manages its city. */
function managedPlan(em: EntityManager, id: string, principal: Principal | null): Promise<ActionPlan> {
  return resolveManagedParent(em, ActionPlan, 'ActionPlan', id, 'actionPlanId', (r) => r.city.id, principal);
}

/** create/update/archive Indicator: city admins. */
export const IndicatorCrudResolver = crudResolver({
  name: 'Indicator',
  entity: Indicator,
  createInput: CreateIndicatorInput,
  updateInput: UpdateIndicatorInput,
  cityIdOf: (i) => i.city.id,
  async create(em, input, principal) {
    const plan = await managedPlan(em, input.actionPlanId, principal);
    const indicator = new Indicator(
      plan,
      check.text('name', input.name, 300),
      check.text('unit', input.unit, 60),
      check.number('baseline', input.baseline),
      check.number('target', input.target),
    );
    if (input.direction) indicator.direction = input.direction;
    indicator.frequency = input.frequency ?? null;
    return indicator;
  },
  async update(_em, indicator, input) {
    if (given(input.name) && input.name !== null) indicator.name = check.text('name', input.name, 300);
    if (given(input.unit) && input.unit !== null) indicator.unit = check.text('unit', input.unit, 60);
    if (given(input.baseline) && input.baseline !== null) indicator.baseline = check.number('baseline', input.baseline);
    if (given(input.target) && input.target !== null) indicator.target = check.number('target', input.target);
    if (input.direction) indicator.direction = input.direction;
    if (given(input.frequency)) indicator.frequency = input.frequency ?? null;
  },
});

@InputType({ description: 'A new milestone of an action plan.' })
class CreateMilestoneInput {
  @Field(() => ID) actionPlanId!: string;
  @Field(() => String) title!: string;
  @Field(() => String, { description: 'YYYY-MM-DD' }) dueDate!: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD when reached' }) doneDate?: string | null;
}

@InputType({ description: 'Changes to a milestone; set doneDate to mark it reached, null to reopen.' })
class UpdateMilestoneInput extends VersionedInput {
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => String, { nullable: true }) dueDate?: string | null;
  @Field(() => String, { nullable: true }) doneDate?: string | null;
}

/** create/update/archive Milestone: city admins. */
export const MilestoneCrudResolver = crudResolver({
  name: 'Milestone',
  entity: Milestone,
  createInput: CreateMilestoneInput,
  updateInput: UpdateMilestoneInput,
  cityIdOf: (m) => m.city.id,
  async create(em, input, principal) {
    const plan = await managedPlan(em, input.actionPlanId, principal);
    const milestone = new Milestone(plan, check.text('title', input.title, 300), check.date('dueDate', input.dueDate));
    milestone.doneDate = check.optionalDate('doneDate', input.doneDate);
    return milestone;
  },
  async update(_em, milestone, input) {
    if (given(input.title) && input.title !== null) milestone.title = check.text('title', input.title, 300);
    if (given(input.dueDate) && input.dueDate !== null) milestone.dueDate = check.date('dueDate', input.dueDate);
    if (given(input.doneDate)) milestone.doneDate = check.optionalDate('doneDate', input.doneDate);
  },
});

const PERIOD_RE = /^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/;

@InputType({ description: "An indicator's value for one period; recording a period again replaces its value." })
class RecordIndicatorValueInput {
  @Field(() => ID) indicatorId!: string;
  @Field(() => String, { description: 'YYYY, YYYY-MM or YYYY-Qn' }) period!: string;
  @Field(() => Float) value!: number;
  @Field(() => String, { nullable: true }) note?: string | null;
}

/** Indicator values (recorded by the owner OPD's reporters or city admins) and an indicator's fields. */
@Resolver(() => Indicator)
export class IndicatorResolver {
  @Mutation(() => IndicatorValue, {
    description: "Records an indicator's value for a period (OPD reporters of the plan's owner OPD, or city admins).",
  })
  async recordIndicatorValue(
    @Arg('input', () => RecordIndicatorValueInput) input: RecordIndicatorValueInput,
    @Ctx() ctx: Context,
  ): Promise<IndicatorValue> {
    return inTransaction(ctx, 'IndicatorValue', async (em) => {
      const p = policy.requireLogin(ctx.principal);
      const indicator = await resolveReadable(
        em,
        Indicator,
        'Indicator',
        input.indicatorId,
        'indicatorId',
        (r) => r.city.id,
        p,
        (principal, cityId) => policy.canReadCity(principal, cityId),
      );
      const plan = await em.findOneOrFail(ActionPlan, { id: indicator.actionPlan.id });
      policy.assertReport(p, plan.city.id, plan.ownerOpd.id, 'Indicator', indicator.id);
      const period = input.period.trim();
      if (!PERIOD_RE.test(period)) throw badInput('input.period', 'periodFormat');
      if (indicator.frequency && !FREQUENCY_PERIOD[indicator.frequency].test(period))
        throw badInput('input.period', `period${indicator.frequency}`);
      const value = check.number('value', input.value);
      const note = check.optionalText('note', input.note, 2_000);
      let row = await em.findOne(IndicatorValue, { indicator: indicator.id, period });
      if (!row) {
        row = new IndicatorValue(indicator, period, value);
        em.persist(row);
      }
      row.value = value;
      row.note = note;
      row.reportedBy = em.getReference(User, p.userId);
      return row;
    });
  }

  @FieldResolver(() => [IndicatorValue], { description: 'Values by period, oldest first.' })
  async values(@Root() indicator: Indicator, @Ctx() ctx: Context): Promise<IndicatorValue[]> {
    return ctx.loaders.childrenOf(IndicatorValue, 'indicator', { period: 'asc' }).load(indicator.id);
  }

  @FieldResolver(() => IndicatorValue, { nullable: true, description: 'The value of the latest period.' })
  async latestValue(@Root() indicator: Indicator, @Ctx() ctx: Context): Promise<IndicatorValue | null> {
    const values = await ctx.loaders.childrenOf(IndicatorValue, 'indicator', { period: 'asc' }).load(indicator.id);
    return values.at(-1) ?? null;
  }
}
