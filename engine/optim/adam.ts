import { chain } from './chain';
import { scaleByAdam, type AdamOptions } from './scale-by-adam';
import { scaleByLearningRate } from './scale-by-learning-rate';
import type { GradientTransformation } from './transform';

export interface AdamConfig extends Partial<AdamOptions> {
  readonly lr: number;
}

/**
 * Adam (Kingma & Ba, "Adam: A Method for Stochastic Optimization", https://arxiv.org/abs/1412.6980):
 * w ← w − η·m̂/(√v̂ + ε). Defaults β1=0.9, β2=0.999, ε=1e-8 (set explicitly; TF.js's own ε is 1e-7).
 */
export function adam({
  lr,
  beta1 = 0.9,
  beta2 = 0.999,
  eps = 1e-8,
}: AdamConfig): GradientTransformation {
  return chain(scaleByAdam({ beta1, beta2, eps }), scaleByLearningRate(lr));
}
