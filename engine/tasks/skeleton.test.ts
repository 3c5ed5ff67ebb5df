import { describe, expect, it } from 'vitest';
import { DATA_DEFAULTS } from '../data/schema';
import { MODEL_DEFAULTS, type ModelConfig } from '../models/schema';
import { createTask } from './index';
import { config, ENV } from './learns.test-helper';
import { trainForTest } from './train.test-helper';

const mlp = (norm: 'batch' | 'layer'): ModelConfig => ({
  kind: 'mlp',
  hidden: [8],
  activation: 'relu',
  norm,
});
const tinyLm: ModelConfig = { ...MODEL_DEFAULTS.transformer, dim: 8, layers: 1, mlpRatio: 1 };

describe('defineTask', () => {
  it('adds the norm-gap view after the task’s own views only with running statistics', async () => {
    const cases = [
      ['batch', ['confusion', 'norm-gap']],
      ['layer', ['confusion']],
    ] as const;
    for (const [norm, kinds] of cases) {
      const task = await createTask(config(DATA_DEFAULTS.csv, mlp(norm)), ENV);
      const r = trainForTest(task, { steps: 0 });
      const views = await task.views!(r.params.values, r.context(false));
      expect(views.map((v) => v.kind)).toEqual(kinds);
      r.dispose();
    }
  });
  it('evaluates to the four EVAL_METRICS; predictPoints only where the task has one', async () => {
    const spiral = await createTask(config(DATA_DEFAULTS.spiral, mlp('layer')), ENV);
    const plane = await createTask(config(DATA_DEFAULTS.plane, mlp('layer')), ENV);
    const modularData = { kind: 'modular', p: 7, trainFraction: 0.8 } as const;
    const modular = await createTask(config(modularData, tinyLm), ENV);
    expect(typeof spiral.predictPoints).toBe('function');
    expect(modular.predictPoints).toBeUndefined();
    const r = trainForTest(plane, { steps: 0 });
    const m = Array.from(r.before);
    expect(m).toHaveLength(4);
    // Regression: the losses are numbers, the accuracies mean nothing.
    expect(m.map(Number.isNaN)).toEqual([false, false, true, true]);
    r.dispose();
    spiral.dispose();
    modular.dispose();
  });
});
