import { describe, expect, it } from 'vitest';
import { fitCriticalBatch, fitPowerLaw, fitPowerLawWithOffset, spearman } from './scaling-fit';

describe('scaling-law fits (docs/algorithms.md#scaling-law-fits)', () => {
  it('fits L(N) = (N_c/N)^α_N', () => {
    const fit = fitPowerLaw([1e3, 1e4, 1e5], [2, 1.6, 1.28]);
    expect(fit.alphaN).toBeCloseTo(0.09691, 5);
    expect(fit.Nc / 1.277273e6).toBeCloseTo(1, 5);
    expect(fit.r2).toBeCloseTo(1, 10);
  });

  it('finds the offset E of L(N) = (N_c/N)^α + E', () => {
    const N = [100, 300, 1000, 3000, 10000];
    const L = N.map((n) => (2e4 / n) ** 0.5 + 0.4);
    const fit = fitPowerLawWithOffset(N, L, 400);
    expect(fit.E).toBeCloseTo(0.4, 2);
    expect(fit.alphaN).toBeCloseTo(0.5, 1);
  });

  it('fits S(B) = S_min + k/B', () => {
    const fit = fitCriticalBatch([16, 64, 256], [1500, 600, 375]);
    expect(fit.sMin).toBeCloseTo(300, 6);
    expect(fit.bCrit).toBeCloseTo(64, 6);
    expect(fit.eMin).toBeCloseTo(19200, 4);
  });

  it('ranks with Spearman', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 25, 100])).toBeCloseTo(1, 10);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 10);
  });
});
