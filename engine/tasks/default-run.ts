import { DEFAULT_CONFIG, type RunConfig } from '../config';
import { DATA_DEFAULTS, type DatasetKind } from '../data/schema';
import { MODEL_DEFAULTS, MODEL_STEPS, type ModelKind } from '../models/schema';
import { COMPATIBLE_MODELS } from './compatibility';

/**
 * What a dataset/model pair starts with beyond its data and model defaults: its number of steps
 * and the default optimizer's (Adam's) rate. TF.js-free, for the UI; engine/defaults.test.ts
 * guards that each dataset's default run keeps improving to its end.
 */
export interface PairDefaults {
  readonly steps: number;
  /** The rate of the default optimizer kind; other optimizers keep the rate the user gave. */
  readonly lr: number;
}

/**
 * Pairs whose step cost or rate differs from their model's. Measured as MODEL_STEPS is
 * (engine/models/schema.ts: scripts/time-defaults.ts in Chromium, wasm, 2 cores under load).
 * - modular: 2-3 tokens a sequence; the transformer's 1,000 steps took 43 s (23 steps/s). At
 *   Adam 0.03 it never left chance (test loss 3.2 over 1,000 steps); at 0.003 it generalises
 *   (3.2 → 0.72, still falling at the end). The MoE runs 8.6 steps/s; in 450 steps at 0.003 it
 *   only memorised (test loss 3.2 → 4.2), at 0.01 it stayed at chance; 1,000 steps at 0.003
 *   generalise (3.2 → 0.51, still falling at the end): 105 s in the app (9.5 steps/s).
 * - in-context: 64-token sequences, 1.95 steps/s: 80 steps in 38 s (test loss 1.41 → 1.39, near chance, in a
 *   minute; in-context learning takes far longer, docs/algorithms.md#in-context-learning).
 * - mnist CCT: the small CCT (MODEL_DEFAULTS.cct) learns at 0.01; at 0.03 the old one stayed at
 *   chance.
 */
const PAIRS: {
  readonly [D in DatasetKind]?: { readonly [M in ModelKind]?: Partial<PairDefaults> };
} = {
  modular: { transformer: { steps: 1000, lr: 0.003 }, moe: { steps: 1000, lr: 0.003 } },
  'in-context': { transformer: { steps: 80 } },
  mnist: { cct: { lr: 0.01 } },
};

export function pairDefaults(data: DatasetKind, model: ModelKind): PairDefaults {
  return {
    steps: MODEL_STEPS[model],
    lr: DEFAULT_CONFIG.optimizer.lr,
    ...PAIRS[data]?.[model],
  };
}

/**
 * The run a dataset's first click starts (with `model`, the run after also picking that model):
 * its data and model defaults, the pair's steps and rate, the rest of DEFAULT_CONFIG.
 */
export function defaultRun(data: DatasetKind, model = COMPATIBLE_MODELS[data][0]): RunConfig {
  const { steps, lr } = pairDefaults(data, model);
  return {
    ...DEFAULT_CONFIG,
    data: DATA_DEFAULTS[data],
    model: MODEL_DEFAULTS[model],
    optimizer: { ...DEFAULT_CONFIG.optimizer, lr },
    steps,
  };
}
