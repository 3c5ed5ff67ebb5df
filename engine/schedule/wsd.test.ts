import { describe, expect, it } from 'vitest';
import { wsdSchedule, type DecayShape } from './wsd';

// docs/algorithms.md#wsd: η_peak = 1e-3, W = 100, T = 800, S = 1000, ρ = 0 (T_half = 40 for exp).
const STEPS = [0, 50, 100, 500, 800, 850, 900, 1000];
const TABLE: [DecayShape, (number | null)[]][] = [
  ['exponential', [0, 5e-4, 1e-3, 1e-3, 1e-3, 4.2045e-4, 1.767767e-4, 3.125e-5]],
  ['linear', [0, 5e-4, 1e-3, 1e-3, 1e-3, 7.5e-4, 5e-4, 0]],
  ['cosine', [0, 5e-4, 1e-3, 1e-3, 1e-3, 8.5355e-4, 5e-4, 0]],
  ['sqrt', [0, 5e-4, 1e-3, 1e-3, 1e-3, 5e-4, 2.928932e-4, 0]],
];

const close = (a: number, e: number) =>
  expect(Math.abs(a - e)).toBeLessThanOrEqual(1e-5 * Math.abs(e) + 1e-12);

describe('wsdSchedule', () => {
  it.each(TABLE)('%s decay matches the table of docs/algorithms.md#wsd', (shape, expected) => {
    const lr = wsdSchedule({
      peak: 1e-3,
      warmupSteps: 100,
      decayStart: 800,
      totalSteps: 1000,
      shape,
      halfLife: 40,
    });
    STEPS.forEach((s, i) => close(lr(s), expected[i] as number));
  });

  it('default half-life (S − T)/5 ends at peak/32', () => {
    const lr = wsdSchedule({
      peak: 1e-3,
      warmupSteps: 100,
      decayStart: 800,
      totalSteps: 1000,
      shape: 'exponential',
    });
    close(lr(1000), 1e-3 / 32);
    close(lr(900), 1.767767e-4);
  });

  it.each(['exponential', 'linear', 'cosine', 'sqrt'] as const)(
    '%s: floor ρ, flat after S, continuous at W and T',
    (shape) => {
      const lr = wsdSchedule({
        peak: 1,
        warmupSteps: 10,
        decayStart: 80,
        totalSteps: 100,
        shape,
        floorRatio: 0.1,
        halfLife: 1e-9,
      });
      expect(lr(100)).toBeCloseTo(0.1, 9);
      expect(lr(5000)).toBe(lr(100));
      expect(lr(9)).toBeCloseTo(0.9, 12);
      expect(lr(10)).toBe(1);
      expect(lr(80)).toBe(1);
      if (shape !== 'exponential') expect(Math.abs(lr(81) - 1)).toBeLessThan(0.25); // 1 − √x is steep at 0
    },
  );

  it('leaves out empty phases: no warmup, no stable phase', () => {
    const noWarmup = wsdSchedule({
      peak: 2,
      warmupSteps: 0,
      decayStart: 50,
      totalSteps: 100,
      shape: 'linear',
    });
    expect([noWarmup(0), noWarmup(50), noWarmup(75), noWarmup(100)]).toEqual([2, 2, 1, 0]);
    const decayOnly = wsdSchedule({
      peak: 2,
      warmupSteps: 0,
      decayStart: 0,
      totalSteps: 4,
      shape: 'linear',
    });
    expect([0, 1, 2, 4].map(decayOnly)).toEqual([2, 1.5, 1, 0]);
  });

  it('rejects bad arguments', () => {
    const base = {
      peak: 1,
      warmupSteps: 10,
      decayStart: 80,
      totalSteps: 100,
      shape: 'linear' as const,
    };
    expect(() => wsdSchedule({ ...base, warmupSteps: 90 })).toThrow(
      /warmupSteps ≤ decayStart < totalSteps/,
    );
    expect(() => wsdSchedule({ ...base, decayStart: 100 })).toThrow(/decayStart < totalSteps/);
    expect(() => wsdSchedule({ ...base, peak: -1 })).toThrow(/peak must be/);
    expect(() => wsdSchedule({ ...base, floorRatio: 1.5 })).toThrow(
      /floorRatio must be in \[0, 1\]/,
    );
    expect(() => wsdSchedule({ ...base, warmupSteps: 2.5 })).toThrow(/whole number/);
    expect(() => wsdSchedule({ ...base, shape: 'exponential', halfLife: 0 })).toThrow(/halfLife/);
  });
});
