import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config';
import { runArm } from './run-preset';
import type { PresetArm } from './types';

describe('runArm', () => {
  it('a scaled-down LR range test sweeps the same learning rates, each for fewer steps', async () => {
    const arm: PresetArm = {
      label: 'range',
      config: { ...DEFAULT_CONFIG, steps: 200, metricsEvery: 20 },
      seeds: 1,
      measures: ['lrRange'],
      // Rates too small to blow up: the test runs to its step cap.
      lrRange: { start: 1e-9, factor: 1.1, every: 20 },
    };
    const full = await runArm(arm, 0, {}, 1);
    const quarter = await runArm(arm, 0, {}, 0.25);
    expect(full.loss.length).toBe(10);
    expect(quarter.loss.length).toBe(full.loss.length);
  });
  it('a trained arm reports its evaluation curves and the last of each', async () => {
    const arm: PresetArm = {
      label: 'short',
      config: { ...DEFAULT_CONFIG, steps: 20, metricsEvery: 10 },
      seeds: 1,
      measures: ['paramCount'],
    };
    const r = await runArm(arm, 0, {}, 1);
    expect(r.evalSteps).toEqual([10, 20]);
    expect(r.loss.length).toBe(20);
    expect(r.finalTestLoss).toBe(r.testLoss[1]);
    expect(r.bestTestLoss).toBe(Math.min(...r.testLoss));
    expect(r.finalTestAccuracy).toBe(r.testAccuracy[1]);
    expect(Number.isFinite(r.finalTrainLoss)).toBe(true);
    expect(r.extra.params).toBeGreaterThan(0);
  });
});
