import { describe, it } from 'vitest';
import { MODEL_DEFAULTS, OPTIMIZER_DEFAULTS, DATA_DEFAULTS, type RunConfig } from './index';
import { expectFlatMemory, STEPS, TINY_CHARS, TINY_MNIST, tinyRun } from './memory.test-helper';

/**
 * Memory stays flat over 5,000 steps of every model kind on the cpu backend (the CCT, whose
 * convolution gradients are slow there, has its own file so it runs beside this one). The configs
 * are the smallest that still go through each model's real code path.
 */
const CASES: [string, RunConfig][] = [
  [
    'MLP on spiral (Adam)',
    tinyRun({
      data: { ...DATA_DEFAULTS.spiral, samples: 100 },
      model: { ...MODEL_DEFAULTS.mlp, hidden: [8, 8] },
      optimizer: { ...OPTIMIZER_DEFAULTS.adam, lr: 0.01 },
      batchSize: 8,
    }),
  ],
  [
    'MLP on MNIST',
    tinyRun({ data: TINY_MNIST, model: { ...MODEL_DEFAULTS.mlp, hidden: [4] }, batchSize: 2 }),
  ],
  [
    'CNN + BatchNorm on MNIST',
    tinyRun({
      data: TINY_MNIST,
      model: { ...MODEL_DEFAULTS.cnn, channels: [1], norm: 'batch' },
      batchSize: 1,
    }),
  ],
  [
    'char-LM transformer',
    tinyRun({
      data: TINY_CHARS,
      model: { ...MODEL_DEFAULTS.transformer, dim: 8, layers: 1, heads: 1, mlpRatio: 1 },
      batchSize: 2,
    }),
  ],
  [
    'MoE char LM',
    tinyRun({
      data: TINY_CHARS,
      model: { ...MODEL_DEFAULTS.moe, dim: 8, layers: 1, heads: 1, mlpRatio: 1, experts: 2 },
      batchSize: 2,
    }),
  ],
];

describe(`TF.js memory over ${STEPS} steps on the cpu backend`, () => {
  it.each(CASES)(
    '%s: tensor count and bytes stay where they were after the first chunk',
    (name, config) => expectFlatMemory(name, config),
    600_000,
  );
});
