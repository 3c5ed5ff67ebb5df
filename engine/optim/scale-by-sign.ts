import * as tf from '@tensorflow/tfjs-core';
import { mapNamed } from '../tree';
import { EMPTY_STATE, type EmptyState, type GradientTransformation } from './transform';

/** u ← sign(u), elementwise, with sign(0) = 0 (signSGD, Lion). Stateless. */
export function scaleBySign(): GradientTransformation<EmptyState> {
  return {
    init: () => EMPTY_STATE,
    update: (updates) => [mapNamed(updates, (u) => tf.sign(u)), EMPTY_STATE] as const,
  };
}
