import * as tf from '@tensorflow/tfjs-core';
import type { CsvTable } from '../data/csv';
import { createRng, permutation } from '../rng';
import type { LayerContext } from '../layers/context';
import { accuracy } from '../losses';
import { mlpModel } from '../models/mlp';
import type { MlpConfig } from '../models/schema';
import type { NamedTensors } from '../tree';
import { defineTask, rowSplits } from './skeleton';
import type { Task } from './task';
import { readTidy } from './view-helpers';

/**
 * The user's CSV (features scaled to [-1, 1]) classified by an MLP. Rows are shuffled by the seed
 * and split by `trainFraction`. With 2 features and 2 classes it also draws a decision boundary.
 */
export function createTabularTask(
  table: CsvTable,
  trainFraction: number,
  config: MlpConfig,
  seed: number,
): Task {
  const f = table.features.length;
  const classes = table.classes.length;
  const model = mlpModel(config, { inputs: f, outputs: classes });
  const order = permutation(createRng(seed ^ 0xc5f), table.count);
  const nTrain = Math.max(1, Math.min(table.count - 1, Math.round(table.count * trainFraction)));
  const split = (rows: Int32Array) => ({
    x: Float32Array.from(
      { length: rows.length * f },
      (_, k) => table.x[rows[Math.floor(k / f)] * f + (k % f)],
    ),
    y: Float32Array.from(rows, (r) => table.y[r]),
    count: rows.length,
  });
  const upload = (s: ReturnType<typeof split>) => ({
    x: tf.tensor2d(s.x, [s.count, f]),
    y: tf.tensor1d(Int32Array.from(s.y), 'int32'),
    n: s.count,
  });
  const trainSplit = split(order.subarray(0, nTrain));
  const testSplit = split(order.subarray(nTrain));
  const train = upload(trainSplit);
  const test = upload(testSplit);
  const forward = (params: NamedTensors, x: tf.Tensor2D, ctx: LayerContext) =>
    model.apply(params, x, ctx);
  const logitsOf = (params: NamedTensors, x: tf.Tensor2D, ctx: LayerContext) =>
    forward(params, x, ctx).logits;

  return defineTask({
    kind: 'classification',
    init: (rng) => model.init(rng),
    ...rowSplits(train, test, forward, model.lossFn, accuracy),
    normGap: { norm: config.norm ?? 'none', split: 'train', examples: train.n },
    denseData: {
      inputs: f,
      outputs: classes,
      loss: 'softmax-ce',
      train: trainSplit,
      test: testSplit,
    },
    async views(params, ctx) {
      const evalCtx = { ...ctx, training: false };
      const predicted = await readTidy(() => tf.argMax(logitsOf(params, test.x, evalCtx), 1));
      const labels = await test.y.data();
      const counts = new Int32Array(classes * classes);
      for (let i = 0; i < test.n; i++) counts[labels[i] * classes + predicted[i]]++;
      return [{ kind: 'confusion', classes, classNames: table.classes, counts }];
    },
    predictPoints:
      f === 2 && classes === 2
        ? (params, points, ctx) =>
            tf.reshape(tf.slice(tf.softmax(logitsOf(params, points, ctx)), [0, 1], [-1, 1]), [-1])
        : undefined,
  });
}
