import * as tf from '@tensorflow/tfjs-core';
import { Buffers, IDENTITY_QUANTIZER, type LayerContext } from '../layers/context';
import { createParams, disposeParams, type Params } from '../params';
import { createRng } from '../rng';
import { BatchSampler } from '../data/batches';
import type { Task } from './task';

export interface TrainResult {
  /** EVAL_METRICS before and after training. */
  readonly before: Float32Array;
  readonly after: Float32Array;
  readonly params: Params;
  readonly buffers: Buffers;
  readonly context: (training: boolean) => LayerContext;
  dispose(): void;
}

/** Test helper: trains a task with TF.js's Adam for a few steps, as the run would (one tidy per step). */
export function trainForTest(
  task: Task,
  { steps = 30, batch = 16, lr = 0.01, microBatches = 1, seed = 1 } = {},
): TrainResult {
  const params = createParams(task.init(createRng(seed)));
  const buffers = new Buffers();
  const context = (training: boolean): LayerContext => ({
    training,
    step: 0,
    quant: IDENTITY_QUANTIZER,
    buffers,
  });
  const evaluate = () =>
    tf.tidy(() => task.evaluate(params.values, context(false)).dataSync() as Float32Array);
  const before = evaluate();
  const optimizer = tf.train.adam(lr);
  const sampler = new BatchSampler(task.trainCount, seed);
  const vars = params.names.map((n) => params.values[n]);
  for (let s = 0; s < steps; s++) {
    const idx = sampler.next(Math.min(batch, task.trainCount));
    tf.tidy(() => {
      const indices = tf.tensor1d(idx, 'int32');
      optimizer.minimize(
        () => task.batchLoss(params.values, indices, context(true), microBatches),
        false,
        vars,
      );
    });
  }
  optimizer.dispose();
  return {
    before,
    after: evaluate(),
    params,
    buffers,
    context,
    dispose: () => (disposeParams(params), buffers.dispose(), task.dispose()),
  };
}
