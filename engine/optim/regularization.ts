import * as tf from '@tensorflow/tfjs-core';
import type { Role } from '../params';
import type { NamedTensors } from '../tree';
import type { RegularizationConfig } from './schema';

/**
 * The gradient of the regularisation penalty, added to the loss gradient before the optimizer
 * sees it, so it works with every optimizer (unlike decoupled weight decay, Adam's moments see
 * it). Only parameters with role 'kernel' are penalised; biases, norms, embeddings, heads and
 * routers pass through.
 *
 * It is a gradient term, not a loss term: the reported loss is the data loss alone.
 * - L1: penalty rate·Σ|w|, gradient rate·sign(w) (the subgradient, 0 at w = 0).
 * - L2: penalty (rate/2)·Σw², gradient rate·w.
 */
export function penaltyGradient(config: RegularizationConfig, w: tf.Tensor): tf.Tensor {
  return config.kind === 'l1' ? tf.mul(tf.sign(w), config.rate) : tf.mul(w, config.rate);
}

/** Whether the config penalises anything. */
export function isRegularized(
  config: RegularizationConfig | undefined,
): config is RegularizationConfig {
  return config !== undefined && config.kind !== 'none' && config.rate > 0;
}

/** The gradients with the penalty's gradient added to each kernel's; others unchanged. */
export function regularizedGradients(
  grads: NamedTensors,
  params: NamedTensors,
  roles: Readonly<Record<string, Role>>,
  config: RegularizationConfig | undefined,
): NamedTensors {
  if (!isRegularized(config)) return grads;
  const out: Record<string, tf.Tensor> = {};
  for (const name of Object.keys(grads)) {
    out[name] =
      roles[name] === 'kernel'
        ? tf.add(grads[name], penaltyGradient(config, params[name]))
        : grads[name];
  }
  return out;
}
