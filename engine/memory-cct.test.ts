import { describe, it } from 'vitest';
import { MODEL_DEFAULTS } from './index';
import { expectFlatMemory, STEPS, TINY_MNIST, tinyRun } from './memory.test-helper';

/**
 * The CCT's part of "memory stays flat", in its own file so it runs beside the others: its
 * tokenizer's convolution gradients are the slowest kernels of the cpu backend (a naive loop per
 * multiply-add), about 50 ms a step even at the smallest size, so 5,000 steps take minutes.
 */
describe(`TF.js memory over ${STEPS} steps on the cpu backend`, () => {
  it('CCT on MNIST: tensor count and bytes stay where they were after the first chunk', () =>
    expectFlatMemory('CCT on MNIST', tinyRun({ data: TINY_MNIST, model: { ...MODEL_DEFAULTS.cct, convLayers: 3, dim: 8, layers: 1, heads: 1, mlpRatio: 0.5 }, batchSize: 1 })), 1_200_000);
});
