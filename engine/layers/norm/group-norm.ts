import * as tf from '@tensorflow/tfjs-core';
import type { ParamInits } from '../../params';
import type { NamedTensors } from '../../tree';
import { affineInit, asImage, groupStandardize, NORM_EPSILON } from './shape';

/** GroupNorm parameters: γ (ones) and β (zeros) per channel. */
export function groupNormInit(channels: number): ParamInits {
  return affineInit(channels);
}

/**
 * GroupNorm (Wu & He 2018): channels split into G groups; each (sample, group) is standardized
 * over (H, W, channels of the group) with population variance and ε, then γ_c, β_c per channel.
 * G = 1 is LayerNorm over (H, W, C); G = C is InstanceNorm.
 */
export function groupNormApply(
  params: NamedTensors,
  x: tf.Tensor,
  groups: number,
  epsilon = NORM_EPSILON,
): tf.Tensor {
  const y = tf.add(
    tf.mul(groupStandardize(asImage(x), groups, epsilon), params.gamma),
    params.beta,
  );
  return tf.reshape(y, x.shape);
}
