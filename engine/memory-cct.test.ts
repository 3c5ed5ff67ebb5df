import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { registerWasmKernels } from './backends/wasm-kernels';
import { prepareWasm } from './backends/wasm.test-helper';
import { MODEL_DEFAULTS } from './index';
import { expectFlatMemory, STEPS, TINY_MNIST, tinyRun } from './memory.test-helper';

/**
 * The CCT's part of "memory stays flat", on the WASM backend: the cpu backend's convolution
 * gradients loop per multiply-add, about 50 ms a step even at the smallest size (5,000 steps took
 * 4 to 12 minutes), where WASM runs them as XNNPACK convolutions. TF.js counts tensors and bytes
 * in the engine, above the backend, so what this checks is the same.
 */
describe(`TF.js memory over ${STEPS} steps on the WASM backend`, () => {
  beforeAll(async () => {
    await prepareWasm(registerWasmKernels);
    await tf.setBackend('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it(
    'CCT on MNIST: tensor count and bytes stay where they were after the first chunk',
    () =>
      expectFlatMemory(
        'CCT on MNIST',
        tinyRun({
          data: TINY_MNIST,
          model: {
            ...MODEL_DEFAULTS.cct,
            convLayers: 3,
            dim: 8,
            layers: 1,
            heads: 1,
            mlpRatio: 0.5,
          },
          batchSize: 1,
          backend: 'wasm',
        }),
      ),
    300_000,
  );
});
