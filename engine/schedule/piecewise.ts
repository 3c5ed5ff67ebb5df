import { check, clampStep, type Schedule } from './schedule';

export interface PiecewiseOptions {
  /** Learning rate before the first boundary. */
  readonly init: number;
  /** Steps at which the rate is multiplied, strictly increasing. */
  readonly boundaries: readonly number[];
  /** Multiplier at each boundary: one number for all, or one per boundary (0.1 = drop 10×). */
  readonly factor: number | readonly number[];
}

/**
 * Step (piecewise constant) decay, optax's `piecewise_constant_schedule`:
 * η(s) = init · Π_{i: s ≥ boundaryᵢ} factorᵢ.
 */
export function piecewiseSchedule({ init, boundaries, factor }: PiecewiseOptions): Schedule {
  const where = 'piecewiseSchedule';
  check.nonNegative(where, 'init', init);
  boundaries.forEach((b, i) => {
    check.steps(where, `boundaries[${i}]`, b);
    if (i > 0 && b <= boundaries[i - 1])
      throw new Error(`${where}: boundaries must increase, got ${boundaries.join(', ')}`);
  });
  const factors = typeof factor === 'number' ? boundaries.map(() => factor) : [...factor];
  if (factors.length !== boundaries.length) {
    throw new Error(`${where}: ${factors.length} factors for ${boundaries.length} boundaries`);
  }
  factors.forEach((f, i) => check.nonNegative(where, `factor[${i}]`, f));
  // values[k] is the rate after k boundaries.
  const values = factors.reduce((acc, f) => [...acc, acc[acc.length - 1] * f], [init]);
  return (step) => {
    const s = clampStep(step);
    let k = 0;
    while (k < boundaries.length && s >= boundaries[k]) k++;
    return values[k];
  };
}
