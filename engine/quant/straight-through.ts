import * as tf from '@tensorflow/tfjs-core';

type Fn = (x: tf.Tensor) => tf.Tensor;

/** One-input `tf.customGrad` with typed plumbing. */
function customUnary(forward: Fn, backward: (dy: tf.Tensor) => tf.Tensor): Fn {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: forward(args[0] as tf.Tensor),
    gradFunc: (dy: tf.Tensor | tf.Tensor[]) => backward(dy as tf.Tensor),
  }));
  return (x) => op(x);
}

/**
 * Straight-through estimator: the forward pass sees q(x), the backward pass passes the gradient
 * through unchanged (∂q/∂x := I), i.e. x + stopgrad(q(x) − x). TF.js has no public stop-gradient,
 * so this is a `tf.customGrad`; the ops inside `q` are not recorded on the tape.
 */
export function straightThrough(q: Fn): Fn {
  return customUnary(q, (dy) => dy);
}

/** Identity forward; the gradient flowing back is quantized by `q` (gradient fake-quant). */
export function quantizeBackward(q: Fn): Fn {
  return customUnary((x) => tf.clone(x), q);
}
