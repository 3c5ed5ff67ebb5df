import { describe, expect, it } from 'vitest';
import {
  above,
  atMost,
  bootstrapInterval,
  interval,
  pairedDiff,
  standardError,
  within,
} from './stats';

describe('paired verdict statistics', () => {
  it('standard error of the mean: sample sd over √n', () => {
    // sd of [1, 2, 3] is 1, so SE = 1/√3.
    expect(standardError([1, 2, 3])).toBeCloseTo(1 / Math.sqrt(3), 12);
    expect(Number.isNaN(standardError([1]))).toBe(true);
    const iv = interval([1, 2, 3]);
    expect(iv.lo).toBeCloseTo(2 - 2 / Math.sqrt(3), 12);
    expect(iv.hi).toBeCloseTo(2 + 2 / Math.sqrt(3), 12);
  });

  it('pairs seed i with seed i', () => {
    expect(pairedDiff([5, 6, 7], [1, 1, 2, 9])).toEqual([4, 5, 5]);
  });

  it('"better": a difference well outside 2 SE passes, one well below fails', () => {
    expect(above([1.0, 1.1, 0.9])).toBe('pass');
    expect(above([-1.0, -1.1, -0.9])).toBe('fail');
    // Better by more than a margin: 1 ± 0.12 is above 0.5 but not above 1.5.
    expect(above([1.0, 1.1, 0.9], 0.5)).toBe('pass');
    expect(above([1.0, 1.1, 0.9], 1.5)).toBe('fail');
  });

  it('a difference inside 2 standard errors is inconclusive, though every seed is positive', () => {
    // mean 0.4, sd 0.36, SE 0.21: the interval 0.4 ± 0.42 reaches below 0.
    const d = [0.1, 0.3, 0.8];
    expect(d.every((x) => x > 0)).toBe(true);
    expect(interval(d).lo).toBeLessThan(0);
    expect(above(d)).toBe('inconclusive');
  });

  it('"no worse than" is one-sided: far better passes, far worse fails, near the margin is inconclusive', () => {
    // How much worse A is than B, in points; margin 0.5.
    expect(atMost([-3, -2.5, -3.2], 0.5)).toBe('pass');
    expect(atMost([0.1, 0.2, 0.15], 0.5)).toBe('pass');
    expect(atMost([2, 2.2, 1.9], 0.5)).toBe('fail');
    expect(atMost([0.2, 0.9, 0.5], 0.5)).toBe('inconclusive');
    // A two-sided "within" would fail the far-better case: that is what one-sided changes.
    expect(within([-3, -2.5, -3.2], 0.5)).toBe('fail');
  });

  it('"within" passes only when the whole interval lies inside the band', () => {
    expect(within([0.001, -0.002, 0.0], 0.01)).toBe('pass');
    expect(within([0.05, 0.06, 0.055], 0.01)).toBe('fail');
    expect(within([0.0, 0.02, -0.01], 0.01)).toBe('inconclusive');
  });

  it('fewer than two seeds, or a NaN, never gives a verdict', () => {
    expect(above([5])).toBe('inconclusive');
    expect(atMost([Number.NaN, 1, 2], 3)).toBe('inconclusive');
  });

  it('the bootstrap interval is reproducible and brackets the mean', () => {
    const xs = [0.2, 0.5, 0.4, 0.9, 0.3];
    const [lo, hi] = bootstrapInterval(xs);
    expect(bootstrapInterval(xs)).toEqual([lo, hi]);
    expect(lo).toBeLessThan(0.46);
    expect(hi).toBeGreaterThan(0.46);
    expect(lo).toBeGreaterThanOrEqual(0.2);
    expect(hi).toBeLessThanOrEqual(0.9);
  });
});
