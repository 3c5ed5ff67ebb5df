import { describe, expect, it } from 'vitest';
import { armResult } from './arm-result';

describe('armResult', () => {
  it('reads the final and best values from the curves, skipping non-finite test losses', () => {
    const curves = {
      loss: [2, 1.5, 1.2],
      evalSteps: [10, 20, 30],
      testLoss: [1.4, Number.NaN, 1.3],
      testAccuracy: [0.5, 0.6, 0.7],
      trainLoss: [1.5, 1.25, 1.1],
    };
    const r = armResult('adam', 3, curves, { params: 42 }, 12);
    expect(r).toMatchObject({ label: 'adam', seed: 3, finalTestLoss: 1.3, bestTestLoss: 1.3 });
    expect(r).toMatchObject({ finalTestAccuracy: 0.7, finalTrainLoss: 1.1, wallMs: 12 });
    expect(r.extra).toEqual({ params: 42 });
    expect(armResult('a', 1, { ...curves, testLoss: [0.9, 1.3] }, {}, 0).bestTestLoss).toBe(0.9);
  });
  it('without evaluations (an LR range test) the evaluation numbers are NaN', () => {
    const loss = [3, 2, 9];
    const curves = { loss, evalSteps: [], testLoss: [], testAccuracy: [], trainLoss: loss };
    const r = armResult('range', 1, curves, {}, 5);
    expect(r.finalTestLoss).toBeNaN();
    expect(r.bestTestLoss).toBeNaN();
    expect(r.finalTestAccuracy).toBeNaN();
    expect(r.finalTrainLoss).toBe(9);
  });
});
