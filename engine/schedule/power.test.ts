import { describe, expect, it } from 'vitest';
import { calibratePowerA, powerDecay, powerLr, powerSchedule } from './power';

const close = (a: number, e: number, rel = 1e-5) =>
  expect(Math.abs(a - e), `${a} vs ${e}`).toBeLessThanOrEqual(rel * Math.abs(e) + 1e-12);

describe('power scheduler (docs/algorithms.md#power-scheduler)', () => {
  it.each([
    [1e4, 0.0419525, 0.02],
    [1e5, 0.0129646, 0.0129646],
    [1e6, 0.0040064, 0.0040064],
    [1e7, 0.0012381, 0.0012381],
  ])('β = 1, 4.6·n^−0.51 at n = %d: %f, capped at 0.02: %f', (n, raw, capped) => {
    close(powerLr(n, { a: 4.6, b: -0.51, maxLr: Infinity, batchSize: 1 }), raw);
    close(powerLr(n, { a: 4.6, b: -0.51, maxLr: 0.02, batchSize: 1 }), capped);
  });

  it.each([
    [0, 1],
    [0.25, 0.685061],
    [0.5, 0.439787],
    [1, 0.1],
  ])('g(%f) with d = 0.1 is %f', (x, g) => close(powerDecay(x, 0.1), g));

  it('calibrated run: B = 32, N_w = 3200 samples, η_max = 3e-3, 1000 steps, 100-step decay to 0', () => {
    const a = calibratePowerA({ maxLr: 3e-3, batchSize: 32, warmupSamples: 3200, b: -0.51 });
    close(a, 0.0057491);
    const lr = powerSchedule({
      a,
      b: -0.51,
      maxLr: 3e-3,
      batchSize: 32,
      warmupSteps: 100,
      totalSteps: 1000,
      decaySteps: 100,
      decayFloor: 0,
    });
    const steps = [0, 50, 100, 200, 400, 900, 950, 1000];
    const expected = [0, 0.0015, 0.003, 0.00210667, 0.00147935, 0.00097827, 0.000369336, 0];
    steps.forEach((s, i) =>
      expect(Math.abs(lr(s) - expected[i]), `step ${s}`).toBeLessThanOrEqual(
        1e-5 * expected[i] + 1e-9,
      ),
    );
    expect(lr(2000)).toBeCloseTo(0, 12);
  });

  it('is continuous at the start of the decay and caps larger batches at η_max', () => {
    const lr = powerSchedule({
      a: 0.0057491,
      b: -0.51,
      maxLr: 3e-3,
      batchSize: 128,
      warmupSteps: 100,
      totalSteps: 1000,
      decaySteps: 100,
    });
    expect(lr(100)).toBe(3e-3);
    expect(Math.abs(lr(901) - lr(900)) / lr(900)).toBeLessThan(0.02);
  });

  it('rejects bad arguments', () => {
    const base = { a: 1, b: -0.5, maxLr: 1, batchSize: 8, warmupSteps: 10, totalSteps: 100 };
    expect(() => powerSchedule({ ...base, b: 0.5 })).toThrow(/b must be < 0/);
    expect(() => powerSchedule({ ...base, a: 0 })).toThrow(/a must be/);
    expect(() => powerSchedule({ ...base, decaySteps: 95 })).toThrow(/warmupSteps \+ decaySteps/);
    expect(() => powerSchedule({ ...base, decayFloor: 2 })).toThrow(/decayFloor/);
    expect(() => calibratePowerA({ maxLr: 1, batchSize: 0, warmupSamples: 10, b: -0.5 })).toThrow(
      /batchSize/,
    );
  });
});
