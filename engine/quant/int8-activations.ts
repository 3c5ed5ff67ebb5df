import * as tf from '@tensorflow/tfjs-core';
import { straightThrough } from './straight-through';

/** 127/absmax (BitNet b1.58) or 128/absmax (the Reloaded code). */
export type ActivationLevels = 127 | 128;

/**
 * Forward only, per token (row, the last axis): s = L / max(max|x|, 1e-5),
 * x_q = clamp(round(x·s), −128, 127)/s. With L = 128 the largest positive value clamps to 127.
 */
export function absmaxQuantize(x: tf.Tensor, levels: ActivationLevels): tf.Tensor {
  return tf.tidy(() => {
    const amax = tf.maximum(tf.max(tf.abs(x), -1, true), 1e-5);
    const s = tf.div(levels, amax);
    return tf.div(tf.clipByValue(tf.round(tf.mul(x, s)), -128, 127), s);
  });
}

/** Gain-free RMSNorm over the last axis, x/√(mean(x²) + ε), as in Microsoft's BitLinear (ε = 1e-5). */
export function rmsNormNoGain(x: tf.Tensor, eps = 1e-5): tf.Tensor {
  return tf.tidy(() => tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), eps))));
}

/**
 * BitLinear's input: x̃ = RMSNorm(x) (differentiated normally), then 8-bit per-token absmax
 * fake-quant with a straight-through gradient (∂x_q/∂x̃ = I).
 */
export function bitLinearInput(x: tf.Tensor, levels: ActivationLevels): tf.Tensor {
  return straightThrough((t) => absmaxQuantize(t, levels))(rmsNormNoGain(x));
}
