import * as tf from '@tensorflow/tfjs-core';
import type { ParamInits } from '../params';
import type { Rng } from '../rng';
import type { NamedTensors } from '../tree';
import type { LayerContext } from './context';
import { linearApply, linearInit } from './linear';

/** g `[d, 1]` (N(0, 1/d)) and b `[1]` (zero) of the pooling scores. */
export function sequencePoolInit(rng: Rng, dim: number): ParamInits {
  return linearInit(rng, dim, 1);
}

/**
 * Sequence pooling (CCT, Hassani et al. 2021): w = softmax over tokens of (x·g + b), z = Σ_t w_t·x_t.
 * `[B, T, d]` → `[B, d]`; replaces the class token.
 */
export function sequencePoolApply(
  params: NamedTensors,
  x: tf.Tensor3D,
  ctx: LayerContext,
  name: string,
): tf.Tensor2D {
  const [b, t, d] = x.shape;
  const scores = tf.reshape(linearApply(params.w, x, ctx, name, { bias: params.b }), [b, 1, t]);
  return tf.reshape(tf.matMul(tf.softmax(scores), x), [b, d]);
}
