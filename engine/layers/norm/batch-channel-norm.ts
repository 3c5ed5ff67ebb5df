import * as tf from '@tensorflow/tfjs-core';
import type { ParamInits } from '../../params';
import type { NamedTensors } from '../../tree';
import type { LayerContext } from '../context';
import { stopGradient } from '../stop-gradient';
import { blend, readRunning, RUNNING_RATE, writeRunning } from './running-stats';
import { affineInit, asImage, groupStandardize, NORM_EPSILON } from './shape';

export interface BatchChannelNormSpec {
  readonly channels: number;
  readonly groups: number;
}

/** Per-channel γ_c, β_c of the estimated BN, then per-group γ_g, β_g of the channel norm. */
export function batchChannelNormInit(spec: BatchChannelNormSpec): ParamInits {
  const g = spec.groups;
  return {
    ...affineInit(spec.channels),
    groupGamma: { role: 'norm', shape: [g], values: new Float32Array(g).fill(1) },
    groupBeta: { role: 'norm', shape: [g], values: new Float32Array(g) },
  };
}

/**
 * Batch-Channel Normalization (Qiao et al., micro-batch training;
 * docs/algorithms.md#batch-channel-normalization).
 * 1. Estimated BN per channel c. Training: μ_B = mean over (N,H,W); s_B = mean((x−μ̂_old)²)
 *    around the *old* running mean; μ̂ ← (1−r)μ̂ + r·μ_B, σ̂² ← (1−r)σ̂² + r·s_B (r = 0.1); then
 *    (x−μ̂)/√(σ̂²+ε) with the *updated* stats as constants, and γ_c, β_c. Eval: no update.
 *    `estimate: false` uses the true batch statistics (with gradient) instead.
 * 2. Channel norm: per sample, G groups standardized over (channels in group × H × W), ε = 1e-5,
 *    then the affine per *group*.
 * Buffers: `${name}/mean`, `${name}/var` (start 0 and 1).
 */
export function batchChannelNormApply(
  params: NamedTensors,
  x: tf.Tensor,
  ctx: LayerContext,
  name: string,
  groups: number,
  { estimate = true, rate = RUNNING_RATE } = {},
): tf.Tensor {
  const x4 = asImage(x);
  const [n, h, w, c] = x4.shape;
  let mean: tf.Tensor = readRunning(ctx, `${name}/mean`, c, 0);
  let variance: tf.Tensor = readRunning(ctx, `${name}/var`, c, 1);
  if (ctx.training && !estimate) {
    ({ mean, variance } = tf.moments(x4, [0, 1, 2]));
  } else if (ctx.training) {
    const xc = stopGradient(x4);
    const batchMean = tf.mean(xc, [0, 1, 2]) as tf.Tensor1D;
    const batchSq = tf.mean(tf.square(tf.sub(xc, mean)), [0, 1, 2]) as tf.Tensor1D;
    mean = blend(mean as tf.Tensor1D, batchMean, rate);
    variance = blend(variance as tf.Tensor1D, batchSq, rate);
    writeRunning(ctx, `${name}/mean`, mean as tf.Tensor1D);
    writeRunning(ctx, `${name}/var`, variance as tf.Tensor1D);
  }
  const bn = tf.add(
    tf.mul(tf.div(tf.sub(x4, mean), tf.sqrt(tf.add(variance, NORM_EPSILON))), params.gamma),
    params.beta,
  );
  const cn = tf.reshape(groupStandardize(bn as tf.Tensor4D, groups), [n, h, w, groups, c / groups]);
  const y = tf.add(
    tf.mul(cn, tf.reshape(params.groupGamma, [groups, 1])),
    tf.reshape(params.groupBeta, [groups, 1]),
  );
  return tf.reshape(y, x.shape);
}
