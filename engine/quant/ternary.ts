import * as tf from '@tensorflow/tfjs-core';
import { straightThrough } from './straight-through';

/** How BitNet b1.58 sets the per-tensor scale γ: mean|W| (b1.58) or median|W| (Reloaded's default). */
export type TernaryScale = 'absmean' | 'absmedian';

/**
 * The median of `x` over all elements, the **lower** middle value for an even count (as
 * `torch.median`): the ⌊(n−1)/2⌋-th smallest, read from a top-k of −x.
 */
export function lowerMedian(x: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const flat = tf.reshape(x, [-1]);
    const k = Math.floor((flat.size - 1) / 2) + 1;
    const smallest = tf.neg(tf.topk(tf.neg(flat), k, true).values); // ascending, k smallest
    return tf.reshape(tf.slice(smallest, [k - 1], [1]), []) as tf.Scalar;
  });
}

/** γ = max(mean|W| or lower-median|W|, 1e-5). */
export function ternaryScale(w: tf.Tensor, scale: TernaryScale): tf.Scalar {
  return tf.tidy(() => {
    const a = tf.abs(w);
    return tf.maximum(scale === 'absmean' ? tf.mean(a) : lowerMedian(a), 1e-5) as tf.Scalar;
  });
}

/** Forward only: W_q = clamp(round(W/γ), −1, 1)·γ (round half to even, as `tf.round`). */
export function ternaryQuantize(w: tf.Tensor, scale: TernaryScale): tf.Tensor {
  return tf.tidy(() => {
    const gamma = ternaryScale(w, scale);
    return tf.mul(tf.clipByValue(tf.round(tf.div(w, gamma)), -1, 1), gamma);
  });
}

/**
 * BitNet b1.58 ternary weights with a straight-through gradient to the latent float weights
 * (Ma et al., "The Era of 1-bit LLMs: All Large Language Models are in 1.58 Bits",
 * https://arxiv.org/abs/2402.17764; absmedian from Nielsen & Schneider-Kamp, "BitNet b1.58
 * Reloaded", https://arxiv.org/abs/2407.09527).
 */
export function ternary(w: tf.Tensor, scale: TernaryScale): tf.Tensor {
  return straightThrough((x) => ternaryQuantize(x, scale))(w);
}
