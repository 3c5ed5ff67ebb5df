import type { MetricChunk } from '../../engine/tf-free';
import { FULL_ROWS, keptRows, OLD_BUCKETS } from './packed-metrics';
import { EVAL_SERIES, STEP_SERIES, type StoredMetrics } from './stored-run';

/**
 * Rows a series may hold before its old rows are thinned in memory, by the rule storage uses
 * (app/state/packed-metrics.ts), so a run's memory stays flat however long it trains. The slack
 * keeps thinning to once every 1,000 new rows.
 */
const THIN_AT = FULL_ROWS + 2 * OLD_BUCKETS + 1000;

/**
 * Growable columns of one run's metrics. Per-step series (loss, lr, gradNorm) get a point every
 * step; evaluation series only where a chunk evaluated. Not reactive: the owner bumps a revision.
 */
export class MetricSeries {
  steps: number[] = [];
  samples: number[] = [];
  /** Epochs of data trained on by the end of each step (NaN for steps saved before it was kept). */
  epochs: number[] = [];
  loss: number[] = [];
  lr: number[] = [];
  gradNorm: number[] = [];
  evalSteps: number[] = [];
  trainLoss: number[] = [];
  testLoss: number[] = [];
  accuracy: number[] = [];
  testAccuracy: number[] = [];
  /** Milliseconds since the run started, per step (when its chunk arrived). */
  wallTime: number[] = [];

  /** Appends a chunk; `wallMs` is the time since the run started when it arrived. */
  append(chunk: MetricChunk, wallMs: number): void {
    const c = chunk.columns;
    for (let i = 0; i < chunk.rows; i++) {
      this.wallTime.push(wallMs);
      this.steps.push(c.step[i]);
      this.samples.push(c.samples[i]);
      this.epochs.push(c.epoch[i]);
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
    if (this.steps.length > THIN_AT) this.#thin(STEP_SERIES, this.steps, this.loss);
    if (this.evalSteps.length > THIN_AT) this.#thin(EVAL_SERIES, this.evalSteps, this.testLoss);
  }

  /** Keeps the rows storage would keep of one group of aligned series (new arrays: caches keyed by array see the change). */
  #thin(
    names: typeof STEP_SERIES | typeof EVAL_SERIES,
    steps: readonly number[],
    key: readonly number[],
  ): void {
    const rows = keptRows(steps, key);
    if (!rows) return;
    for (const name of names) {
      const xs = this[name];
      this[name] = rows.map((i) => xs[i]);
    }
    if (names === STEP_SERIES) {
      const epochs = this.epochs;
      this.epochs = rows.map((i) => epochs[i]);
    }
  }

  /** The series as plain arrays, for storage and export. */
  toStored(): StoredMetrics {
    const {
      steps,
      samples,
      epochs,
      loss,
      lr,
      gradNorm,
      evalSteps,
      trainLoss,
      testLoss,
      accuracy,
      testAccuracy,
      wallTime,
    } = this;
    return {
      steps,
      samples,
      epochs,
      loss,
      lr,
      gradNorm,
      evalSteps,
      trainLoss,
      testLoss,
      accuracy,
      testAccuracy,
      wallTime,
    };
  }

  static fromStored(m: StoredMetrics): MetricSeries {
    const series = Object.assign(new MetricSeries(), structuredClone(m));
    if (!m.epochs) series.epochs = m.steps.map(() => Number.NaN);
    return series;
  }

  /**
   * A stored run's series as it resumes from its snapshot at `snapshotStep`: metrics are saved
   * more often than snapshots, so rows past the snapshot are dropped (training from the snapshot
   * records them again; keeping them would make the series go back in steps).
   */
  static restored(m: StoredMetrics, snapshotStep: number): MetricSeries {
    return MetricSeries.fromStored(m).until(snapshotStep);
  }

  /** A copy of the points up to and including `step` (a fork starts from its parent's history). */
  until(step: number): MetricSeries {
    const copy = new MetricSeries();
    const n = this.steps.findIndex((s) => s > step);
    const m = this.evalSteps.findIndex((s) => s > step);
    const cut = <T>(xs: T[], k: number) => xs.slice(0, k < 0 ? xs.length : k);
    copy.steps = cut(this.steps, n);
    copy.samples = cut(this.samples, n);
    copy.epochs = cut(this.epochs, n);
    copy.loss = cut(this.loss, n);
    copy.lr = cut(this.lr, n);
    copy.gradNorm = cut(this.gradNorm, n);
    copy.wallTime = cut(this.wallTime, n);
    copy.evalSteps = cut(this.evalSteps, m);
    copy.trainLoss = cut(this.trainLoss, m);
    copy.testLoss = cut(this.testLoss, m);
    copy.accuracy = cut(this.accuracy, m);
    copy.testAccuracy = cut(this.testAccuracy, m);
    return copy;
  }

  /** The last value of an evaluation series, or NaN before the first evaluation. */
  latest(series: readonly number[]): number {
    return series.length > 0 ? series[series.length - 1] : Number.NaN;
  }
}
