import * as tf from '@tensorflow/tfjs-core';
import type { Toy2DConfig } from '../data/schema';
import { orderedFeatures, toFeatures } from '../data/features';
import { makeToy2D, type Toy2D } from '../data/toy-2d';
import { accuracy, meanSquaredError, softmaxCrossEntropy } from '../losses';
import type { MlpConfig } from '../models/schema';
import { mlpApply, mlpInit } from '../models/mlp';
import type { NamedTensors } from '../tree';
import type { LayerContext } from '../layers/context';
import { networkView } from './network-view';
import { defineTask, rowSplits, type DeviceSplit } from './skeleton';
import type { Task } from './task';
import type { Teacher } from '../derive/distill';

/** The split on the device, its points already mapped to the enabled features. */
function upload(d: Toy2D, features: Toy2DConfig['features']): DeviceSplit<tf.Tensor2D> {
  const x = tf.tidy(() => toFeatures(tf.tensor2d(d.x, [d.count, 2]), features));
  return { x, y: tf.tensor1d(d.y), n: d.count };
}

/**
 * A 2-D toy dataset (classification, or the regression plane) learned by an MLP whose inputs are
 * the config's features of each point (`data/features.ts`): x1, x2 unless told otherwise.
 */
export function createToy2DTask(
  dataConfig: Toy2DConfig,
  model: MlpConfig,
  seed: number,
  teacher?: Teacher,
): Task {
  const data = makeToy2D(dataConfig, seed);
  const kind = dataConfig.kind === 'plane' ? 'regression' : 'classification';
  const outputs = kind === 'classification' ? 2 : 1;
  if (teacher && kind !== 'classification')
    throw new Error('distillation needs a classification task; the plane is a regression');
  const inputs = orderedFeatures(dataConfig.features).length;
  const train = upload(data.train, dataConfig.features);
  const test = upload(data.test, dataConfig.features);
  const logitsOf = (params: NamedTensors, x: tf.Tensor2D, ctx: LayerContext) =>
    mlpApply(params, model, x, ctx);
  const forward = (params: NamedTensors, x: tf.Tensor2D, ctx: LayerContext) => ({
    logits: logitsOf(params, x, ctx),
    routing: [],
  });
  const lossOf = (out: tf.Tensor, y: tf.Tensor1D): tf.Scalar =>
    kind === 'classification'
      ? softmaxCrossEntropy(out, y)
      : meanSquaredError(tf.squeeze(out, [1]), y);
  const accOf = (out: tf.Tensor, y: tf.Tensor1D): tf.Scalar =>
    kind === 'classification' ? accuracy(out, y) : tf.scalar(Number.NaN);

  return defineTask({
    kind,
    init: (rng) => mlpInit(rng, model, { inputs, outputs }),
    ...rowSplits(train, test, forward, lossOf, accOf, teacher),
    calibrationInputs: (n) => tf.slice(train.x, [0, 0], [Math.min(n, train.n), -1]),
    denseData: {
      inputs: 2,
      outputs,
      loss: kind === 'classification' ? 'softmax-ce' : 'mse',
      train: data.train,
      test: data.test,
    },
    predictPoints(params, points, ctx) {
      const out = logitsOf(params, toFeatures(points, dataConfig.features), ctx);
      const value = kind === 'classification' ? tf.slice(tf.softmax(out), [0, 1], [-1, 1]) : out;
      return tf.reshape<tf.Rank.R1>(value, [-1]);
    },
    async views(params, ctx) {
      const view = await networkView(params, model, dataConfig.features, ctx);
      return view ? [view] : [];
    },
  });
}
