import * as tf from '@tensorflow/tfjs-core';
import type { Buffers } from '../layers/context';

export interface MesaOptions {
  /** λ: how slowly the running range and offset follow each batch (default 0.9). */
  readonly lambda?: number;
  /** `stochastic`: u ~ U(0, 1) from a seeded generator; a number: that fixed u (0.5 rounds to nearest). */
  readonly rounding?: 'stochastic' | number;
  readonly seed?: number;
}

/** Running parameters of one group: range α and offset β. */
export interface MesaRange {
  readonly alpha: tf.Scalar;
  readonly beta: tf.Scalar;
}

/**
 * Tracks the batch range: α ← α − (1−λ)(α − (max − min)), β ← β − (1−λ)(β − min); the first
 * batch (`prev` undefined) copies its own values.
 */
export function updateMesaRange(x: tf.Tensor, prev: MesaRange | undefined, lambda: number): MesaRange {
  return tf.tidy(() => {
    const lo = tf.min(x) as tf.Scalar;
    const range = tf.sub(tf.max(x), lo) as tf.Scalar;
    if (!prev) return { alpha: range, beta: lo };
    const k = 1 - lambda;
    return {
      alpha: tf.sub(prev.alpha, tf.mul(k, tf.sub(prev.alpha, range))) as tf.Scalar,
      beta: tf.sub(prev.beta, tf.mul(k, tf.sub(prev.beta, lo))) as tf.Scalar,
    };
  });
}

/**
 * 8-bit codes and their dequantized values: s = 255/|α|, q = clamp(round((x − β)·s + u − 0.5), 0, 255),
 * x̂ = q/s + β. (The reference clamps only at 0; both ends are clamped here.)
 */
export function mesaQuantize(x: tf.Tensor, { alpha, beta }: MesaRange, u: tf.Tensor | number): { q: tf.Tensor; xHat: tf.Tensor } {
  return tf.tidy(() => {
    const s = tf.div(255, tf.maximum(tf.abs(alpha), 1e-12));
    const q = tf.clipByValue(tf.round(tf.add(tf.mul(tf.sub(x, beta), s), tf.sub(u, 0.5))), 0, 255);
    return { q, xHat: tf.add(tf.div(q, s), beta) };
  });
}

/**
 * x·W with Mesa's 8-bit stored activation (Pan et al., "Mesa: A Memory-saving Training Framework
 * for Transformers", https://arxiv.org/abs/2111.11124). The forward pass is exact; the backward
 * uses x̂: dW = x̂ᵀ·dy, dx = dy·Wᵀ. One group per layer; α, β live in `buffers` as
 * `${name}/mesa.alpha|beta` and are updated once per call. Numerical emulation only: TF.js has
 * no uint8 tensors, so x̂ is kept as float32.
 */
export function createMesaMatMul(buffers: Buffers, options: MesaOptions = {}): (x: tf.Tensor2D, w: tf.Tensor2D, name: string) => tf.Tensor2D {
  const { lambda = 0.9, rounding = 'stochastic', seed = 0 } = options;
  if (!(lambda >= 0 && lambda < 1)) throw new Error(`createMesaMatMul: lambda must be in [0, 1), got ${lambda}`);
  let calls = 0;
  return (x, w, name) => {
    const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [xs, ws, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
      const a = buffers.get(`${name}/mesa.alpha`);
      const b = buffers.get(`${name}/mesa.beta`);
      const range = updateMesaRange(xs, a && b ? { alpha: a as tf.Scalar, beta: b as tf.Scalar } : undefined, lambda);
      buffers.set(`${name}/mesa.alpha`, range.alpha);
      buffers.set(`${name}/mesa.beta`, range.beta);
      calls += 1;
      const u = rounding === 'stochastic' ? tf.randomUniform(xs.shape, 0, 1, 'float32', (seed * 7919 + calls) >>> 0) : rounding;
      save([mesaQuantize(xs, range, u).xHat, ws]);
      return {
        value: tf.matMul(xs, ws),
        gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
          const [xHat, wSaved] = saved as [tf.Tensor2D, tf.Tensor2D];
          const g = dy as tf.Tensor2D;
          return [tf.matMul(g, wSaved, false, true), tf.matMul(xHat, g, true, false)];
        },
      };
    });
    return op(x, w) as tf.Tensor2D;
  };
}
