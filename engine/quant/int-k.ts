import * as tf from '@tensorflow/tfjs-core';
import { straightThrough } from './straight-through';

/**
 * Forward only: symmetric per-tensor int-k, s = max|x|/(2^(k−1) − 1),
 * x̂ = clamp(round(x/s), −qmax, qmax)·s (int8: qmax 127; int4: 7). All-zero tensors stay zero.
 */
export function symmetricIntQuantize(x: tf.Tensor, bits: number): tf.Tensor {
  if (!Number.isInteger(bits) || bits < 2 || bits > 16)
    throw new Error(`symmetricIntQuantize: bits must be an integer in [2, 16], got ${bits}`);
  const qmax = 2 ** (bits - 1) - 1;
  return tf.tidy(() => {
    const s = tf.div(tf.maximum(tf.max(tf.abs(x)), 1e-30), qmax);
    return tf.mul(tf.clipByValue(tf.round(tf.div(x, s)), -qmax, qmax), s);
  });
}

/** Symmetric int-k fake-quant with a straight-through gradient. */
export function symmetricInt(x: tf.Tensor, bits: number): tf.Tensor {
  return straightThrough((t) => symmetricIntQuantize(t, bits))(x);
}
