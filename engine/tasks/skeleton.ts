import * as tf from '@tensorflow/tfjs-core';
import { IDENTITY_QUANTIZER, type LayerContext } from '../layers/context';
import type { RouterStats } from '../layers/moe-routing';
import { hasRunningStats } from '../layers/norm/index';
import type { NormKind } from '../models/schema';
import type { ParamInits } from '../params';
import type { Rng } from '../rng';
import type { NamedTensors } from '../tree';
import { microBatchLoss, type LblOptions, type MicroForward } from './micro-batches';
import type { Task } from './task';
import { distilledLoss, type Teacher } from '../derive/distill';
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
  /**
   * The training forward of one example ignores the other examples of its batch (see
   * `rowIndependentModel`), so equal micro-batches may run as one batch (`microBatchLoss`).
   */
  readonly rowIndependent?: boolean;
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
  /** Small dense tasks: their examples on the host, for the fused typed-array path. */
  readonly denseData?: Task['denseData'];
  /** The task's own views (predictions, confusion, samples, expert load). */
  views?(params: NamedTensors, ctx: LayerContext): Promise<TaskView[]>;
  /** Every tensor the task holds, disposed with it. */
  tensors(): tf.Tensor[];
  calibrationInputs?: Task['calibrationInputs'];
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
    denseData: parts.denseData,
    init: (rng) => parts.init(rng),
    batchLoss(params, indices, ctx, microBatches) {
      const forward = (idx: tf.Tensor1D) => parts.trainForward(params, idx, ctx);
      // A quantizer may keep ranges over a whole batch (int8, fp8, Mesa): then each micro-batch alone.
      const onePass = parts.rowIndependent === true && ctx.quant === IDENTITY_QUANTIZER;
      return microBatchLoss(indices, microBatches, forward, parts.lbl, onePass);
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
  if (parts.calibrationInputs) task.calibrationInputs = parts.calibrationInputs;
  return task;
}

/**
 * Whether a transformer or MoE model's training forward treats each example alone: its norm keeps
 * no batch statistics, and its experts (if any) have no capacity that examples compete for.
 */
export function rowIndependentModel(config: {
  readonly norm: NormKind;
  readonly capacityFactor?: number;
}): boolean {
  return !hasRunningStats(config.norm) && !(config.capacityFactor ?? 0);
}

/** A split held on the device: one row of `x` and one label (or target) of `y` per example. */
export interface DeviceSplit<X extends tf.Tensor = tf.Tensor> {
  readonly x: X;
  readonly y: tf.Tensor1D;
  readonly n: number;
}

/** A forward pass of a batch of rows: its output (logits) and MoE router statistics. */
export type RowForward<X extends tf.Tensor> = (
  params: NamedTensors,
  x: X,
  ctx: LayerContext,
) => { readonly logits: tf.Tensor; readonly routing: readonly RouterStats[] };

/** Outputs scored against labels (or targets): a loss, or an accuracy. */
export type Score = (out: tf.Tensor, y: tf.Tensor1D) => tf.Scalar;

/** The label loss of a batch, distilled from a teacher's logits on the same inputs when given. */
export function withTeacher(
  labelLoss: tf.Scalar,
  logits: tf.Tensor,
  x: tf.Tensor,
  teacher: Teacher | undefined,
): tf.Scalar {
  return teacher ? distilledLoss(labelLoss, logits, teacher.logits(x), teacher.config) : labelLoss;
}

/**
 * The parts of a task whose examples are the rows of two device splits, evaluated whole: training
 * gathers the batch's rows, evaluation scores each split at once. With a teacher, the training
 * loss distils from it (engine/derive).
 */
export function rowSplits<X extends tf.Tensor>(
  train: DeviceSplit<X>,
  test: DeviceSplit<X>,
  forward: RowForward<X>,
  loss: Score,
  accuracy: Score,
  teacher?: Teacher,
): Pick<TaskParts, 'trainCount' | 'testCount' | 'trainForward' | 'lossAccuracy' | 'tensors'> {
  return {
    trainCount: train.n,
    testCount: test.n,
    trainForward(params, idx, ctx) {
      const x = tf.gather(train.x, idx) as X;
      const out = forward(params, x, ctx);
      const labelLoss = loss(out.logits, tf.gather(train.y, idx));
      return { loss: withTeacher(labelLoss, out.logits, x, teacher), routing: out.routing };
    },
    lossAccuracy(params, split, ctx) {
      const s = split === 'train' ? train : test;
      const out = forward(params, s.x, ctx).logits;
      return [loss(out, s.y), accuracy(out, s.y)];
    },
    tensors: () => [train.x, train.y, test.x, test.y],
  };
}
