import * as tf from '@tensorflow/tfjs-core';
import { stopGradient } from '../layers/stop-gradient';
import type { DistillConfig } from './schema';

/**
 * Logit distillation (Hinton et al. 2015; Minitron): the student matches the teacher's softened
 * distribution. KD = τ² · KL(softmax(t/τ) ‖ softmax(s/τ)), mean over rows; the τ² keeps the
 * gradient's scale as τ changes.
 */
export function kdLoss(student: tf.Tensor, teacher: tf.Tensor, temperature: number): tf.Scalar {
  return tf.tidy(() => {
    const classes = student.shape[student.rank - 1];
    const s = tf.reshape(student, [-1, classes]);
    const t = tf.reshape(teacher, [-1, classes]);
    const logP = tf.logSoftmax(tf.div(t, temperature));
    const logQ = tf.logSoftmax(tf.div(s, temperature));
    const kl = tf.sum(tf.mul(tf.exp(logP), tf.sub(logP, logQ)), 1);
    return tf.mul(tf.mean(kl), temperature * temperature) as tf.Scalar;
  });
}

/** (1 − weight) · the label loss + weight · KD; the teacher's logits carry no gradient. */
export function distilledLoss(
  labelLoss: tf.Scalar,
  student: tf.Tensor,
  teacher: tf.Tensor,
  config: DistillConfig,
): tf.Scalar {
  const kd = kdLoss(student, stopGradient(teacher), config.temperature);
  if (config.weight === 1) return kd;
  return tf.add(tf.mul(labelLoss, 1 - config.weight), tf.mul(kd, config.weight));
}

/** The parent's frozen forward pass on a batch of the child's inputs, as a task calls it. */
export interface Teacher {
  readonly config: DistillConfig;
  /** The parent's logits on inputs shaped as the task holds them (images, feature rows). */
  logits(x: tf.Tensor): tf.Tensor;
}
