import * as tf from '@tensorflow/tfjs-core';
import { mapNamed, type NamedTensors } from '../tree';
import type { GradientTransformation } from './transform';

export interface RmsOptions {
  /** ρ, the decay of the running mean of g². */
  readonly decay: number;
  /** Added outside the square root. */
  readonly eps: number;
}

export type RmsState = { readonly nu: NamedTensors };

/**
 * RMSProp scaling (Tieleman & Hinton, 2012, Coursera lecture 6.5; as in PyTorch):
 *   v ← ρ·v + (1−ρ)·g²,  u = g/(√v + ε), with v starting at 0 and no bias correction.
 */
export function scaleByRms({ decay, eps }: RmsOptions): GradientTransformation<RmsState> {
  return {
    init: (params) => ({ nu: mapNamed(params, (p) => tf.zerosLike(p)) }),
    update(grads, state) {
      const nu = mapNamed(grads, (g, name) =>
        tf.add(tf.mul(state.nu[name], decay), tf.mul(tf.square(g), 1 - decay)),
      );
      return [
        mapNamed(grads, (g, name) => tf.div(g, tf.add(tf.sqrt(nu[name]), eps))),
        { nu },
      ] as const;
    },
  };
}
