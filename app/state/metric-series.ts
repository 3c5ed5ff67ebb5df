import type { MetricChunk } from '../../engine/lite';

/**
 * Growable columns of one run's metrics. Per-step series (loss, lr, gradNorm) get a point every
 * step; evaluation series only where a chunk evaluated. Not reactive: the owner bumps a revision.
 */
export class MetricSeries {
  steps: number[] = [];
  loss: number[] = [];
  lr: number[] = [];
  gradNorm: number[] = [];
  evalSteps: number[] = [];
  trainLoss: number[] = [];
  testLoss: number[] = [];
  accuracy: number[] = [];
  testAccuracy: number[] = [];

  append(chunk: MetricChunk): void {
    const c = chunk.columns;
    for (let i = 0; i < chunk.rows; i++) {
      this.steps.push(c.step[i]);
      this.loss.push(c.loss[i]);
      this.lr.push(c.lr[i]);
      this.gradNorm.push(c.gradNorm[i]);
      if (!Number.isNaN(c.testLoss[i])) {
        this.evalSteps.push(c.step[i]);
        this.trainLoss.push(c.trainLoss[i]);
        this.testLoss.push(c.testLoss[i]);
        this.accuracy.push(c.accuracy[i]);
        this.testAccuracy.push(c.testAccuracy[i]);
      }
    }
  }

  /** The last value of an evaluation series, or NaN before the first evaluation. */
  latest(series: readonly number[]): number {
    return series.length > 0 ? series[series.length - 1] : Number.NaN;
  }
}
