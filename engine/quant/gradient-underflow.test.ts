import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { IDENTITY_QUANTIZER, type Quantizer } from '../layers/context';
import { floatFormatGradient } from './float-format';
import {
  capturingQuantizer,
  measureGradientUnderflow,
  underflowFractions,
} from './gradient-underflow';

describe('gradient underflow', () => {
  it('counts the nonzero values each format rounds to zero', async () => {
    // e5m2's smallest subnormal is 2^-16 ≈ 1.5e-5, fp16's 2^-24 ≈ 6e-8; bf16 has float32's range.
    // Scaled e5m2 multiplies by 57344/amax = 57344 first: 1e-9 becomes 5.7e-5, above underflow.
    const g = [tf.tensor1d([1, 1e-6, 1e-9, 0, 3e-5]), tf.tensor1d([0, 0])];
    const f = await underflowFractions(g);
    expect(f).toEqual({ bf16: 0, e5m2: 0.5, e5m2Scaled: 0, fp16: 0.25 });
    tf.dispose(g);
    expect((await underflowFractions([tf.zeros([3])])).e5m2).toBeNaN();
  });

  it('keeps the gradient at a layer output before the run rounds it, and leaves training alone', async () => {
    // y = x·W; loss = Σ y ⊙ c, so dL/dy = c exactly. The inner quantizer rounds dy to e5m2.
    const inner: Quantizer = {
      ...IDENTITY_QUANTIZER,
      matMul: (x, w) => floatFormatGradient(tf.matMul(x, w), 'e5m2') as tf.Tensor2D,
    };
    const x = tf.tensor2d([[1, 2]]);
    const w = tf.tensor2d([[1], [1]]);
    const c = tf.tensor2d([[1e-6]]);
    const loss = (q: Quantizer, wp: tf.Tensor) =>
      tf.sum(tf.mul(q.matMul(x, wp as tf.Tensor2D, 'fc'), c)) as tf.Scalar;
    const sink: tf.Tensor[] = [];
    const grad = tf.grad((wp: tf.Tensor) =>
      loss(
        capturingQuantizer(inner, (l) => l === 'fc', sink),
        wp,
      ),
    )(w);
    expect(sink).toHaveLength(1);
    expect((await sink[0].data())[0]).toBeCloseTo(1e-6, 12);
    // The parameter gradient still went through the run's e5m2 rounding: 1e-6 underflows to 0.
    expect(Array.from(await grad.data())).toEqual([0, 0]);
    const f = await measureGradientUnderflow(loss, inner, () => true, [w]);
    expect(f.e5m2).toBe(1);
    expect(f.bf16).toBe(0);
    tf.dispose([x, w, c, grad, ...sink]);
  });
});
