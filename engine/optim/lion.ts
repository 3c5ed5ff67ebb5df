import { addDecayedWeights } from './add-decayed-weights';
import { chain } from './chain';
import { scaleByLearningRate } from './scale-by-learning-rate';
import { scaleByLion } from './scale-by-lion';
import { scaleBySign } from './scale-by-sign';
import type { GradientTransformation, Mask } from './transform';

export interface LionConfig {
  /** η (1e-4; use 3–10× less than AdamW's). */
  readonly lr?: number;
  /** β1 (0.9). */
  readonly beta1?: number;
  /** β2 (0.99). */
  readonly beta2?: number;
  /** λ, decoupled (0; use 3–10× more than AdamW's). */
  readonly weightDecay?: number;
  /** Parameters to decay. Default: all. */
  readonly decayMask?: Mask;
}

/**
 * Lion (Chen et al., "Symbolic Discovery of Optimization Algorithms", https://arxiv.org/abs/2302.06675;
 * reference google/automl lion_pytorch.py):
 *   c = β1·m + (1−β1)·g;  w ← w·(1 − ηλ) − η·sign(c), sign(0) = 0;  m ← β2·m + (1−β2)·g.
 */
export function lion({
  lr = 1e-4,
  beta1 = 0.9,
  beta2 = 0.99,
  weightDecay = 0,
  decayMask,
}: LionConfig = {}): GradientTransformation {
  return chain(
    scaleByLion({ beta1, beta2 }),
    scaleBySign(),
    addDecayedWeights({ weightDecay, mask: decayMask }),
    scaleByLearningRate(lr),
  );
}
