import { createRng } from '../rng';
import { fitCriticalBatch, type CriticalBatchFit } from './scaling-fit';

/**
 * The critical batch size with a bootstrap interval (McCandlish et al., 2018, "An empirical
 * model of large-batch training", https://arxiv.org/abs/1812.06162): steps to a target loss
 * against batch size follow S(B) = S_min + k/B, and B_crit = k/S_min is where doubling the
 * batch stops halving the steps. Plain numbers, no TF.js.
 */

export interface CriticalBatchEstimate extends CriticalBatchFit {
  /** Percentile bootstrap interval of B_crit (NaN when too few resamples gave a fit). */
  readonly lo: number;
  readonly hi: number;
  /** The interval's coverage, e.g. 0.9. */
  readonly level: number;
  /** Resamples whose fit had S_min > 0 and k > 0 (the others have no B_crit). */
  readonly usable: number;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = q * (sorted.length - 1);
  const i = Math.floor(pos);
  const f = pos - i;
  return i + 1 < sorted.length ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[i];
}

/**
 * Fits S(B) to the (B, S) pairs and bootstraps B_crit by resampling the pairs with replacement
 * (`resamples` times, seeded, so the same data give the same interval). Needs two distinct B.
 */
export function estimateCriticalBatch(
  B: readonly number[],
  S: readonly number[],
  options: { readonly resamples?: number; readonly level?: number; readonly seed?: number } = {},
): CriticalBatchEstimate {
  const { resamples = 1000, level = 0.9, seed = 1 } = options;
  if (new Set(B).size < 2)
    throw new Error('estimateCriticalBatch needs at least two distinct batch sizes');
  const fit = fitCriticalBatch(B, S);
  const rng = createRng(seed);
  const draws: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const pick = B.map(() => rng.int(B.length));
    const b = pick.map((i) => B[i]);
    if (new Set(b).size < 2) continue;
    const f = fitCriticalBatch(
      b,
      pick.map((i) => S[i]),
    );
    if (f.sMin > 0 && f.k > 0 && Number.isFinite(f.bCrit)) draws.push(f.bCrit);
  }
  draws.sort((x, y) => x - y);
  const tail = (1 - level) / 2;
  const enough = draws.length >= resamples / 10;
  return {
    ...fit,
    lo: enough ? quantile(draws, tail) : Number.NaN,
    hi: enough ? quantile(draws, 1 - tail) : Number.NaN,
    level,
    usable: draws.length,
  };
}

/** Steps until a loss series first reaches `target` (the first step at or below it); null if never. */
export function stepsToTarget(
  steps: readonly number[],
  losses: readonly number[],
  target: number,
): number | null {
  for (let i = 0; i < steps.length; i++) if (losses[i] <= target) return steps[i];
  return null;
}
