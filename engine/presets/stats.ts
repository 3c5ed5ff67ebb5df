import type { Outcome } from './types';

/**
 * The statistics every verdict uses (engine/presets/README.md, rule 4). Seeds are paired: arm A's
 * seed i and arm B's seed i share their initialisation and data order, so the unit of evidence is
 * the per-seed difference d_i, and a claim is judged on the interval mean(d) ± 2·SE(d).
 */

export function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN;
}

/** Standard error of the mean (sample standard deviation / √n); NaN below two values. */
export function standardError(xs: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return Number.NaN;
  const m = mean(xs);
  const variance = xs.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1);
  return Math.sqrt(variance / n);
}

/** The interval a verdict reads: mean ± 2 standard errors of the per-seed values. */
export interface Interval {
  readonly mean: number;
  readonly se: number;
  readonly lo: number;
  readonly hi: number;
  readonly n: number;
}

export function interval(xs: readonly number[]): Interval {
  const m = mean(xs);
  const se = standardError(xs);
  return { mean: m, se, lo: m - 2 * se, hi: m + 2 * se, n: xs.length };
}

/** Per-seed differences a_i − b_i of two paired series (the shorter length). */
export function pairedDiff(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.min(a.length, b.length);
  return Array.from({ length: n }, (_, i) => a[i] - b[i]);
}

/**
 * A percentile bootstrap interval of the mean (default 95%), with a fixed-seed generator so a
 * verdict is reproducible. An alternative reading of the same evidence for skewed values.
 */
export function bootstrapInterval(
  xs: readonly number[],
  level = 0.95,
  resamples = 2000,
): [number, number] {
  if (xs.length < 2) return [Number.NaN, Number.NaN];
  let s = 0x9e3779b9;
  const next = () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
  const means = Array.from({ length: resamples }, () => {
    let sum = 0;
    for (let i = 0; i < xs.length; i++) sum += xs[Math.floor(next() * xs.length)];
    return sum / xs.length;
  }).sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  return [
    means[Math.floor(tail * resamples)],
    means[Math.min(resamples - 1, Math.floor((1 - tail) * resamples))],
  ];
}

const usable = (iv: Interval): boolean =>
  iv.n >= 2 && Number.isFinite(iv.lo) && Number.isFinite(iv.hi);

/**
 * Claim "d is above `margin`" (one-sided "better by more than margin"): pass when the whole
 * interval is above it, fail when the whole interval is at or below it, else inconclusive.
 */
export function above(d: readonly number[], margin = 0): Outcome {
  const iv = interval(d);
  if (!usable(iv)) return 'inconclusive';
  if (iv.lo > margin) return 'pass';
  if (iv.hi <= margin) return 'fail';
  return 'inconclusive';
}

/**
 * Claim "d is at most `margin`" ("no worse than", one-sided; d is how much worse): pass when the
 * whole interval is at or below the margin, fail when the whole interval is above it.
 */
export function atMost(d: readonly number[], margin = 0): Outcome {
  const iv = interval(d);
  if (!usable(iv)) return 'inconclusive';
  if (iv.hi <= margin) return 'pass';
  if (iv.lo > margin) return 'fail';
  return 'inconclusive';
}

/**
 * Claim "|d| is at most `margin`" (two-sided "within"): pass when the interval lies inside
 * [−margin, margin], fail when it lies wholly outside, else inconclusive.
 */
export function within(d: readonly number[], margin: number): Outcome {
  const iv = interval(d);
  if (!usable(iv)) return 'inconclusive';
  if (iv.lo >= -margin && iv.hi <= margin) return 'pass';
  if (iv.lo > margin || iv.hi < -margin) return 'fail';
  return 'inconclusive';
}
