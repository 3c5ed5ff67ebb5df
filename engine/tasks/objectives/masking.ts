import * as tf from '@tensorflow/tfjs-core';
import { createRng, type Rng } from '../../rng';

/**
 * The pieces masked LM and ELECTRA share (docs/algorithms.md#pretraining-objectives): which
 * positions are masked, the masked input, the loss on masked positions only, and the
 * replaced-token-detection labels. Masks are drawn on the host from a seeded rng, so a run is
 * reproducible and every backend sees the same positions.
 */

/** The share of positions masked (BERT, ELECTRA). */
export const MASK_RATE = 0.15;

/** λ of ELECTRA's combined loss MLM_gen + λ·RTD (the paper's value). */
export const RTD_WEIGHT = 50;

/** An rng for one draw, from the run's seed, the optimizer step and the call within that step. */
export function drawRng(seed: number, step: number, call: number): Rng {
  return createRng(
    (Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(step + 1, 0x85ebca6b) ^ call) >>> 0,
  );
}

/** `count` independent Bernoulli(rate) draws as 0/1. */
export function drawMask(rng: Rng, count: number, rate = MASK_RATE): Float32Array {
  return Float32Array.from({ length: count }, () => (rng.next() < rate ? 1 : 0));
}

/** `count` uniforms in [0, 1), the generator's sampling noise. */
export function drawUniform(rng: Rng, count: number): Float32Array {
  return Float32Array.from({ length: count }, () => rng.next());
}

/** ids with every masked position (mask 1, same element count as ids) replaced by `maskId`. */
export function maskIds(ids: tf.Tensor, mask: tf.Tensor, maskId: number): tf.Tensor {
  const masked = tf.greater(tf.reshape(mask, ids.shape), 0);
  return tf.where(masked, tf.fill(ids.shape, maskId, 'int32'), tf.cast(ids, 'int32'));
}

/**
 * Cross-entropy of `logits` `[N, V]` against `targets` `[N]` averaged over the masked positions
 * only (mask `[N]` of 0/1), and the accuracy there. Unmasked positions contribute nothing; a batch
 * with no masked position has loss 0.
 */
export function maskedCrossEntropy(
  logits: tf.Tensor2D,
  targets: tf.Tensor,
  mask: tf.Tensor,
): { loss: tf.Scalar; accuracy: tf.Scalar } {
  const v = logits.shape[1];
  const flatTargets = tf.cast(tf.reshape(targets, [-1]), 'int32') as tf.Tensor1D;
  const m = tf.reshape(mask, [-1]);
  const ce = tf.neg(tf.sum(tf.mul(tf.oneHot(flatTargets, v), tf.logSoftmax(logits)), 1));
  const count = tf.maximum(tf.sum(m), 1);
  const hit = tf.cast(tf.equal(tf.argMax(logits, 1), flatTargets), 'float32');
  return {
    loss: tf.div(tf.sum(tf.mul(ce, m)), count) as tf.Scalar,
    accuracy: tf.div(tf.sum(tf.mul(hit, m)), count) as tf.Scalar,
  };
}

/**
 * Draws a token at every masked position from softmax(`logits`) by inverse CDF at uniform `u`,
 * keeps the original elsewhere, and labels each position 1 where the result differs from the
 * original (a sampled original token counts as original, as in the paper). Returns `[2, N]`
 * floats: row 0 the corrupted ids, row 1 the labels. Not differentiated: the gradient to the
 * logits is zero (the paper does not backpropagate through sampling).
 */
const replaceOp = tf.customGrad((...args) => {
  const [logits, ids, mask, u] = args as tf.Tensor[];
  const v = logits.shape[1] ?? 1;
  const cdf = tf.cumsum(tf.softmax(logits), 1);
  const below = tf.cast(tf.less(cdf, tf.expandDims(u, 1)), 'int32');
  const sampled = tf.minimum(tf.sum(below, 1), v - 1);
  const original = tf.cast(ids, 'int32');
  const corrupted = tf.where(tf.greater(mask, 0), sampled, original);
  const labels = tf.cast(tf.notEqual(corrupted, original), 'float32');
  return {
    value: tf.stack([tf.cast(corrupted, 'float32'), labels]),
    gradFunc: () => [logits, ids, mask, u].map((t) => tf.zerosLike(t)),
  };
});

export function replaceTokens(
  logits: tf.Tensor2D,
  ids: tf.Tensor1D,
  mask: tf.Tensor1D,
  u: tf.Tensor1D,
): tf.Tensor2D {
  return replaceOp(logits, ids, mask, u) as tf.Tensor2D;
}

/** Mean sigmoid cross-entropy of logits z on 0/1 labels y: max(z,0) − z·y + log(1+e^−|z|). */
export function sigmoidCrossEntropy(z: tf.Tensor, y: tf.Tensor): tf.Scalar {
  return tf.mean(tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.softplus(tf.neg(tf.abs(z)))));
}

/** Fraction of positions where sign(z) matches the 0/1 label. */
export function binaryAccuracy(z: tf.Tensor, y: tf.Tensor): tf.Scalar {
  return tf.mean(tf.cast(tf.equal(tf.cast(tf.greater(z, 0), 'float32'), y), 'float32'));
}
