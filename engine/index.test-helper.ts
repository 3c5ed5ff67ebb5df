import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import type { GradientTransformation, NamedTensors } from './index';

/** Helpers of the public-surface tests (index.test.ts, readme-examples.test.ts). */

export const values = (t: tf.Tensor) => Array.from(t.dataSync());

export const near = (got: readonly number[], want: readonly number[], tol = 1e-5) =>
  want.forEach((w, i) =>
    expect(Math.abs(got[i] - w), `index ${i}: ${got[i]} vs ${w}`).toBeLessThanOrEqual(
      tol * Math.max(1, Math.abs(w)),
    ),
  );

export const vec = (
  xs: Readonly<Record<string, number[] | number[][]>>,
): Record<string, tf.Tensor> =>
  Object.fromEntries(Object.entries(xs).map(([k, v]) => [k, tf.tensor(v)]));

/** One update w ← w + u, as a run applies it. */
export function applyOnce(
  t: GradientTransformation,
  params: NamedTensors,
  grads: NamedTensors,
): Record<string, number[]> {
  const [u] = t.update(grads, t.init(params), params);
  return Object.fromEntries(Object.keys(params).map((n) => [n, values(tf.add(params[n], u[n]))]));
}
