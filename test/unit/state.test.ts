import { describe, expect, it } from 'vitest';
import { ActionPlanState, expectedProgress, planState, weightedProgress } from '../../server/modules/action-plans/state';

const plan = (progress: number, startDate = '2026-01-01', dueDate = '2026-12-31') => ({ progress, startDate, dueDate });

describe('action plan state', () => {
  it('is DONE at 100 %, even after the due date', () => {
    expect(planState(plan(100), '2027-03-01')).toBe(ActionPlanState.DONE);
  });

  it('is LATE once the due date has passed without completion', () => {
    expect(planState(plan(99), '2027-01-01')).toBe(ActionPlanState.LATE);
    expect(planState(plan(99), '2026-12-31')).toBe(ActionPlanState.ON_TRACK);
  });

  it('is LATE when more than 20 points behind the straight-line schedule', () => {
    // Halfway through the year a straight line expects ~50 %.
    expect(expectedProgress(plan(0), '2026-07-02')).toBeCloseTo(50, 0);
    expect(planState(plan(29), '2026-07-02')).toBe(ActionPlanState.LATE);
    expect(planState(plan(31), '2026-07-02')).toBe(ActionPlanState.ON_TRACK);
  });

  it('is NOT_STARTED with no progress before it falls behind', () => {
    expect(planState(plan(0), '2025-12-01')).toBe(ActionPlanState.NOT_STARTED);
    expect(planState(plan(0), '2026-02-01')).toBe(ActionPlanState.NOT_STARTED);
    expect(planState(plan(0), '2026-06-01')).toBe(ActionPlanState.LATE);
  });

  it('treats a one-day plan as due on that day', () => {
    expect(expectedProgress(plan(0, '2026-05-05', '2026-05-05'), '2026-05-05')).toBe(100);
  });

  it('weights roll-ups and rounds to one decimal', () => {
    expect(
      weightedProgress([
        { progress: 100, weight: 3 },
        { progress: 0, weight: 1 },
      ]),
    ).toBe(75);
    expect(
      weightedProgress([
        { progress: 10, weight: 1 },
        { progress: 20, weight: 2 },
      ]),
    ).toBe(16.7);
    expect(weightedProgress([])).toBe(0);
  });
});
