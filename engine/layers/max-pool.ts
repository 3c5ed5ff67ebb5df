import * as tf from '@tensorflow/tfjs-core';

/**
 * Max pooling over `size`×`size` windows with `stride`, channels last:
 * y[n,i,j,c] = max_{a,b<size} x[n, stride·i+a−p, stride·j+b−p, c]. Padding `'same'`, `'valid'`
 * or p pixels each side (CCT: size 3, stride 2, p 1 takes 28 → 14 → 7). No parameters.
 */
export function maxPool(
  x: tf.Tensor4D,
  size: number,
  stride: number,
  pad: 'same' | 'valid' | number = 'valid',
): tf.Tensor4D {
  return tf.maxPool(x, size, stride, pad);
}
