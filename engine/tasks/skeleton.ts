import * as tf from '@tensorflow/tfjs-core';
import type { LayerContext } from '../layers/context';
import { hasRunningStats } from '../layers/norm/index';
import type { NormKind } from '../models/schema';
import type { ParamInits } from '../params';
import type { Rng } from '../rng';
import type { NamedTensors } from '../tree';
import { microBatchLoss, type LblOptions, type MicroForward } from './micro-batches';
import type { Task } from './task';
import { normGapView } from './view-helpers';
import type { TaskView } from './views';

/** Mean loss and accuracy of a split's evaluated examples; accuracy NaN where it means nothing. */
export type SplitLossAccuracy = (
  params: NamedTensors,
  split: 'train' | 'test',
  ctx: LayerContext,
) => [tf.Scalar, tf.Scalar];

/** What a task says; `defineTask` adds what every task does the same way. */
export interface TaskParts {
  readonly kind: Task['kind'];
  readonly trainCount: number;
  readonly testCount: number;
  init(rng: Rng): ParamInits;
  /** Forward pass of one micro-batch of training examples, picked by index. */
  trainForward(
    params: NamedTensors,
    indices: tf.Tensor1D,
    ctx: LayerContext,
  ): ReturnType<MicroForward>;
  /** MoE models: the load-balancing loss added to the batch loss. */
  readonly lbl?: LblOptions;
  lossAccuracy: SplitLossAccuracy;
  /**
   * With a norm that keeps running statistics, the train/eval gap view is added after the task's
   * own views, measured on `split` (`examples` of them).
   */
  readonly normGap?: {
    readonly norm: NormKind;
    readonly split: 'train' | 'test';
    readonly examples: number;
  };
  predictPoints?: Task['predictPoints'];
  /** The task's own views (predictions, confusion, samples, expert load). */
  views?(params: NamedTensors, ctx: LayerContext): Promise<TaskView[]>;
  /** Every tensor the task holds, disposed with it. */
  tensors(): tf.Tensor[];
}

/**
 * The one task skeleton: the batch loss through micro-batching, the evaluation as `EVAL_METRICS`
 * from each split's loss and accuracy, the norm-gap view, and disposal.
 */
export function defineTask(parts: TaskParts): Task {
  const { normGap, lossAccuracy } = parts;
  const task: Task = {
    kind: parts.kind,
    trainCount: parts.trainCount,
    testCount: parts.testCount,
    init: (rng) => parts.init(rng),
    batchLoss(params, indices, ctx, microBatches) {
      const forward = (idx: tf.Tensor1D) => parts.trainForward(params, idx, ctx);
      return microBatchLoss(indices, microBatches, forward, parts.lbl);
    },
    evaluate(params, ctx) {
      const [trainLoss, trainAcc] = lossAccuracy(params, 'train', ctx);
      const [testLoss, testAcc] = lossAccuracy(params, 'test', ctx);
      return tf.stack([trainLoss, testLoss, trainAcc, testAcc]) as tf.Tensor1D;
    },
    async views(params, ctx) {
      const views = parts.views ? await parts.views(params, ctx) : [];
      if (normGap && hasRunningStats(normGap.norm)) {
        const measure = (c: LayerContext) => lossAccuracy(params, normGap.split, c);
        views.push(await normGapView(normGap.norm, normGap.examples, ctx, measure));
      }
      return views;
    },
    dispose() {
      tf.dispose(parts.tensors());
    },
  };
  if (parts.predictPoints) task.predictPoints = parts.predictPoints;
  return task;
}
