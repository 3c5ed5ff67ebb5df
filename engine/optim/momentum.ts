import { chain } from './chain';
import { scaleByLearningRate } from './scale-by-learning-rate';
import { trace } from './trace';
import type { GradientTransformation } from './transform';

export interface MomentumOptions {
  readonly lr: number;
  /** μ (0.9). */
  readonly momentum?: number;
}

/**
 * SGD with heavy-ball momentum (Polyak, 1964; PyTorch's form, Sutskever et al., 2013,
 * http://proceedings.mlr.press/v28/sutskever13.html): v ← μ·v + g, w ← w − η·v. Default μ = 0.9.
 */
export function momentum({ lr, momentum: mu = 0.9 }: MomentumOptions): GradientTransformation {
  return chain(trace({ decay: mu }), scaleByLearningRate(lr));
}
