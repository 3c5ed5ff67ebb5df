import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RunConfig } from '../config';
import { DATA_DEFAULTS } from '../data/schema';
import { createRun } from '../run';
import { measureBackwardBytes, savedBytes } from './backward-memory';
import { QUANT_PRESETS } from './schema';

describe('measured backward memory', () => {
  it('counts each saved buffer once, in its dtype, leaving out the parameters', () => {
    const a = tf.zeros([2, 3]);
    const w = tf.zeros([3, 3]);
    const codes = tf.zeros([5], 'int32');
    const mask = tf.zeros([4], 'bool');
    const tape = [{ saved: [a, w] }, { saved: [a.clone(), codes] }, { saved: [mask] }, {}];
    expect(savedBytes(tape, [w])).toBe(6 * 4 + 5 * 4 + 4);
    tf.dispose([a, w, codes, mask]);
  });

  it('measures what the tape keeps: the matMul’s input and the product the sum saves', () => {
    const w = tf.ones([3, 2]);
    const x = tf.ones([4, 3]);
    // d(sum(x·W))/dW keeps x (4×3 float32) and x·W (4×2); W is a parameter and left out.
    expect(measureBackwardBytes((wp) => tf.sum(tf.matMul(x, wp)) as tf.Scalar, [w])).toBe(
      (12 + 8) * 4,
    );
    tf.dispose([w, x]);
  });

  it('a run’s figure follows the batch and changes when Mesa changes the stored format', async () => {
    const config: RunConfig = {
      ...DEFAULT_CONFIG,
      data: { ...DATA_DEFAULTS.spiral, samples: 64 },
      batchSize: 8,
      steps: 1,
      metricsEvery: 1,
    };
    const measure = async (c: RunConfig) => {
      const run = await createRun(c, {});
      try {
        return run.measureBackwardBytes();
      } finally {
        run.dispose();
      }
    };
    const fp32 = await measure(config);
    const double = await measure({ ...config, batchSize: 16 });
    const mesa = await measure({ ...config, quant: QUANT_PRESETS.mesa });
    expect(fp32).toBeGreaterThan(0);
    // Activations scale with the batch (a few batch-independent scalars aside).
    expect(double / fp32).toBeGreaterThan(1.8);
    expect(double / fp32).toBeLessThan(2.2);
    // Mesa keeps packed 8-bit codes for each dense layer's input instead of float32: fewer bytes.
    expect(mesa).toBeLessThan(fp32);
  });
});
