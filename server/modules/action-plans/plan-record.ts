import { dateColumn } from '../../db/sql';
import type { Dimension } from '../masterplan/dimension';
import type { ActionPlanStatus, BudgetSource } from './action-plan.entity';

/** Another row, by id: what a plan record holds of its city, program and owning OPD. */
export interface RowRef {
  readonly id: string;
}

/**
 * An action plan as a plain row: every column of `action_plans`, the city, program and owning OPD
 * as references by id. GraphQL serves it as an `ActionPlan` (the entity is one too: its field
 * resolvers read only these), so the plan lists, the overview's late plans and the meeting-room
 * screen read a city's plans with one statement and build no ORM entity. An entity costs far more
 * than its row: measured, 7.7 ms of CPU to load 26 plans as entities, 0.7 ms to read their rows.
 * Writes still go through the entity.
 */
export interface PlanRecord {
  id: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
  archivedAt: Date | null;
  city: RowRef;
  program: RowRef;
  ownerOpd: RowRef;
  code: string | null;
  title: string;
  description: string | null;
  dimension: Dimension;
  startDate: string;
  dueDate: string;
  budgetAmount: number | null;
  budgetSource: BudgetSource | null;
  status: ActionPlanStatus;
  weight: number;
  progress: number;
  lastReportedAt: Date | null;
}

/** The columns `toPlanRecord` reads: every column of `action_plans`. */
export const PLAN_COLUMNS =
  'id, created_at, updated_at, version, archived_at, city_id, program_id, owner_opd_id, code, title, description, dimension, ' +
  'start_date, due_date, budget_amount, budget_source, status, weight, progress, last_reported_at';

const ref = (id: unknown): RowRef => ({ id: String(id) });
const optionalText = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const optionalDate = (value: unknown): Date | null => (value === null || value === undefined ? null : dateColumn(value));

/** A row of `PLAN_COLUMNS` as the drivers return it (snake_case, per dialect) as a `PlanRecord`. */
export function toPlanRecord(r: Record<string, unknown>): PlanRecord {
  return {
    id: String(r.id),
    createdAt: dateColumn(r.created_at),
    updatedAt: dateColumn(r.updated_at),
    version: Number(r.version),
    archivedAt: optionalDate(r.archived_at),
    city: ref(r.city_id),
    program: ref(r.program_id),
    ownerOpd: ref(r.owner_opd_id),
    code: optionalText(r.code),
    title: String(r.title),
    description: optionalText(r.description),
    dimension: r.dimension as Dimension,
    startDate: String(r.start_date),
    dueDate: String(r.due_date),
    budgetAmount: r.budget_amount === null || r.budget_amount === undefined ? null : Number(r.budget_amount),
    budgetSource: (r.budget_source ?? null) as BudgetSource | null,
    status: r.status as ActionPlanStatus,
    weight: Number(r.weight),
    progress: Number(r.progress),
    lastReportedAt: optionalDate(r.last_reported_at),
  };
}
