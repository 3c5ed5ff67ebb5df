import * as tf from '@tensorflow/tfjs-core';
import { makeInContextData, type Sequences } from '../data/in-context';
import { trainingTaskCount, type InContextConfig } from '../data/in-context-schema';
import type { LayerContext } from '../layers/context';
import { accuracy } from '../losses';
import type { TransformerConfig } from '../models/schema';
import { transformerModel } from '../models/transformer';
import type { NamedTensors } from '../tree';
import { defineTask } from './skeleton';
import type { Task } from './task';
import type { InContextView } from './views';

/** Sequences evaluated per split (training tasks, unseen tasks). */
export const IN_CONTEXT_EVAL = 512;
/** Sequences in a nominal epoch: every batch is drawn afresh, so this only scales the x axis. */
const EPOCH_SEQUENCES = 4096;

/** Accuracy at each position over a batch: logits `[B, T, C]`, labels `[B, T]` → `[T]`. */
export function positionAccuracy(logits: tf.Tensor3D, labels: tf.Tensor2D): tf.Tensor1D {
  const hit = tf.equal(tf.argMax(logits, 2), tf.cast(labels, 'int32'));
  return tf.mean(tf.cast(hit, 'float32'), 0) as tf.Tensor1D;
}

const upload = (s: Sequences) => ({
  x: tf.tensor3d(s.inputs, [s.count, s.length, s.width]),
  y: tf.tensor2d(s.labels, [s.count, s.length], 'int32'),
});

/**
 * Meta-training a transformer to learn in context (GPICL, docs/algorithms.md#in-context-learning):
 * it reads [A·x_t, onehot(y_{t−1})] and predicts y_t at every position (mean cross-entropy over
 * positions). Training sequences are drawn by the step, not by the sampler's indices, which only
 * set the batch size: with a fresh task per sequence there is no finite set to index. The "test"
 * columns are tasks never trained on; the per-position view compares them with training tasks.
 */
export function createInContextTask(
  data: InContextConfig,
  config: TransformerConfig,
  seed: number,
  heldOut: 'test' | 'validation' = 'test',
  evalSequences = IN_CONTEXT_EVAL,
): Task {
  const gen = makeInContextData(data, seed);
  const T = data.sequenceLength;
  const model = transformerModel(config, { vocab: data.classes, maxLength: T, inputs: gen.width });
  const count = Number.isFinite(evalSequences) ? evalSequences : IN_CONTEXT_EVAL;
  const trainEval = upload(gen.trainEval(count));
  const unseenEval = upload(gen.unseenEval(count, heldOut));
  // The step's batch, uploaded by `batchLoss` and read by `trainForward` per micro-batch; the
  // enclosing tidy disposes it.
  let stepBatch: ReturnType<typeof upload> | null = null;

  const logitsOf = (params: NamedTensors, x: tf.Tensor3D, ctx: LayerContext) =>
    model.apply(params, x, ctx).logits;

  const task = defineTask({
    kind: 'classification',
    trainCount: EPOCH_SEQUENCES,
    testCount: count,
    init: (rng) => model.init(rng),
    trainForward(params, idx, ctx) {
      if (!stepBatch) throw new Error('in-context sequences are drawn by batchLoss');
      const x = tf.gather(stepBatch.x, idx) as tf.Tensor3D;
      const logits = logitsOf(params, x, ctx);
      return { loss: model.lossFn(logits, tf.gather(stepBatch.y, idx)), routing: [] };
    },
    lossAccuracy(params, split, ctx) {
      const s = split === 'train' ? trainEval : unseenEval;
      const logits = logitsOf(params, s.x, ctx);
      return [model.lossFn(logits, s.y), accuracy(logits, s.y)];
    },
    async views(params, ctx) {
      const evalCtx = { ...ctx, training: false };
      const acc = tf.tidy(() =>
        tf.stack(
          [trainEval, unseenEval].map((s) => positionAccuracy(logitsOf(params, s.x, evalCtx), s.y)),
        ),
      );
      const values = await acc.data();
      acc.dispose();
      const view: InContextView = {
        kind: 'in-context',
        classes: data.classes,
        trainingTasks: trainingTaskCount(data),
        sequences: count,
        train: Array.from(values.subarray(0, T)),
        unseen: Array.from(values.subarray(T, 2 * T)),
      };
      return [view];
    },
    tensors: () => [trainEval.x, trainEval.y, unseenEval.x, unseenEval.y],
  });
  return {
    ...task,
    batchLoss(params, indices, ctx, microBatches) {
      const b = indices.shape[0];
      stepBatch = upload(gen.batch(ctx.step, b));
      try {
        return task.batchLoss(params, tf.range(0, b, 1, 'int32') as tf.Tensor1D, ctx, microBatches);
      } finally {
        stepBatch = null;
      }
    },
  };
}
