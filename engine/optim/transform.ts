import type { Tensor } from '@tensorflow/tfjs-core';
import type { NamedTensors, StateTree } from '../tree';

/**
 * An optax-style gradient transformation. `update` maps gradients (or the updates of the
 * previous transformation) to new updates and returns the new state; it never mutates.
 * The final updates are *added* to the parameters, so a learning rate enters as −η.
 * State is keyed by parameter name, so a swap of optimizer or a fork is well defined.
 */
export interface GradientTransformation<S extends StateTree = StateTree> {
  init(params: NamedTensors): S;
  /**
   * `lr` is the learning rate of this update, given by the caller (optax's `inject_hyperparams`):
   * a run passes its plan's rate for the step, a schedule is the caller's `schedule(step)`.
   * Absent, each `scaleByLearningRate` uses the rate it was built with. Combinators pass it on;
   * only `scaleByLearningRate` (and `relativeLr`) read it.
   */
  update(
    updates: NamedTensors,
    state: S,
    params: NamedTensors,
    lr?: number,
  ): readonly [NamedTensors, S];
  /** The last trust ratio of each parameter this transformation (or one inside it) holds. */
  trustRatios?(state: S): NamedTensors;
}

/** Selects parameters by name (and, where useful, by the tensor itself, e.g. its rank). */
export type Mask = (name: string, param: Tensor) => boolean;

/** The state of a transformation that keeps none. */
export type EmptyState = { readonly [key: string]: never };

export const EMPTY_STATE: EmptyState = {};
