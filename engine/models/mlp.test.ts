import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { MlpConfig } from './schema';
import { meanSquaredError, softmaxCrossEntropy } from '../losses';
import { createParams, disposeParams } from '../params';
import { createRng } from '../rng';
import type { NamedTensors } from '../tree';
import { mlpApply, mlpInit } from './mlp';
import { inferenceContext } from '../layers/context';

const ctx = inferenceContext();

const model = (hidden: number[], activation: MlpConfig['activation']): MlpConfig => ({
  kind: 'mlp',
  hidden,
  activation,
});

describe('MLP', () => {
  it.each([
    [[], 2],
    [[5], 2],
    [[8, 4, 3], 1],
  ])('hidden %j gives outputs of shape [batch, %i] and the right parameters', (hidden, outputs) => {
    const m = model(hidden, 'relu');
    const inits = mlpInit(createRng(1), m, { inputs: 2, outputs });
    const widths = [2, ...hidden, outputs];
    const expected = widths.slice(1).reduce((n, w, i) => n + widths[i] * w + w, 0);
    expect(Object.values(inits).reduce((n, p) => n + p.values.length, 0)).toBe(expected);
    expect(inits['head/w'].role).toBe('head');
    expect(inits['head/b'].role).toBe('bias');
    const params = createParams(inits);
    const y = mlpApply(params.values, m, tf.zeros([7, 2]), ctx);
    expect(y.shape).toEqual([7, outputs]);
    y.dispose();
    disposeParams(params);
  });

  it('initialisation is deterministic per seed', () => {
    const m = model([6], 'tanh');
    const a = mlpInit(createRng(9), m, { inputs: 2, outputs: 2 });
    const b = mlpInit(createRng(9), m, { inputs: 2, outputs: 2 });
    expect(a['dense0/w'].values).toEqual(b['dense0/w'].values);
  });

  // Central finite differences in float32 agree with the analytic gradient to about 1e-2 relative.
  it.each(['relu', 'tanh', 'sigmoid', 'gelu', 'linear'] as const)(
    'loss gradient matches finite differences (%s)',
    async (activation) => {
      const m = model([5, 4], activation);
      const rng = createRng(3);
      const inits = mlpInit(rng, m, { inputs: 2, outputs: 3 });
      const x = tf.tensor2d(
        Array.from({ length: 12 }, () => rng.normal()),
        [6, 2],
      );
      const labels = tf.tensor1d([0, 1, 2, 1, 0, 2]);
      const names = Object.keys(inits);
      const lossOf = (p: NamedTensors) => softmaxCrossEntropy(mlpApply(p, m, x, ctx), labels);
      const base = names.map((n) => tf.tensor(inits[n].values, [...inits[n].shape]));
      const asNamed = (ts: readonly tf.Tensor[]) =>
        Object.fromEntries(names.map((n, i) => [n, ts[i]]));
      const grads = tf.grads((...ts: tf.Tensor[]) => lossOf(asNamed(ts)))(base);
      const eps = 1e-2;
      for (let k = 0; k < names.length; k++) {
        const g = grads[k].dataSync();
        const v = base[k].dataSync();
        for (const i of [0, Math.floor(v.length / 2), v.length - 1]) {
          const shifted = (delta: number) => {
            const values = Float32Array.from(v);
            values[i] += delta;
            const ts = base.map((t, j) => (j === k ? tf.tensor(values, t.shape) : t));
            return tf.tidy(() => lossOf(asNamed(ts)).dataSync()[0]);
          };
          const numeric = (shifted(eps) - shifted(-eps)) / (2 * eps);
          expect(Math.abs(numeric - g[i])).toBeLessThan(2e-3 + 2e-2 * Math.abs(numeric));
        }
      }
    },
  );

  it('MSE gradient of a linear model is 2/n·Xᵀ(Xw − y)', () => {
    const m = model([], 'linear');
    const inits = mlpInit(createRng(2), m, { inputs: 2, outputs: 1 });
    const x = tf.tensor2d([1, 2, -1, 0.5, 0.3, -2], [3, 2]);
    const y = tf.tensor2d([0.5, -1, 2], [3, 1]);
    const w = tf.tensor(inits['head/w'].values, [2, 1]);
    const b = tf.zeros([1]);
    const [gw] = tf.grads((wv: tf.Tensor, bv: tf.Tensor) =>
      meanSquaredError(mlpApply({ 'head/w': wv, 'head/b': bv }, m, x, ctx), y),
    )([w, b]);
    const expected = tf.mul(2 / 3, tf.matMul(x, tf.sub(tf.matMul(x, w), y), true, false));
    const got = gw.dataSync();
    expected.dataSync().forEach((e, i) => expect(got[i]).toBeCloseTo(e, 5));
  });
});
