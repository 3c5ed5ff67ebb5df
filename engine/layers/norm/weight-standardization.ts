import * as tf from '@tensorflow/tfjs-core';
import { NORM_EPSILON } from './shape';

/**
 * Weight Standardization (Qiao et al. 2019), variant C of
 * docs/algorithms.md#weight-standardization: for each output channel o,
 * Ŵ_o = (W_o − mean(W_o)) / (std_pop(W_o) + ε), statistics over the fan-in (every axis but the
 * last: [0] for dense `[in, out]`, [0, 1, 2] for conv `[kh, kw, Cin, Cout]`). Gradients flow
 * through the standardization. Use before BN, GN or BCN.
 */
export function standardizeWeight(w: tf.Tensor, epsilon = NORM_EPSILON): tf.Tensor {
  const axes = Array.from({ length: w.rank - 1 }, (_, i) => i);
  const { mean, variance } = tf.moments(w, axes, true);
  return tf.div(tf.sub(w, mean), tf.add(tf.sqrt(variance), epsilon));
}
