import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { MlpConfig } from './schema';
import { createParams, disposeParams, type ParamInits } from '../params';
import { createRng } from '../rng';
import { inferenceContext } from '../layers/context';
import { mlpApply, mlpInit } from './mlp';
import {
  parseRunConfig,
  DEFAULT_CONFIG,
  SORTED_DEFAULT,
  sortedUnsupported,
  sortedWidthAt,
  type RunConfig,
} from '../config';
import { truncateMlp, unitsAt } from './sorted';
import { createRun } from '../run';
import { fusedCandidate } from '../fast-mlp/fused-path';
import { concatChunks, emptyColumns, type MetricChunk } from '../metrics';

const ctx = inferenceContext();

/** The first `rows` × `cols` block of a row-major [_, stride] matrix, copied element by element. */
function block(values: Float32Array, stride: number, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[r * cols + c] = values[r * stride + c];
  return out;
}

/** A dense MLP of the smaller widths whose weights are copied out of the wide one's. */
function copiedSmallNet(wide: ParamInits, hidden: readonly number[], small: readonly number[]) {
  const out: Record<string, ParamInits[string]> = {};
  const widths = [3, ...hidden];
  const kept = [3, ...small];
  for (let i = 0; i < hidden.length; i++) {
    const w = wide[`dense${i}/w`];
    out[`dense${i}/w`] = {
      ...w,
      shape: [kept[i], kept[i + 1]],
      values: block(w.values, widths[i + 1], kept[i], kept[i + 1]),
    };
    const b = wide[`dense${i}/b`];
    out[`dense${i}/b`] = { ...b, shape: [kept[i + 1]], values: b.values.slice(0, kept[i + 1]) };
    for (const name of ['gamma', 'beta']) {
      const p = wide[`norm${i}/${name}`];
      if (p)
        out[`norm${i}/${name}`] = {
          ...p,
          shape: [kept[i + 1]],
          values: p.values.slice(0, kept[i + 1]),
        };
    }
  }
  const head = wide['head/w'];
  const last = kept[kept.length - 1];
  out['head/w'] = { ...head, shape: [last, 2], values: head.values.slice(0, last * 2) };
  out['head/b'] = wide['head/b'];
  return out;
}

describe('sorted truncation', () => {
  it.each([
    ['no norm', undefined, 0.5],
    ['layer norm', 'layer' as const, 0.25],
    ['rms norm', 'rms' as const, 0.75],
  ])('equals a smaller dense net with copied weights (%s)', async (_, norm, fraction) => {
    const hidden = [8, 12];
    const model: MlpConfig = { kind: 'mlp', hidden, activation: 'tanh', norm };
    const inits = mlpInit(createRng(3), model, { inputs: 3, outputs: 2 });
    // Non-trivial norm gains and biases, so a wrong slice of them shows.
    for (const [name, p] of Object.entries(inits))
      if (!name.endsWith('/w')) p.values.forEach((_, j) => (p.values[j] = 0.5 + 0.1 * j));
    const small = hidden.map((h) => unitsAt(h, fraction));
    const wide = createParams(inits);
    const narrow = createParams(copiedSmallNet(inits, hidden, small));
    const x = tf.tensor2d(
      Array.from({ length: 15 }, (_, i) => Math.sin(i)),
      [5, 3],
    );
    const a = mlpApply(truncateMlp(wide.values, model, fraction), model, x, ctx);
    const b = mlpApply(narrow.values, { ...model, hidden: small }, x, ctx);
    const [va, vb] = [await a.data(), await b.data()];
    expect(Array.from(va)).not.toEqual(
      Array.from(await mlpApply(wide.values, model, x, ctx).data()),
    );
    va.forEach((v, i) => expect(v).toBeCloseTo(vb[i], 5));
    tf.dispose([a, b, x]);
    disposeParams(wide);
    disposeParams(narrow);
  });

  it('sends gradient only into the kept block of the shared weights', () => {
    const model: MlpConfig = { kind: 'mlp', hidden: [4], activation: 'relu' };
    const params = createParams(mlpInit(createRng(5), model, { inputs: 2, outputs: 2 }));
    const x = tf.tensor2d([0.3, -0.7, 0.9, 0.1], [2, 2]);
    const w = params.values['dense0/w'];
    const g = tf.grad((wt: tf.Tensor) =>
      tf.sum(
        mlpApply(truncateMlp({ ...params.values, 'dense0/w': wt }, model, 0.5), model, x, ctx),
      ),
    )(w);
    const values = g.arraySync() as number[][];
    // Columns 2 and 3 (units outside the first half) get no gradient.
    for (const row of values) expect([row[2], row[3]]).toEqual([0, 0]);
    tf.dispose([g, x]);
    disposeParams(params);
  });

  it('keeps round(f·width) units, at least one', () => {
    expect([0.25, 0.5, 0.75, 1].map((f) => unitsAt(128, f))).toEqual([32, 64, 96, 128]);
    expect(unitsAt(3, 0.1)).toBe(1);
  });
});

