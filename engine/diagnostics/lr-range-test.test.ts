import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config';
import { OPTIMIZER_DEFAULTS } from '../optim/schema';
import { lrRangeTest } from './lr-range-test';

describe('LR range test', () => {
  it('"initial": batch noise at a tiny rate does not count as blowing up; a large rate does', async () => {
    const config = {
      ...DEFAULT_CONFIG,
      optimizer: OPTIMIZER_DEFAULTS.sgd,
      batchSize: 64,
      steps: 800,
    };
    // At 1e-4 the loss does not move for many chunks: only noise separates their means.
    const r = await lrRangeTest(config, {
      start: 1e-4,
      factor: 1.5,
      every: 20,
      divergence: 'initial',
      maxLr: 100,
    });
    expect(r.diverged).toBe(true);
    expect(r.lr.length).toBeGreaterThan(10);
    expect(r.etaMax).toBeGreaterThan(0.05);
    expect(r.etaMax).toBeLessThan(100);
    expect(r.loss.at(-1)).toBeGreaterThan(r.loss[0]);
  });
});
