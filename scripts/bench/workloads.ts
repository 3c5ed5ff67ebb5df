import {
  DATA_DEFAULTS,
  DEFAULT_CONFIG,
  MODEL_DEFAULTS,
  OPTIMIZER_DEFAULTS,
  type RunConfig,
} from '../../engine/tf-free';

/** The benchmark's workloads: what a user trains most, from the smallest to the heaviest. */
export const WORKLOADS = ['spiral-mlp', 'mnist-mlp', 'mnist-cnn', 'char-lm'] as const;
export type WorkloadId = (typeof WORKLOADS)[number];

const adam = { ...OPTIMIZER_DEFAULTS.adam, lr: 1e-3 };

/** The engine config of each workload; the hand-written loop builds the same model from it. */
export function workloadConfig(id: WorkloadId): RunConfig {
  switch (id) {
    case 'spiral-mlp':
      return { ...DEFAULT_CONFIG, batchSize: 10 };
    case 'mnist-mlp':
      return {
        ...DEFAULT_CONFIG,
        data: DATA_DEFAULTS.mnist,
        model: { ...MODEL_DEFAULTS.mlp, hidden: [256, 256] },
        optimizer: adam,
        batchSize: 64,
      };
    case 'mnist-cnn':
      return {
        ...DEFAULT_CONFIG,
        data: DATA_DEFAULTS.mnist,
        model: MODEL_DEFAULTS.cnn,
        optimizer: adam,
        batchSize: 32,
      };
    case 'char-lm':
      return {
        ...DEFAULT_CONFIG,
        data: DATA_DEFAULTS.chars,
        model: MODEL_DEFAULTS.transformer,
        optimizer: adam,
        batchSize: 32,
      };
  }
}
