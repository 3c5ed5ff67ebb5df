import { describe, expect, it } from 'vitest';
import { shareBudget } from './budget';

describe('shareBudget', () => {
  it('runs everything in full when the budget covers it', () => {
    expect(shareBudget([10, 20, 30], 100)).toEqual([1, 1, 1]);
  });

  it('runs cheap presets in full and gives the expensive ones equal time', () => {
    const seconds = [10, 1000, 20, 4000];
    const scales = shareBudget(seconds, 230);
    expect(scales[0]).toBe(1);
    expect(scales[2]).toBe(1);
    // 200 s left for the two expensive ones: 100 s each.
    expect(scales[1] * 1000).toBeCloseTo(100);
    expect(scales[3] * 4000).toBeCloseTo(100);
    const spent = seconds.reduce((s, x, i) => s + x * scales[i], 0);
    expect(spent).toBeCloseTo(230);
  });

  it('never spends more than the budget', () => {
    const seconds = [5, 50, 500, 5000, 50000];
    for (const budget of [1, 60, 600, 6000]) {
      const spent = seconds.reduce((s, x, i) => s + x * shareBudget(seconds, budget)[i], 0);
      expect(spent).toBeLessThanOrEqual(budget + 1e-9);
    }
  });
});
