import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmMatMul, SPLIT_MIN_MACS, splittable } from './wasm-matmul';
import { ours } from './wasm-kernel-util';
import { maxRelError, on, prepareWasm } from './wasm.test-helper';

/** [a shape, b shape, transposeA, transposeB]: single products of every transpose, and batched ones. */
const CASES: readonly (readonly [number[], number[], boolean, boolean])[] = [
  [[5, 7], [7, 3], false, false],
  [[7, 5], [7, 3], true, false],
  [[5, 7], [3, 7], false, true],
  [[7, 5], [3, 7], true, true],
  [[1, 7, 5], [1, 7, 3], true, false],
  [[3, 5, 7], [3, 4, 7], false, true], // batched, small: the stock kernel
  [[64, 300], [64, 40], true, false], // dW = xᵀ·dy of a dense layer
  // Batched products large enough to split (SPLIT_MIN_MACS), as in CCT's 49-token attention.
  [[3, 2, 49, 16], [3, 2, 49, 16], false, true], // scores Q·Kᵀ
  [[3, 2, 49, 49], [3, 2, 49, 16], false, false], // A·V
  [[3, 2, 49, 49], [3, 2, 49, 16], true, false], // dV = Aᵀ·dO
  [[4, 40, 30], [4, 20, 40], true, true],
  [[5, 40, 30], [30, 20], false, false], // one matrix shared by the whole batch
  [[1, 40, 30], [5, 30, 20], false, false],
];

function product(a: number[], b: number[], ta: boolean, tb: boolean, seed: number): Float32Array {
  return tf.tidy(() => {
    const x = tf.randomNormal(a, 0, 1, 'float32', seed);
    const y = tf.randomNormal(b, 0, 1, 'float32', seed + 1);
    return tf.matMul(x, y, ta, tb).dataSync() as Float32Array;
  });
}

/** Loss, dx and dW of a ReLU dense layer through the fused kernel and its TF.js gradient. */
function denseGrads(seed: number): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.randomNormal([16, 30], 0, 1, 'float32', seed) as tf.Tensor2D;
    const w = tf.randomNormal([30, 20], 0, 0.3, 'float32', seed + 1) as tf.Tensor2D;
    const bias = tf.randomNormal([20], 0, 0.1, 'float32', seed + 2);
    const r = tf.randomNormal([16, 20], 0, 1, 'float32', seed + 3);
    const f = (xv: tf.Tensor, wv: tf.Tensor) =>
      tf.sum(
        tf.mul(
          tf.fused.matMul({ a: xv as tf.Tensor2D, b: wv as tf.Tensor2D, bias, activation: 'relu' }),
          r,
        ),
      );
    const { value, grads } = tf.valueAndGrads(f)([x, w]);
    return [value, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

describe('WASM matrix products', () => {
  beforeAll(async () => {
    await prepareWasm(registerWasmMatMul);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('replaces the stock kernel once', () => {
    expect(ours('BatchMatMul')).toBe(true);
    registerWasmMatMul();
    expect(ours('BatchMatMul')).toBe(true);
  });

  it.each(CASES.map((c, i) => [i, ...c] as const))(
    'case %i: %j · %j (transposed %s, %s) equals the cpu backend',
    async (i, a, b, ta, tb) => {
      const cpu = await on('cpu', () => product(a, b, ta, tb, 20 + i));
      const wasm = await on('wasm', () => product(a, b, ta, tb, 20 + i));
      expect(maxRelError(wasm, cpu)).toBeLessThan(1e-5);
    },
  );

  it('a dense layer trains with the same loss and gradients as on the cpu backend', async () => {
    const cpu = await on('cpu', () => denseGrads(3));
    const wasm = await on('wasm', () => denseGrads(3));
    cpu.forEach((c, i) => expect(maxRelError(wasm[i], c)).toBeLessThan(1e-5));
  });

  it('leaves no tensor behind, its transposed copies included', async () => {
    await on('wasm', () => undefined);
    const before = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    const x = tf.ones([4, 6]);
    const y = tf.ones([4, 3]);
    const z = tf.matMul(x, y, true, false);
    expect(Array.from(z.dataSync()).every((v) => v === 4)).toBe(true);
    // A split batched product: its per-matrix copies and products are freed too.
    const q = tf.ones([3, 49, 16]);
    const s = tf.matMul(q, q, false, true);
    expect(Array.from(s.dataSync()).every((v) => v === 16)).toBe(true);
    tf.dispose([x, y, z, q, s]);
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
  });

  it('splits batched products of at least SPLIT_MIN_MACS multiply-adds, with equal or shared batches', () => {
    const info = (shape: number[]) => ({ shape, dtype: 'float32' as const, dataId: {} });
    expect(SPLIT_MIN_MACS).toBe(8192);
    // CCT's attention: 49·16·49 = 38,416 multiply-adds per product.
    expect(splittable(info([32, 2, 49, 16]), info([32, 2, 49, 16]), false, true)).toBe(true);
    expect(splittable(info([5, 40, 30]), info([30, 20]), false, false)).toBe(true);
    // A 16-character context (16·8·16 = 2,048) stays in the stock loop, as do broadcasts of two batches.
    expect(splittable(info([32, 2, 16, 8]), info([32, 2, 16, 8]), false, true)).toBe(false);
    expect(splittable(info([2, 1, 40, 30]), info([1, 3, 30, 20]), false, false)).toBe(false);
    expect(splittable(info([40, 30]), info([30, 20]), false, false)).toBe(false);
  });
});
