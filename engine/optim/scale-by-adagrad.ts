import * as tf from '@tensorflow/tfjs-core';
import { mapNamed, type NamedTensors } from '../tree';
import type { GradientTransformation } from './transform';

export interface AdagradOptions {
  /** Starting value of the accumulator G (0.1 in TensorFlow and optax). */
  readonly initialAccumulator: number;
  /** Added outside the square root. */
  readonly eps: number;
}

export type AdagradState = { readonly sumOfSquares: NamedTensors };

/**
 * Adagrad scaling (Duchi, Hazan & Singer, 2011, https://jmlr.org/papers/v12/duchi11a.html):
 *   G ← G + g²,  u = g/(√G + ε).
 */
export function scaleByAdagrad({
  initialAccumulator,
  eps,
}: AdagradOptions): GradientTransformation<AdagradState> {
  return {
    init: (params) => ({
      sumOfSquares: mapNamed(params, (p) => tf.fill(p.shape, initialAccumulator)),
    }),
    update(grads, state) {
      const sumOfSquares = mapNamed(grads, (g, name) =>
        tf.add(state.sumOfSquares[name], tf.square(g)),
      );
      return [
        mapNamed(grads, (g, name) => tf.div(g, tf.add(tf.sqrt(sumOfSquares[name]), eps))),
        { sumOfSquares },
      ] as const;
    },
  };
}
