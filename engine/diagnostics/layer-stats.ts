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
  // √Σx², not tf.norm: its euclidean path raises |x| to the power 2 with Pow, a slow kernel on WASM.
  const l2 = (x: tf.Tensor) => tf.sqrt(tf.sum(tf.square(x)));
  const gradNorms = names.map((n) => l2(grads[n]));
  const ratios = names.map((n) => tf.div(l2(updates[n]), tf.add(l2(params[n]), 1e-12)));
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
