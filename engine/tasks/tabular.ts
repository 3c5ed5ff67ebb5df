import * as tf from '@tensorflow/tfjs-core';
import type { CsvTable } from '../data/csv';
import { createRng, permutation } from '../rng';
import type { LayerContext } from '../layers/context';
import { hasRunningStats } from '../layers/norm/index';
import { mlpModel } from '../models/mlp';
import { argmaxAccuracy } from '../models/model';
import type { MlpConfig } from '../models/schema';
import type { NamedTensors } from '../tree';
import { microBatchLoss } from './micro-batches';
import type { Task } from './task';
import { normGapView, readTidy } from './view-helpers';
import type { TaskView } from './views';

/**
 * The user's CSV (features scaled to [-1, 1]) classified by an MLP. Rows are shuffled by the seed
 * and split by `trainFraction`. With 2 features and 2 classes it also draws a decision boundary.
 */
export function createTabularTask(table: CsvTable, trainFraction: number, config: MlpConfig, seed: number): Task {
  const f = table.features.length;
  const classes = table.classes.length;
  const model = mlpModel(config, { inputs: f, outputs: classes });
  const order = permutation(createRng(seed ^ 0xc5f), table.count);
  const nTrain = Math.max(1, Math.min(table.count - 1, Math.round(table.count * trainFraction)));
  const split = (rows: Int32Array) => ({
    x: Float32Array.from({ length: rows.length * f }, (_, k) => table.x[rows[Math.floor(k / f)] * f + (k % f)]),
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
  const norm = config.norm ?? 'none';
  const lossAcc = (params: NamedTensors, s: typeof train, ctx: LayerContext): [tf.Scalar, tf.Scalar] => {
    const { logits } = model.apply(params, s.x, ctx);
    return [model.lossFn(logits, s.y), argmaxAccuracy(logits, s.y)];
  };

  const task: Task = {
    kind: 'classification',
    trainCount: train.n,
    testCount: test.n,
    init: (rng) => model.init(rng),
    denseData: { inputs: f, outputs: classes, loss: 'softmax-ce', train: trainSplit, test: testSplit },
    batchLoss(params, indices, ctx, microBatches) {
      return microBatchLoss(indices, microBatches, (idx) => {
        const { logits } = model.apply(params, tf.gather(train.x, idx), ctx);
        return { loss: model.lossFn(logits, tf.gather(train.y, idx)), routing: [] };
      });
    },
    evaluate(params, ctx) {
      const [trainLoss, trainAcc] = lossAcc(params, train, ctx);
      const [testLoss, testAcc] = lossAcc(params, test, ctx);
      return tf.stack([trainLoss, testLoss, trainAcc, testAcc]) as tf.Tensor1D;
    },
    async views(params, ctx) {
      const evalCtx = { ...ctx, training: false };
      const predicted = await readTidy(() => tf.argMax(model.apply(params, test.x, evalCtx).logits, 1));
      const labels = await test.y.data();
      const counts = new Int32Array(classes * classes);
      for (let i = 0; i < test.n; i++) counts[labels[i] * classes + predicted[i]]++;
      const views: TaskView[] = [{ kind: 'confusion', classes, classNames: table.classes, counts }];
      if (hasRunningStats(norm)) views.push(await normGapView(norm, train.n, ctx, (c) => lossAcc(params, train, c)));
      return views;
    },
    dispose() {
      tf.dispose([train.x, train.y, test.x, test.y]);
    },
  };
  if (f === 2 && classes === 2) {
    task.predictPoints = (params, points, ctx) => tf.reshape(tf.slice(tf.softmax(model.apply(params, points, ctx).logits), [0, 1], [-1, 1]), [-1]);
  }
  return task;
}
