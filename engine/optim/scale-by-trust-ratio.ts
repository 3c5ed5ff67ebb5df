import * as tf from '@tensorflow/tfjs-core';
import { mapNamed, type NamedTensors, type StateTree } from '../tree';
import type { GradientTransformation } from './transform';

export interface TrustRatioOptions {
  /** η_tc: 1 for LAMB, 0.001 ("eeta") for LARS. */
  readonly trustCoefficient?: number;
}

/** The last trust ratio of each parameter, a scalar tensor, so a run can stream it. */
export type TrustRatioState = { readonly ratios: NamedTensors };

/**
 * Layer-wise trust ratio: u ← r·u with r = η_tc·‖w‖₂/‖u‖₂ over the whole tensor, and r = 1 when
 * either norm is 0. LAMB (You et al., "Large Batch Optimization for Deep Learning",
 * https://arxiv.org/abs/1904.00962) applies it to the Adam direction plus decay (η_tc = 1);
 * LARS (You et al., "Large Batch Training of Convolutional Networks",
 * https://arxiv.org/abs/1708.03888) to g + λw with η_tc = 0.001.
 */
export function scaleByTrustRatio({
  trustCoefficient = 1,
}: TrustRatioOptions = {}): GradientTransformation<TrustRatioState> {
  return {
    init: (params) => ({ ratios: mapNamed(params, () => tf.scalar(1)) }),
    update(updates, _state, params) {
      const ratios = mapNamed(updates, (u, name) => {
        const wNorm = tf.norm(params[name]);
        const uNorm = tf.norm(u);
        const both = tf.logicalAnd(tf.greater(wNorm, 0), tf.greater(uNorm, 0));
        // Divide by 1 where u is 0, so the unused branch is finite too.
        const safe = tf.where(tf.greater(uNorm, 0), uNorm, tf.onesLike(uNorm));
        return tf.where(both, tf.mul(tf.div(wNorm, safe), trustCoefficient), tf.onesLike(wNorm));
      });
      return [mapNamed(updates, (u, name) => tf.mul(u, ratios[name])), { ratios }] as const;
    },
    trustRatios: (state) => state.ratios,
  };
}

/**
 * The last trust ratio of each parameter in the state of `optimizer` (LAMB, LARS or any chain
 * holding `scaleByTrustRatio`), by parameter name; empty for optimizers without one.
 */
export function trustRatiosOf<S extends StateTree>(
  optimizer: GradientTransformation<S>,
  state: S,
): NamedTensors {
  return optimizer.trustRatios?.(state) ?? {};
}
