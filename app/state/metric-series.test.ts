import { describe, expect, it } from 'vitest';
import { MetricSeries } from './metric-series';
import type { StoredMetrics } from './stored-run';
import { emptyColumns } from '../../engine/metrics';

/** Steps 1..n, evaluated every `every` steps, as the saver stores them. */
function stored(n: number, every: number): StoredMetrics {
  const steps = Array.from({ length: n }, (_, i) => i + 1);
  const evalSteps = steps.filter((s) => s % every === 0);
  return {
    steps,
    samples: steps.map((s) => s * 32),
    loss: steps.map((s) => 1 / s),
    lr: steps.map(() => 0.01),
    gradNorm: steps.map(() => 1),
    wallTime: steps.map((s) => s * 5),
    evalSteps,
    trainLoss: evalSteps.map((s) => 1 / s),
    testLoss: evalSteps.map((s) => 2 / s),
    accuracy: evalSteps.map(() => 0.5),
    testAccuracy: evalSteps.map(() => 0.4),
  };
}

describe('MetricSeries.restored', () => {
  it('drops the rows stored after the snapshot, in every column', () => {
    const s = MetricSeries.restored(stored(270, 10), 180);
    expect(s.steps.length).toBe(180);
    expect(s.steps.at(-1)).toBe(180);
    for (const col of [s.samples, s.loss, s.lr, s.gradNorm, s.wallTime])
      expect(col.length).toBe(180);
    expect(s.evalSteps.at(-1)).toBe(180);
    for (const col of [s.trainLoss, s.testLoss, s.accuracy, s.testAccuracy])
      expect(col.length).toBe(18);
    expect(s.loss.at(-1)).toBe(1 / 180);
  });

  it('resuming from the snapshot keeps the steps increasing', () => {
    const s = MetricSeries.restored(stored(270, 10), 180);
    const next = 181;
    const columns = emptyColumns(1);
    columns.step[0] = next;
    s.append({ fromStep: next, rows: 1, columns }, 0);
    expect(s.steps.every((step, i) => i === 0 || step > s.steps[i - 1])).toBe(true);
  });

  it('keeps everything when the snapshot is newer than the stored rows', () => {
    const s = MetricSeries.restored(stored(100, 10), 150);
    expect(s.steps.length).toBe(100);
    expect(s.evalSteps.length).toBe(10);
  });
});

describe('MetricSeries in memory', () => {
  it('thins old rows as storage does, so a long run holds a bounded number of rows', () => {
    const s = new MetricSeries();
    let step = 0;
    for (let chunk = 0; chunk < 30; chunk++) {
      const c = emptyColumns(1000);
      for (let i = 0; i < 1000; i++) {
        step += 1;
        c.step[i] = step;
        c.loss[i] = 1 / step;
        c.testLoss[i] = i === 999 ? 2 / step : Number.NaN;
      }
      s.append({ fromStep: step - 999, rows: 1000, columns: c }, step);
    }
    expect(s.steps.length).toBeLessThanOrEqual(5000);
    for (const col of [s.samples, s.epochs, s.loss, s.lr, s.gradNorm, s.wallTime])
      expect(col.length).toBe(s.steps.length);
    // The newest rows are whole, the steps still increase, and the first step is kept.
    expect(s.steps.slice(-2000)).toEqual(Array.from({ length: 2000 }, (_, i) => 28_001 + i));
    expect(s.steps.every((x, i) => i === 0 || x > s.steps[i - 1])).toBe(true);
    expect(s.steps[0]).toBe(1);
    // Evaluation rows are few here (30), so none is thinned.
    expect(s.evalSteps.length).toBe(30);
  });
});
