import type { RunConfig } from '../config';
import type { ArmResult } from './types';

/**
 * Learning-rate grids (engine/presets/README.md, rule 3). A grid is a list of factors applied to
 * every rate an arm's optimizer has (Muon's AdamW rate too), so one factor keeps their ratio.
 * TF.js-free.
 */

/** Three log-spaced factors a third of a decade apart around the arm's own rates. */
export const LR_GRID_3 = [1 / 3, 1, 3] as const;

/** The config with every learning rate of its optimizer multiplied by `factor`. */
export function withLrFactor(config: RunConfig, factor: number): RunConfig {
  if (factor === 1) return config;
  const o = config.optimizer;
  const optimizer =
    o.kind === 'muon'
      ? { ...o, lr: o.lr * factor, adamLr: o.adamLr * factor }
      : { ...o, lr: o.lr * factor };
  return { ...config, optimizer };
}

/** The optimizer's main rate after a factor, for reports. */
export function lrOf(config: RunConfig, factor = 1): number {
  return withLrFactor(config, factor).optimizer.lr;
}

/**
 * The factor whose validation run ended with the lowest held-out loss; a diverged run (NaN)
 * never wins. Ties go to the earlier (smaller) factor. NaN when every run diverged.
 */
export function chooseFactor(grid: readonly number[], runs: readonly ArmResult[]): number {
  let best = Number.NaN;
  let bestLoss = Number.POSITIVE_INFINITY;
  grid.forEach((f, i) => {
    const l = runs[i]?.finalTestLoss ?? Number.NaN;
    if (Number.isFinite(l) && l < bestLoss) [best, bestLoss] = [f, l];
  });
  return best;
}
