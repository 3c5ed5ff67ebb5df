import * as tf from '@tensorflow/tfjs-core';
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
  /** Mean softmax cross-entropy of logits `[..., classes]` against integer labels `[...]`. */
  lossFn(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar;
}

/** −mean log softmax(z)[y] over every leading position (tokens, images). */
export function crossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  const classes = logits.shape[logits.rank - 1];
  const z = tf.reshape(logits, [-1, classes]);
  const oneHot = tf.oneHot(tf.cast(tf.reshape(labels, [-1]), 'int32'), classes);
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(z)), 1))) as tf.Scalar;
}

/** Fraction of positions whose largest logit is at the label. */
export function argmaxAccuracy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  const classes = logits.shape[logits.rank - 1];
  const predicted = tf.argMax(tf.reshape(logits, [-1, classes]), 1);
  return tf.mean(tf.cast(tf.equal(predicted, tf.cast(tf.reshape(labels, [-1]), 'int32')), 'float32')) as tf.Scalar;
}
