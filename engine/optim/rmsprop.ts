import { chain } from './chain';
import { scaleByLearningRate } from './scale-by-learning-rate';
import { scaleByRms } from './scale-by-rms';
import { trace } from './trace';
import type { GradientTransformation } from './transform';

export interface RmspropOptions {
  readonly lr: number;
  /** ρ (0.9, Hinton's lecture and Keras). */
  readonly decay?: number;
  /** Outside the square root (1e-8). */
  readonly eps?: number;
  /** μ; 0 (the default) means no momentum. */
  readonly momentum?: number;
}

/**
 * RMSProp (Tieleman & Hinton, 2012, Coursera "Neural Networks for Machine Learning", lecture 6.5):
 *   v ← ρ·v + (1−ρ)·g²,  b ← μ·b + g/(√v + ε),  w ← w − η·b (b = g/(√v + ε) when μ = 0).
 */
export function rmsprop({
  lr,
  decay = 0.9,
  eps = 1e-8,
  momentum = 0,
}: RmspropOptions): GradientTransformation {
  // The trace is there even at μ = 0 (then it passes u through), so a hot change of μ keeps the state's shape.
  return chain(scaleByRms({ decay, eps }), trace({ decay: momentum }), scaleByLearningRate(lr));
}
