import * as tf from '@tensorflow/tfjs-core';
import type { Toy2DConfig } from '../data/schema';
import { makeToy2D, type Toy2D } from '../data/toy-2d';
import { accuracy, meanSquaredError, softmaxCrossEntropy } from '../losses';
import type { MlpConfig } from '../models/schema';
import { mlpApply, mlpInit } from '../models/mlp';
import type { NamedTensors } from '../tree';
import type { LayerContext } from '../layers/context';
import { microBatchLoss } from './micro-batches';
import type { Task } from './task';

interface DeviceSplit {
  readonly x: tf.Tensor2D;
  readonly y: tf.Tensor1D;
}

function upload(d: Toy2D): DeviceSplit {
  return { x: tf.tensor2d(d.x, [d.count, 2]), y: tf.tensor1d(d.y) };
}

/** A 2-D toy dataset (classification, or the regression plane) learned by an MLP. */
export function createToy2DTask(dataConfig: Toy2DConfig, model: MlpConfig, seed: number): Task {
  const data = makeToy2D(dataConfig, seed);
  const kind = dataConfig.kind === 'plane' ? 'regression' : 'classification';
  const outputs = kind === 'classification' ? 2 : 1;
  const train = upload(data.train);
  const test = upload(data.test);
  const forward = (params: NamedTensors, x: tf.Tensor2D, ctx: LayerContext) => mlpApply(params, model, x, ctx);
  const lossOf = (out: tf.Tensor2D, y: tf.Tensor1D): tf.Scalar =>
    kind === 'classification' ? softmaxCrossEntropy(out, y) : meanSquaredError(tf.squeeze(out, [1]), y);
  const accOf = (out: tf.Tensor2D, y: tf.Tensor1D): tf.Scalar =>
    kind === 'classification' ? accuracy(out, y) : tf.scalar(Number.NaN);

  return {
    kind,
    trainCount: data.train.count,
    testCount: data.test.count,
    init: (rng) => mlpInit(rng, model, { inputs: 2, outputs }),
    denseData: { inputs: 2, outputs, loss: kind === 'classification' ? 'softmax-ce' : 'mse', train: data.train, test: data.test },
    batchLoss(params, indices, ctx, microBatches) {
      return microBatchLoss(indices, microBatches, (idx) => ({
        loss: lossOf(forward(params, tf.gather(train.x, idx), ctx), tf.gather(train.y, idx)),
        routing: [],
      }));
    },
    evaluate(params, ctx) {
      const outTrain = forward(params, train.x, ctx);
      const outTest = forward(params, test.x, ctx);
      return tf.stack([lossOf(outTrain, train.y), lossOf(outTest, test.y), accOf(outTrain, train.y), accOf(outTest, test.y)]) as tf.Tensor1D;
    },
    predictPoints(params, points, ctx) {
      const out = forward(params, points, ctx);
      return tf.reshape<tf.Rank.R1>(kind === 'classification' ? tf.slice(tf.softmax(out), [0, 1], [-1, 1]) : out, [-1]);
    },
    dispose() {
      for (const t of [train.x, train.y, test.x, test.y]) t.dispose();
    },
  };
}
