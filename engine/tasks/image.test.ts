import { describe, it } from 'vitest';
import { DATA_DEFAULTS, type DataConfig } from '../data/schema';
import type { ModelConfig } from '../models/schema';
import { expectLearns } from './learns.test-helper';

// Its own file so Vitest runs it beside the other task tests: convolutions are slow on the cpu backend.
const tinyMnist = { ...DATA_DEFAULTS.mnist, trainSamples: 200 };

// [name, data, model, steps, lr, microBatches]: loss must fall within the budget.
const CASES: [string, DataConfig, ModelConfig, number, number, number][] = [
  [
    'mnist × mlp + batch norm',
    tinyMnist,
    { kind: 'mlp', hidden: [32], activation: 'relu', norm: 'batch' },
    15,
    0.01,
    1,
  ],
  [
    'mnist × cnn + WS + BCN (2 micro-batches)',
    tinyMnist,
    { kind: 'cnn', channels: [4, 8], norm: 'batch-channel', weightStandardization: true },
    12,
    0.01,
    2,
  ],
  [
    'mnist × cct',
    tinyMnist,
    { kind: 'cct', convLayers: 2, dim: 16, layers: 1, heads: 2, mlpRatio: 1, norm: 'layer' },
    12,
    0.005,
    1,
  ],
  [
    'mnist × ViT-lite (patches, class token)',
    tinyMnist,
    {
      kind: 'cct',
      convLayers: 2,
      dim: 16,
      layers: 1,
      heads: 2,
      mlpRatio: 1,
      norm: 'layer',
      tokenizer: 'patch',
      pooling: 'class',
    },
    40,
    0.003,
    1,
  ],
];

describe('image models learn MNIST-10k (loss falls within a small budget)', () => {
  it.each(CASES)('%s', (_, data, model, steps, lr, microBatches) =>
    expectLearns(data, model, steps, lr, microBatches),
  );
});
