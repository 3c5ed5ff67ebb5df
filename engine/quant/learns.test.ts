import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { parseMnist, MNIST_ASSET } from '../data/mnist';
import { loadNodeAsset } from '../data/node-assets';
import { makeToy2D } from '../data/toy-2d';
import { Buffers, type LayerContext } from '../layers/context';
import { accuracy, softmaxCrossEntropy } from '../losses';
import { mlpApply, mlpInit } from '../models/mlp';
import type { MlpConfig } from '../models/schema';
import { adam } from '../optim/adam';
import { minimizeStep } from '../optim/apply-updates';
import { createParams, disposeParams } from '../params';
import { createRng } from '../rng';
import type { StateTree } from '../tree';
import { quantizerFromConfig } from './from-config';
import { QUANT_PRESETS, type QuantConfig } from './schema';

interface Data {
  readonly x: tf.Tensor2D;
  readonly y: tf.Tensor1D;
}

/** Trains an MLP with Adam through `mlpApply` under `config`; returns test accuracy. */
function train(
  config: QuantConfig,
  model: MlpConfig,
  data: { train: Data; test: Data; classes: number },
  steps: number,
  batch: number,
  lr: number,
): number {
  const buffers = new Buffers();
  const params = createParams(
    mlpInit(createRng(1), model, { inputs: data.train.x.shape[1], outputs: data.classes }),
  );
  const ctx: LayerContext = {
    training: true,
    step: 0,
    quant: quantizerFromConfig(config, buffers, params.roles),
    buffers,
  };
  const evalCtx: LayerContext = {
    ...ctx,
    training: false,
    quant: quantizerFromConfig(config, buffers, params.roles, { training: false }),
  };
  const opt = adam({ lr });
  let state: StateTree = opt.init(params.values);
  const n = data.train.x.shape[0];
  const rng = createRng(2);
  for (let s = 0; s < steps; s++) {
    const idx = tf.tensor1d(
      Int32Array.from({ length: batch }, () => rng.int(n)),
      'int32',
    );
    const out = minimizeStep(
      opt,
      params.values,
      () =>
        softmaxCrossEntropy(
          mlpApply(params.values, model, tf.gather(data.train.x, idx), ctx),
          tf.gather(data.train.y, idx),
        ),
      state,
    );
    state = out.state;
    out.loss.dispose();
    idx.dispose();
  }
  const acc = tf.tidy(
    () => accuracy(mlpApply(params.values, model, data.test.x, evalCtx), data.test.y).dataSync()[0],
  );
  disposeParams(params);
  buffers.dispose();
  return acc;
}

describe('a ternary (b1.58) MLP still learns', () => {
  it.each(['b1.58-absmean', 'b1.58-absmedian'] as const)(
    '%s on 2-D xor: test accuracy well above chance',
    (preset) => {
      const toy = makeToy2D({ kind: 'xor', samples: 600, noise: 0.02, trainFraction: 0.5 }, 3);
      const up = (d: typeof toy.train): Data => ({
        x: tf.tensor2d(d.x, [d.count, 2]),
        y: tf.tensor1d(d.y),
      });
      const data = { train: up(toy.train), test: up(toy.test), classes: 2 };
      const acc = train(
        QUANT_PRESETS[preset],
        { kind: 'mlp', hidden: [32, 32], activation: 'relu' },
        data,
        200,
        32,
        0.01,
      );
      for (const t of [data.train.x, data.train.y, data.test.x, data.test.y]) t.dispose();
      expect(acc).toBeGreaterThan(0.85);
    },
  );

  it('b1.58-absmean MLP 784-32-10 on MNIST-10k: well above chance in 100 steps', async () => {
    const parsed = parseMnist(await loadNodeAsset(MNIST_ASSET));
    if (!parsed.ok) throw new Error(parsed.message);
    const { side, train: tr, test: te } = parsed.value;
    const px = side * side;
    const up = (s: typeof tr, count: number): Data => ({
      x: tf.tensor2d(
        Float32Array.from(s.pixels.subarray(0, count * px), (p) => p / 255),
        [count, px],
      ),
      y: tf.tensor1d(Float32Array.from(s.labels.subarray(0, count))),
    });
    const data = { train: up(tr, 3000), test: up(te, 1000), classes: 10 };
    const acc = train(
      QUANT_PRESETS['b1.58-absmean'],
      { kind: 'mlp', hidden: [32], activation: 'relu' },
      data,
      100,
      32,
      0.01,
    );
    for (const t of [data.train.x, data.train.y, data.test.x, data.test.y]) t.dispose();
    expect(acc).toBeGreaterThan(0.7);
  });
});
