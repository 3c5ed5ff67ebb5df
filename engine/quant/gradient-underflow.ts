import * as tf from '@tensorflow/tfjs-core';
import type { Quantizer } from '../layers/context';
import { floatFormatQuantize, scaledFloatFormatQuantize, type FloatFormat } from './float-format';

/**
 * How many of a backward pass's gradients a low-precision format would lose: the gradient dy
 * arriving at each chosen dense layer's output, before any rounding the run itself applies, and
 * for each format the fraction of its nonzero values that the format rounds to exactly zero.
 */

/** The formats measured: gradient formats as the quant config names them, with or without scaling. */
export const UNDERFLOW_FORMATS = {
  bf16: { format: 'bf16', scaled: false },
  e5m2: { format: 'e5m2', scaled: false },
  e5m2Scaled: { format: 'e5m2', scaled: true },
  fp16: { format: 'fp16', scaled: false },
} as const satisfies Record<string, { format: FloatFormat; scaled: boolean }>;

export type UnderflowKey = keyof typeof UNDERFLOW_FORMATS;

/**
 * `inner` with every `matMul` output of a layer that `captures` names wrapped in an identity whose
 * gradient is kept in `sink` (kept out of any tidy; the caller disposes it). The gradient is taken
 * where it reaches the product, so a gradient format of `inner` rounds it only after it is kept.
 */
export function capturingQuantizer(
  inner: Quantizer,
  captures: (layer: string) => boolean,
  sink: tf.Tensor[],
): Quantizer {
  const keepGradient = tf.customGrad((x: tf.Tensor | tf.GradSaveFunc) => ({
    value: tf.clone(x as tf.Tensor),
    gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
      const g = Array.isArray(dy) ? dy[0] : dy;
      sink.push(tf.keep(tf.clone(g)));
      return tf.clone(g);
    },
  }));
  return {
    // A layer given back its own weight may run as one fused kernel and skip `matMul`: a clone
    // keeps the captured layers on the hook (the same numbers).
    weight(w, role, name) {
      const seen = inner.weight(w, role, name);
      return seen === w && captures(name.replace(/\/w$/, '')) ? tf.clone(w) : seen;
    },
    activation: (x, name) => inner.activation(x, name),
    matMul(x, w, name) {
      const y = inner.matMul(x, w, name);
      return captures(name) ? (keepGradient(y) as tf.Tensor2D) : y;
    },
  };
}

/** For each format, the fraction of the nonzero values of `gradients` that it rounds to zero. */
export async function underflowFractions(
  gradients: readonly tf.Tensor[],
): Promise<Record<UnderflowKey, number>> {
  const keys = Object.keys(UNDERFLOW_FORMATS) as UnderflowKey[];
  const counts = tf.tidy(() => {
    // Per-tensor scaling scales each layer's gradient by its own largest value, as training would.
    const perFormat = keys.map((k) => {
      const { format, scaled } = UNDERFLOW_FORMATS[k];
      const lost = gradients.map((g) => {
        const q = scaled ? scaledFloatFormatQuantize(g, format) : floatFormatQuantize(g, format);
        return tf.sum(tf.cast(tf.logicalAnd(tf.notEqual(g, 0), tf.equal(q, 0)), 'float32'));
      });
      return lost.length ? tf.addN(lost) : tf.scalar(0);
    });
    const nonzero = gradients.map((g) => tf.sum(tf.cast(tf.notEqual(g, 0), 'float32')));
    return tf.stack([...perFormat, nonzero.length ? tf.addN(nonzero) : tf.scalar(0)]);
  });
  const values = await counts.data();
  counts.dispose();
  const total = values[keys.length];
  return Object.fromEntries(
    keys.map((k, i) => [k, total > 0 ? values[i] / total : Number.NaN]),
  ) as Record<UnderflowKey, number>;
}

/**
 * One backward pass of `loss` (given the quantizer to use and the parameters), keeping the
 * gradient at the output of every layer `captures` names, and the fraction each format loses
 * (`underflowFractions`). The gradients of the parameters are dropped.
 */
export async function measureGradientUnderflow(
  loss: (quant: Quantizer, ...params: tf.Tensor[]) => tf.Scalar,
  inner: Quantizer,
  captures: (layer: string) => boolean,
  params: readonly tf.Tensor[],
): Promise<Record<UnderflowKey, number>> {
  const sink: tf.Tensor[] = [];
  try {
    const quant = capturingQuantizer(inner, captures, sink);
    tf.tidy(() => {
      tf.grads((...ps: tf.Tensor[]) => loss(quant, ...ps))([...params]);
    });
    return await underflowFractions(sink);
  } finally {
    tf.dispose(sink);
  }
}
