import { parseRunConfig, type RunConfig } from '../config';
import { createRun, type RunSnapshot } from '../run';
import type { RunEnv } from '../tasks/task';
import { suggestLr, type LrFinderPoint, type LrSuggestion } from './lr-suggest';

export type { LrFinderPoint, LrSuggestion } from './lr-suggest';
export { smoothCurve, suggestLr } from './lr-suggest';

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

export interface LrFinderResult extends LrSuggestion {
  readonly points: readonly LrFinderPoint[];
  /** The step of the state the copy started from. */
  readonly fromStep: number;
  readonly cancelled: boolean;
  readonly wallMs: number;
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
  while (
    cap > minLr &&
    !parseRunConfig({ ...config, optimizer: { ...config.optimizer, lr: cap } }).ok
  )
    cap /= 10;
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
  const {
    minLr = 1e-5,
    points: count = 40,
    stepsPerPoint = 5,
    stopRatio = 4,
    window = 5,
  } = options;
  const maxLr = lrCap(config, options.maxLr ?? 10, minLr);
  const fixed = {
    schedule: { kind: 'constant', warmupFraction: 0 },
    batchScaling: { ...config.batchScaling, rule: 'off' },
  } as const;
  const run = await createRun(
    { ...config, ...fixed, optimizer: { ...config.optimizer, lr: minLr } },
    env,
  );
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
  return {
    ...suggestLr(points, { stopRatio, window }),
    points,
    fromStep,
    cancelled,
    wallMs: performance.now() - started,
  };
}
