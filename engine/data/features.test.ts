import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRun, DATA_DEFAULTS, DEFAULT_CONFIG } from '../index';
import { orderedFeatures, toFeatures } from './features';
import { TOY_2D_FEATURES } from './schema';

describe('2-D input features', () => {
  it('maps each point to the enabled features, in canonical order', () => {
    const points = tf.tensor2d([0.5, -0.25, -1, 1], [2, 2]);
    const all = toFeatures(points, [...TOY_2D_FEATURES].reverse());
    expect(all.shape).toEqual([2, 7]);
    const row = (x1: number, x2: number) => [
      x1,
      x2,
      x1 * x1,
      x2 * x2,
      x1 * x2,
      Math.sin(Math.PI * x1),
      Math.sin(Math.PI * x2),
    ];
    const got = all.arraySync();
    [row(0.5, -0.25), row(-1, 1)].forEach((want, i) =>
      want.forEach((v, j) => expect(got[i][j]).toBeCloseTo(v, 5)),
    );
    expect(toFeatures(points, ['x2^2', 'x1']).arraySync()).toEqual([
      [0.5, 0.0625],
      [-1, 1],
    ]);
  });

  it('defaults to x1, x2 and drops repeats', () => {
    expect(orderedFeatures(undefined)).toEqual(['x1', 'x2']);
    expect(orderedFeatures(['x1x2', 'x1', 'x1x2'])).toEqual(['x1', 'x1x2']);
  });

  it('a run on circles with only x1^2 and x2^2 (and sin x1) sizes its first layer to 3 inputs and learns', async () => {
    const run = await createRun({
      ...DEFAULT_CONFIG,
      data: { ...DATA_DEFAULTS.circles, features: ['x1^2', 'x2^2', 'sin x1'] },
      model: { ...DEFAULT_CONFIG.model },
      steps: 150,
      metricsEvery: 50,
    });
    const snap = await run.snapshot();
    const first = Object.entries(snap.params).find(([, p]) => p.role === 'kernel');
    expect(first?.[1].shape[0]).toBe(3);
    const chunk = await run.train(150);
    const grid = await run.predictGrid(4);
    run.dispose();
    expect(chunk.columns.testAccuracy[chunk.rows - 1]).toBeGreaterThan(0.9);
    expect(grid?.length).toBe(16);
  });
});
