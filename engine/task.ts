import * as tf from '@tensorflow/tfjs-core';
import { taskOf, type RunConfig } from './config';
import type { Toy2D, Toy2DSplit } from './data/toy-2d';
import { accuracy, meanSquaredError, softmaxCrossEntropy } from './losses';
import { mlpApply, mlpInit } from './models/mlp';
import type { ParamInits } from './params';
import type { Rng } from './rng';
import type { NamedTensors } from './tree';

/**
 * What a run trains: a model on a dataset with its loss. Holds the data on the device;
 * every function here is called inside the run's `tf.tidy`.
 */
export interface Task {
  readonly kind: 'classification' | 'regression';
  readonly trainCount: number;
  readonly testCount: number;
  init(rng: Rng): ParamInits;
  /** Mean loss of a batch of training examples, picked by index. */
  batchLoss(params: NamedTensors, indices: tf.Tensor1D): tf.Scalar;
  /** [train loss, test loss, train accuracy, test accuracy]; accuracies are NaN for regression. */
  evaluate(params: NamedTensors): tf.Tensor1D;
  /** Model output on points (x, y pairs): probability of class 1, or the regression value. */
  predict(params: NamedTensors, points: tf.Tensor2D): tf.Tensor1D;
  dispose(): void;
}

interface DeviceSplit {
  readonly x: tf.Tensor2D;
  readonly y: tf.Tensor1D;
}

function upload(d: Toy2D): DeviceSplit {
  return { x: tf.tensor2d(d.x, [d.count, 2]), y: tf.tensor1d(d.y) };
}

export function createToy2DTask(config: RunConfig, data: Toy2DSplit): Task {
  const kind = taskOf(config.data);
  const outputs = kind === 'classification' ? 2 : 1;
  const train = upload(data.train);
  const test = upload(data.test);
  const forward = (params: NamedTensors, x: tf.Tensor2D) => mlpApply(params, config.model, x);
  const lossOf = (out: tf.Tensor2D, y: tf.Tensor1D): tf.Scalar =>
    kind === 'classification' ? softmaxCrossEntropy(out, y) : meanSquaredError(tf.squeeze(out, [1]), y);
  const accOf = (out: tf.Tensor2D, y: tf.Tensor1D): tf.Scalar =>
    kind === 'classification' ? accuracy(out, y) : tf.scalar(Number.NaN);

  return {
    kind,
    trainCount: data.train.count,
    testCount: data.test.count,
    init: (rng) => mlpInit(rng, config.model, { inputs: 2, outputs }),
    batchLoss(params, indices) {
      return lossOf(forward(params, tf.gather(train.x, indices)), tf.gather(train.y, indices));
    },
    evaluate(params) {
      const outTrain = forward(params, train.x);
      const outTest = forward(params, test.x);
      return tf.stack([lossOf(outTrain, train.y), lossOf(outTest, test.y), accOf(outTrain, train.y), accOf(outTest, test.y)]) as tf.Tensor1D;
    },
    predict(params, points) {
      const out = forward(params, points);
      return tf.reshape<tf.Rank.R1>(kind === 'classification' ? tf.slice(tf.softmax(out), [0, 1], [-1, 1]) : out, [-1]);
    },
    dispose() {
      for (const t of [train.x, train.y, test.x, test.y]) t.dispose();
    },
  };
}
