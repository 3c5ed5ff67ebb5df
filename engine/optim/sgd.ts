import type { GradientTransformation } from './transform';
import type { LearningRate } from './transform';
import { scaleByLearningRate } from './scale-by-learning-rate';

export interface SgdOptions {
  readonly lr: LearningRate;
}

/** Plain stochastic gradient descent: w ← w − η·g. */
export function sgd({ lr }: SgdOptions): GradientTransformation {
  return scaleByLearningRate(lr);
}
