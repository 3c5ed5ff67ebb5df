import { chain } from './chain';
import type { MomentumOptions } from './momentum';
import { scaleByLearningRate } from './scale-by-learning-rate';
import { trace } from './trace';
import type { GradientTransformation } from './transform';

/**
 * SGD with Nesterov momentum (Nesterov, 1983; Sutskever et al., 2013,
 * http://proceedings.mlr.press/v28/sutskever13.html), PyTorch's form:
 * v ← μ·v + g, w ← w − η·(g + μ·v). Default μ = 0.9.
 */
export function nesterov({ lr, momentum: mu = 0.9 }: MomentumOptions): GradientTransformation {
  return chain(trace({ decay: mu, nesterov: true }), scaleByLearningRate(lr));
}
