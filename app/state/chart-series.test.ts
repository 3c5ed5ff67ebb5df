import { describe, expect, it } from 'vitest';
import { emptyColumns } from '../../engine/metrics';
import { MetricSeries } from './metric-series';
import { growingEma, indexOfAtMost, indexOfStep, metricLines } from './chart-series';
import { ema } from './smoothing';

function series(losses: number[], batch = 4): MetricSeries {
  const s = new MetricSeries();
  const c = emptyColumns(losses.length);
  losses.forEach((l, i) => {
    c.step[i] = i + 1;
    c.samples[i] = (i + 1) * batch;
    c.loss[i] = l;
  });
  c.testLoss[losses.length - 1] = 0.5;
  s.append({ fromStep: 1, rows: losses.length, columns: c }, 1000);
  return s;
}

describe('chart lines', () => {
  it('one run: a smoothed line with the raw curve faint behind', () => {
    const lines = metricLines(
      [{ label: 'a', color: 'red', series: [series([1, 0, 1, 0])] }],
      'loss',
      'step',
      { kind: 'ema', weight: 0.5 },
    );
    expect(lines.map((l) => [l.label, l.faint ?? false])).toEqual([
      ['a (raw)', true],
      ['a', false],
    ]);
    expect(lines[1].y[3]).toBeGreaterThan(0);
    expect(lines[1].y[3]).toBeLessThan(1);
  });

  it('x by samples and by wall time', () => {
    const [line] = metricLines(
      [{ label: 'a', color: 'red', series: [series([1, 2], 8)] }],
      'loss',
      'samples',
      { kind: 'ema', weight: 0 },
    );
    expect(line.x).toEqual([8, 16]);
    const [timed] = metricLines(
      [{ label: 'a', color: 'red', series: [series([1, 2])] }],
      'loss',
      'time',
      { kind: 'ema', weight: 0 },
    );
    expect(timed.x).toEqual([1, 1]);
  });

  it('x by epochs, as the run counted them; none for a run saved without them', () => {
    const s = series([1, 2, 3]);
    s.epochs = [0.25, 0.5, 0.75];
    const line = (x: MetricSeries, key: 'loss' | 'testLoss') =>
      metricLines([{ label: 'a', color: 'red', series: [x] }], key, 'epoch', {
        kind: 'ema',
        weight: 0,
      })[0];
    expect(line(s, 'loss').x).toEqual([0.25, 0.5, 0.75]);
    expect(line(s, 'testLoss').x).toEqual([0.75]);
    const old = MetricSeries.fromStored({ ...s.toStored(), epochs: undefined });
    expect(line(old, 'loss').x).toEqual([]);
  });

  it('evaluation metrics sit at their evaluated steps', () => {
    const [line] = metricLines(
      [{ label: 'a', color: 'red', series: [series([1, 2, 3])] }],
      'testLoss',
      'step',
      { kind: 'ema', weight: 0 },
    );
    expect(line.x).toEqual([3]);
    expect(line.y).toEqual([0.5]);
  });

  it('a seed group is a mean with a min-max band', () => {
    const group = {
      label: 'g',
      color: 'blue',
      series: [series([1, 3]), series([3, 5]), series([2, 4])],
    };
    const [line] = metricLines([group], 'loss', 'step', { kind: 'ema', weight: 0 });
    expect(line.label).toBe('g (mean of 3 seeds)');
    expect(line.y).toEqual([2, 4]);
    expect(line.band).toEqual({ lo: [1, 3], hi: [3, 5] });
  });

  it('seeds evaluated at different steps are averaged at the same x, not the same index', () => {
    const evaluated = (at: Record<number, number>) => {
      const s = new MetricSeries();
      const c = emptyColumns(6);
      for (let i = 0; i < 6; i++) c.step[i] = i + 1;
      for (const [step, loss] of Object.entries(at)) c.testLoss[Number(step) - 1] = loss;
      s.append({ fromStep: 1, rows: 6, columns: c }, 0);
      return s;
    };
    // Seed a at steps 2, 4, 6; seed b at steps 2 and 6 only (its budget skipped step 4).
    const group = {
      label: 'g',
      color: 'blue',
      series: [evaluated({ 2: 1, 4: 2, 6: 3 }), evaluated({ 2: 3, 6: 5 })],
    };
    const [line] = metricLines([group], 'testLoss', 'step', { kind: 'ema', weight: 0 });
    expect(line.x).toEqual([2, 4, 6]);
    // At step 4, seed b's latest value is its step-2 one (3): by index it would have been 5.
    expect(line.y).toEqual([2, 2.5, 4]);
  });
});

describe('indexOfStep', () => {
  it('finds every step of an ascending list and -1 for a missing one', () => {
    const steps = [3, 4, 5, 9, 10, 11, 40];
    steps.forEach((s, i) => expect(indexOfStep(steps, s)).toBe(i));
    for (const missing of [0, 6, 12, 41]) expect(indexOfStep(steps, missing)).toBe(-1);
    expect(indexOfStep([], 1)).toBe(-1);
  });
});

describe('indexOfAtMost', () => {
  it('finds the last x at or before a value', () => {
    const xs = [10, 20, 20, 30];
    expect(indexOfAtMost(xs, 5)).toBe(-1);
    expect(indexOfAtMost(xs, 10)).toBe(0);
    expect(indexOfAtMost(xs, 25)).toBe(2);
    expect(indexOfAtMost(xs, 99)).toBe(3);
  });
});

describe('train and test lines', () => {
  it('test lines are dashed, train lines solid, both named by their run', () => {
    const run = { label: 'a', color: 'red', series: [series([1, 2, 3])] };
    const none = { kind: 'ema', weight: 0 } as const;
    const [train] = metricLines([run], 'accuracy', 'step', none, 'train');
    const [test] = metricLines([run], 'testLoss', 'step', none, 'test');
    expect([train.dash, train.role, train.run]).toEqual([false, 'train', 'a']);
    expect([test.dash, test.role, test.run]).toEqual([true, 'test', 'a']);
  });
});

describe('growingEma', () => {
  it('equals the EMA of the whole series after each append, in one growing array', () => {
    const ys: number[] = [];
    const first = growingEma(ys, 0.8);
    for (let i = 0; i < 50; i++) {
      ys.push(i === 20 ? Number.NaN : Math.sin(i) + 2);
      const got = growingEma(ys, 0.8);
      expect(got).toBe(first);
      ema(ys, 0.8).forEach((v, k) =>
        Number.isNaN(v) ? expect(got[k]).toBeNaN() : expect(got[k]).toBeCloseTo(v, 12),
      );
    }
    expect(growingEma(ys, 0.5)[49]).toBeCloseTo(ema(ys, 0.5)[49], 12);
  });
});
