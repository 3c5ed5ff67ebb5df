import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { estimateCriticalBatch, stepsToTarget } from './critical-batch';

describe('estimateCriticalBatch', () => {
  it('recovers B_crit = k/S_min of S(B) = S_min + k/B, with an interval around it', () => {
    const B = [8, 16, 32, 64, 128, 256];
    const rng = createRng(4);
    // S_min = 100, k = 3200: B_crit = 32; 2% noise on the steps.
    const S = B.map((b) => (100 + 3200 / b) * (1 + 0.02 * rng.normal()));
    const e = estimateCriticalBatch(B, S);
    expect(e.bCrit).toBeGreaterThan(28);
    expect(e.bCrit).toBeLessThan(36);
    expect(e.lo).toBeLessThan(e.bCrit);
    expect(e.hi).toBeGreaterThan(e.bCrit);
    expect(e.lo).toBeLessThan(32);
    expect(e.hi).toBeGreaterThan(32);
    expect(estimateCriticalBatch(B, S)).toEqual(e);
  });

  it('needs two distinct batch sizes', () => {
    expect(() => estimateCriticalBatch([32, 32], [10, 11])).toThrow();
  });
});

describe('stepsToTarget', () => {
  it('is the first step at or below the target, null when never reached', () => {
    expect(stepsToTarget([10, 20, 30], [1, 0.5, 0.2], 0.5)).toBe(20);
    expect(stepsToTarget([10, 20], [1, 0.9], 0.5)).toBeNull();
  });
});
