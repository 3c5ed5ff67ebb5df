import type * as tf from '@tensorflow/tfjs-core';
import type { LayerContext } from '../layers/context';
import type { RouterStats } from '../layers/moe-routing';
import type { ParamInits } from '../params';
import type { Rng } from '../rng';
import type { NamedTensors } from '../tree';

/** A model's forward pass: logits, and the router statistics of each MoE layer (empty otherwise). */
export interface ModelOutput<L extends tf.Tensor = tf.Tensor> {
  readonly logits: L;
  readonly routing: readonly RouterStats[];
}

/** A model as the tasks use it: explicit params, a pure forward pass, and its task loss. */
export interface Model<X extends tf.Tensor, L extends tf.Tensor = tf.Tensor> {
  init(rng: Rng): ParamInits;
  apply(params: NamedTensors, x: X, ctx: LayerContext): ModelOutput<L>;
  /** The task loss of logits against labels: `softmaxCrossEntropy` (engine/losses.ts) for all. */
  lossFn(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar;
}
