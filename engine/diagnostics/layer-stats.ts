import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensors } from '../tree';

/** Per-parameter internals streamed with the metrics, in the order of `names`. */
export interface LayerStats {
  readonly names: readonly string[];
  /** ‖g‖₂ of each parameter tensor. */
  readonly gradNorm: Float32Array;
  /** ‖Δw‖₂ / ‖w‖₂: how much one update moves the tensor, relative to its size. */
  readonly updateRatio: Float32Array;
  /** LAMB/LARS trust ratio where the optimizer has one, NaN elsewhere. */
  readonly trustRatio: Float32Array;
}

/**
 * The per-parameter statistics of one update as a [3·P] tensor (grad norms, update ratios,
 * trust ratios), to be read back with the rest of a chunk. Call inside `tf.tidy`.
 */
export function layerStatsTensor(
  names: readonly string[],
  grads: NamedTensors,
  updates: NamedTensors,
  params: NamedTensors,
  trustRatios: NamedTensors,
): tf.Tensor1D {
  const nan = tf.scalar(Number.NaN);
  const gradNorms = names.map((n) => tf.norm(grads[n]));
  const ratios = names.map((n) => tf.div(tf.norm(updates[n]), tf.add(tf.norm(params[n]), 1e-12)));
  const trust = names.map((n) => (trustRatios[n] ? tf.reshape(trustRatios[n], []) : nan));
  return tf.stack([...gradNorms, ...ratios, ...trust]) as tf.Tensor1D;
}

export function readLayerStats(names: readonly string[], values: Float32Array): LayerStats {
  const p = names.length;
  return {
    names,
    gradNorm: values.slice(0, p),
    updateRatio: values.slice(p, 2 * p),
    trustRatio: values.slice(2 * p, 3 * p),
  };
}
