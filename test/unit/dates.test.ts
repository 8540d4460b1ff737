import { describe, expect, it } from 'vitest';
import { addMonths, startOfDayIn } from '../../server/util/dates';

describe('calendar dates', () => {
  it('moves by months, keeping the day or falling back to the last day of the month', () => {
    expect(addMonths('2026-01-15', 1)).toBe('2026-02-15');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-01-31', 2)).toBe('2026-03-31');
    expect(addMonths('2025-12-10', 2)).toBe('2026-02-10');
    expect(addMonths('2026-06-15', -12)).toBe('2025-06-15');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
  });

  it("finds the instant a day starts in a city's time zone (WIB, WITA, WIT) and across a daylight-saving change", () => {
    expect(startOfDayIn('Asia/Jakarta', '2026-01-02').toISOString()).toBe('2026-01-01T17:00:00.000Z');
    expect(startOfDayIn('Asia/Makassar', '2026-01-02').toISOString()).toBe('2026-01-01T16:00:00.000Z');
    expect(startOfDayIn('Asia/Jayapura', '2026-01-02').toISOString()).toBe('2026-01-01T15:00:00.000Z');
    expect(startOfDayIn('UTC', '2026-01-02').toISOString()).toBe('2026-01-02T00:00:00.000Z');
    // New York moved to EDT (UTC-4) on 8 March 2026: the 9th starts at 04:00Z, the 8th still at 05:00Z.
    expect(startOfDayIn('America/New_York', '2026-03-09').toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(startOfDayIn('America/New_York', '2026-03-08').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    // Years below 100 are not read as 19xx (Jakarta then kept local mean time, UTC+07:07:12).
    expect(startOfDayIn('Asia/Jakarta', '0050-06-01').toISOString()).toBe('0050-05-31T16:52:48.000Z');
  });
});
