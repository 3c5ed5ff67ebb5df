import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { QUANT_DEFAULT } from './schema';
import { histogram, memoryEstimate, modelSizeBits, weightStats } from './stats';

const W = [0.4, -0.05, 0.12, -1.2, 0.03, 0.6, -0.3, 0.08, -0.1];

describe('weight statistics', () => {
  it('histogram: fixed bins over [min, max], every value counted', () => {
    const h = histogram(Float32Array.from([0, 1, 2, 3, 4]), 4);
    expect([h.min, h.max, h.counts]).toEqual([0, 4, [1, 1, 1, 2]]);
    expect(histogram(Float32Array.from([2, 2]), 3).counts).toEqual([2, 0, 0]);
  });

  it('zeros and MSE as in docs/algorithms.md#bitnet-b158; biases skipped; head float', async () => {
    const params = {
      'dense0/w': tf.tensor2d(W, [3, 3]),
      'dense0/b': tf.zeros([3]),
      'head/w': tf.tensor2d(W, [9, 1]),
    };
    const roles = { 'dense0/w': 'kernel', 'dense0/b': 'bias', 'head/w': 'head' } as const;
    const before = tf.memory().numTensors;
    const [mean] = await weightStats(
      params,
      roles,
      { ...QUANT_DEFAULT, weights: 'ternary-absmean' },
      8,
    );
    const stats = await weightStats(params, roles, {
      ...QUANT_DEFAULT,
      weights: 'ternary-absmedian',
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(mean.zeroFraction).toBeCloseTo(5 / 9, 9);
    expect(mean.mse).toBeCloseTo(0.099311, 5);
    expect(mean.histogram.counts.reduce((a, b) => a + b)).toBe(9);
    expect(stats.map((s) => s.name)).toEqual(['dense0/w', 'head/w']);
    expect(stats[0].mse).toBeCloseTo(0.168111, 5);
    expect([stats[1].quantized, stats[1].mse, stats[1].zeroFraction]).toEqual([false, 0, 0]);
    Object.values(params).forEach((t) => t.dispose());
  });

  it('model size: ternary ≈ 1.58 bits per hidden weight plus a scale; Mesa keeps 8/32 of stored activations', () => {
    const params = {
      'dense0/w': { size: 1000 },
      'dense0/b': { size: 10 },
      'head/w': { size: 100 },
    };
    const roles = { 'dense0/w': 'kernel', 'dense0/b': 'bias', 'head/w': 'head' } as const;
    const { bits, float32Bits } = modelSizeBits(params, roles, {
      ...QUANT_DEFAULT,
      weights: 'ternary-absmedian',
    });
    expect(float32Bits).toBe(32 * 1110);
    expect(bits).toBeCloseTo(1000 * Math.log2(3) + 32 + 32 * 110, 9);
    expect(
      modelSizeBits(params, roles, {
        ...QUANT_DEFAULT,
        weights: 'int4',
        quantizeEmbeddingAndHead: true,
      }).bits,
    ).toBe(4 * 1100 + 64 + 320);
    const m = memoryEstimate(params, roles, { ...QUANT_DEFAULT, mesa: true }, 1024);
    expect([m.activationBytes, m.storedActivationBytes, m.totalBytes]).toEqual([
      4096,
      1024,
      1110 * 4 + 1024,
    ]);
  });
});
