/**
 * Smoothing for noisy curves, as TensorBoard does it. `weight` in [0, 1): 0 is no smoothing.
 * Both are debiased (the first points are not pulled toward 0) and skip non-finite values.
 */

/** Exponential moving average over points: s_t = w·s_{t−1} + (1−w)·y_t, divided by 1 − w^n. */
export function ema(ys: readonly number[], weight: number): number[] {
  const out: number[] = new Array(ys.length);
  let acc = 0;
  let norm = 0;
  for (let i = 0; i < ys.length; i++) {
    const y = ys[i];
    if (!Number.isFinite(y)) {
      out[i] = y;
      continue;
    }
    acc = weight * acc + (1 - weight) * y;
    norm = weight * norm + (1 - weight);
    out[i] = acc / norm;
  }
  return out;
}

/**
 * Time-weighted EMA: the decay between two points depends on how far apart they are on x, so
 * unevenly spaced points (evaluations, wall time) smooth the same as evenly spaced ones.
 * `weight` is the decay per `unit` of x; the unit defaults to the median spacing.
 */
export function timeWeightedEma(
  xs: readonly number[],
  ys: readonly number[],
  weight: number,
  unit?: number,
): number[] {
  const gaps = xs
    .slice(1)
    .map((x, i) => x - xs[i])
    .filter((g) => g > 0)
    .sort((a, b) => a - b);
  const step = unit ?? (gaps.length > 0 ? gaps[Math.floor(gaps.length / 2)] : 1);
  const out: number[] = new Array(ys.length);
  let acc = 0;
  let norm = 0;
  // The first point decays one unit from nothing, as it does in the plain EMA.
  let lastX = (xs[0] ?? 0) - step;
  for (let i = 0; i < ys.length; i++) {
    const y = ys[i];
    if (!Number.isFinite(y)) {
      out[i] = y;
      continue;
    }
    const decay = Math.pow(weight, Math.max(0, xs[i] - lastX) / step);
    lastX = xs[i];
    acc = decay * acc + (1 - decay) * y;
    norm = decay * norm + (1 - decay);
    out[i] = norm > 0 ? acc / norm : y;
  }
  return out;
}
