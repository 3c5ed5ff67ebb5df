import * as tf from '@tensorflow/tfjs-core';
import type { ParamInits } from '../../params';
import type { NamedTensors } from '../../tree';
import { affineInit, asImage, NORM_EPSILON } from './shape';

/** LayerNorm parameters: γ (ones) and β (zeros) per channel. */
export function layerNormInit(channels: number): ParamInits {
  return affineInit(channels);
}

/**
 * LayerNorm (Ba et al. 2016): y = γ⊙(x−μ)/√(σ²+ε) + β, with μ and the population σ² over the
 * features of each sample (all of H, W, C for images). Train and eval compute the same thing.
 */
export function layerNormApply(
  params: NamedTensors,
  x: tf.Tensor,
  epsilon = NORM_EPSILON,
): tf.Tensor {
  const x4 = asImage(x);
  const { mean, variance } = tf.moments(x4, [1, 2, 3], true);
  const y = tf.add(
    tf.mul(tf.div(tf.sub(x4, mean), tf.sqrt(tf.add(variance, epsilon))), params.gamma),
    params.beta,
  );
  return tf.reshape(y, x.shape);
}
