import * as tf from '@tensorflow/tfjs-core';
import { quantizeBackward, straightThrough } from './straight-through';

export type FloatFormat = 'bf16' | 'fp16' | 'e4m3' | 'e5m2';

export interface FormatSpec {
  /** Mantissa bits m. */
  readonly mantissa: number;
  readonly bias: number;
  /** Largest finite value; larger magnitudes saturate to it. */
  readonly max: number;
}

/**
 * docs/algorithms.md#floating-point-formats: bf16 has float32's exponent range; E4M3's max is 448
 * (no infinities).
 */
export const FORMATS: { readonly [F in FloatFormat]: FormatSpec } = {
  bf16: { mantissa: 7, bias: 127, max: (2 - 2 ** -7) * 2 ** 127 },
  fp16: { mantissa: 10, bias: 15, max: 65504 },
  e4m3: { mantissa: 3, bias: 7, max: 448 },
  e5m2: { mantissa: 2, bias: 15, max: 57344 },
};

// 2^k for k in [−126, 127], exact float32 normals; gathered rather than computed with pow, whose
// device implementations (exp2(y·log2 x)) need not be exact. Rebuilt if the backend changes.
let pow2Table: { backend: string; table: tf.Tensor1D } | undefined;

function pow2(k: tf.Tensor): tf.Tensor {
  const backend = tf.getBackend();
  if (!pow2Table || pow2Table.backend !== backend || pow2Table.table.isDisposed) {
    const values = Float32Array.from({ length: 254 }, (_, i) => 2 ** (i - 126));
    pow2Table = { backend, table: tf.keep(tf.tensor1d(values)) };
  }
  return tf.gather(pow2Table.table, tf.add(k, tf.scalar(126, 'int32')));
}

/** x·2^k for int32 k in [−252, 254], as two exact multiplications that never leave the normal range. */
function mulPow2(x: tf.Tensor, k: tf.Tensor): tf.Tensor {
  const k1 = tf.floorDiv(k, tf.scalar(2, 'int32'));
  return tf.mul(tf.mul(x, pow2(k1)), pow2(tf.sub(k, k1)));
}

/**
 * Forward only: round to the nearest value of `format`, ties to even, with saturation:
 * e = max(⌊log₂|x|⌋, 1 − bias), q = 2^(e−m), x̂ = sign(x)·min(RNE(|x|/q)·q, max).
 * ⌊log₂⌋ from log() can be off by one near powers of two, so it is corrected against exact 2^e.
 * Magnitudes below 2^−126 (float32 subnormals, flushed on most GPUs) round to 0 or the subnormal grid.
 */
export function floatFormatQuantize(x: tf.Tensor, format: FloatFormat): tf.Tensor {
  const { mantissa: m, bias, max } = FORMATS[format];
  return tf.tidy(() => {
    const a = tf.abs(x);
    const safe = tf.maximum(a, 2 ** -126);
    let e = tf.cast(tf.clipByValue(tf.floor(tf.div(tf.log(safe), Math.LN2)), -126, 127), 'int32');
    const p = pow2(e);
    e = tf.sub(e, tf.cast(tf.less(safe, p), 'int32'));
    e = tf.add(e, tf.cast(tf.greaterEqual(safe, tf.mul(p, 2)), 'int32'));
    // Not clipByValue: on int32 tensors the WASM backend's kernel clips the float bit patterns (TF.js 4.22).
    e = tf.minimum(tf.maximum(e, tf.scalar(1 - bias, 'int32')), tf.scalar(127, 'int32'));
    const mInt = tf.scalar(m, 'int32');
    const rounded = tf.round(mulPow2(a, tf.sub(mInt, e))); // |x|/q, half to even
    const y = tf.minimum(mulPow2(rounded, tf.sub(e, mInt)), max);
    return tf.mul(tf.sign(x), y);
  });
}

/**
 * With per-tensor scaling: x̂ = Q(x·s)/s, s = max_fmt/amax (1 for an all-zero tensor), so the
 * tensor's largest value lands at the format's largest and small values stay above underflow.
 */
export function scaledFloatFormatQuantize(x: tf.Tensor, format: FloatFormat): tf.Tensor {
  return tf.tidy(() => {
    const amax = tf.max(tf.abs(x));
    const s = tf.where(
      tf.greater(amax, 0),
      tf.div(FORMATS[format].max, tf.maximum(amax, 1e-30)),
      tf.onesLike(amax),
    );
    return tf.div(floatFormatQuantize(tf.mul(x, s), format), s);
  });
}

function quantizerOf(format: FloatFormat, perTensorScaling: boolean): (x: tf.Tensor) => tf.Tensor {
  // bf16 has float32's range, so scaling would only move values toward its saturation point.
  return perTensorScaling && format !== 'bf16'
    ? (x) => scaledFloatFormatQuantize(x, format)
    : (x) => floatFormatQuantize(x, format);
}

/** Emulated low-precision values in the forward pass, straight-through gradient. */
export function floatFormat(
  x: tf.Tensor,
  format: FloatFormat,
  perTensorScaling = false,
): tf.Tensor {
  return straightThrough(quantizerOf(format, perTensorScaling))(x);
}

/** Identity forward; the gradient arriving at `x` is rounded to `format` on the way back. */
export function floatFormatGradient(
  x: tf.Tensor,
  format: FloatFormat,
  perTensorScaling = false,
): tf.Tensor {
  return quantizeBackward(quantizerOf(format, perTensorScaling))(x);
}
