import { addDecayedWeights } from './add-decayed-weights';
import { chain } from './chain';
import { masked } from './masked';
import { adaptableMask, type Roles } from './masks';
import { scaleByLearningRate } from './scale-by-learning-rate';
import { scaleByTrustRatio } from './scale-by-trust-ratio';
import { trace } from './trace';
import type { GradientTransformation } from './transform';

export interface LarsOptions {
  /** η (1.0: r ≈ 1e-3·‖w‖/‖g‖ is small, so LARS needs base rates of order 1–10). */
  readonly lr?: number;
  /** μ (0.9). */
  readonly momentum?: number;
  /** η_tc, "eeta" (0.001). */
  readonly trustCoefficient?: number;
  /** λ (0, the reference code's). */
  readonly weightDecay?: number;
  readonly nesterov?: boolean;
  /** Exclude rank-0/1 tensors and roles 'bias'/'norm' from λ and the trust ratio (true, as SimCLR). */
  readonly excludeBiasAndNorm?: boolean;
  readonly roles?: Roles;
}

/**
 * LARS (You, Gitman & Ginsburg, "Large Batch Training of Convolutional Networks",
 * https://arxiv.org/abs/1708.03888; reference google-research/simclr lars_optimizer.py,
 * classic momentum), per tensor:
 *   g' = g + λw;  r = η_tc·‖w‖/‖g'‖ (1 if either is 0);  v ← μv + η·r·g';  w ← w − v,
 * or with Nesterov w ← w − (μ·v + η·r·g'). Excluded tensors use r = 1 and no λ.
 */
export function lars({
  lr = 1,
  momentum = 0.9,
  trustCoefficient = 0.001,
  weightDecay = 0,
  nesterov = false,
  excludeBiasAndNorm = true,
  roles,
}: LarsOptions = {}): GradientTransformation {
  const include = adaptableMask(excludeBiasAndNorm, roles);
  return chain(
    addDecayedWeights({ weightDecay, mask: include }),
    masked(include, scaleByTrustRatio({ trustCoefficient })),
    scaleByLearningRate(lr),
    trace({ decay: momentum, nesterov }),
  );
}
