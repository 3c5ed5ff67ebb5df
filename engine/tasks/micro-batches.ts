import * as tf from '@tensorflow/tfjs-core';
import { loadBalancingLoss, type RouterStats } from '../layers/moe-routing';
import type { LblScope } from '../models/schema';

/** One micro-batch's forward pass: its mean task loss and its MoE layers' router statistics. */
export type MicroForward = (indices: tf.Tensor1D) => {
  loss: tf.Scalar;
  routing: readonly RouterStats[];
};

export interface LblOptions {
  readonly alpha: number;
  readonly scope: LblScope;
}

/** Splits B indices into m (clamped to 1..B) contiguous micro-batches of ⌊B/m⌋ or ⌈B/m⌉. */
export function splitMicroBatches(indices: tf.Tensor1D, microBatches = 1): tf.Tensor1D[] {
  const b = indices.shape[0];
  const m = Math.max(1, Math.min(b, Math.floor(microBatches)));
  if (m === 1) return [indices];
  const sizes = Array.from(
    { length: m },
    (_, j) => Math.floor(((j + 1) * b) / m) - Math.floor((j * b) / m),
  );
  return tf.split(indices, sizes);
}

/**
 * Gradient accumulation in one graph (docs/algorithms.md#micro-batches): runs `forward` per
 * micro-batch and returns
 * Σ_j (B_j/B)·loss_j (= the mean of the m losses when they are equal in size) plus
 * α·mean over MoE layers of the load-balancing loss, whose f is counted per micro-batch or over
 * the whole batch (`scope`), with P always per micro-batch.
 */
export function microBatchLoss(
  indices: tf.Tensor1D,
  microBatches: number | undefined,
  forward: MicroForward,
  lbl?: LblOptions,
): tf.Scalar {
  const parts = splitMicroBatches(indices, microBatches);
  const total = indices.shape[0];
  const outs = parts.map((idx) => ({ size: idx.shape[0], ...forward(idx) }));
  let loss = tf.addN(outs.map((o) => tf.mul(o.loss, o.size / total))) as tf.Scalar;
  const layers = outs[0].routing.length;
  if (lbl && lbl.alpha > 0 && layers > 0) {
    const perLayer = Array.from({ length: layers }, (_, l) =>
      loadBalancingLoss(
        outs.map((o) => o.routing[l]),
        lbl.scope,
      ),
    );
    loss = tf.add(loss, tf.mul(lbl.alpha / layers, tf.addN(perLayer)));
  }
  return loss;
}
