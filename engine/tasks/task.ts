import type * as tf from '@tensorflow/tfjs-core';
import type { DatasetContent } from '../data/dataset';
import type { LayerContext } from '../layers/context';
import type { ParamInits } from '../params';
import type { Rng } from '../rng';
import type { NamedTensors } from '../tree';
import type { TaskView } from './views';

/** How a run reaches files it needs (dataset binaries): `fetch` in a worker, the file system in Node. */
export interface RunEnv {
  readonly loadAsset?: (path: string) => Promise<ArrayBuffer>;
  /**
   * The content of the user's data the config names (`data.dataset` of a text or CSV config);
   * not needed for the built-in samples. Checked (size, then parse) before use.
   */
  readonly dataset?: DatasetContent;
  /** Caps the examples (images, windows) a task evaluates per split: for tests and slow backends. */
  readonly evalExamples?: number;
  /**
   * What the "test" columns measure: the test split (default), or a validation split carved from
   * the end of the training data (engine/tasks/held-out.ts), for choosing learning rates.
   */
  readonly heldOut?: 'test' | 'validation';
}

/** The evaluation a task reports, in this order: train loss, test loss, train accuracy, test accuracy. */
export const EVAL_METRICS = ['trainLoss', 'testLoss', 'accuracy', 'testAccuracy'] as const;

/** One split as plain arrays: `x` row-major `[count, inputs]`, `y` a class index or a target. */
export interface DenseSplit {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly count: number;
}

/** A small dense task's examples on the CPU, for the fused path (engine/fast-mlp). */
export interface DenseData {
  readonly inputs: number;
  readonly outputs: number;
  /** Softmax cross-entropy on class indices, or mean squared error of the one output. */
  readonly loss: 'softmax-ce' | 'mse';
  readonly train: DenseSplit;
  readonly test: DenseSplit;
}

/**
 * What a run trains: a model on a dataset with its loss. A task holds its data on the device;
 * every method returning tensors is called inside the run's `tf.tidy`.
 */
export interface Task {
  readonly kind: 'classification' | 'regression' | 'language';
  readonly trainCount: number;
  readonly testCount: number;
  init(rng: Rng): ParamInits;
  /**
   * Mean loss of a batch of training examples, picked by index (aux losses included). With
   * `microBatches` m > 1 the batch is split into m near-equal micro-batches, each run forward on
   * its own (BatchNorm statistics and the MoE load-balancing loss per micro-batch), and the losses
   * averaged: one graph with the gradient of accumulation.
   */
  batchLoss(
    params: NamedTensors,
    indices: tf.Tensor1D,
    ctx: LayerContext,
    microBatches?: number,
  ): tf.Scalar;
  /** `EVAL_METRICS` as one tensor; accuracies are NaN where they mean nothing (regression). */
  evaluate(params: NamedTensors, ctx: LayerContext): tf.Tensor1D;
  /** 2-D tasks only: model output on points (x, y pairs), class-1 probability or regression value. */
  predictPoints?(params: NamedTensors, points: tf.Tensor2D, ctx: LayerContext): tf.Tensor1D;
  /**
   * Extra views for the UI (predictions, confusion matrix, samples, expert load, norm gap). Called
   * outside any tidy, every few hundred ms at most; reads with async `data()`; must not change state
   * (running statistics included).
   */
  views?(params: NamedTensors, ctx: LayerContext): Promise<readonly TaskView[]>;
  /** Small dense tasks (2-D, tabular): the examples as arrays, so the fused path can train. */
  readonly denseData?: DenseData;
  /**
   * MLP tasks: the first `n` training inputs as flat rows [n, inputs], the calibration batch of
   * width pruning (engine/derive). The caller disposes it.
   */
  calibrationInputs?(n: number): tf.Tensor2D;
  dispose(): void;
}
