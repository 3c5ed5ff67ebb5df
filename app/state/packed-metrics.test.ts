import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { MetricSeries } from './metric-series';
import {
  compactColumn,
  FULL_ROWS,
  keptRows,
  OLD_BUCKETS,
  packMetrics,
  unpackMetrics,
} from './packed-metrics';
import type { StoredMetrics } from './stored-run';

/**
 * `n` steps as the saver stores them, evaluated every `every` steps: float32 losses as the engine
 * gives them, fractional wall times and epochs (float64).
 */
function stored(n: number, every = 10, from = 1): StoredMetrics {
  const steps = Array.from({ length: n }, (_, i) => i + from);
  const evalSteps = steps.filter((s) => s % every === 0);
  const f = Math.fround;
  return {
    steps,
    samples: steps.map((s) => s * 32),
    epochs: steps.map((s) => (s * 32) / 1000),
    loss: steps.map((s) => f(1 / s + 0.1 * Math.sin(s))),
    lr: steps.map(() => f(0.03)),
    gradNorm: steps.map((s) => f(Math.cos(s) ** 2)),
    wallTime: steps.map((s) => s * 5.25 + 0.1),
    evalSteps,
    trainLoss: evalSteps.map((s) => f(1 / s)),
    testLoss: evalSteps.map((s) => f(2 / s + 0.05 * Math.sin(s / 7))),
    accuracy: evalSteps.map((s) => f(1 - 1 / s)),
    testAccuracy: evalSteps.map((s) => f(1 - 2 / s)),
  };
}

/** The rows of `to` appended to `m` (a run restored, then trained on). */
function concat(m: StoredMetrics, to: StoredMetrics): StoredMetrics {
  const out = {} as StoredMetrics;
  for (const k of Object.keys(m) as (keyof StoredMetrics)[])
    out[k] = [...(m[k] ?? []), ...(to[k] ?? [])];
  return out;
}

describe('stored metric columns', () => {
  it('a column is float32 when that loses nothing, float64 otherwise', () => {
    expect(compactColumn([1, 2, 0.5, Number.NaN, -0])).toBeInstanceOf(Float32Array);
    expect(compactColumn([Math.fround(0.1)])).toBeInstanceOf(Float32Array);
    expect(compactColumn([0.1])).toBeInstanceOf(Float64Array);
    expect(compactColumn([2 ** 24 + 1])).toBeInstanceOf(Float64Array);
  });

  it('a short series comes back exactly as it was, NaN included', () => {
    const m = stored(1500);
    m.loss[700] = Number.NaN;
    const packed = packMetrics(m);
    expect(packed.loss).toBeInstanceOf(Float32Array);
    expect(packed.wallTime).toBeInstanceOf(Float64Array);
    expect(unpackMetrics(packed)).toEqual(m);
    const { epochs, ...withoutEpochs } = m;
    expect(epochs).toBeDefined();
    expect(unpackMetrics(packMetrics(withoutEpochs))).toEqual(withoutEpochs);
  });

  it('a long series keeps its recent rows whole and the lowest and highest loss of each old bucket', () => {
    const m = stored(30_000);
    m.loss[1234] = Number.POSITIVE_INFINITY; // a spike in the old part stays
    const back = unpackMetrics(packMetrics(m));
    expect(back.steps.length).toBeLessThanOrEqual(FULL_ROWS + 2 * OLD_BUCKETS);
    expect(back.steps.slice(-FULL_ROWS)).toEqual(m.steps.slice(-FULL_ROWS));
    expect(back.loss.slice(-FULL_ROWS)).toEqual(m.loss.slice(-FULL_ROWS));
    expect(back.steps.every((s, i) => i === 0 || s > back.steps[i - 1])).toBe(true);
    expect(back.loss).toContain(Number.POSITIVE_INFINITY);
    const old = m.loss.slice(0, -FULL_ROWS).filter(Number.isFinite);
    expect(back.loss).toContain(Math.min(...old));
    // Rows stay whole: each kept row has the values of the step it names.
    for (let i = 0; i < back.steps.length; i += 97) {
      const j = back.steps[i] - 1;
      expect([back.samples[i], back.wallTime[i], back.lr[i], back.epochs?.[i]]).toEqual([
        m.samples[j],
        m.wallTime[j],
        m.lr[j],
        m.epochs?.[j],
      ]);
    }
    expect(back.evalSteps.length).toBe(m.evalSteps.length); // 3,000 evaluations: kept whole
  });

  it('thinning what was thinned, then trained on, keeps what thinning the whole series keeps', () => {
    const whole = stored(24_000);
    const first = unpackMetrics(packMetrics(stored(10_000)));
    const later = concat(first, stored(14_000, 10, 10_001));
    expect(unpackMetrics(packMetrics(later))).toEqual(unpackMetrics(packMetrics(whole)));
    expect(keptRows(stored(100).steps, stored(100).loss)).toBeNull();
  });

  it('a restored thinned series is cut at its snapshot step and resumes in order', () => {
    const back = MetricSeries.restored(unpackMetrics(packMetrics(stored(12_000))), 11_500);
    expect(back.steps.at(-1)).toBe(11_500);
    expect(back.loss.length).toBe(back.steps.length);
    expect(back.evalSteps.at(-1)).toBe(11_500);
    expect(back.steps.every((s, i) => i === 0 || s > back.steps[i - 1])).toBe(true);
  });

  it('one run of 10,000 steps is stored in a fraction of the bytes of plain arrays', () => {
    const m = stored(10_000);
    // Node's v8.serialize is the V8 value serializer Chromium's structured clone uses.
    const before = serialize(m).byteLength;
    const after = serialize(packMetrics(m)).byteLength;
    console.log(
      `metrics of 10,000 steps (eval every 10): plain arrays ${before} B, packed ${after} B`,
    );
    expect(after).toBeLessThan(before / 3);
    expect(50 * after).toBeLessThan(20e6);
  });
});
