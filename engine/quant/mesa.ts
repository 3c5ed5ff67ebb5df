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
export function updateMesaRange(
  x: tf.Tensor,
  prev: MesaRange | undefined,
  lambda: number,
): MesaRange {
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
export function mesaQuantize(
  x: tf.Tensor,
  { alpha, beta }: MesaRange,
  u: tf.Tensor | number,
): { q: tf.Tensor; xHat: tf.Tensor } {
  return tf.tidy(() => {
    const s = tf.div(255, tf.maximum(tf.abs(alpha), 1e-12));
    const q = tf.clipByValue(tf.round(tf.add(tf.mul(tf.sub(x, beta), s), tf.sub(u, 0.5))), 0, 255);
    return { q, xHat: dequantize(q, { alpha, beta }) };
  });
}

/** Three 8-bit codes per float32: q0 + 256·q1 + 65536·q2 < 2²⁴ is exact in float32's mantissa. */
const PACK = [1, 256, 65536] as const;

/**
 * Packs integer codes in [0, 255] three to a float32 (TF.js has no 8-bit dtype), so the tensor the
 * backward pass keeps is 4/3 bytes a code. Exact: every sum stays below 2²⁴.
 */
export function packCodes(q: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const flat = tf.reshape(q, [-1]);
    const pad = (3 - (flat.size % 3)) % 3;
    const rows = tf.reshape(pad ? tf.concat([flat, tf.zeros([pad])]) : flat, [-1, 3]);
    return tf.sum(tf.mul(rows, tf.tensor1d([...PACK])), 1) as tf.Tensor1D;
  });
}

/** The codes `packCodes` packed, back in `shape`. Divisions by powers of two are exact. */
export function unpackCodes(packed: tf.Tensor1D, shape: readonly number[]): tf.Tensor {
  return tf.tidy(() => {
    const q2 = tf.floor(tf.div(packed, PACK[2]));
    const rest = tf.sub(packed, tf.mul(q2, PACK[2]));
    const q1 = tf.floor(tf.div(rest, PACK[1]));
    const q0 = tf.sub(rest, tf.mul(q1, PACK[1]));
    const n = shape.reduce((a, b) => a * b, 1);
    return tf.reshape(tf.slice(tf.reshape(tf.stack([q0, q1, q2], 1), [-1]), [0], [n]), [...shape]);
  });
}

/** x̂ = q/s + β with s = 255/|α|, the dequantization of `mesaQuantize`. */
function dequantize(q: tf.Tensor, { alpha, beta }: MesaRange): tf.Tensor {
  return tf.tidy(() => tf.add(tf.div(q, tf.div(255, tf.maximum(tf.abs(alpha), 1e-12))), beta));
}

/**
 * x·W with Mesa's 8-bit stored activation (Pan et al., "Mesa: A Memory-saving Training Framework
 * for Transformers", https://arxiv.org/abs/2111.11124). The forward pass is exact; the backward
 * uses x̂: dW = x̂ᵀ·dy, dx = dy·Wᵀ. One group per layer; α, β live in `buffers` as
 * `${name}/mesa.alpha|beta` and are updated once per call. What the backward pass keeps is the
 * 8-bit codes, packed three to a float32 (TF.js has no uint8 tensors), and α, β: x̂ is rebuilt
 * from them in the backward pass.
 */
export function createMesaMatMul(
  buffers: Buffers,
  options: MesaOptions = {},
): (x: tf.Tensor2D, w: tf.Tensor2D, name: string) => tf.Tensor2D {
  const { lambda = 0.9, rounding = 'stochastic', seed = 0 } = options;
  if (!(lambda >= 0 && lambda < 1))
    throw new Error(`createMesaMatMul: lambda must be in [0, 1), got ${lambda}`);
  let calls = 0;
  return (x, w, name) => {
    const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [xs, ws, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
      const a = buffers.get(`${name}/mesa.alpha`);
      const b = buffers.get(`${name}/mesa.beta`);
      const range = updateMesaRange(
        xs,
        a && b ? { alpha: a as tf.Scalar, beta: b as tf.Scalar } : undefined,
        lambda,
      );
      buffers.set(`${name}/mesa.alpha`, range.alpha);
      buffers.set(`${name}/mesa.beta`, range.beta);
      calls += 1;
      const u =
        rounding === 'stochastic'
          ? tf.randomUniform(xs.shape, 0, 1, 'float32', (seed * 7919 + calls) >>> 0)
          : rounding;
      save([packCodes(mesaQuantize(xs, range, u).q), ws, range.alpha, range.beta]);
      const shape = xs.shape;
      return {
        value: tf.matMul(xs, ws),
        gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
          const [packed, wSaved, alpha, beta] = saved as [
            tf.Tensor1D,
            tf.Tensor2D,
            tf.Scalar,
            tf.Scalar,
          ];
          const xHat = dequantize(unpackCodes(packed, shape), { alpha, beta }) as tf.Tensor2D;
          const g = dy as tf.Tensor2D;
          return [tf.matMul(g, wSaved, false, true), tf.matMul(xHat, g, true, false)];
        },
      };
    });
    return op(x, w) as tf.Tensor2D;
  };
}
