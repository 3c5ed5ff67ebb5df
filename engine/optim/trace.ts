import * as tf from '@tensorflow/tfjs-core';
import { mapNamed, type NamedTensors } from '../tree';
import type { GradientTransformation } from './transform';

export interface TraceOptions {
  /** μ (or β). */
  readonly decay: number;
  /** Nesterov look-ahead: output s·u + μ·m instead of m. */
  readonly nesterov?: boolean;
  /** Exponential moving average: the new update enters with s = 1 − μ instead of s = 1 (Muon). */
  readonly ema?: boolean;
}

export type TraceState = { readonly momentum: NamedTensors };

/**
 * Momentum (Polyak, 1964; Sutskever et al., 2013, http://proceedings.mlr.press/v28/sutskever13.html):
 *   m ← μ·m + s·u,  output m, or s·u + μ·m with Nesterov,
 * where s = 1 (heavy ball, as in PyTorch SGD) or s = 1 − μ (an EMA, as in Muon).
 */
export function trace({
  decay,
  nesterov = false,
  ema = false,
}: TraceOptions): GradientTransformation<TraceState> {
  const s = ema ? 1 - decay : 1;
  return {
    init: (params) => ({ momentum: mapNamed(params, (p) => tf.zerosLike(p)) }),
    update(updates, state) {
      const momentum = mapNamed(updates, (u, name) =>
        tf.add(tf.mul(state.momentum[name], decay), tf.mul(u, s)),
      );
      const out = nesterov
        ? mapNamed(updates, (u, name) => tf.add(tf.mul(u, s), tf.mul(momentum[name], decay)))
        : momentum;
      return [out, { momentum }] as const;
    },
  };
}
