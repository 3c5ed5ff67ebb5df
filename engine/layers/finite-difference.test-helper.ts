import * as tf from '@tensorflow/tfjs-core';

/**
 * Test helper: compares the TF.js gradient of a scalar function of several tensors with central
 * finite differences (float32, step `eps`) at a few entries of each input. Returns the worst
 * |numeric − analytic| / (atol + rtol·|numeric|); below 1 passes. Reads with dataSync: tests only.
 */
export function gradientError(
  f: (...xs: tf.Tensor[]) => tf.Scalar,
  inputs: readonly tf.Tensor[],
  { eps = 1e-2, atol = 2e-3, rtol = 2e-2, probes = 4 } = {},
): number {
  const grads = tf.grads(f)([...inputs]);
  let worst = 0;
  for (let k = 0; k < inputs.length; k++) {
    const g = grads[k].dataSync();
    const base = inputs[k].dataSync();
    const picks = new Set(
      Array.from({ length: probes }, (_, j) =>
        Math.floor((j * (base.length - 1)) / Math.max(1, probes - 1)),
      ),
    );
    for (const i of picks) {
      const at = (delta: number) => {
        const values = Float32Array.from(base);
        values[i] += delta;
        return tf.tidy(() => {
          const xs = inputs.map((t, j) => (j === k ? tf.tensor(values, t.shape) : t));
          return f(...xs).dataSync()[0];
        });
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      worst = Math.max(worst, Math.abs(numeric - g[i]) / (atol + rtol * Math.abs(numeric)));
    }
  }
  tf.dispose(grads);
  return worst;
}
