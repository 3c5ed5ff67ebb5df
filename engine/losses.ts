import * as tf from '@tensorflow/tfjs-core';

/**
 * Mean softmax cross-entropy: −mean log softmax(z)[y] over every leading position (rows, tokens,
 * images), with integer labels; logits `[..., classes]`, labels `[...]`. Computed through
 * logSoftmax, which is stable for large logits.
 */
export function softmaxCrossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  const classes = logits.shape[logits.rank - 1];
  const z = tf.reshape(logits, [-1, classes]);
  const oneHot = tf.oneHot(tf.cast(tf.reshape(labels, [-1]), 'int32'), classes);
  return tf.neg(tf.mean<tf.Scalar>(tf.sum(tf.mul(oneHot, tf.logSoftmax(z)), 1)));
}

/** Mean squared error over all elements: mean((ŷ − y)²). */
export function meanSquaredError(pred: tf.Tensor, target: tf.Tensor): tf.Scalar {
  return tf.mean(tf.squaredDifference(pred, target));
}

/** Fraction of positions (rows, tokens) whose largest logit is at the label. */
export function accuracy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  const classes = logits.shape[logits.rank - 1];
  const predicted = tf.argMax(tf.reshape(logits, [-1, classes]), 1);
  const hit = tf.equal(predicted, tf.cast(tf.reshape(labels, [-1]), 'int32'));
  return tf.mean<tf.Scalar>(tf.cast(hit, 'float32'));
}
