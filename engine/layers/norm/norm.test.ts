import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { NORMS } from '../../models/schema';
import { createRng } from '../../rng';
import { Buffers, IDENTITY_QUANTIZER, type LayerContext } from '../context';
import { gradientError } from '../finite-difference.test-helper';
import { batchChannelNormApply, batchChannelNormInit } from './batch-channel-norm';
import { batchNormApply } from './batch-norm';
import { normApply, normInit } from './index';
import { layerNormApply } from './layer-norm';
import { rmsNormApply } from './rms-norm';
import { standardizeWeight } from './weight-standardization';

const ctxOf = (training: boolean, buffers = new Buffers()): LayerContext => ({
  training,
  step: 0,
  quant: IDENTITY_QUANTIZER,
  buffers,
});
const ones = (n: number) => ({ gamma: tf.ones([n]), beta: tf.zeros([n]) });
const close = (got: ArrayLike<number>, want: readonly number[], tol = 1e-5) =>
  want.forEach((w, i) => expect(Math.abs(got[i] - w)).toBeLessThan(tol * Math.max(1, Math.abs(w))));

describe('docs/algorithms.md#normalization vectors', () => {
  const x = tf.tensor2d([[1, 2, 4, 5]]);
  it('LayerNorm with ε pinned at 1e-5 (and 1e-3 differs)', () => {
    close(layerNormApply(ones(4), x).dataSync(), [-1.264909, -0.632454, 0.632454, 1.264909]);
    close(layerNormApply(ones(4), x, 1e-3).dataSync(), [-1.264658, -0.632329, 0.632329, 1.264658]);
  });
  it('RMSNorm', () =>
    close(
      rmsNormApply({ gamma: tf.ones([4]) }, x).dataSync(),
      [0.294884, 0.589768, 1.179535, 1.474419],
    ));
  it('Weight Standardization variant C, per output column of a dense kernel', () => {
    close(
      standardizeWeight(tf.tensor2d([0.5, -0.3, 0.8, 0.2], [4, 1])).dataSync(),
      [0.492354, -1.477062, 1.230885, -0.246177],
    );
    const conv = standardizeWeight(tf.tensor4d([0.5, 7, -0.3, 7, 0.8, 7, 0.2, 7], [2, 2, 1, 2]));
    close(
      conv.dataSync().filter((_, i) => i % 2 === 0),
      [0.492354, -1.477062, 1.230885, -0.246177],
    );
  });
  it('Batch-Channel Norm: running stats around the old mean, then group norm (G = 1)', () => {
    // x[n][c] = [l0, l1] as NHWC [2, 1, 2, 2].
    const input = tf.tensor4d([1, 2, 3, 6, 5, 0, 7, 2], [2, 1, 2, 2]);
    const buffers = new Buffers();
    const params = tf.tidy(() => {
      const inits = batchChannelNormInit({ channels: 2, groups: 1 });
      return Object.fromEntries(
        Object.entries(inits).map(([k, p]) => [k, tf.tensor(p.values, [...p.shape])]),
      );
    });
    const y = batchChannelNormApply(params, input, ctxOf(true, buffers), 'bcn', 1).dataSync();
    close(buffers.get('bcn/mean')!.dataSync(), [0.4, 0.25]);
    close(buffers.get('bcn/var')!.dataSync(), [3, 2]);
    // y[n][h][l][c]: n0 = [[c0 l0, c0 l1], [c1 l0, c1 l1]].
    const pick = (n: number, c: number) => [y[n * 4 + c], y[n * 4 + 2 + c]];
    close([...pick(0, 0), ...pick(0, 1)], [-1.042046, -0.207205, -0.39784, 1.647091]);
    close([...pick(1, 0), ...pick(1, 1)], [0.516848, 1.287849, -1.374487, -0.430209]);
  });
});

