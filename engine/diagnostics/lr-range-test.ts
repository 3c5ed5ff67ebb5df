import type { RunConfig } from '../config';
import { createRun } from '../run';
import type { RunEnv } from '../tasks/task';

export interface LrRangeOptions {
  /** First learning rate. */
  readonly start: number;
  /** Multiplier applied every `every` steps. */
  readonly factor?: number;
  readonly every?: number;
  /** Stop once the chunk's mean loss exceeds this many times the lowest chunk mean so far. */
  readonly stopRatio?: number;
  /** Hard cap on steps (default: the config's `steps`). */
  readonly maxSteps?: number;
  /**
   * `ratio` (default): blown up once a chunk's loss exceeds `stopRatio`× the lowest so far.
   * `initial`: blown up once a chunk's mean loss exceeds the initial loss, the first chunk's mean,
   * by more than `INITIAL_MARGIN_SE` standard errors of that chunk's per-step losses (or is not
   * finite). A bare "above the first step's loss" fired on batch noise alone: at B=128 the second
   * chunk's mean sat above the first step's loss before the rate had moved anything.
   */
  readonly divergence?: 'ratio' | 'initial';
  /** The sweep stops above this rate (default 10; set it to the optimizer's schema maximum). */
  readonly maxLr?: number;
}

export interface LrRangeResult {
  /** One point per chunk: the lr it trained at and its mean training loss. */
  readonly lr: readonly number[];
  readonly loss: readonly number[];
  /**
   * η_max: the largest lr whose chunk loss stayed within `stopRatio`× the minimum, i.e. the last
   * lr before the run blew up; NaN when it never blew up within the budget.
   */
  readonly etaMax: number;
  /** The lr of the lowest chunk loss. */
  readonly etaBest: number;
  readonly diverged: boolean;
}

/** Standard errors of the first chunk's mean by which a later chunk must exceed it (`initial`). */
export const INITIAL_MARGIN_SE = 4;

/** Mean and standard error of the mean of one chunk's per-step losses. */
function meanAndSe(xs: ArrayLike<number>): { mean: number; se: number } {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i];
  const mean = sum / xs.length;
  let ss = 0;
  for (let i = 0; i < xs.length; i++) ss += (xs[i] - mean) ** 2;
  const sd = xs.length > 1 ? Math.sqrt(ss / (xs.length - 1)) : 0;
  return { mean, se: sd / Math.sqrt(xs.length) };
}

/**
 * LR range test (Smith; RMT preset): train a real run at a constant lr that grows by `factor`
 * every `every` steps until the loss is `stopRatio` times its minimum (or non-finite).
 * The optimizer's lr is reconfigured between chunks; the schedule is forced constant.
 */
export async function lrRangeTest(
  config: RunConfig,
  options: LrRangeOptions,
  env: RunEnv = {},
): Promise<LrRangeResult> {
  const {
    start,
    factor = 1.3,
    every = 20,
    stopRatio = 4,
    divergence = 'ratio',
    maxLr = 10,
  } = options;
  const maxSteps = options.maxSteps ?? config.steps;
  const base: RunConfig = {
    ...config,
    schedule: { kind: 'constant', warmupFraction: 0 },
    batchScaling: { ...config.batchScaling, rule: 'off' },
    steps: Math.max(maxSteps, every),
  };
  const run = await createRun({ ...base, optimizer: { ...base.optimizer, lr: start } }, env);
  const lrs: number[] = [];
  const losses: number[] = [];
  let lr = start;
  let minLoss = Infinity;
  /** `initial`: the first chunk's mean plus the margin. */
  let initialBound = Number.NaN;
  let diverged = false;
  try {
    while (run.step + every <= maxSteps) {
      run.reconfigure({ optimizer: { ...base.optimizer, lr } });
      const chunk = await run.train(every);
      const { mean, se } = meanAndSe(chunk.columns.loss);
      lrs.push(lr);
      losses.push(mean);
      if (lrs.length === 1) initialBound = mean + INITIAL_MARGIN_SE * se;
      const blown = divergence === 'initial' ? mean > initialBound : mean > stopRatio * minLoss;
      if (!Number.isFinite(mean) || blown) {
        diverged = true;
        break;
      }
      minLoss = Math.min(minLoss, mean);
      lr *= factor;
      // The schema caps every optimizer's lr; stop there rather than fail.
      if (lr > maxLr) break;
    }
  } finally {
    run.dispose();
  }
  const best = losses.reduce((bi, x, i) => (x < losses[bi] ? i : bi), 0);
  return {
    lr: lrs,
    loss: losses,
    etaMax: diverged && lrs.length >= 2 ? lrs[lrs.length - 2] : Number.NaN,
    etaBest: lrs[best] ?? Number.NaN,
    diverged,
  };
}
