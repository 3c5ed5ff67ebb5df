import { describe, expect, it } from 'vitest';
import { createRun, DEFAULT_CONFIG, MODEL_DEFAULTS } from '../index';
import { emptyColumns } from '../metrics';
import { findDivergence } from './divergence';

describe('divergence detection', () => {
  it('finds the first non-finite loss or gradient norm and the layers to blame', () => {
    const columns = emptyColumns(3);
    columns.loss.set([0.5, 0.4, Number.NaN]);
    columns.gradNorm.set([1, Number.POSITIVE_INFINITY, Number.NaN]);
    const d = findDivergence({
      fromStep: 11,
      rows: 3,
      columns,
      layers: {
        names: ['a/w', 'b/w'],
        gradNorm: Float32Array.of(1, Number.NaN),
        updateRatio: new Float32Array(2),
        trustRatio: new Float32Array(2),
      },
    });
    expect(d?.step).toBe(12);
    expect(d?.cause).toMatch(/gradient norm became Infinity/);
    expect(d?.cause).toMatch(/b\/w/);
  });

  it('a run forced to diverge with a huge learning rate is caught', async () => {
    const run = await createRun({
      ...DEFAULT_CONFIG,
      optimizer: { kind: 'sgd', lr: 100 },
      model: { ...MODEL_DEFAULTS.mlp, activation: 'linear' },
    });
    let found = null;
    for (let i = 0; i < 20 && !found; i++) found = findDivergence(await run.train(10));
    expect(found).not.toBeNull();
    expect(found?.step).toBeGreaterThan(0);
    run.dispose();
  });

  it('a healthy run is not flagged', async () => {
    const run = await createRun(DEFAULT_CONFIG);
    for (let i = 0; i < 5; i++) expect(findDivergence(await run.train(10))).toBeNull();
    run.dispose();
  });
});
