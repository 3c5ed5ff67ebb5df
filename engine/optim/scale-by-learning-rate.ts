import * as tf from '@tensorflow/tfjs-core';
import { mapNamed, type NamedTensors, type StateTree } from '../tree';
import { EMPTY_STATE, type EmptyState, type GradientTransformation } from './transform';

/**
 * u ← −η·u, with η the learning rate the update is given, or `lr` when it is given none.
 * Stateless: the caller owns the step, so a schedule is read where the step is known.
 */
export function scaleByLearningRate(lr: number): GradientTransformation<EmptyState> {
  return {
    init: () => EMPTY_STATE,
    update(updates, _state, _params, injected) {
      const scale = tf.scalar(-(injected ?? lr));
      return [mapNamed(updates, (u) => tf.mul(u, scale)), EMPTY_STATE] as const;
    },
  };
}

/**
 * `inner` given `factor` times the learning rate of each update (none when the update has none):
 * a second rate that keeps its ratio to the first, as Muon's AdamW side does to its main rate.
 */
export function relativeLr<S extends StateTree>(
  factor: number,
  inner: GradientTransformation<S>,
): GradientTransformation<S> {
  return {
    init: (params) => inner.init(params),
    update: (updates, state, params, lr) =>
      inner.update(updates, state, params, lr === undefined ? undefined : lr * factor),
    trustRatios: (state): NamedTensors => inner.trustRatios?.(state) ?? {},
  };
}
