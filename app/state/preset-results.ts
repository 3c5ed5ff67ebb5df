import type { ArmResult } from '../../engine/tf-free';
import type { MetricSeries } from './metric-series';

const last = (xs: readonly number[]) => (xs.length > 0 ? xs[xs.length - 1] : Number.NaN);

/** What one seed of a preset arm measured, from the curves its run streamed. */
export function armResult(label: string, seed: number, series: MetricSeries, extra: Readonly<Record<string, number>>): ArmResult {
  const finite = series.testLoss.filter(Number.isFinite);
  return {
    label,
    seed,
    loss: series.loss,
    evalSteps: series.evalSteps,
    testLoss: series.testLoss,
    testAccuracy: series.testAccuracy,
    finalTestLoss: last(series.testLoss),
    bestTestLoss: finite.length > 0 ? Math.min(...finite) : Number.NaN,
    finalTestAccuracy: last(series.testAccuracy),
    finalTrainLoss: last(series.trainLoss),
    extra,
    wallMs: last(series.wallTime),
  };
}
