import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_FEATURES, TOY_2D_FEATURES, type Toy2DFeature } from './schema';

/** One feature of the points' columns x1, x2 (each [n, 1]). */
function feature(name: Toy2DFeature, x1: tf.Tensor2D, x2: tf.Tensor2D): tf.Tensor2D {
  switch (name) {
    case 'x1':
      return x1;
    case 'x2':
      return x2;
    case 'x1^2':
      return tf.square(x1);
    case 'x2^2':
      return tf.square(x2);
    case 'x1x2':
      return tf.mul(x1, x2);
    case 'sin x1':
      return tf.sin(tf.mul<tf.Tensor2D>(x1, Math.PI));
    case 'sin x2':
      return tf.sin(tf.mul<tf.Tensor2D>(x2, Math.PI));
  }
}

/** The enabled features in their canonical order (`TOY_2D_FEATURES`), without repeats. */
export function orderedFeatures(features: readonly Toy2DFeature[] | undefined): Toy2DFeature[] {
  const on = new Set(features ?? DEFAULT_FEATURES);
  return TOY_2D_FEATURES.filter((f) => on.has(f));
}

/**
 * Maps 2-D points [n, 2] to the network's inputs [n, k], one column per enabled feature in
 * `TOY_2D_FEATURES` order. The same map serves training, evaluation and the decision-boundary
 * grid, so the plane the user sees is the plane the network learned.
 */
export function toFeatures(
  points: tf.Tensor2D,
  features: readonly Toy2DFeature[] | undefined,
): tf.Tensor2D {
  const names = orderedFeatures(features);
  return tf.tidy(() => {
    const [x1, x2] = tf.split<tf.Tensor2D>(points, 2, 1);
    return tf.concat(
      names.map((f) => feature(f, x1, x2)),
      1,
    );
  });
}
