import type { PresetResults, VerdictRead } from './types';

/** One arm's curve on a verdict's chart: the mean over seeds and the seeds' range, per x. */
export interface ReadLine {
  readonly arm: string;
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly lo: readonly number[];
  readonly hi: readonly number[];
}

/** Trailing mean over `w` steps (the first w−1 steps average what there is). */
export function trailingMean(xs: readonly number[], w: number): number[] {
  const out: number[] = [];
  let sum = 0;
  for (let i = 0; i < xs.length; i++) {
    sum += xs[i];
    if (i >= w) sum -= xs[i - w];
    out.push(sum / Math.min(i + 1, w));
  }
  return out;
}

function across(columns: readonly (readonly number[])[], n: number) {
  const y: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  for (let i = 0; i < n; i++) {
    const vs = columns.map((c) => c[i]).filter(Number.isFinite);
    y.push(vs.length > 0 ? vs.reduce((a, b) => a + b, 0) / vs.length : Number.NaN);
    lo.push(vs.length > 0 ? Math.min(...vs) : Number.NaN);
    hi.push(vs.length > 0 ? Math.max(...vs) : Number.NaN);
  }
  return { y, lo, hi };
}

/**
 * The lines of one verdict chart, from the results the verdict read: per arm, the metric's mean
 * over seeds with the seeds' min and max. Evaluation curves are aligned by step (seed 0's
 * evaluation steps; a seed evaluated elsewhere adds nothing there); the training loss is the
 * trailing mean the verdict used, at every step.
 */
export function readLines(results: PresetResults, read: VerdictRead): ReadLine[] {
  const labels = read.arms ?? Object.keys(results);
  return labels.flatMap((arm): ReadLine[] => {
    const seeds = results[arm] ?? [];
    if (seeds.length === 0) return [];
    if (read.metric === 'loss') {
      const smooth = seeds.map((r) => trailingMean(r.loss, read.smooth ?? 10));
      const n = Math.max(...smooth.map((s) => s.length));
      return [{ arm, x: Array.from({ length: n }, (_, i) => i + 1), ...across(smooth, n) }];
    }
    const x = seeds[0].evalSteps;
    const metric = read.metric;
    const columns = seeds.map((r) =>
      x.map((step) => {
        const i = r.evalSteps.indexOf(step);
        return i < 0 ? Number.NaN : r[metric][i];
      }),
    );
    return [{ arm, x, ...across(columns, x.length) }];
  });
}
