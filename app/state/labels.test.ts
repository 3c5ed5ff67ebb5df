import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, OPTIMIZER_DEFAULTS } from '../../engine/tf-free';
import { diffLabels } from './labels';
import { ema, timeWeightedEma } from './smoothing';

describe('config-diff labels', () => {
  it('names only what differs', () => {
    const a = DEFAULT_CONFIG;
    const b = { ...DEFAULT_CONFIG, optimizer: { ...OPTIMIZER_DEFAULTS.sgd, lr: 0.1 } };
    const c = { ...DEFAULT_CONFIG, batchSize: 8 };
    const [la, lb, lc] = diffLabels([a, b, c]);
    expect(la).toContain('adam');
    expect(la).toContain('batch 32');
    expect(lb).toContain('sgd');
    expect(lb).toContain('lr 0.1');
    expect(lc).toContain('batch 8');
    expect(la).not.toContain('seed');
  });

  it('labels identical configs as such', () => {
    expect(diffLabels([DEFAULT_CONFIG, DEFAULT_CONFIG])).toEqual(['same config', 'same config']);
    expect(diffLabels([DEFAULT_CONFIG, { ...DEFAULT_CONFIG, seed: 2 }])).toEqual([
      'seed 1',
      'seed 2',
    ]);
  });
});

describe('smoothing', () => {
  it('EMA is debiased and leaves a constant series unchanged', () => {
    expect(ema([2, 2, 2], 0.9)).toEqual([2, 2, 2].map((x) => expect.closeTo(x, 12)));
    // (0.5·0.5·1 + 0.5·3) / (1 − 0.5²) = 1.75 / 0.75
    expect(ema([1, 3], 0.5)).toEqual([1, expect.closeTo(1.75 / 0.75, 12)]);
    expect(ema([1, 2, 3], 0)).toEqual([1, 2, 3]);
  });

  it('EMA skips non-finite points', () => {
    const s = ema([1, Number.NaN, 1], 0.9);
    expect(s[1]).toBeNaN();
    expect(s[2]).toBeCloseTo(1, 12);
  });

  it('time-weighted EMA on even spacing equals the plain EMA', () => {
    const ys = [0.9, 0.5, 0.7, 0.2, 0.4];
    const xs = [10, 20, 30, 40, 50];
    const a = timeWeightedEma(xs, ys, 0.6);
    ema(ys, 0.6).forEach((v, i) => expect(a[i]).toBeCloseTo(v, 12));
  });

  it('time-weighted EMA decays more across a bigger gap', () => {
    const near = timeWeightedEma([0, 1, 2], [0, 0, 1], 0.5, 1)[2];
    const far = timeWeightedEma([0, 1, 5], [0, 0, 1], 0.5, 1)[2];
    expect(far).toBeGreaterThan(near);
  });
});
