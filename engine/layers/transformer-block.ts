import * as tf from '@tensorflow/tfjs-core';
import type { NormKind } from '../models/schema';
import { prefixed, scope, type ParamInits } from '../params';
import type { Rng } from '../rng';
import type { NamedTensors } from '../tree';
import { activate } from './activations';
import { attentionApply, attentionInit } from './attention';
import type { LayerContext } from './context';
import { linearApply, linearInit } from './linear';
import { moeApply, moeInit, type MoeSpec } from './moe-ffn';
import type { RouterStats } from './moe-routing';
import { normApply, normInit } from './norm/index';

export interface BlockSpec {
  readonly dim: number;
  readonly heads: number;
  readonly causal: boolean;
  /** FFN hidden width = round(mlpRatio·d). */
  readonly mlpRatio: number;
  readonly norm: NormKind;
  /** 'pre-ln' (GPT-2) or 'cct' (the CCT reference order, docs/algorithms.md#models). */
  readonly order: 'pre-ln' | 'cct';
  /** Replaces the dense FFN by a mixture of experts (hidden width from mlpRatio). */
  readonly moe?: Omit<MoeSpec, 'dim' | 'hidden'>;
}

const hiddenOf = (spec: BlockSpec) => Math.max(1, Math.round(spec.mlpRatio * spec.dim));

export function blockInit(rng: Rng, spec: BlockSpec): ParamInits {
  const hidden = hiddenOf(spec);
  const ffn = spec.moe
    ? prefixed('moe', moeInit(rng, { ...spec.moe, dim: spec.dim, hidden }))
    : {
        ...prefixed('fc1', linearInit(rng, spec.dim, hidden, { std: Math.sqrt(2 / spec.dim) })),
        ...prefixed('fc2', linearInit(rng, hidden, spec.dim, { std: Math.sqrt(1 / hidden) })),
      };
  return {
    ...prefixed('norm1', normInit(spec.norm, spec.dim)),
    ...prefixed('attn', attentionInit(rng, spec)),
    ...prefixed('norm2', normInit(spec.norm, spec.dim)),
    ...ffn,
  };
}

/**
 * One transformer block on x `[B, T, d]`. Norms see the tokens as `[B·T, d]` (so BatchNorm's
 * statistics are over batch and time).
 * - pre-ln: x ← x + Attn(N1(x)); x ← x + FFN(N2(x))
 * - cct:    x ← x + Attn(N1(x)); x ← N2(x); x ← x + FFN(x)
 * FFN(x) = GELU(x·W1 + b1)·W2 + b2, or the MoE FFN, whose router statistics are returned.
 */
export function blockApply(
  params: NamedTensors,
  x: tf.Tensor3D,
  spec: BlockSpec,
  ctx: LayerContext,
  name: string,
): { y: tf.Tensor3D; routing?: RouterStats } {
  const [b, t, d] = x.shape;
  const norm = (key: string, h: tf.Tensor) =>
    tf.reshape(
      normApply(spec.norm, scope(params, key), tf.reshape(h, [b * t, d]), ctx, `${name}/${key}`),
      [b, t, d],
    ) as tf.Tensor3D;
  let h = tf.add(
    x,
    attentionApply(scope(params, 'attn'), norm('norm1', x), spec, ctx, `${name}/attn`),
  ) as tf.Tensor3D;
  const ffnIn = norm('norm2', h);
  if (spec.order === 'cct') h = ffnIn;
  if (spec.moe) {
    const { y, stats } = moeApply(
      scope(params, 'moe'),
      tf.reshape(ffnIn, [b * t, d]),
      { ...spec.moe, dim: d, hidden: hiddenOf(spec) },
      ctx,
      `${name}/moe`,
    );
    return { y: tf.add(h, tf.reshape(y, [b, t, d])), routing: stats };
  }
  const fc1 = scope(params, 'fc1');
  const fc2 = scope(params, 'fc2');
  const mid = activate('gelu', linearApply(fc1.w, ffnIn, ctx, `${name}/fc1`, { bias: fc1.b }));
  return { y: tf.add(h, linearApply(fc2.w, mid, ctx, `${name}/fc2`, { bias: fc2.b })) };
}
