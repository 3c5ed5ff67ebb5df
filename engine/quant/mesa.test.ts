import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Buffers } from '../layers/context';
import { createMesaMatMul, mesaQuantize, packCodes, unpackCodes, updateMesaRange } from './mesa';

const values = (t: tf.Tensor) => Array.from(t.dataSync());
const expectClose = (a: number[], e: number[], tol = 1e-5) =>
  e.forEach((x, i) =>
    expect(Math.abs(a[i] - x), `index ${i}: ${a[i]} vs ${x}`).toBeLessThanOrEqual(tol),
  );

// docs/algorithms.md#mesa, deterministic u = 0.5, one group.
describe('Mesa 8-bit stored activations', () => {
  it('two batches: running range and offset with λ = 0.9, codes and dequantized values', () => {
    tf.tidy(() => {
      const x1 = tf.tensor1d([-0.8, -0.1, 0, 0.35, 1.2]);
      const r1 = updateMesaRange(x1, undefined, 0.9);
      expectClose([r1.alpha.dataSync()[0], r1.beta.dataSync()[0]], [2.0, -0.8], 1e-6);
      const a = mesaQuantize(x1, r1, 0.5);
      expect(values(a.q)).toEqual([0, 89, 102, 147, 255]);
      expectClose(values(a.xHat), [-0.8, -0.101961, 0, 0.352941, 1.2]);

      const x2 = tf.tensor1d([-0.5, 0.2, 1.5]);
      const r2 = updateMesaRange(x2, r1, 0.9);
      expectClose([r2.alpha.dataSync()[0], r2.beta.dataSync()[0]], [2.0, -0.77], 1e-6);
      const b = mesaQuantize(x2, r2, 0.5);
      expect(values(b.q)).toEqual([34, 124, 255]); // 289.425 clipped
      expectClose(values(b.xHat), [-0.503333, 0.202549, 1.23]);
    });
  });

  it('matMul: exact forward; dW = x̂ᵀ·dy, dx = dy·Wᵀ; ranges in the buffers; no leaks', () => {
    const buffers = new Buffers();
    const mm = createMesaMatMul(buffers, { rounding: 0.5 });
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.tensor2d([
        [-0.8, -0.1, 0],
        [0.35, 1.2, 0.5],
      ]);
      const w = tf.tensor2d([
        [1, 2],
        [3, -1],
        [0.5, 0.25],
      ]);
      const dy = tf.tensor2d([
        [1, -1],
        [0.5, 2],
      ]);
      const f = (xv: tf.Tensor, wv: tf.Tensor) =>
        tf.sum(tf.mul(mm(xv as tf.Tensor2D, wv as tf.Tensor2D, 'dense0'), dy));
      const { value, grads } = tf.valueAndGrads(f)([x, w]);
      expect(value.dataSync()[0]).toBeCloseTo(tf.sum(tf.mul(tf.matMul(x, w), dy)).dataSync()[0], 5);
      expectClose(values(grads[0]), values(tf.matMul(dy, w, false, true)), 1e-6);
      const xHat = mesaQuantize(x, { alpha: tf.scalar(2.0), beta: tf.scalar(-0.8) }, 0.5).xHat;
      expectClose(values(grads[1]), values(tf.matMul(xHat, dy, true, false)), 1e-5);
      expect(
        Math.abs(values(grads[1])[0] - values(tf.matMul(x, dy, true, false))[0]),
      ).toBeGreaterThan(0); // not the exact x
    });
    expect(buffers.names().sort()).toEqual(['dense0/mesa.alpha', 'dense0/mesa.beta']);
    expect(tf.memory().numTensors).toBe(before + 2);
    buffers.dispose();
  });

  it('stochastic rounding is seeded: same seed, same gradient; unbiased on average', () => {
    const run = (seed: number) =>
      tf.tidy(() => {
        const mm = createMesaMatMul(new Buffers(), { seed });
        const x = tf.concat([tf.fill([64, 1], 0.3), tf.tensor2d([[0], [1]])]);
        const w = tf.ones([1, 1]);
        return values(
          tf.grad((wv: tf.Tensor) => tf.sum(mm(x as tf.Tensor2D, wv as tf.Tensor2D, 'l')))(w),
        )[0];
      });
    expect(run(3)).toBe(run(3));
    // Σx = 64·0.3 + 1 = 20.2; codes of 0.3 are 76 or 77 (76.5 exactly), so the stored sum stays within 64/255.
    expect(Math.abs(run(5) - 20.2)).toBeLessThan(64 / 255 / 2 + 0.05);
  });

  it('codes pack three to a float32 and unpack exactly', () => {
    const codes = Array.from({ length: 11 }, (_, i) => (i * 97 + 13) % 256).concat([
      0, 255, 255, 255,
    ]);
    const q = tf.tensor2d(codes, [3, 5]);
    const packed = packCodes(q);
    expect(packed.shape).toEqual([5]);
    expect(Array.from(unpackCodes(packed, [3, 5]).dataSync())).toEqual(codes);
    tf.dispose([q, packed]);
  });
});
