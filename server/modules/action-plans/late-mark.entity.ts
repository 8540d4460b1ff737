import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A plan that has been announced as late (ACTION_PLAN_LATE): one row per plan while it stays late,
 * so every instance's watcher announces it exactly once; removed when the plan is no longer late.
 */
@Entity({ tableName: 'plan_late_marks' })
export class PlanLateMark {
  @PrimaryKey({ type: 'string', length: 36 })
  actionPlanId!: string;

  @Index()
  @Property({ type: 'string', length: 36 })
  cityId!: string;

  @Property({ type: 'date' })
  markedOn!: string;
}
