import type { MetricSeries } from './metric-series';
import { timeWeightedEma } from './smoothing';

export type XAxis = 'step' | 'samples' | 'epoch' | 'time';
export type Smoothing = { readonly kind: 'ema' | 'time'; readonly weight: number };
export type MetricKey =
  'loss' | 'testLoss' | 'trainLoss' | 'accuracy' | 'testAccuracy' | 'lr' | 'gradNorm';

/** One line of a chart: x and y of equal length, with an optional min–max band (seed groups). */
export interface Line {
  readonly label: string;
  readonly color: string;
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly dash?: boolean;
  readonly faint?: boolean;
  /** Draw each point as a dot (sparse measurements). */
  readonly points?: boolean;
  readonly band?: { readonly lo: readonly number[]; readonly hi: readonly number[] };
  /** The run's name without the suffix, for the legend. */
  readonly run?: string;
  /** What the line is of that run: '' (the metric), 'train' or 'test'. Test lines are dashed. */
  readonly role?: string;
}

export interface RunLines {
  readonly label: string;
  readonly color: string;
  readonly series: readonly MetricSeries[];
}

const PER_STEP: ReadonlySet<MetricKey> = new Set(['loss', 'lr', 'gradNorm']);

function points(s: MetricSeries, key: MetricKey, x: XAxis): { x: number[]; y: number[] } {
  // A run saved before epochs were recorded has none to draw against (NaN would break the axis).
  // (Such steps come first: a resumed run records epochs from then on.)
  if (x === 'epoch' && (s.epochs.length !== s.steps.length || Number.isNaN(s.epochs[0])))
    return { x: [], y: [] };
  if (PER_STEP.has(key)) {
    const xs =
      x === 'step'
        ? s.steps
        : x === 'samples'
          ? s.samples
          : x === 'epoch'
            ? s.epochs
            : s.wallTime.map((t) => t / 1000);
    return { x: xs, y: s[key as 'loss' | 'lr' | 'gradNorm'] };
  }
  // Evaluation series: the x of each evaluated step, by binary search in the ascending steps
  // (a Map of every step, rebuilt on each redraw, cost more than drawing the charts).
  if (x === 'step')
    return {
      x: s.evalSteps as number[],
      y: s[key as Exclude<MetricKey, 'loss' | 'lr' | 'gradNorm'>],
    };
  const xs = s.evalSteps.map((step) => {
    const i = Math.max(0, indexOfStep(s.steps, step));
    if (x === 'epoch') return s.epochs[i];
    return x === 'samples' ? s.samples[i] : s.wallTime[i] / 1000;
  });
  return { x: xs, y: s[key as Exclude<MetricKey, 'loss' | 'lr' | 'gradNorm'>] };
}

/** The index of `step` in ascending `steps`, or -1. */
export function indexOfStep(steps: readonly number[], step: number): number {
  let lo = 0;
  let hi = steps.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid] === step) return mid;
    if (steps[mid] < step) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function smooth(
  x: readonly number[],
  y: readonly number[],
  smoothing: Smoothing,
): readonly number[] {
  if (smoothing.weight <= 0) return y;
  return smoothing.kind === 'ema'
    ? growingEma(y, smoothing.weight)
    : timeWeightedEma(x, y, smoothing.weight);
}

/** Per series (the growing arrays of a MetricSeries), its EMA so far and the state to go on. */
const emaCache = new WeakMap<
  readonly number[],
  { weight: number; out: number[]; acc: number; norm: number }
>();

/**
 * The same values as `ema(ys, weight)`, but a series that only grew since the last call costs
 * its new points: the result is one array that grows with it (so charts can append too).
 */
export function growingEma(ys: readonly number[], weight: number): readonly number[] {
  let c = emaCache.get(ys);
  if (!c || c.weight !== weight || c.out.length > ys.length) {
    c = { weight, out: [], acc: 0, norm: 0 };
    emaCache.set(ys, c);
  }
  for (let i = c.out.length; i < ys.length; i++) {
    const y = ys[i];
    if (!Number.isFinite(y)) {
      c.out.push(y);
      continue;
    }
    c.acc = weight * c.acc + (1 - weight) * y;
    c.norm = weight * c.norm + (1 - weight);
    c.out.push(c.acc / c.norm);
  }
  return c.out;
}

/**
 * The lines of one metric for several runs: smoothed, with the raw curve faint behind when
 * smoothing is on; a seed group (several series) becomes its mean with a min–max band.
 */
export function metricLines(
  runs: readonly RunLines[],
  key: MetricKey,
  x: XAxis,
  smoothing: Smoothing,
  suffix = '',
): Line[] {
  const out: Line[] = [];
  for (const run of runs) {
    const label = suffix ? `${run.label} ${suffix}` : run.label;
    const all = run.series.map((s) => points(s, key, x));
    // Train curves are solid, test curves dashed.
    const dash = suffix === 'test';
    if (all.length === 0) continue;
    if (all.length === 1) {
      const p = all[0];
      if (smoothing.weight > 0)
        out.push({
          label: `${label} (raw)`,
          color: run.color,
          x: p.x,
          y: p.y,
          faint: true,
          dash,
          role: suffix,
          run: run.label,
        });
      out.push({
        label,
        color: run.color,
        x: p.x,
        y: smooth(p.x, p.y, smoothing),
        dash,
        role: suffix,
        run: run.label,
      });
      continue;
    }
    // Seeds: on the first seed's x values up to where every seed has points, each seed's value
    // at or before that x. The seeds share a step schedule, but not always the rows: an app
    // run evaluates within a time budget, and old rows are thinned by their own losses.
    const end = Math.min(...all.map((p) => p.x[p.x.length - 1] ?? Number.NEGATIVE_INFINITY));
    const xs = all[0].x.slice(0, indexOfAtMost(all[0].x, end) + 1);
    const columns = all.map((p) => {
      const ys = smooth(p.x, p.y, smoothing);
      return xs.map((x) => ys[Math.max(0, indexOfAtMost(p.x, x))]);
    });
    const mean = xs.map((_, i) => columns.reduce((a, c) => a + c[i], 0) / columns.length);
    const lo = xs.map((_, i) => Math.min(...columns.map((c) => c[i])));
    const hi = xs.map((_, i) => Math.max(...columns.map((c) => c[i])));
    const name = `${run.label} (mean of ${all.length} seeds)`;
    out.push({
      label: `${label} (mean of ${all.length} seeds)`,
      color: run.color,
      x: xs,
      y: mean,
      band: { lo, hi },
      dash,
      role: suffix,
      run: name,
    });
  }
  return out;
}

/** The index of the last x <= `value` in ascending `xs`, or -1 when all are greater. */
export function indexOfAtMost(xs: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= value) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
