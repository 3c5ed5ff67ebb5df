import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmIdentity } from './wasm-identity';
import { ours } from './wasm-kernel-util';
import { on, prepareWasm } from './wasm.test-helper';

describe('WASM Identity', () => {
  beforeAll(async () => {
    await prepareWasm(registerWasmIdentity);
    await on('wasm', () => undefined);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('replaces the stock kernel once', () => {
    expect(ours('Identity')).toBe(true);
    registerWasmIdentity();
    expect(ours('Identity')).toBe(true);
  });

  it('a clone shares its memory, outlives the original, and frees it with the last reference', () => {
    const backend = tf.engine().backend as BackendWasm;
    const buffers = backend.numDataIds();
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const y = tf.clone(x);
    expect(y.dataId).toBe(x.dataId);
    expect(backend.numDataIds()).toBe(buffers + 1);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(y.shape).toEqual([2, 3]);
    y.dispose();
    expect(backend.numDataIds()).toBe(buffers);
  });

  it('gradients that TF.js saves by cloning are unchanged: x·W and its gradient', () => {
    const [value, dx] = tf.tidy(() => {
      const x = tf.tensor2d([1, -2, 3, 0.5], [2, 2]);
      const w = tf.tensor2d([0.5, 1, -1, 2], [2, 2]);
      const { value, grad } = tf.valueAndGrad((a: tf.Tensor) =>
        tf.sum(tf.square(tf.relu(tf.matMul(a as tf.Tensor2D, w)))),
      )(x);
      return [value.dataSync()[0], Array.from(grad.dataSync())];
    });
    // relu(x·W) = [[2.5, 0], [1, 4]]: value 6.25 + 1 + 16; dx = 2·relu(x·W)·Wᵀ.
    expect(value).toBeCloseTo(23.25, 5);
    expect(dx).toEqual([2.5, -5, 9, 14]);
  });
});
