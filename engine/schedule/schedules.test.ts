import { describe, expect, it } from 'vitest';
import { constantSchedule } from './constant';
import { cosineSchedule } from './cosine';
import { decayRateFor, exponentialSchedule } from './exponential';
import { join } from './join';
import { oneCycleSchedule } from './one-cycle';
import { piecewiseSchedule } from './piecewise';
import { linearSchedule, withWarmup } from './warmup';
import { scaleSchedule } from './scale';

describe('basic schedules (optax semantics)', () => {
  it('constant', () => {
    const lr = constantSchedule(0.3);
    expect([0, 10, 1e6].map(lr)).toEqual([0.3, 0.3, 0.3]);
    expect(() => constantSchedule(Number.NaN)).toThrow(
      /constantSchedule: value must be a finite number ≥ 0, got NaN/,
    );
  });

  it('piecewise: init × the factors of the boundaries passed', () => {
    const lr = piecewiseSchedule({ init: 1, boundaries: [10, 20], factor: [0.1, 0.5] });
    expect([0, 9, 10, 19, 20, 100].map(lr)).toEqual([1, 1, 0.1, 0.1, 0.05, 0.05]);
    expect(() => piecewiseSchedule({ init: 1, boundaries: [20, 10], factor: 0.1 })).toThrow(
      /boundaries must increase/,
    );
    expect(() => piecewiseSchedule({ init: 1, boundaries: [10], factor: [0.1, 0.2] })).toThrow(
      /2 factors for 1 boundaries/,
    );
  });

  it('exponential: init·rate^(s/k), staircase and end value', () => {
    expect(exponentialSchedule({ init: 1, decayRate: 0.5, transitionSteps: 10 })(15)).toBeCloseTo(
      0.5 ** 1.5,
      12,
    );
    expect(
      exponentialSchedule({ init: 1, decayRate: 0.5, transitionSteps: 10, staircase: true })(15),
    ).toBe(0.5);
    expect(
      exponentialSchedule({ init: 1, decayRate: 0.5, transitionSteps: 1, endValue: 0.2 })(10),
    ).toBe(0.2);
    expect(decayRateFor(0.01, 100) ** 100).toBeCloseTo(0.01, 12);
    expect(() => exponentialSchedule({ init: 1, decayRate: 0, transitionSteps: 1 })).toThrow(
      /decayRate/,
    );
    expect(() => exponentialSchedule({ init: 1, decayRate: 0.5, transitionSteps: 0 })).toThrow(
      /transitionSteps/,
    );
  });

  it('cosine: half a cosine to the floor, then flat; restarts per cycle', () => {
    const lr = cosineSchedule({ init: 2, decaySteps: 100, floorRatio: 0.1 });
    expect(lr(0)).toBe(2);
    expect(lr(50)).toBeCloseTo(2 * (0.1 + 0.9 * 0.5), 12);
    expect(lr(100)).toBeCloseTo(0.2, 12);
    expect(lr(1000)).toBeCloseTo(0.2, 12);
    const sgdr = cosineSchedule({ init: 1, decaySteps: 100, cycles: 2 });
    expect(sgdr(25)).toBeCloseTo(0.5, 12);
    expect(sgdr(50)).toBe(1);
    expect(sgdr(100)).toBeCloseTo(0, 12);
    expect(() => cosineSchedule({ init: 1, decaySteps: 0 })).toThrow(/decaySteps/);
  });

  it('one-cycle: starts at peak/25, peaks at 30%, ends at peak/(25·1e4)', () => {
    const lr = oneCycleSchedule({ peak: 1, totalSteps: 100 });
    expect(lr(0)).toBeCloseTo(0.04, 12);
    expect(lr(30)).toBe(1);
    expect(lr(15)).toBeCloseTo(0.52, 12);
    expect(lr(100)).toBeCloseTo(4e-6, 15);
    expect(lr(65)).toBeCloseTo((1 + 4e-6) / 2, 12);
    const linear = oneCycleSchedule({
      peak: 1,
      totalSteps: 100,
      anneal: 'linear',
      divFactor: 10,
      finalDivFactor: 1,
    });
    expect(linear(15)).toBeCloseTo(0.55, 12);
    expect(() => oneCycleSchedule({ peak: 1, totalSteps: 100, riseFraction: 1 })).toThrow(
      /riseFraction/,
    );
    expect(() => oneCycleSchedule({ peak: 1, totalSteps: 100, divFactor: 0.5 })).toThrow(
      /divFactor/,
    );
  });
});

describe('join and warmup', () => {
  it('join runs each piece from its own step 0', () => {
    const lr = join(
      [constantSchedule(1), linearSchedule({ from: 1, to: 0, steps: 10 }), constantSchedule(5)],
      [5, 15],
    );
    [0, 4, 5, 10, 14, 15, 99]
      .map(lr)
      .forEach((x, i) => expect(x).toBeCloseTo([1, 1, 1, 0.5, 0.1, 5, 5][i], 12));
    expect(() => join([constantSchedule(1)], [5])).toThrow(/one more schedule than boundaries/);
    expect(() =>
      join([constantSchedule(1), constantSchedule(1), constantSchedule(1)], [5, 5]),
    ).toThrow(/boundaries must increase/);
  });

  it.each([
    ['cosine', cosineSchedule({ init: 0.1, decaySteps: 200 })],
    ['exponential', exponentialSchedule({ init: 0.1, decayRate: 0.99, transitionSteps: 1 })],
    ['piecewise', piecewiseSchedule({ init: 0.1, boundaries: [100], factor: 0.1 })],
  ])('warmup ramps from 0 into %s without a jump', (_, inner) => {
    const W = 20;
    const lr = withWarmup(inner, W);
    expect(lr(0)).toBe(0);
    expect(lr(10)).toBeCloseTo(0.05, 12);
    expect(lr(W)).toBe(inner(0));
    // The largest jump anywhere is no larger than one warmup increment or the inner schedule's own.
    const innerJump = Math.max(
      ...Array.from({ length: 300 }, (_, s) => Math.abs(inner(s + 1) - inner(s))).filter(
        (d) => d < 0.05,
      ),
    );
    for (let s = 0; s < 100; s++)
      expect(Math.abs(lr(s + 1) - lr(s))).toBeLessThanOrEqual(Math.max(0.1 / W, innerJump) + 1e-12);
    expect(withWarmup(inner, 0)).toBe(inner);
    expect(() => withWarmup(inner, -1)).toThrow(/warmupSteps/);
  });

  it('negative steps read as step 0', () => {
    expect(linearSchedule({ from: 0, to: 1, steps: 10 })(-5)).toBe(0);
  });
});

describe('scaleSchedule', () => {
  it('multiplies every step by the factor; 1 returns the schedule itself', () => {
    const base = cosineSchedule({ init: 0.1, decaySteps: 100 });
    for (const s of [0, 37, 100]) expect(scaleSchedule(base, 4)(s)).toBeCloseTo(4 * base(s), 12);
    expect(scaleSchedule(base, 1)).toBe(base);
    expect(scaleSchedule(base, 0.5)(0)).toBe(0.05);
    expect(() => scaleSchedule(base, -1)).toThrow(/factor/);
  });
});
