import * as tf from '@tensorflow/tfjs-core';
import { mapNamed } from '../tree';
import { EMPTY_STATE, type EmptyState, type GradientTransformation, type Mask } from './transform';

export interface AddDecayedWeightsOptions {
  /** λ. */
  readonly weightDecay: number;
  /** Parameters to decay; the rest pass through. Default: all. */
  readonly mask?: Mask;
}

/**
 * Adds decoupled weight decay to the update: u ← u + λ·w (Loshchilov & Hutter, "Decoupled
 * Weight Decay Regularization", https://arxiv.org/abs/1711.05101). Chained before the learning
 * rate it gives w ← w − η·(u + λw) = w·(1 − ηλ) − η·u. Stateless.
 */
export function addDecayedWeights({
  weightDecay,
  mask,
}: AddDecayedWeightsOptions): GradientTransformation<EmptyState> {
  return {
    init: () => EMPTY_STATE,
    update(updates, state, params) {
      if (weightDecay === 0) return [updates, state] as const;
      const out = mapNamed(updates, (u, name) =>
        mask && !mask(name, params[name]) ? u : tf.add(u, tf.mul(params[name], weightDecay)),
      );
      return [out, EMPTY_STATE] as const;
    },
  };
}
