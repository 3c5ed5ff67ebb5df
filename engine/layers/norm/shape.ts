import * as tf from '@tensorflow/tfjs-core';
import type { ParamInits } from '../../params';

/**
 * Every normalization pins its epsilon (docs/algorithms.md#normalization): TF.js defaults differ
 * per op.
 */
export const NORM_EPSILON = 1e-5;

/**
 * Norm layers work on channels-last inputs: `[N, C]` (dense, flattened tokens) or `[N, H, W, C]`.
 * A 2-D input is viewed as `[N, 1, 1, C]`, so one formula covers both.
 */
export function asImage(x: tf.Tensor): tf.Tensor4D {
  if (x.rank === 4) return x as tf.Tensor4D;
  if (x.rank === 2) return tf.reshape(x, [x.shape[0], 1, 1, x.shape[1] as number]);
  throw new Error(`a norm layer takes [N, C] or [N, H, W, C], not rank ${x.rank}`);
}

/** Per-channel scale γ (ones) and shift β (zeros), role `norm`. */
export function affineInit(channels: number): ParamInits {
  return {
    gamma: { role: 'norm', shape: [channels], values: new Float32Array(channels).fill(1) },
    beta: { role: 'norm', shape: [channels], values: new Float32Array(channels) },
  };
}

/**
 * The group count for C channels: groups of 4 channels where C allows
 * (docs/algorithms.md#normalization), else 1.
 */
export function defaultGroups(channels: number): number {
  return channels % 4 === 0 ? channels / 4 : 1;
}

/** Standardizes each (sample, group) of x over (H, W, channels in the group): `[N,H,W,C]` → same shape. */
export function groupStandardize(
  x: tf.Tensor4D,
  groups: number,
  epsilon = NORM_EPSILON,
): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  if (c % groups !== 0) throw new Error(`${c} channels do not split into ${groups} groups`);
  const g = tf.reshape(x, [n, h, w, groups, c / groups]);
  const { mean, variance } = tf.moments(g, [1, 2, 4], true);
  return tf.reshape(tf.div(tf.sub(g, mean), tf.sqrt(tf.add(variance, epsilon))), [n, h, w, c]);
}
