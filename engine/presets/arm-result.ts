import type { ArmResult } from './types';

/** The curves one seed of an arm streamed; evaluation curves are aligned with `evalSteps`. */
export interface ArmCurves {
  readonly loss: readonly number[];
  readonly evalSteps: readonly number[];
  readonly testLoss: readonly number[];
  readonly testAccuracy: readonly number[];
  /** Train loss at each evaluation; only its last value is kept. */
  readonly trainLoss: readonly number[];
}

const last = (xs: readonly number[]) => (xs.length > 0 ? xs[xs.length - 1] : Number.NaN);

/**
 * What one seed of a preset arm measured, from its curves: the final and best values are read
 * here, for the claims script and the gallery alike. TF-free.
 */
export function armResult(
  label: string,
  seed: number,
  curves: ArmCurves,
  extra: Readonly<Record<string, number>>,
  wallMs: number,
): ArmResult {
  const finite = curves.testLoss.filter(Number.isFinite);
  return {
    label,
    seed,
    loss: curves.loss,
    evalSteps: curves.evalSteps,
    testLoss: curves.testLoss,
    testAccuracy: curves.testAccuracy,
    finalTestLoss: last(curves.testLoss),
    bestTestLoss: finite.length > 0 ? Math.min(...finite) : Number.NaN,
    finalTestAccuracy: last(curves.testAccuracy),
    finalTrainLoss: last(curves.trainLoss),
    extra,
    wallMs,
  };
}
