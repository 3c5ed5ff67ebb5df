import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import type { NamedTensors, StateTree } from '../tree';
import type { GradientTransformation } from './transform';

/** Test helpers; not exported from the package. */

type Values = number[] | number[][];

export function named(values: Readonly<Record<string, Values>>): Record<string, tf.Tensor> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, tf.tensor(v)]));
}

/** One update applied as a run does (w ← w + u); returns the new params and state. */
export function step<S extends StateTree>(
  t: GradientTransformation<S>,
  params: NamedTensors,
  grads: NamedTensors,
  state: S,
): { params: Record<string, tf.Tensor>; state: S } {
  const [updates, next] = t.update(grads, state, params);
  return {
    params: Object.fromEntries(Object.keys(params).map((n) => [n, tf.add(params[n], updates[n])])),
    state: next,
  };
}

/** Within 1e-5 relative, or half a unit of the last of `decimals` printed digits. */
export function expectClose(
  actual: tf.Tensor | number[] | number,
  expected: number | readonly number[] | readonly number[][],
  decimals = 6,
): void {
  const a =
    actual instanceof tf.Tensor
      ? Array.from(actual.dataSync())
      : typeof actual === 'number'
        ? [actual]
        : actual;
  const e = (typeof expected === 'number' ? [expected] : expected.flat()) as number[];
  expect(a.length).toBe(e.length);
  a.forEach((x, i) => {
    const tol = Math.max(1e-5 * Math.abs(e[i]), 0.5 * 10 ** -decimals) + 1e-7 * Math.abs(e[i]);
    expect(Math.abs(x - e[i]), `index ${i}: ${x} vs ${e[i]}`).toBeLessThanOrEqual(tol);
  });
}
