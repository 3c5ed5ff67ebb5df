import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { attentionApply, attentionInit } from './attention';
import { Buffers, IDENTITY_QUANTIZER, inferenceContext } from './context';
import { gradientError } from './finite-difference.test-helper';
import { blockApply, blockInit, type BlockSpec } from './transformer-block';

const rng = createRng(11);
const randn = (shape: number[]) =>
  tf.tensor(
    Array.from({ length: shape.reduce((a, b) => a * b) }, () => rng.normal()),
    shape,
  );
const ctx = inferenceContext();

describe('attention', () => {
  const spec = { dim: 8, heads: 2, causal: true };
  const inits = attentionInit(createRng(2), spec);
  const names = Object.keys(inits);
  const base = names.map((n) => tf.tensor(inits[n].values, [...inits[n].shape]));
  const named = (ts: tf.Tensor[]) => Object.fromEntries(names.map((n, i) => [n, ts[i]]));

  it('causal: changing a later token does not change earlier outputs', () => {
    const x = randn([1, 5, 8]);
    const x2 = tf.concat([tf.slice(x, [0, 0, 0], [1, 4, 8]), randn([1, 1, 8])], 1);
    const a = attentionApply(named(base), x as tf.Tensor3D, spec, ctx, 'a').dataSync();
    const b = attentionApply(named(base), x2 as tf.Tensor3D, spec, ctx, 'a').dataSync();
    for (let i = 0; i < 4 * 8; i++) expect(b[i]).toBeCloseTo(a[i], 5);
    expect(Math.abs(b[39] - a[39])).toBeGreaterThan(1e-4);
  });

  it.each([true, false])(
    'finite-difference gradient (causal %s) wrt input and weights',
    (causal) => {
      const x = randn([2, 4, 8]);
      const w = randn([2, 4, 8]);
      const f = (xv: tf.Tensor, ...ps: tf.Tensor[]) =>
        tf.sum(
          tf.mul(attentionApply(named(ps), xv as tf.Tensor3D, { ...spec, causal }, ctx, 'a'), w),
        ) as tf.Scalar;
      expect(gradientError(f, [x, ...base])).toBeLessThan(1);
    },
  );
});

describe('transformer block', () => {
  it.each<[BlockSpec['order'], boolean]>([
    ['pre-ln', false],
    ['cct', false],
    ['pre-ln', true],
  ])('%s (MoE %s): finite-difference gradient of the whole block', (order, moe) => {
    const spec: BlockSpec = {
      dim: 8,
      heads: 2,
      causal: true,
      mlpRatio: 2,
      norm: 'layer',
      order,
      ...(moe ? { moe: { experts: 2, topK: 2, capacityFactor: 0 } } : {}),
    };
    const inits = blockInit(createRng(4), spec);
    const names = Object.keys(inits);
    const ps = names.map((n) =>
      tf.tensor(
        Array.from(inits[n].values, (v) => v + 0.1 * rng.normal()),
        [...inits[n].shape],
      ),
    );
    const x = randn([2, 3, 8]);
    const w = randn([2, 3, 8]);
    const c = { training: true, step: 0, quant: IDENTITY_QUANTIZER, buffers: new Buffers() };
    const f = (xv: tf.Tensor, ...pv: tf.Tensor[]) =>
      tf.sum(
        tf.mul(
          blockApply(
            Object.fromEntries(names.map((n, i) => [n, pv[i]])),
            xv as tf.Tensor3D,
            spec,
            c,
            'b',
          ).y,
          w,
        ),
      ) as tf.Scalar;
    expect(gradientError(f, [x, ...ps], { probes: 3 })).toBeLessThan(1);
  });
});
