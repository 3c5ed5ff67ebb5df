import * as tf from '@tensorflow/tfjs-core';
import { mapNamed, type NamedTensors } from '../tree';
import type { GradientTransformation } from './transform';

export interface LionOptions {
  /** β1, the weight of the momentum in the update's interpolation. */
  readonly beta1: number;
  /** β2, the decay of the momentum itself. */
  readonly beta2: number;
}

export type LionState = { readonly mu: NamedTensors };

/**
 * Lion's interpolation (Chen et al., "Symbolic Discovery of Optimization Algorithms",
 * https://arxiv.org/abs/2302.06675): outputs c = β1·m + (1−β1)·g, then m ← β2·m + (1−β2)·g.
 * Chain `scaleBySign()` after it for Lion's update sign(c).
 */
export function scaleByLion({ beta1, beta2 }: LionOptions): GradientTransformation<LionState> {
  return {
    init: (params) => ({ mu: mapNamed(params, (p) => tf.zerosLike(p)) }),
    update(grads, state) {
      const c = mapNamed(grads, (g, name) =>
        tf.add(tf.mul(state.mu[name], beta1), tf.mul(g, 1 - beta1)),
      );
      const mu = mapNamed(grads, (g, name) =>
        tf.add(tf.mul(state.mu[name], beta2), tf.mul(g, 1 - beta2)),
      );
      return [c, { mu }] as const;
    },
  };
}
