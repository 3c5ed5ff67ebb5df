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
  update(updates: NamedTensors, state: S, params: NamedTensors): readonly [NamedTensors, S];
}

/** A learning rate: a constant or a function of the 0-based update count. */
export type LearningRate = number | ((count: number) => number);

export function lrAt(lr: LearningRate, count: number): number {
  return typeof lr === 'number' ? lr : lr(count);
}

/** Selects parameters by name (and, where useful, by the tensor itself, e.g. its rank). */
export type Mask = (name: string, param: Tensor) => boolean;

/** The state of a transformation that keeps none. */
export type EmptyState = { readonly [key: string]: never };

export const EMPTY_STATE: EmptyState = {};
