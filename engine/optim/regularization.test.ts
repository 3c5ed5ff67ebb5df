import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRun, DEFAULT_CONFIG, type RunConfig } from '../index';
import { penaltyGradient, regularizedGradients } from './regularization';

const W = [0.5, -2, 0, 3];

describe('regularisation', () => {
  it('L1 adds rate·sign(w) and L2 adds rate·w to the gradient of kernels only', () => {
    const w = tf.tensor2d(W, [2, 2]);
    const b = tf.tensor1d([1, -1]);
    const g = tf.zeros([2, 2]);
    const gb = tf.zeros([2]);
    const roles = { k: 'kernel', b: 'bias' } as const;
    const l1 = regularizedGradients({ k: g, b: gb }, { k: w, b }, roles, { kind: 'l1', rate: 0.1 });
    expect(Array.from(l1.k.dataSync())).toEqual(W.map((x) => Math.fround(0.1 * Math.sign(x))));
    expect(Array.from(l1.b.dataSync())).toEqual([0, 0]);
    const l2 = regularizedGradients({ k: g, b: gb }, { k: w, b }, roles, { kind: 'l2', rate: 0.1 });
    expect(Array.from(l2.k.dataSync())).toEqual(W.map((x) => Math.fround(Math.fround(0.1) * x)));
    expect(Array.from(l2.b.dataSync())).toEqual([0, 0]);
  });

  it('the L2 gradient term is the gradient of (rate/2)·Σw²', () => {
    const w = tf.tensor1d(W);
    const auto = tf.grad((x: tf.Tensor) => tf.mul(tf.sum(tf.square(x)), 0.05))(w);
    const ours = penaltyGradient({ kind: 'l2', rate: 0.1 }, w);
    expect(Array.from(ours.dataSync())).toEqual(Array.from(auto.dataSync()));
  });

  it('a run with L2 ends with a smaller kernel norm than one without', async () => {
    const kernelNorm = async (config: RunConfig) => {
      const run = await createRun(config);
      await run.train(100);
      const snap = await run.snapshot();
      run.dispose();
      let sq = 0;
      for (const p of Object.values(snap.params)) {
        if (p.role === 'kernel') for (const x of p.values) sq += x * x;
      }
      return Math.sqrt(sq);
    };
    const base: RunConfig = { ...DEFAULT_CONFIG, steps: 100, metricsEvery: 100 };
    const plain = await kernelNorm(base);
    const l2 = await kernelNorm({ ...base, regularization: { kind: 'l2', rate: 0.05 } });
    expect(l2).toBeLessThan(plain * 0.95);
  });
});
