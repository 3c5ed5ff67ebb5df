import { chain } from './chain';
import { scaleByLearningRate } from './scale-by-learning-rate';
import type { GradientTransformation } from './transform';

export interface SgdOptions {
  readonly lr: number;
}

/** Plain stochastic gradient descent (Robbins & Monro, 1951): w ← w − η·g. */
export function sgd({ lr }: SgdOptions): GradientTransformation {
  return chain(scaleByLearningRate(lr));
}
