import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RunConfig } from '../config';
import { SCHEDULE_DEFAULTS } from '../schedule/schema';
import { DATA_DEFAULTS } from '../data/schema';
import { MODEL_DEFAULTS, type MlpConfig } from '../models/schema';

const mlp = (hidden: number[], activation: MlpConfig['activation'] = 'tanh'): MlpConfig => ({
  ...MODEL_DEFAULTS.mlp,
  hidden,
  activation,
});
import { inferenceContext } from '../layers/context';
import { mlpApply, mlpInit } from '../models/mlp';
import { SMALL_LM } from '../presets/base';
import { createRng } from '../rng';
import { createRun, type RunSnapshot } from '../run';
import { distilledLoss, kdLoss } from './distill';
import { activationImportance, pruneMlp, topUnits, type PlainParam } from './prune';

const SPIRAL: RunConfig = {
  ...DEFAULT_CONFIG,
  model: mlp([8, 6]),
  schedule: SCHEDULE_DEFAULTS.constant,
  steps: 40,
  metricsEvery: 20,
};

async function trained(config: RunConfig, steps: number): Promise<RunSnapshot> {
  const run = await createRun(config, { evalExamples: 8 });
  await run.train(steps);
  const s = await run.snapshot();
  run.dispose();
  return s;
}

const plain = (p: Readonly<Record<string, PlainParam>>) =>
  Object.fromEntries(
    Object.entries(p).map(([n, v]) => [n, tf.tensor(v.values, [...v.shape], 'float32')]),
  );

describe('importance pruning', () => {
  it('keeps the units with the largest scores, in index order', () => {
    expect(topUnits(Float32Array.from([0.1, 3, 0.5, 2, 2]), 3)).toEqual([1, 3, 4]);
    expect(() => topUnits(Float32Array.from([1]), 2)).toThrow();
  });

  it('scores a unit by its mean |activation| over the calibration rows', async () => {
    // One hidden layer, linear: unit j's activation is x·w_j, so the scores can be read by hand.
    const model = mlp([3], 'linear');
    const params = {
      'dense0/w': tf.tensor2d([1, -2, 0, 3, 1, 0.5], [2, 3]),
      'dense0/b': tf.zeros([3]),
      'head/w': tf.zeros([3, 2]),
      'head/b': tf.zeros([2]),
    };
    const x = tf.tensor2d([1, 1, -1, 2], [2, 2]);
    const [scores] = await activationImportance(params, model, x, inferenceContext());
    // Rows (1, 1) and (−1, 2): unit 0: |4|, |5|; unit 1: |−1|, |4|; unit 2: |0.5|, |1|.
    expect(Array.from(scores)).toEqual([4.5, 2.5, 0.75]);
    tf.dispose([...Object.values(params), x]);
  });

  it('a pruned net equals the original with the dropped units silenced', () => {
    const model = mlp([6, 5]);
    const inits = mlpInit(createRng(3), model, { inputs: 4, outputs: 3 });
    const keep = [
      [0, 2, 5],
      [1, 4],
    ];
    const pruned = pruneMlp(inits, keep);
    expect(pruned['dense0/w'].shape).toEqual([4, 3]);
    expect(pruned['dense1/w'].shape).toEqual([3, 2]);
    expect(pruned['head/w'].shape).toEqual([2, 3]);
    // Silencing a unit: zero the weights out of it; what it still computes then reaches nothing.
    const silenced: Record<string, PlainParam> = { ...inits };
    const zeroRows = (name: string, kept: readonly number[]) => {
      const p = inits[name];
      const cols = p.shape[1];
      const values = Float32Array.from(p.values);
      for (let r = 0; r < p.shape[0]; r++)
        if (!kept.includes(r)) values.fill(0, r * cols, (r + 1) * cols);
      silenced[name] = { shape: p.shape, values };
    };
    zeroRows('dense1/w', keep[0]);
    zeroRows('head/w', keep[1]);
    const x = tf.randomNormal([7, 4], 0, 1, 'float32', 5) as tf.Tensor2D;
    const small = plain(pruned);
    const full = plain(silenced);
    const a = mlpApply(small, mlp([3, 2]), x, inferenceContext());
    const b = mlpApply(full, model, x, inferenceContext());
    const [av, bv] = [a.dataSync(), b.dataSync()];
    expect(av.length).toBe(21);
    av.forEach((v, i) => expect(v).toBeCloseTo(bv[i], 5));
    tf.dispose([...Object.values(small), ...Object.values(full), x, a, b]);
  });

  it('a pruned child starts from the parent units the calibration batch ranks highest', async () => {
    const parent = await trained(SPIRAL, 40);
    const child: RunConfig = {
      ...SPIRAL,
      model: mlp([3, 2]),
      init: { from: 'parent', prune: { calibration: 100 } },
    };
    const run = await createRun(child, { parent });
    const got = await run.snapshot();
    // The same ranking, computed here from the parent's weights on the same 100 training points.
    const task = { x: await firstInputs(SPIRAL, 100) };
    const weights = plain(parent.params);
    const scores = await activationImportance(weights, mlp([8, 6]), task.x, inferenceContext());
    const expected = pruneMlp(parent.params, [topUnits(scores[0], 3), topUnits(scores[1], 2)]);
    for (const name of Object.keys(expected))
      expect(Array.from(got.params[name].values)).toEqual(Array.from(expected[name].values));
    // The kept units are the top 3 of layer 0: none dropped scores above a kept one.
    const kept = topUnits(scores[0], 3);
    const minKept = Math.min(...kept.map((i) => scores[0][i]));
    scores[0].forEach((s, i) => kept.includes(i) || expect(s).toBeLessThanOrEqual(minKept));
    tf.dispose([...Object.values(weights), task.x]);
    run.dispose();
  });
});