describe('sorted width sampling', () => {
  const draws = (seed: number, n = 4000) =>
    Array.from({ length: n }, (_, i) => sortedWidthAt(SORTED_DEFAULT, seed, i + 1));

  it('is uniform over the set and the same for the same seed and step', () => {
    const a = draws(7);
    expect(draws(7)).toEqual(a);
    for (const w of SORTED_DEFAULT.widths) {
      const share = a.filter((x) => x === w).length / a.length;
      expect(share).toBeGreaterThan(0.22);
      expect(share).toBeLessThan(0.28);
    }
    // Consecutive steps are not stuck on one width.
    expect(new Set(a.slice(0, 12)).size).toBeGreaterThan(1);
  });

  it('depends on the seed', () => {
    const same = draws(1, 200).filter((w, i) => w === draws(2, 200)[i]).length;
    expect(same).toBeLessThan(120);
  });
});

describe('sorted config', () => {
  it('rejects unsorted or out-of-range widths, and models that cannot be truncated', () => {
    expect(parseRunConfig({ ...DEFAULT_CONFIG, sorted: { widths: [0.5, 0.25] } }).ok).toBe(false);
    expect(parseRunConfig({ ...DEFAULT_CONFIG, sorted: { widths: [0, 1] } }).ok).toBe(false);
    expect(parseRunConfig({ ...DEFAULT_CONFIG, sorted: SORTED_DEFAULT }).ok).toBe(true);
    expect(
      sortedUnsupported({ kind: 'mlp', hidden: [8], activation: 'relu', norm: 'batch' }),
    ).toMatch(/batch/);
    expect(sortedUnsupported({ kind: 'mlp', hidden: [8], activation: 'relu' })).toBeNull();
  });
});

describe('a sorted run', () => {
  const sorted: RunConfig = {
    ...DEFAULT_CONFIG,
    steps: 40,
    metricsEvery: 20,
    sorted: SORTED_DEFAULT,
  };

  it('stays off the fused path and reports the test split at every width', async () => {
    expect(fusedCandidate(sorted)).toMatch(/sorted/);
    const run = await createRun(sorted, { fused: true });
    expect(run.trainingPath().fused).toBe(false);
    const chunk = await run.train(20);
    expect(chunk.widths).toHaveLength(1);
    const w = chunk.widths?.[0];
    expect(w?.fractions).toEqual(SORTED_DEFAULT.widths);
    expect(w?.step).toBe(20);
    for (const acc of w?.testAccuracy ?? []) expect(acc).toBeGreaterThanOrEqual(0);
    // Full width is the run's own evaluation.
    expect(w?.testAccuracy[3]).toBeCloseTo(chunk.columns.testAccuracy[19], 5);
    const grid = await run.predictGrid(4, 0.25);
    const full = await run.predictGrid(4);
    expect(grid).toHaveLength(16);
    expect(Array.from(grid ?? [])).not.toEqual(Array.from(full ?? []));
    run.dispose();
  });

  it('with the whole width only, trains exactly like a standard run', async () => {
    const runs = await Promise.all([
      createRun({ ...sorted, sorted: { widths: [1] } }),
      createRun({ ...sorted, sorted: undefined }),
    ]);
    const [a, b] = await Promise.all(runs.map((r) => r.train(20)));
    expect(Array.from(a.columns.loss)).toEqual(Array.from(b.columns.loss));
    expect(b.widths).toBeUndefined();
    for (const r of runs) r.dispose();
  });

  it('trains differently from a standard run with the default widths', async () => {
    const runs = await Promise.all([
      createRun(sorted),
      createRun({ ...sorted, sorted: undefined }),
    ]);
    const [a, b] = await Promise.all(runs.map((r) => r.train(20)));
    expect(Array.from(a.columns.loss)).not.toEqual(Array.from(b.columns.loss));
    const evaluated = await runs[1].evaluateWidths([0.25, 1]);
    expect(evaluated.testAccuracy[1]).toBeCloseTo(b.columns.testAccuracy[19], 5);
    for (const r of runs) r.dispose();
  });
});

describe('width evaluations in the metric stream', () => {
  it('concatenated chunks keep every evaluation, in order', () => {
    const chunk = (fromStep: number, acc: number): MetricChunk => ({
      fromStep,
      rows: 2,
      columns: emptyColumns(2),
      widths: [
        { step: fromStep + 1, fractions: [0.5, 1], testLoss: [1, 0.5], testAccuracy: [acc, 1] },
      ],
    });
    const joined = concatChunks([
      chunk(1, 0.1),
      chunk(3, 0.2),
      { ...chunk(5, 0), widths: undefined },
    ]);
    expect(joined.widths?.map((w) => [w.step, w.testAccuracy[0]])).toEqual([
      [2, 0.1],
      [4, 0.2],
    ]);
  });
});
