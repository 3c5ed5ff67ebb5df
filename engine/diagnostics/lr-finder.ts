import { parseRunConfig, type RunConfig } from '../config';
import { createRun, type RunSnapshot } from '../run';
import type { RunEnv } from '../tasks/task';

/**
 * Learning-rate finder (Smith, 2017, "Cyclical learning rates for training neural networks",
 * https://arxiv.org/abs/1506.01186, section 3.3): train a copy of the run for a few steps while
 * the learning rate grows geometrically, and read a good rate off the loss-vs-lr curve: where
 * the smoothed loss falls fastest. The copy is a separate run built from a snapshot, so the
 * run it was taken from is never touched.
 */

export interface LrFinderOptions {
  readonly minLr?: number;
  /** The schemas cap every optimizer's lr; default 10. */
  readonly maxLr?: number;
  /** Points on the curve; each trains `stepsPerPoint` steps at one lr. */
  readonly points?: number;
  readonly stepsPerPoint?: number;
  /** Stop once a point's loss exceeds this many times the lowest so far (or is not finite). */
  readonly stopRatio?: number;
  /** Points in the centred moving average that smooths the curve (odd). */
  readonly window?: number;
}

export interface LrFinderPoint {
  readonly lr: number;
  /** Mean training loss of the point's steps. */
  readonly loss: number;
}

export interface LrSuggestion {
  /** The lr where the smoothed loss falls fastest against log lr; NaN with fewer than 3 points. */
  readonly suggested: number;
  /** The first lr whose loss blew up (over `stopRatio`× the minimum, or non-finite); NaN if none. */
  readonly divergedAt: number;
  readonly smoothed: readonly number[];
}

export interface LrFinderResult extends LrSuggestion {
  readonly points: readonly LrFinderPoint[];
  /** The step of the state the copy started from. */
  readonly fromStep: number;
  readonly cancelled: boolean;
  readonly wallMs: number;
}

/** Centred moving average over `window` points (fewer at the ends); non-finite values are skipped. */
export function smoothCurve(values: readonly number[], window = 5): number[] {
  const half = Math.floor(window / 2);
  return values.map((_, i) => {
    let sum = 0;
    let n = 0;
    for (let j = Math.max(0, i - half); j <= Math.min(values.length - 1, i + half); j++) {
      if (Number.isFinite(values[j])) {
        sum += values[j];
        n++;
      }
    }
    return n > 0 ? sum / n : Number.NaN;
  });
}

/**
 * The suggestion on a loss-vs-lr curve: the steepest descent of the smoothed loss against
 * log lr, looked for before the curve diverges and before its lowest point.
 */
export function suggestLr(points: readonly LrFinderPoint[], options: { readonly stopRatio?: number; readonly window?: number } = {}): LrSuggestion {
  const { stopRatio = 4, window = 5 } = options;
  let min = Infinity;
  let end = points.length;
  let divergedAt = Number.NaN;
  for (let i = 0; i < points.length; i++) {
    const l = points[i].loss;
    if (!Number.isFinite(l) || l > stopRatio * min) {
      divergedAt = points[i].lr;
      end = i;
      break;
    }
    min = Math.min(min, l);
  }
  const kept = points.slice(0, end);
  const smoothed = smoothCurve(kept.map((p) => p.loss), window);
  let lowest = 0;
  smoothed.forEach((s, i) => (s < smoothed[lowest] ? (lowest = i) : 0));
  let best = -1;
  let steepest = Infinity;
  for (let i = 1; i <= Math.min(lowest, kept.length - 2); i++) {
    const slope = (smoothed[i + 1] - smoothed[i - 1]) / (Math.log(kept[i + 1].lr) - Math.log(kept[i - 1].lr));
    if (slope < steepest) {
      steepest = slope;
      best = i;
    }
  }
  return { suggested: best >= 0 ? kept[best].lr : Number.NaN, divergedAt, smoothed };
}

export interface LrFinderHooks {
  /** Told each point as it is measured (to draw the curve live). */
  readonly onPoint?: (point: LrFinderPoint, index: number) => void;
  /** Polled between points: true stops the test. */
  readonly cancelled?: () => boolean;
}

/** `maxLr`, or the largest power-of-ten fraction of it that the optimizer's schema allows. */
function lrCap(config: RunConfig, maxLr: number, minLr: number): number {
  let cap = maxLr;
  while (cap > minLr && !parseRunConfig({ ...config, optimizer: { ...config.optimizer, lr: cap } }).ok) cap /= 10;
  return cap;
}

/**
 * Runs the finder on a copy of `snapshot` (or on fresh weights without one) with `config`'s
 * model, data and optimizer; the schedule is constant and batch scaling off while it runs.
 */
export async function findLearningRate(
  config: RunConfig,
  snapshot: RunSnapshot | null,
  options: LrFinderOptions = {},
  env: RunEnv = {},
  hooks: LrFinderHooks = {},
): Promise<LrFinderResult> {
  const started = performance.now();
  const { minLr = 1e-5, points: count = 40, stepsPerPoint = 5, stopRatio = 4, window = 5 } = options;
  const maxLr = lrCap(config, options.maxLr ?? 10, minLr);
  const fixed = { schedule: { kind: 'constant', warmupFraction: 0 }, batchScaling: { ...config.batchScaling, rule: 'off' } } as const;
  const run = await createRun({ ...config, ...fixed, optimizer: { ...config.optimizer, lr: minLr } }, env);
  const points: LrFinderPoint[] = [];
  let cancelled = false;
  try {
    if (snapshot) run.restore(snapshot);
    const factor = count > 1 ? (maxLr / minLr) ** (1 / (count - 1)) : 1;
    let min = Infinity;
    for (let i = 0; i < count; i++) {
      if (hooks.cancelled?.()) {
        cancelled = true;
        break;
      }
      const lr = Math.min(maxLr, minLr * factor ** i);
      run.reconfigure({ ...fixed, optimizer: { ...config.optimizer, lr } });
      const chunk = await run.train(stepsPerPoint);
      let sum = 0;
      for (const x of chunk.columns.loss) sum += x;
      const point = { lr, loss: sum / chunk.rows };
      points.push(point);
      hooks.onPoint?.(point, i);
      if (!Number.isFinite(point.loss) || point.loss > stopRatio * min) break;
      min = Math.min(min, point.loss);
    }
  } finally {
    run.dispose();
  }
  const fromStep = snapshot?.step ?? 0;
  return { ...suggestLr(points, { stopRatio, window }), points, fromStep, cancelled, wallMs: performance.now() - started };
}
