import { addDecayedWeights } from './add-decayed-weights';
import { chain } from './chain';
import { masked } from './masked';
import { adaptableMask, type Roles } from './masks';
import { scaleByAdam } from './scale-by-adam';
import { scaleByLearningRate } from './scale-by-learning-rate';
import { scaleByTrustRatio } from './scale-by-trust-ratio';
import type { GradientTransformation } from './transform';

export interface LambOptions {
  /** η (1e-3). */
  readonly lr?: number;
  /** β1 (0.9). */
  readonly beta1?: number;
  /** β2 (0.999). */
  readonly beta2?: number;
  /** ε outside the square root (1e-6, the reference's). */
  readonly eps?: number;
  /** λ, added inside the update before the trust ratio (0, the reference's; presets use 0.01). */
  readonly weightDecay?: number;
  /** Exclude rank-0/1 tensors and roles 'bias'/'norm' from both λ and the trust ratio (true). */
  readonly excludeBiasAndNorm?: boolean;
  /** Parameter roles, when known (a run passes them). */
  readonly roles?: Roles;
}

/**
 * LAMB (You et al., "Large Batch Optimization for Deep Learning: Training BERT in 76 minutes",
 * https://arxiv.org/abs/1904.00962; reference tensorflow/addons lamb.py), per tensor:
 *   m̂, v̂ as in Adam;  u = m̂/(√v̂ + ε) + λ·w;  r = ‖w‖/‖u‖ (1 if either is 0);  w ← w − η·r·u.
 * An excluded tensor uses r = 1 and no λ. The reference excludes nothing; the default here
 * excludes biases and norm parameters. The last r of each tensor is in the trust-ratio state.
 */
export function lamb({
  lr = 1e-3,
  beta1 = 0.9,
  beta2 = 0.999,
  eps = 1e-6,
  weightDecay = 0,
  excludeBiasAndNorm = true,
  roles,
}: LambOptions = {}): GradientTransformation {
  const include = adaptableMask(excludeBiasAndNorm, roles);
  return chain(
    scaleByAdam({ beta1, beta2, eps }),
    addDecayedWeights({ weightDecay, mask: include }),
    masked(include, scaleByTrustRatio()),
    scaleByLearningRate(lr),
  );
}
