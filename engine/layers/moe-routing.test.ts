import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { inferenceContext } from './context';
import { moeApply, moeInit } from './moe-ffn';
import { expertCapacity, loadBalancingLoss, route } from './moe-routing';

const mb1 = tf.tensor2d([
  [0.7, 0.1, 0.1, 0.1],
  [0.6, 0.2, 0.1, 0.1],
  [0.5, 0.3, 0.1, 0.1],
  [0.4, 0.4, 0.1, 0.1],
]);
const mb2 = tf.tensor2d([
  [0.1, 0.1, 0.7, 0.1],
  [0.1, 0.1, 0.1, 0.7],
  [0.1, 0.1, 0.6, 0.2],
  [0.1, 0.1, 0.2, 0.6],
]);

describe('load-balancing loss (docs/algorithms.md#load-balancing-loss)', () => {
  const s1 = route(mb1, 1, 0).stats;
  const s2 = route(mb2, 1, 0).stats;
  it('counts ties to the lower index; P is the mean probability', () => {
    expect(Array.from(s1.counts.dataSync())).toEqual([4, 0, 0, 0]);
    expect(Array.from(s2.counts.dataSync())).toEqual([0, 0, 2, 2]);
    Array.from(s1.meanProbs.dataSync()).forEach((p, i) =>
      expect(p).toBeCloseTo([0.55, 0.25, 0.1, 0.1][i], 6),
    );
  });
  it('micro scope: 2.2 and 1.6 → 1.9', () => {
    expect(loadBalancingLoss([s1], 'micro').dataSync()[0]).toBeCloseTo(2.2, 5);
    expect(loadBalancingLoss([s2], 'micro').dataSync()[0]).toBeCloseTo(1.6, 5);
    expect(loadBalancingLoss([s1, s2], 'micro').dataSync()[0]).toBeCloseTo(1.9, 5);
  });
  it('global scope: f = [.5, 0, .25, .25] → 1.3 and 1.0 → 1.15', () => {
    expect(loadBalancingLoss([s1, s2], 'global').dataSync()[0]).toBeCloseTo(1.15, 5);
  });
  it('is 1 for perfectly balanced routing', () => {
    const uniform = route(tf.fill([8, 4], 0.25) as tf.Tensor2D, 2, 0).stats;
    expect(loadBalancingLoss([uniform], 'micro').dataSync()[0]).toBeCloseTo(1, 5);
  });
  it('gradient flows through P only: dLBL/dp_{t,i} = N_E·f_i/T', () => {
    const [g] = tf.grads((p: tf.Tensor) =>
      loadBalancingLoss([route(p as tf.Tensor2D, 1, 0).stats], 'micro'),
    )([mb1]);
    expect(Array.from(g.dataSync().slice(0, 4))).toEqual([1, 0, 0, 0]);
  });
});

describe('gates and capacity', () => {
  it('C = ⌈cf·K·T/N_E⌉: T=16, K=2, N_E=4, cf=1.25 → 10; 0 is dropless', () => {
    expect(expertCapacity(1.25, 2, 16, 4)).toBe(10);
    expect(expertCapacity(0, 2, 16, 4)).toBe(16);
  });
  it('K=1 gates are p (Switch); K=2 gates are renormalized over the top 2', () => {
    const p = tf.tensor2d([[0.5, 0.3, 0.2]]);
    expect(Array.from(route(p, 1, 0).gates.dataSync())).toEqual([0.5, 0, 0].map(Math.fround));
    const g2 = route(p, 2, 0).gates.dataSync();
    [0.625, 0.375, 0].forEach((w, i) => expect(g2[i]).toBeCloseTo(w, 6));
  });
  it('overflow tokens are dropped in order: 4 tokens all to expert 0, C = ⌈1·1·4/2⌉ = 2', () => {
    const p = tf.tensor2d([
      [0.9, 0.1],
      [0.8, 0.2],
      [0.7, 0.3],
      [0.6, 0.4],
    ]);
    const { gates, stats } = route(p, 1, 1);
    expect(Array.from(stats.kept.dataSync())).toEqual([1, 0, 1, 0, 0, 0, 0, 0]);
    expect(Array.from(stats.counts.dataSync())).toEqual([4, 0]);
    expect(gates.dataSync()[4]).toBe(0);
  });
  it('the MoE FFN gives dropped tokens a zero output (residual only)', () => {
    const spec = { dim: 4, hidden: 6, experts: 2, topK: 1, capacityFactor: 0.5 };
    const params = Object.fromEntries(
      Object.entries(moeInit(createRng(1), spec)).map(([k, p]) => [
        k,
        tf.tensor(p.values, [...p.shape]),
      ]),
    );
    const x = tf.tensor2d(
      Array.from({ length: 32 }, (_, i) => Math.sin(i)),
      [8, 4],
    );
    const { y, stats } = moeApply(params, x, spec, inferenceContext(), 'moe');
    const kept = tf.sum(stats.kept, 1).dataSync();
    const rows = tf.sum(tf.abs(y), 1).dataSync();
    kept.forEach((k, t) =>
      k === 0 ? expect(rows[t]).toBe(0) : expect(rows[t]).toBeGreaterThan(0),
    );
    expect(Array.from(kept).reduce((a, b) => a + b, 0)).toBe(4); // C = ⌈0.5·1·8/2⌉ = 2 per expert
  });
});
