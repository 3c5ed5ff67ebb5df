import * as tf from '@tensorflow/tfjs-core';
import { mapNamed } from '../tree';
import { EMPTY_STATE, type EmptyState, type GradientTransformation } from './transform';

/**
 * Clips by the global norm over all parameters (Pascanu et al., "On the difficulty of training
 * recurrent neural networks", https://arxiv.org/abs/1211.5063):
 *   u ← u·min(1, c/‖u‖), ‖u‖ = √(Σ over every tensor of Σu²). Stateless.
 */
export function clipByGlobalNorm(maxNorm: number): GradientTransformation<EmptyState> {
  if (!(maxNorm > 0)) throw new Error(`clipByGlobalNorm: maxNorm must be > 0, got ${maxNorm}`);
  return {
    init: () => EMPTY_STATE,
    update(updates) {
      const names = Object.keys(updates);
      if (names.length === 0) return [updates, EMPTY_STATE] as const;
      const norm = tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(updates[n])))));
      // c / max(‖u‖, c) is min(1, c/‖u‖) and stays finite when ‖u‖ = 0.
      const scale = tf.div(maxNorm, tf.maximum(norm, maxNorm));
      return [mapNamed(updates, (u) => tf.mul(u, scale)), EMPTY_STATE] as const;
    },
  };
}
