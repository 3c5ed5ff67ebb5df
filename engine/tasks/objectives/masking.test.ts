import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../rng';
import {
  drawMask,
  drawRng,
  MASK_RATE,
  maskedCrossEntropy,
  maskIds,
  replaceTokens,
  sigmoidCrossEntropy,
} from './masking';

describe('masked LM masking', () => {
  it('masks about 15% of positions over many seeded draws, differently per step', () => {
    const draws = Array.from({ length: 200 }, (_, step) => drawMask(drawRng(7, step, 0), 256));
    const rate = draws.reduce((s, m) => s + m.reduce((a, b) => a + b, 0), 0) / (200 * 256);
    // 51,200 Bernoulli(0.15) draws: standard error 0.0016.
    expect(Math.abs(rate - MASK_RATE)).toBeLessThan(0.006);
    expect(Array.from(draws[0])).not.toEqual(Array.from(draws[1]));
    expect(Array.from(drawMask(drawRng(7, 3, 0), 256))).toEqual(Array.from(draws[3]));
  });

  it('puts the mask token exactly at masked positions', () => {
    const out = tf.tidy(() =>
      maskIds(tf.tensor1d([4, 5, 6, 7], 'int32'), tf.tensor1d([0, 1, 0, 1]), 9).arraySync(),
    );
    expect(out).toEqual([4, 9, 6, 9]);
  });

  it('takes its loss and its gradient only from masked positions', () => {
    const rng = createRng(1);
    const z = tf.tensor2d(
      Array.from({ length: 4 * 3 }, () => rng.normal()),
      [4, 3],
    );
    const targets = tf.tensor1d([0, 2, 1, 1], 'int32');
    const mask = tf.tensor1d([1, 0, 0, 1]);
    const loss = maskedCrossEntropy(z, targets, mask).loss.dataSync()[0];
    const rows = z.arraySync();
    const ce = (r: number[], y: number) => Math.log(r.reduce((s, v) => s + Math.exp(v), 0)) - r[y];
    expect(loss).toBeCloseTo((ce(rows[0], 0) + ce(rows[3], 1)) / 2, 5);
    const g = tf.grad((x: tf.Tensor) => maskedCrossEntropy(x as tf.Tensor2D, targets, mask).loss)(
      z,
    );
    const grad = g.arraySync() as number[][];
    expect(grad[1].every((v) => v === 0) && grad[2].every((v) => v === 0)).toBe(true);
    expect(grad[0].some((v) => v !== 0) && grad[3].some((v) => v !== 0)).toBe(true);
  });
});

describe('replaced-token detection', () => {
  it('labels 1 exactly where the corrupted token differs from the original', () => {
    const n = 400;
    const rng = createRng(5);
    const ids = Int32Array.from({ length: n }, () => rng.int(4));
    const mask = Float32Array.from({ length: n }, () => (rng.next() < 0.5 ? 1 : 0));
    const u = Float32Array.from({ length: n }, () => rng.next());
    // Uniform generator over 4 tokens: about a quarter of masked samples are the original.
    const packed = tf.tidy(() =>
      replaceTokens(
        tf.zeros([n, 4]) as tf.Tensor2D,
        tf.tensor1d(ids, 'int32'),
        tf.tensor1d(mask),
        tf.tensor1d(u),
      ).arraySync(),
    );
    const [corrupted, labels] = packed;
    let kept = 0;
    for (let i = 0; i < n; i++) {
      expect(labels[i]).toBe(corrupted[i] !== ids[i] ? 1 : 0);
      if (mask[i] === 0) expect(corrupted[i]).toBe(ids[i]);
      else if (corrupted[i] === ids[i]) kept++;
      // Inverse CDF of the uniform distribution: token floor(4u).
      if (mask[i] === 1) expect(corrupted[i]).toBe(Math.min(3, Math.floor(4 * u[i])));
    }
    expect(kept).toBeGreaterThan(0);
    expect(labels.some((l) => l === 1)).toBe(true);
  });

  it('passes no gradient through the sampling', () => {
    const ids = tf.tensor1d([0, 1, 2], 'int32');
    const mask = tf.tensor1d([1, 1, 0]);
    const u = tf.tensor1d([0.9, 0.1, 0.5]);
    const g = tf.grad((z: tf.Tensor) => {
      const labels = tf.slice(replaceTokens(z as tf.Tensor2D, ids, mask, u), [1, 0], [1, 3]);
      return sigmoidCrossEntropy(tf.ones([1, 3]), labels);
    })(tf.randomNormal([3, 3], 0, 1, 'float32', 2));
    expect(Array.from(g.dataSync()).every((v) => v === 0)).toBe(true);
  });

  it('sigmoid cross-entropy matches its formula', () => {
    const v = sigmoidCrossEntropy(tf.tensor1d([2, -1]), tf.tensor1d([1, 0])).dataSync()[0];
    const s = (x: number) => 1 / (1 + Math.exp(-x));
    expect(v).toBeCloseTo((-Math.log(s(2)) - Math.log(1 - s(-1))) / 2, 5);
  });
});
