import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { conv2dApply, conv2dInit } from './conv2d';
import { inferenceContext } from './context';
import { embeddingApply } from './embedding';
import { gradientError } from './finite-difference.test-helper';
import { maxPool } from './max-pool';
import { sequencePoolApply } from './sequence-pool';

const ctx = inferenceContext();

describe('conv2d, max-pool, embedding, sequence pooling', () => {
  it('conv kernel [kh, kw, Cin, Cout]; a 1×1 identity kernel copies the input', () => {
    const inits = conv2dInit(createRng(1), { size: 3, inputs: 2, filters: 5, bias: true });
    expect(inits.w.shape).toEqual([3, 3, 2, 5]);
    const x = tf.randomNormal([1, 4, 4, 2], 0, 1, 'float32', 3) as tf.Tensor4D;
    const y = conv2dApply({ w: tf.reshape(tf.eye(2), [1, 1, 2, 2]) }, x, ctx, 'c');
    expect(y.dataSync()).toEqual(x.dataSync());
  });
  it('CCT tokenizer pooling (3, s2, p1) takes 28 → 14 → 7', () => {
    const x = tf.zeros([1, 28, 28, 1]) as tf.Tensor4D;
    expect(maxPool(maxPool(x, 3, 2, 1), 3, 2, 1).shape).toEqual([1, 7, 7, 1]);
  });
  it('conv with weight standardization: finite-difference gradient', () => {
    const inits = conv2dInit(createRng(2), { size: 3, inputs: 2, filters: 3, bias: true });
    const x = tf.randomNormal([2, 5, 5, 2], 0, 1, 'float32', 4);
    const wts = tf.randomNormal([2, 2, 2, 3], 0, 1, 'float32', 5);
    const f = (xv: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
      tf.sum(
        tf.mul(
          maxPool(
            conv2dApply({ w, b }, xv as tf.Tensor4D, ctx, 'c', { standardize: true }),
            2,
            2,
            'valid',
          ),
          wts,
        ),
      ) as tf.Scalar;
    expect(
      gradientError(f, [x, tf.tensor(inits.w.values, [3, 3, 2, 3]), tf.ones([3])]),
    ).toBeLessThan(1);
  });
  it('embedding looks up rows for ids of any shape', () => {
    const table = tf.tensor2d([
      [0, 0],
      [1, 2],
      [3, 4],
    ]);
    const y = embeddingApply(
      table,
      tf.tensor2d(
        [
          [2, 1],
          [0, 2],
        ],
        [2, 2],
        'int32',
      ),
      ctx,
      'e',
    );
    expect(y.shape).toEqual([2, 2, 2]);
    expect(Array.from(y.dataSync())).toEqual([3, 4, 1, 2, 0, 0, 3, 4]);
  });
  it('sequence pooling: docs/algorithms.md#models vector z = [1.154698, 0.579488]', () => {
    const z = sequencePoolApply(
      { w: tf.tensor2d([[1], [-1]]), b: tf.zeros([1]) },
      tf.tensor3d([
        [
          [1, 0],
          [0, 1],
          [2, 2],
        ],
      ]),
      ctx,
      's',
    ).dataSync();
    expect(z[0]).toBeCloseTo(1.154698, 5);
    expect(z[1]).toBeCloseTo(0.579488, 5);
  });
  it('sequence pooling: finite-difference gradient', () => {
    const x = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 6);
    const wts = tf.randomNormal([2, 3], 0, 1, 'float32', 7);
    const f = (xv: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(sequencePoolApply({ w, b }, xv as tf.Tensor3D, ctx, 's'), wts)) as tf.Scalar;
    expect(
      gradientError(f, [x, tf.randomNormal([3, 1], 0, 1, 'float32', 8), tf.zeros([1])]),
    ).toBeLessThan(1);
  });
});
