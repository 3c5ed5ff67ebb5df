import { chain } from './chain';
import { scaleByAdagrad } from './scale-by-adagrad';
import { scaleByLearningRate } from './scale-by-learning-rate';
import type { GradientTransformation } from './transform';

export interface AdagradConfig {
  readonly lr: number;
  /** Starting value of G (0.1, as TensorFlow and optax). */
  readonly initialAccumulator?: number;
  /** Outside the square root (1e-7). */
  readonly eps?: number;
}

/**
 * Adagrad (Duchi, Hazan & Singer, "Adaptive Subgradient Methods", 2011,
 * https://jmlr.org/papers/v12/duchi11a.html): G ← G + g², w ← w − η·g/(√G + ε).
 */
export function adagrad({
  lr,
  initialAccumulator = 0.1,
  eps = 1e-7,
}: AdagradConfig): GradientTransformation {
  return chain(scaleByAdagrad({ initialAccumulator, eps }), scaleByLearningRate(lr));
}
