import * as tf from '@tensorflow/tfjs-core';
import type { LayerContext } from '../context';
import { stopGradient } from '../stop-gradient';

/** Update rate r of running statistics: s ← (1−r)·s + r·s_batch (PyTorch momentum 0.1). */
export const RUNNING_RATE = 0.1;

/**
 * A running statistic from `ctx.buffers` as a constant (no gradient), or `initial` filled to
 * `[channels]` before the first update. Read through a clone, so a later update may dispose the
 * stored tensor while this step's backward pass still holds the value.
 */
export function readRunning(
  ctx: LayerContext,
  key: string,
  channels: number,
  initial: number,
): tf.Tensor1D {
  const stored = ctx.buffers.get(key);
  return (stored ? stopGradient(stored) : tf.fill([channels], initial)) as tf.Tensor1D;
}

/** Stores a new running statistic (a clone: the buffer's lifetime is not the graph's). */
export function writeRunning(ctx: LayerContext, key: string, value: tf.Tensor1D): void {
  ctx.buffers.set(key, tf.clone(value));
}

/** (1−r)·old + r·batch. */
export function blend(old: tf.Tensor1D, batch: tf.Tensor1D, rate = RUNNING_RATE): tf.Tensor1D {
  return tf.add(tf.mul(1 - rate, old), tf.mul(rate, batch));
}
