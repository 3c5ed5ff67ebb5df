import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, MODEL_DEFAULTS, OPTIMIZER_DEFAULTS, type RunConfig } from '../config';
import { createRun, type RunSnapshot } from '../run';
import { findLearningRate, suggestLr, type LrFinderPoint } from './lr-finder';

describe('suggestLr', () => {
  it('picks the steepest descent of a synthetic curve and marks where it blows up', () => {
    // Loss falls along a logistic in log10(lr) centred at 1e-2, then explodes above 1.
    const points: LrFinderPoint[] = Array.from({ length: 49 }, (_, i) => {
      const lr = 10 ** (-5 + i / 8);
      const x = Math.log10(lr);
      const loss = 2 - 1.5 / (1 + Math.exp(-2.5 * (x + 2))) + (lr > 1 ? 10 * lr : 0);
      return { lr, loss };
    });
    const s = suggestLr(points);
    expect(Math.abs(Math.log10(s.suggested) + 2)).toBeLessThanOrEqual(1 / 8 + 1e-9);
    expect(s.divergedAt).toBeGreaterThan(1);
    expect(s.divergedAt).toBeLessThan(2);
  });

  it('gives no suggestion on too short a curve', () => {
    expect(
      suggestLr([
        { lr: 1e-3, loss: 1 },
        { lr: 1e-2, loss: 0.9 },
      ]).suggested,
    ).toBeNaN();
  });
});

async function sameState(a: RunSnapshot, b: RunSnapshot): Promise<void> {
  expect(b.step).toBe(a.step);
  expect(b.samplesSeen).toBe(a.samplesSeen);
  expect(b.cursor).toEqual(a.cursor);
  for (const name of Object.keys(a.params))
    expect(Array.from(b.params[name].values)).toEqual(Array.from(a.params[name].values));
  expect(
    JSON.stringify(b.optimizer.state, (_k, v: unknown) =>
      v instanceof Float32Array ? Array.from(v) : v,
    ),
  ).toBe(
    JSON.stringify(a.optimizer.state, (_k, v: unknown) =>
      v instanceof Float32Array ? Array.from(v) : v,
    ),
  );
  expect(b.config).toEqual(a.config);
}

describe('findLearningRate', () => {
  it('runs on a copy: the run it came from is untouched and trains on exactly as before', async () => {
    const config: RunConfig = {
      ...DEFAULT_CONFIG,
      model: { ...MODEL_DEFAULTS.mlp, hidden: [8] },
      optimizer: OPTIMIZER_DEFAULTS.adam,
    };
    const run = await createRun(config);
    const control = await createRun(config);
    await run.train(20);
    await control.train(20);
    const before = await run.snapshot();
    const tensors = tf.memory().numTensors;
    const seen: number[] = [];
    const result = await findLearningRate(
      run.config,
      before,
      { points: 12, stepsPerPoint: 3, minLr: 1e-4, maxLr: 10 },
      {},
      { onPoint: (p) => seen.push(p.lr) },
    );
    expect(result.points.length).toBeGreaterThanOrEqual(3);
    expect(seen).toEqual(result.points.map((p) => p.lr));
    expect(result.fromStep).toBe(20);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(Number.isFinite(result.suggested)).toBe(true);
    await sameState(before, await run.snapshot());
    const a = await run.train(20);
    const b = await control.train(20);
    expect(Array.from(a.columns.loss)).toEqual(Array.from(b.columns.loss));
    run.dispose();
    control.dispose();
  });

  it('works with every optimizer kind and stops when cancelled', async () => {
    const config: RunConfig = { ...DEFAULT_CONFIG, model: { ...MODEL_DEFAULTS.mlp, hidden: [4] } };
    for (const kind of Object.keys(OPTIMIZER_DEFAULTS) as (keyof typeof OPTIMIZER_DEFAULTS)[]) {
      const r = await findLearningRate({ ...config, optimizer: OPTIMIZER_DEFAULTS[kind] }, null, {
        points: 4,
        stepsPerPoint: 1,
      });
      expect(r.points.length, kind).toBeGreaterThan(0);
    }
    let n = 0;
    const r = await findLearningRate(
      config,
      null,
      { points: 30, stepsPerPoint: 1 },
      {},
      { onPoint: () => n++, cancelled: () => n >= 2 },
    );
    expect(r.cancelled).toBe(true);
    expect(r.points.length).toBe(2);
  });
});
