import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, RunConfigSchema } from '../../config';
import { Buffers, IDENTITY_QUANTIZER } from '../../layers/context';
import { NODE_ENV } from '../../data/node-assets';
import { DATA_DEFAULTS } from '../../data/schema';
import { MODEL_DEFAULTS, type TransformerConfig } from '../../models/schema';
import { createParams, disposeParams } from '../../params';
import { createRng } from '../../rng';
import * as v from 'valibot';
import { createTask } from '../index';
import { trainForTest } from '../train.test-helper';

const data = { ...DATA_DEFAULTS.chars, corpusChars: 3000, sequenceLength: 8 };
const model = (objective: TransformerConfig['objective']): TransformerConfig => ({
  ...MODEL_DEFAULTS.transformer,
  dim: 16,
  layers: 1,
  heads: 2,
  mlpRatio: 2,
  objective,
});
const config = (objective: TransformerConfig['objective']) => ({
  ...DEFAULT_CONFIG,
  seed: 2,
  data,
  model: model(objective),
});
const ENV = { ...NODE_ENV, evalExamples: 32 };

describe('pretraining objectives', () => {
  it('validates the objective and keeps causal LM the default', () => {
    expect(v.safeParse(RunConfigSchema, config('electra')).success).toBe(true);
    expect(
      v.safeParse(RunConfigSchema, { ...config('mlm'), model: { ...model('mlm'), objective: 'x' } })
        .success,
    ).toBe(false);
    const { objective: _, ...plain } = model('causal');
    expect(v.safeParse(RunConfigSchema, { ...config('causal'), model: plain }).success).toBe(true);
  });

  it.each(['mlm', 'electra'] as const)(
    '%s trains: its loss falls and the probes report',
    async (o) => {
      const task = await createTask(config(o), ENV);
      const r = trainForTest(task, { steps: 25, lr: 0.01, batch: 16 });
      expect(r.after[0]).toBeLessThan(r.before[0] * 0.9);
      expect(Number.isFinite(r.after[1])).toBe(true);
      const tensors = tf.memory().numTensors;
      const views = await task.views!(r.params.values, r.context(false));
      expect(tf.memory().numTensors).toBe(tensors);
      const probes = views.find((x) => x.kind === 'probes');
      expect(probes?.kind === 'probes' && probes.probes.map((p) => p.name)).toEqual([
        'domain',
        'brackets',
      ]);
      if (probes?.kind === 'probes')
        for (const p of probes.probes) {
          expect(p.testAccuracy).toBeGreaterThanOrEqual(0);
          expect(p.testAccuracy).toBeLessThanOrEqual(1);
          expect(Number.isFinite(p.testLoss)).toBe(true);
        }
      r.dispose();
    },
    // Views train two probes on 1,024 windows each: slow on a shared machine's cpu backend.
    180_000,
  );

  it('ELECTRA trains the generator and the discriminator from one loss', async () => {
    const task = await createTask(config('electra'), ENV);
    const params = createParams(task.init(createRng(1)));
    const names = params.names;
    expect(names).toContain('gen/head/w');
    expect(names).toContain('head/w');
    const ctx = { training: true, step: 0, quant: IDENTITY_QUANTIZER, buffers: new Buffers() };
    const { grads } = tf.variableGrads(() =>
      task.batchLoss(params.values, tf.tensor1d([0, 5, 9, 30], 'int32'), ctx),
    );
    const norm = (n: string) =>
      tf.norm(grads[(params.values[n] as tf.Variable).name]).dataSync()[0];
    expect(norm('gen/head/w')).toBeGreaterThan(0);
    expect(norm('head/w')).toBeGreaterThan(0);
    expect(norm('block0/attn/q/w')).toBeGreaterThan(0);
    tf.dispose(Object.values(grads));
    disposeParams(params);
    task.dispose();
  });

  it('leaves the modular task to causal training', async () => {
    const modular = { ...config('mlm'), data: DATA_DEFAULTS.modular };
    await expect(createTask(modular, ENV)).rejects.toThrow(/causal/);
  });
});
