import { describe, expect, it } from 'vitest';
import { backoffMs, judgeSeq } from './seq';

describe('judgeSeq', () => {
  it('applies the next event, ignores old ones, calls anything further a gap', () => {
    expect(judgeSeq(10, 11)).toBe('apply');
    expect(judgeSeq(10, 10)).toBe('ignore');
    expect(judgeSeq(10, 3)).toBe('ignore');
    expect(judgeSeq(10, 12)).toBe('gap');
    expect(judgeSeq(null, 1)).toBe('gap');
  });
});

describe('backoffMs', () => {
  it('grows, is capped and jittered', () => {
    expect(backoffMs(0, { random: () => 0 })).toBe(250);
    expect(backoffMs(0, { random: () => 1 })).toBe(500);
    expect(backoffMs(3, { random: () => 0 })).toBe(2_000);
    expect(backoffMs(50, { random: () => 1 })).toBe(10_000);
    expect(backoffMs(50, { random: () => 0 })).toBe(5_000);
  });
});
