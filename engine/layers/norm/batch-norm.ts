import * as tf from '@tensorflow/tfjs-core';
import type { ParamInits } from '../../params';
import type { NamedTensors } from '../../tree';
import type { LayerContext } from '../context';
import { stopGradient } from '../stop-gradient';
import { blend, readRunning, writeRunning } from './running-stats';
import { affineInit, asImage, NORM_EPSILON } from './shape';

/** BatchNorm parameters: γ (ones) and β (zeros) per channel; running stats live in `ctx.buffers`. */
export function batchNormInit(channels: number): ParamInits {
  return affineInit(channels);
}

/**
 * BatchNorm (Ioffe & Szegedy 2015), per channel c over (N, H, W):
 * - training: y = γ⊙(x−μ_B)/√(σ²_B+ε) + β with the batch mean and population variance (gradient
 *   flows through them), and the running stats move: μ̂ ← 0.9μ̂ + 0.1μ_B, σ̂² ← 0.9σ̂² + 0.1σ²_B;
 * - eval: the same with μ̂, σ̂² (start 0 and 1).
 * Buffers: `${name}/mean`, `${name}/var`. ε = 1e-5.
 */
export function batchNormApply(
  params: NamedTensors,
  x: tf.Tensor,
  ctx: LayerContext,
  name: string,
): tf.Tensor {
  const x4 = asImage(x);
  const c = x4.shape[3];
  let mean: tf.Tensor;
  let variance: tf.Tensor;
  if (ctx.training) {
    ({ mean, variance } = tf.moments(x4, [0, 1, 2]));
    const oldMean = readRunning(ctx, `${name}/mean`, c, 0);
    const oldVar = readRunning(ctx, `${name}/var`, c, 1);
    writeRunning(ctx, `${name}/mean`, blend(oldMean, stopGradient(mean) as tf.Tensor1D));
    writeRunning(ctx, `${name}/var`, blend(oldVar, stopGradient(variance) as tf.Tensor1D));
  } else {
    mean = readRunning(ctx, `${name}/mean`, c, 0);
    variance = readRunning(ctx, `${name}/var`, c, 1);
  }
  const y = tf.add(
    tf.mul(tf.div(tf.sub(x4, mean), tf.sqrt(tf.add(variance, NORM_EPSILON))), params.gamma),
    params.beta,
  );
  return tf.reshape(y, x.shape);
}
