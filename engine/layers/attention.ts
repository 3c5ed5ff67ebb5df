import * as tf from '@tensorflow/tfjs-core';
import { prefixed, scope, type ParamInits } from '../params';
import type { Rng } from '../rng';
import type { NamedTensors } from '../tree';
import type { LayerContext } from './context';
import { linearApply, linearInit } from './linear';

export interface AttentionSpec {
  readonly dim: number;
  readonly heads: number;
  /** Causal: position t attends only to positions ≤ t (decoder); otherwise to all (encoder). */
  readonly causal: boolean;
}

/** W_q, W_k, W_v, W_o, each `[d, d]`, N(0, 1/d), no biases. */
export function attentionInit(rng: Rng, spec: AttentionSpec): ParamInits {
  if (spec.dim % spec.heads !== 0)
    throw new Error(`width ${spec.dim} does not split into ${spec.heads} heads`);
  const one = (name: string) =>
    prefixed(name, linearInit(rng, spec.dim, spec.dim, { bias: false }));
  return { ...one('q'), ...one('k'), ...one('v'), ...one('o') };
}

/**
 * Multi-head scaled dot-product attention (Vaswani et al. 2017) on x `[B, T, d]`:
 * per head h, A_h = softmax(Q_h·K_hᵀ/√d_h + M) with M = −1e9 above the diagonal when causal,
 * head_h = A_h·V_h, and y = concat_h(head_h)·W_o, with Q = x·W_q (likewise K, V) and d_h = d/H.
 */
export function attentionApply(
  params: NamedTensors,
  x: tf.Tensor3D,
  spec: AttentionSpec,
  ctx: LayerContext,
  name: string,
): tf.Tensor3D {
  const [b, t, d] = x.shape;
  const h = spec.heads;
  const dh = d / h;
  // [B, T, d] → [B, H, T, d_h]
  const split = (key: string) =>
    tf.transpose(
      tf.reshape(linearApply(scope(params, key).w, x, ctx, `${name}/${key}`), [b, t, h, dh]),
      [0, 2, 1, 3],
    );
  const q = split('q');
  const k = split('k');
  const v = split('v');
  let scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh));
  if (spec.causal) scores = tf.add(scores, causalMask(t));
  const heads = tf.matMul(tf.softmax(scores), v);
  const merged = tf.reshape(tf.transpose(heads, [0, 2, 1, 3]), [b, t, d]);
  return linearApply(scope(params, 'o').w, merged, ctx, `${name}/o`) as tf.Tensor3D;
}

/** `[T, T]`: 0 on and below the diagonal, −1e9 above (exp underflows to exactly 0). */
export function causalMask(t: number): tf.Tensor2D {
  const m = new Float32Array(t * t);
  for (let i = 0; i < t; i++) for (let j = i + 1; j < t; j++) m[i * t + j] = -1e9;
  return tf.tensor2d(m, [t, t]);
}
