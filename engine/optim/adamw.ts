import { addDecayedWeights } from './add-decayed-weights';
import { chain } from './chain';
import { scaleByAdam, type AdamOptions } from './scale-by-adam';
import { scaleByLearningRate } from './scale-by-learning-rate';
import type { GradientTransformation, Mask } from './transform';

export interface AdamwOptions extends Partial<AdamOptions> {
  readonly lr: number;
  /** λ, decoupled (0.01, PyTorch's default). */
  readonly weightDecay?: number;
  /** Parameters to decay. Default: all, as in the paper and PyTorch. */
  readonly decayMask?: Mask;
}

/**
 * AdamW (Loshchilov & Hutter, "Decoupled Weight Decay Regularization",
 * https://arxiv.org/abs/1711.05101): w ← w·(1 − ηλ) − η·m̂/(√v̂ + ε).
 * Defaults β1=0.9, β2=0.999, ε=1e-8, λ=0.01.
 */
export function adamw({
  lr,
  beta1 = 0.9,
  beta2 = 0.999,
  eps = 1e-8,
  weightDecay = 0.01,
  decayMask,
}: AdamwOptions): GradientTransformation {
  return chain(
    scaleByAdam({ beta1, beta2, eps }),
    addDecayedWeights({ weightDecay, mask: decayMask }),
    scaleByLearningRate(lr),
  );
}
