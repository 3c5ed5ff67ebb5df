import * as tf from '@tensorflow/tfjs-core';
import { loadBalancingLoss, splitRouterStats, type RouterStats } from '../layers/moe-routing';
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
 *
 * With `rowIndependent` (each example's forward pass ignores the others: no batch statistics, no
 * expert capacity shared across examples, no quantizer ranges) and equal micro-batches, the batch
 * runs forward once and only the router statistics are split per micro-batch: the same loss and
 * gradient from one pass instead of m.
 */
export function microBatchLoss(
  indices: tf.Tensor1D,
  microBatches: number | undefined,
  forward: MicroForward,
  lbl?: LblOptions,
  rowIndependent = false,
): tf.Scalar {
  const total = indices.shape[0];
  const m = Math.max(1, Math.min(total, Math.floor(microBatches ?? 1)));
  let loss: tf.Scalar;
  /** Per MoE layer, its router statistics per micro-batch. */
  let routing: RouterStats[][];
  if (rowIndependent && m > 1 && total % m === 0) {
    const out = forward(indices);
    loss = out.loss;
    routing = out.routing.map((stats) => splitRouterStats(stats, m));
  } else {
    const outs = splitMicroBatches(indices, m).map((idx) => ({
      size: idx.shape[0],
      ...forward(idx),
    }));
    loss = tf.addN(outs.map((o) => tf.mul(o.loss, o.size / total))) as tf.Scalar;
    routing = outs[0].routing.map((_, l) => outs.map((o) => o.routing[l]));
  }
  if (lbl && lbl.alpha > 0 && routing.length > 0) {
    const perLayer = routing.map((perMicro) => loadBalancingLoss(perMicro, lbl.scope));
    loss = tf.add(loss, tf.mul(lbl.alpha / routing.length, tf.addN(perLayer)));
  }
  return loss;
}
