import type { OptimizerKind } from './schema';

/** How the learning rate follows the batch size: not at all, η·B/B₀, η·√(B/B₀), or by optimizer. */
export type BatchScalingRule = 'off' | 'linear' | 'sqrt' | 'auto';

export const BATCH_SCALING_RULES: readonly BatchScalingRule[] = ['off', 'linear', 'sqrt', 'auto'];

/**
 * The rule `auto` picks. SGD-family steps are proportional to g, so their stable step grows with B
 * (linear); adaptive and sign/orthogonalized steps are normalized, so noise enters through the
 * preconditioner (square root). RMSProp, Adagrad, Lion and Muon are put with Adam by that reading.
 */
export const OPTIMIZER_FAMILY: { readonly [K in OptimizerKind]: 'linear' | 'sqrt' } = {
  sgd: 'linear',
  momentum: 'linear',
  nesterov: 'linear',
  lars: 'linear',
  adam: 'sqrt',
  adamw: 'sqrt',
  lamb: 'sqrt',
  rmsprop: 'sqrt',
  adagrad: 'sqrt',
  lion: 'sqrt',
  muon: 'sqrt',
};

/**
 * The learning rate for batch size `batch`, given `lr` tuned at `refBatch` (Granziol et al.,
 * "Learning Rates as a Function of Batch Size: A Random Matrix Theory Approach to Neural Network
 * Training", https://arxiv.org/abs/2006.09092):
 *   linear: η·B/B₀ (SGD family);  sqrt: η·√(B/B₀) (Adam family);  auto: by `kind`;  off: η.
 */
export function scaledLr(lr: number, batch: number, refBatch: number, rule: BatchScalingRule, kind: OptimizerKind): number {
  if (!(batch > 0) || !(refBatch > 0)) throw new Error(`scaledLr: batch sizes must be > 0, got ${batch} and ${refBatch}`);
  const r = rule === 'auto' ? OPTIMIZER_FAMILY[kind] : rule;
  if (r === 'off') return lr;
  const ratio = batch / refBatch;
  return r === 'linear' ? lr * ratio : lr * Math.sqrt(ratio);
}
