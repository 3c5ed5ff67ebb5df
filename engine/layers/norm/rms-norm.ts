import * as tf from '@tensorflow/tfjs-core';
import type { ParamInits } from '../../params';
import type { NamedTensors } from '../../tree';
import { asImage, NORM_EPSILON } from './shape';

/** RMSNorm parameters: a scale γ (ones) per channel, no shift. */
export function rmsNormInit(channels: number): ParamInits {
  return { gamma: { role: 'norm', shape: [channels], values: new Float32Array(channels).fill(1) } };
}

/**
 * RMSNorm (Zhang & Sennrich 2019): y = γ⊙x/√(mean(x²)+ε), the mean over the features of each
 * sample. No centring, no shift.
 */
export function rmsNormApply(
  params: NamedTensors,
  x: tf.Tensor,
  epsilon = NORM_EPSILON,
): tf.Tensor {
  const x4 = asImage(x);
  const ms = tf.mean(tf.square(x4), [1, 2, 3], true);
  return tf.reshape(tf.mul(tf.div(x4, tf.sqrt(tf.add(ms, epsilon))), params.gamma), x.shape);
}
