import * as tf from '@tensorflow/tfjs-core';

/**
 * The identity in the forward pass with a zero gradient (TF.js has no public stop-gradient op).
 * The output is a clone, so a caller may dispose the input (a replaced buffer) while the graph
 * that used the output still needs it for the backward pass.
 */
export const stopGradient: (x: tf.Tensor) => tf.Tensor = tf.customGrad(
  (x: tf.Tensor | tf.GradSaveFunc) => ({
    value: tf.clone(x as tf.Tensor),
    gradFunc: (dy: tf.Tensor | tf.Tensor[]) => tf.zerosLike(dy as tf.Tensor),
  }),
);
