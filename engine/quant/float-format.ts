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

/** x·2^k for a constant integer k in [−252, 254], as two exact multiplications by float32 normals. */
function mulPow2(x: tf.Tensor, k: number): tf.Tensor {
  const k1 = Math.floor(k / 2);
  return tf.mul(tf.mul(x, 2 ** k1), 2 ** (k - k1));
}

/**
 * a ≥ 0 rounded to its m + 1 leading significant bits, to nearest (Veltkamp's split):
 * c = a·(2^(23−m) + 1), hi = c − (c − a). Three float32 operations, no exponent extraction; each
 * TF.js op stores its result as float32, so no compiler can fuse them away. `c` overflows above
 * 2^(127−(23−m)); formats that reach that high (bf16) split large values by 2^64 first.
 */
function roundSignificand(a: tf.Tensor, m: number, max: number): tf.Tensor {
  const split = 2 ** (23 - m) + 1;
  const veltkamp = (v: tf.Tensor) => {
    const c = tf.mul(v, split);
    return tf.sub(c, tf.sub(c, v));
  };
  if (max * split < 2 ** 127) return veltkamp(a);
  const big = tf.greater(a, 2 ** 64);
  return tf.where(big, mulPow2(veltkamp(mulPow2(a, -64)), 64), veltkamp(a));
}

/**
 * Forward only: round to the nearest value of `format`, ties to even, with saturation
 * (docs/algorithms.md#floating-point-formats). Magnitudes are first clipped to the format's max
 * (which lies on its grid, so this equals rounding then saturating). At or above the smallest
 * normal 2^(1−bias) the value keeps m bits after its leading one; below it, the subnormal grid
 * has the fixed step 2^(1−bias−m): x̂ = RNE(|x|·2^(m+bias−1))·2^(1−bias−m). Elementwise ops only
 * (no gather, no int32), which keeps the emulation cheap on the WASM backend.
 */
export function floatFormatQuantize(x: tf.Tensor, format: FloatFormat): tf.Tensor {
  const { mantissa: m, bias, max } = FORMATS[format];
  const gridExponent = 1 - bias - m;
  return tf.tidy(() => {
    const a = tf.minimum(tf.abs(x), max);
    const normal = roundSignificand(a, m, max);
    const subnormal = mulPow2(tf.round(mulPow2(a, -gridExponent)), gridExponent);
    const y = tf.where(tf.less(a, 2 ** (1 - bias)), subnormal, normal);
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
