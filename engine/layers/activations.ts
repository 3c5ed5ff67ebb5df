import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '../config';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** GELU, tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
function gelu(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(SQRT_2_OVER_PI, tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
  return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
}

const ACTIVATION_FNS: Record<Activation, (x: tf.Tensor) => tf.Tensor> = {
  relu: tf.relu,
  tanh: tf.tanh,
  sigmoid: tf.sigmoid,
  gelu,
  linear: (x) => x,
};

export function activate(kind: Activation, x: tf.Tensor): tf.Tensor {
  return ACTIVATION_FNS[kind](x);
}

/**
 * The activations a fused matMul can also differentiate (TF.js has fused gradients only for
 * these); others are applied after the product.
 */
export type FusedActivation = 'relu' | 'linear';

export function fusable(kind: Activation): kind is FusedActivation {
  return kind === 'relu' || kind === 'linear';
}