describe('BatchNorm running statistics', () => {
  it('train uses batch stats and moves the running ones by 0.1; eval uses the running ones', () => {
    const buffers = new Buffers();
    const x = tf.tensor2d([
      [1, 10],
      [3, 30],
    ]);
    const train = batchNormApply(ones(2), x, ctxOf(true, buffers), 'bn').dataSync();
    close(train, [-1, -1, 1, 1], 1e-4);
    close(buffers.get('bn/mean')!.dataSync(), [0.2, 2]);
    close(buffers.get('bn/var')!.dataSync(), [0.9 + 0.1, 0.9 + 0.1 * 100]);
    const evalY = batchNormApply(ones(2), x, ctxOf(false, buffers), 'bn').dataSync();
    close(evalY, [
      (1 - 0.2) / Math.sqrt(1 + 1e-5),
      (10 - 2) / Math.sqrt(10.9 + 1e-5),
      (3 - 0.2) / Math.sqrt(1 + 1e-5),
      (30 - 2) / Math.sqrt(10.9 + 1e-5),
    ]);
    expect(buffers.names().sort()).toEqual(['bn/mean', 'bn/var']);
  });
});

describe('finite-difference gradients of every norm', () => {
  const rng = createRng(5);
  const data = (shape: number[]) =>
    tf.tensor(
      Array.from({ length: shape.reduce((a, b) => a * b) }, () => rng.normal()),
      shape,
    );
  const cases = NORMS.flatMap(
    (kind) =>
      [
        [kind, [3, 8]],
        [kind, [2, 3, 3, 8]],
      ] as const,
  );
  it.each(cases)('%s on %j (train mode; eval mode for running-stat norms)', (kind, shape) => {
    const c = shape[shape.length - 1];
    const x = data([...shape]);
    const weights = data([...shape]);
    const inits = normInit(kind, c);
    const names = Object.keys(inits);
    const ps = names.map((n) =>
      tf.tensor(
        Array.from(inits[n].values, (v) => v + 0.3 * rng.normal()),
        [...inits[n].shape],
      ),
    );
    // Norms with running stats (BN, BCN) use them as constants in eval; warm the buffers first.
    const buffers = new Buffers();
    normApply(
      kind,
      Object.fromEntries(names.map((n, i) => [n, ps[i]])),
      x,
      ctxOf(true, buffers),
      'n',
    );
    const training = kind !== 'batch-channel';
    const f = (xv: tf.Tensor, ...pv: tf.Tensor[]) => {
      const params = Object.fromEntries(names.map((n, i) => [n, pv[i]]));
      const ctx = ctxOf(training, kind === 'batch' ? new Buffers() : buffers);
      return tf.sum(tf.mul(tf.sin(normApply(kind, params, xv, ctx, 'n')), weights)) as tf.Scalar;
    };
    expect(gradientError(f, [x, ...ps])).toBeLessThan(1);
  });
  it('BCN with estimate=false (true batch statistics) in train mode', () => {
    const x = data([2, 2, 2, 8]);
    const weights = data([2, 2, 2, 8]);
    const inits = batchChannelNormInit({ channels: 8, groups: 2 });
    const names = Object.keys(inits);
    const ps = names.map((n) =>
      tf.tensor(
        Array.from(inits[n].values, (v) => v + 0.3 * rng.normal()),
        [...inits[n].shape],
      ),
    );
    const f = (xv: tf.Tensor, ...pv: tf.Tensor[]) => {
      const params = Object.fromEntries(names.map((n, i) => [n, pv[i]]));
      const y = batchChannelNormApply(params, xv, ctxOf(true), 'n', 2, { estimate: false });
      return tf.sum(tf.mul(tf.sin(y), weights)) as tf.Scalar;
    };
    expect(gradientError(f, [x, ...ps])).toBeLessThan(1);
  });
  it('Weight Standardization', () => {
    const w = data([3, 3, 2, 4]);
    const weights = data([3, 3, 2, 4]);
    expect(
      gradientError(
        (wv) => tf.sum(tf.mul(tf.sin(standardizeWeight(wv)), weights)) as tf.Scalar,
        [w],
      ),
    ).toBeLessThan(1);
  });
});
