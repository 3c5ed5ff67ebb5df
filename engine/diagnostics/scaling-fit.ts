/**
 * Scaling-law fits (docs/algorithms.md#scaling-law-fits, OpenAI forms as in Scaling Laws Part I).
 * Plain numbers, no TF.js.
 */

export interface LineFit {
  readonly slope: number;
  readonly intercept: number;
  /** Coefficient of determination of the fit. */
  readonly r2: number;
}

/** Ordinary least squares y = slope·x + intercept. */
export function fitLine(x: readonly number[], y: readonly number[]): LineFit {
  const n = x.length;
  if (n < 2 || y.length !== n)
    throw new Error('fitLine needs at least two (x, y) pairs of equal length');
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (y[i] - (slope * x[i] + intercept)) ** 2;
  return { slope, intercept, r2: syy > 0 ? 1 - sse / syy : 1 };
}

export interface PowerLawFit {
  readonly alphaN: number;
  readonly Nc: number;
  /** The irreducible loss E subtracted before the fit (0 without it). */
  readonly E: number;
  /** R² of the log-log line. */
  readonly r2: number;
}

/**
 * L(N) = (N_c/N)^α_N (+ E) by log-log least squares: log(L − E) = α_N log N_c − α_N log N.
 * With `E` given it is subtracted first; every L must exceed it.
 */
export function fitPowerLaw(N: readonly number[], L: readonly number[], E = 0): PowerLawFit {
  if (L.some((l) => !(l > E))) throw new Error('fitPowerLaw: every loss must exceed E');
  const { slope, intercept, r2 } = fitLine(
    N.map(Math.log),
    L.map((l) => Math.log(l - E)),
  );
  const alphaN = -slope;
  return { alphaN, Nc: Math.exp(intercept / alphaN), E, r2 };
}

/**
 * L(N) = (N_c/N)^α_N + E with E chosen on a grid below min L to maximise the log-log R².
 */
export function fitPowerLawWithOffset(
  N: readonly number[],
  L: readonly number[],
  grid = 200,
): PowerLawFit {
  const lo = Math.min(...L);
  let best = fitPowerLaw(N, L, 0);
  for (let i = 1; i < grid; i++) {
    const fit = fitPowerLaw(N, L, (lo * i) / grid);
    if (fit.r2 > best.r2) best = fit;
  }
  return best;
}

export interface CriticalBatchFit {
  readonly sMin: number;
  readonly k: number;
  /** B_crit = k / S_min. */
  readonly bCrit: number;
  /** E_min = S_min · B_crit samples. */
  readonly eMin: number;
  readonly r2: number;
}

/** Steps to a target loss against batch size: S(B) = S_min + k/B, least squares in 1/B. */
export function fitCriticalBatch(B: readonly number[], S: readonly number[]): CriticalBatchFit {
  const { slope, intercept, r2 } = fitLine(
    B.map((b) => 1 / b),
    S,
  );
  const bCrit = slope / intercept;
  return { sMin: intercept, k: slope, bCrit, eMin: intercept * bCrit, r2 };
}

/** Spearman rank correlation (average ranks for ties). */
export function spearman(x: readonly number[], y: readonly number[]): number {
  const rank = (a: readonly number[]): number[] => {
    const order = a.map((v, i) => [v, i] as const).sort((p, q) => p[0] - q[0]);
    const r = new Array<number>(a.length);
    for (let i = 0; i < order.length;) {
      let j = i;
      while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
      for (let k = i; k <= j; k++) r[order[k][1]] = (i + j) / 2 + 1;
      i = j + 1;
    }
    return r;
  };
  return (
    Math.sqrt(Math.max(0, fitLine(rank(x), rank(y)).r2)) *
    Math.sign(fitLine(rank(x), rank(y)).slope)
  );
}