/** The spiral's first n training inputs, as the task holds them (its x1, x2 features). */
async function firstInputs(config: RunConfig, n: number): Promise<tf.Tensor2D> {
  const { makeToy2D } = await import('../data/toy-2d');
  const { toFeatures } = await import('../data/features');
  if (config.data.kind !== 'spiral') throw new Error('spiral only');
  const d = makeToy2D(config.data, config.seed);
  return tf.tidy(() =>
    toFeatures(
      tf.tensor2d(d.train.x.subarray(0, 2 * n), [n, 2]),
      config.data.kind === 'spiral' ? config.data.features : [],
    ),
  );
}

describe('logit distillation', () => {
  it('KD equals τ² · KL(softmax(t/τ) ‖ softmax(s/τ)), averaged over rows', () => {
    const s = [
      [1, 0, -1],
      [0.5, 2, 0],
    ];
    const t = [
      [2, 1, 0],
      [0, 0, 3],
    ];
    const tau = 2;
    const softmax = (z: number[]) => {
      const e = z.map((v) => Math.exp(v / tau));
      const sum = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / sum);
    };
    const kl = s.map((row, i) => {
      const p = softmax(t[i]);
      const q = softmax(row);
      return p.reduce((acc, pj, j) => acc + pj * Math.log(pj / q[j]), 0);
    });
    const expected = (tau * tau * (kl[0] + kl[1])) / 2;
    const got = kdLoss(tf.tensor2d(s), tf.tensor2d(t), tau);
    expect(got.dataSync()[0]).toBeCloseTo(expected, 5);
    const same = kdLoss(tf.tensor2d(t), tf.tensor2d(t), tau);
    expect(same.dataSync()[0]).toBeCloseTo(0, 6);
    const mixed = distilledLoss(tf.scalar(0.7), tf.tensor2d(s), tf.tensor2d(t), {
      temperature: tau,
      weight: 0.25,
    });
    expect(mixed.dataSync()[0]).toBeCloseTo(0.75 * 0.7 + 0.25 * expected, 5);
  });

  it('a distilling child trains while its teacher, the parent, stays frozen', async () => {
    const parent = await trained(SPIRAL, 40);
    const before = Array.from(parent.params['dense0/w'].values);
    const child: RunConfig = {
      ...SPIRAL,
      model: mlp([4, 3]),
      init: { from: 'parent', prune: { calibration: 64 } },
      distill: { temperature: 1, weight: 1 },
    };
    const run = await createRun(child, { parent, fused: true });
    expect(run.trainingPath().fused).toBe(false);
    const chunk = await run.train(20);
    expect(chunk.columns.loss.every(Number.isFinite)).toBe(true);
    expect(Array.from(parent.params['dense0/w'].values)).toEqual(before);
    run.dispose();
    await expect(createRun({ ...SPIRAL, distill: { temperature: 1, weight: 1 } })).rejects.toThrow(
      /parent/,
    );
  });
});

describe('fine-tuning fork', () => {
  const A: RunConfig = {
    ...SMALL_LM,
    data: { ...DATA_DEFAULTS.chars, sequenceLength: 16, domains: ['grammar'], corpusChars: 2000 },
    steps: 30,
    metricsEvery: 10,
  };
  const B: RunConfig = {
    ...A,
    data: {
      ...DATA_DEFAULTS.chars,
      sequenceLength: 16,
      domains: ['arithmetic'],
      corpusChars: 2000,
    },
    init: { from: 'parent' },
  };

  it('carries the weights and nothing else: fresh optimizer state, step and data position', async () => {
    const parent = await trained(A, 4);
    expect(parent.step).toBe(4);
    const child = await createRun(B, { parent, evalExamples: 8 });
    const got = await child.snapshot();
    const { init: _init, ...scratchConfig } = B;
    const scratch = await createRun(scratchConfig, { evalExamples: 8 });
    const fresh = await scratch.snapshot();
    for (const name of Object.keys(parent.params))
      expect(Array.from(got.params[name].values)).toEqual(Array.from(parent.params[name].values));
    expect(got.step).toBe(0);
    expect(got.samplesSeen).toBe(0);
    expect(got.cursor).toEqual(fresh.cursor);
    expect(got.optimizer).toEqual(fresh.optimizer);
    expect(got.config.data).toEqual(B.data);
    // It trains from there on its own data.
    const chunk = await child.train(3);
    expect(chunk.fromStep).toBe(1);
    expect(chunk.columns.loss.every(Number.isFinite)).toBe(true);
    child.dispose();
    scratch.dispose();
  });

  it('refuses a parent whose weights do not fit the child', async () => {
    const parent = await trained(SPIRAL, 5);
    const wider: RunConfig = { ...SPIRAL, model: mlp([9, 6]), init: { from: 'parent' } };
    await expect(createRun(wider, { parent })).rejects.toThrow(/dense0/);
  });
});
