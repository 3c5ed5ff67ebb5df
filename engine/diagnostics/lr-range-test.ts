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
   * `initial`: blown up once a chunk's mean loss exceeds the run's first step loss (or is not finite).
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
  let firstLoss = Number.NaN;
  let diverged = false;
  try {
    while (run.step + every <= maxSteps) {
      run.reconfigure({ optimizer: { ...base.optimizer, lr } });
      const chunk = await run.train(every);
      let sum = 0;
      for (const x of chunk.columns.loss) sum += x;
      const mean = sum / chunk.rows;
      lrs.push(lr);
      losses.push(mean);
      if (lrs.length === 1) firstLoss = chunk.columns.loss[0];
      const blown = divergence === 'initial' ? mean > firstLoss : mean > stopRatio * minLoss;
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
