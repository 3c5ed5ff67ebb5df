import * as tf from '@tensorflow/tfjs-core';
import { mapNamed, type NamedTensors } from '../tree';
import type { GradientTransformation } from './transform';

export interface AdamOptions {
  readonly beta1: number;
  readonly beta2: number;
  /** Added outside the square root: m̂ / (√v̂ + ε). */
  readonly eps: number;
}

export interface AdamState {
  readonly [key: string]: number | NamedTensors;
  readonly count: number;
  readonly mu: NamedTensors;
  readonly nu: NamedTensors;
}

/**
 * Scale by Adam's moments (Kingma & Ba, 2015):
 *   m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²,
 *   u = m̂ / (√v̂ + ε) with m̂ = m/(1−β1^t), v̂ = v/(1−β2^t).
 */
export function scaleByAdam({ beta1, beta2, eps }: AdamOptions): GradientTransformation<AdamState> {
  return {
    init: (params) => ({
      count: 0,
      mu: mapNamed(params, (p) => tf.zerosLike(p)),
      nu: mapNamed(params, (p) => tf.zerosLike(p)),
    }),
    update(grads, state) {
      const t = state.count + 1;
      const c1 = 1 / (1 - beta1 ** t);
      const c2 = 1 / (1 - beta2 ** t);
      const mu = mapNamed(grads, (g, name) =>
        tf.add(tf.mul(state.mu[name], beta1), tf.mul(g, 1 - beta1)),
      );
      const nu = mapNamed(grads, (g, name) =>
        tf.add(tf.mul(state.nu[name], beta2), tf.mul(tf.square(g), 1 - beta2)),
      );
      const updates = mapNamed(grads, (_g, name) =>
        tf.div(tf.mul(mu[name], c1), tf.add(tf.sqrt(tf.mul(nu[name], c2)), eps)),
      );
      return [updates, { count: t, mu, nu }] as const;
    },
  };
}
