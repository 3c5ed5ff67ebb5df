import * as tf from '@tensorflow/tfjs-core';

/**
 * Mean softmax cross-entropy: −mean_i log softmax(z_i)[y_i], with integer labels.
 * Computed through logSoftmax, which is stable for large logits.
 */
export function softmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const classes = logits.shape[1];
  const oneHot = tf.oneHot(tf.cast(labels, 'int32'), classes);
  return tf.neg(tf.mean<tf.Scalar>(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1)));
}

/** Mean squared error over all elements: mean((ŷ − y)²). */
export function meanSquaredError(pred: tf.Tensor, target: tf.Tensor): tf.Scalar {
  return tf.mean(tf.squaredDifference(pred, target));
}

/** Fraction of rows whose largest logit is at the label. */
export function accuracy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(labels, 'int32')), 'float32'));
}
