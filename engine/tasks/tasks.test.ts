import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { NODE_ENV } from '../data/node-assets';
import { datasetId, SAMPLE_CSV } from '../data/dataset';
import { DATA_DEFAULTS, type DataConfig } from '../data/schema';
import { MODEL_DEFAULTS, type ModelConfig } from '../models/schema';
import { createTask } from './index';
import { config, expectLearns } from './learns.test-helper';
import { trainForTest } from './train.test-helper';

const ID = `sha256:${'0'.repeat(64)}`;
const tinyChars = { ...DATA_DEFAULTS.chars, corpusChars: 2000, sequenceLength: 8 };
const tinyLm = { ...MODEL_DEFAULTS.transformer, dim: 16, layers: 1, mlpRatio: 2 };
const tinyMoe = {
  ...MODEL_DEFAULTS.moe,
  dim: 16,
  layers: 1,
  experts: 4,
  topK: 2,
  capacityFactor: 1.25,
};

// [name, data, model, steps, lr, microBatches]: loss must fall within the budget.
const CASES: [string, DataConfig, ModelConfig, number, number, number][] = [
  ['chars × transformer', tinyChars, tinyLm, 30, 0.01, 1],
  ['chars × moe (micro LBL, 2 micro-batches)', tinyChars, tinyMoe, 30, 0.01, 2],
  [
    'chars × moe (global LBL, 2 micro-batches)',
    tinyChars,
    { ...tinyMoe, lblScope: 'global' as const, topK: 1 },
    30,
    0.01,
    2,
  ],
  [
    'text × transformer + rms',
    { ...DATA_DEFAULTS.text, sequenceLength: 8 },
    { ...tinyLm, norm: 'rms' },
    30,
    0.01,
    1,
  ],
  ['modular × transformer', { kind: 'modular', p: 7, trainFraction: 0.8 }, tinyLm, 60, 0.01, 1],
  [
    'csv × mlp + layer norm',
    DATA_DEFAULTS.csv,
    { kind: 'mlp', hidden: [8], activation: 'tanh', norm: 'layer' },
    40,
    0.05,
    1,
  ],
  [
    'spiral × mlp + group norm (2 micro-batches)',
    DATA_DEFAULTS.spiral,
    { kind: 'mlp', hidden: [16, 16], activation: 'relu', norm: 'group' },
    60,
    0.02,
    2,
  ],
];

describe('every model learns its dataset (loss falls within a small budget)', () => {
  it.each(CASES)('%s', (_, data, model, steps, lr, microBatches) =>
    expectLearns(data, model, steps, lr, microBatches),
  );
});

describe('createTask', () => {
  it.each<[DataConfig, ModelConfig, RegExp]>([
    [
      DATA_DEFAULTS.mnist,
      MODEL_DEFAULTS.transformer,
      /the mnist dataset needs a cnn, cct or mlp model, not transformer/,
    ],
    [
      DATA_DEFAULTS.chars,
      MODEL_DEFAULTS.cnn,
      /the chars dataset needs a transformer or moe model, not cnn/,
    ],
    [DATA_DEFAULTS.spiral, MODEL_DEFAULTS.cct, /the spiral dataset needs an mlp model/],
    [DATA_DEFAULTS.csv, MODEL_DEFAULTS.moe, /the csv dataset needs an mlp model/],
  ])('rejects %j × its model with a clear message', async (data, model, message) => {
    await expect(createTask(config(data, model), NODE_ENV)).rejects.toThrow(message);
  });
  it.each<[DataConfig, ModelConfig, string, RegExp]>([
    [
      { kind: 'text', dataset: ID, sequenceLength: 8 },
      MODEL_DEFAULTS.transformer,
      'too short',
      /needs at least/,
    ],
    [
      { kind: 'csv', dataset: ID, trainFraction: 0.5 },
      MODEL_DEFAULTS.mlp,
      'a,b\n1,x\n',
      /need at least/,
    ],
    [
      { kind: 'csv', dataset: ID, trainFraction: 0.5 },
      MODEL_DEFAULTS.mlp,
      '1,2,x\n'.repeat(90_000),
      /at most 500,000/,
    ],
  ])('checks the user data it is given: %j', async (data, model, text, message) => {
    await expect(
      createTask(config(data, model), { ...NODE_ENV, dataset: { id: ID, text } }),
    ).rejects.toThrow(message);
  });
  it('user data the config names but the caller does not give is refused with a message', async () => {
    const data: DataConfig = { kind: 'csv', dataset: ID, trainFraction: 0.5 };
    const other = { id: `sha256:${'1'.repeat(64)}`, text: SAMPLE_CSV };
    await expect(createTask(config(data, MODEL_DEFAULTS.mlp), NODE_ENV)).rejects.toThrow(
      /not stored in this browser/,
    );
    await expect(
      createTask(config(data, MODEL_DEFAULTS.mlp), { ...NODE_ENV, dataset: other }),
    ).rejects.toThrow(/sha256:000/);
  });
  it('user text given through RunEnv.dataset trains (the way Node and the worker pass content)', async () => {
    const text = 'to be or not to be, that is the question. '.repeat(12);
    const dataset = { id: await datasetId(text), text };
    const data: DataConfig = { kind: 'text', dataset: dataset.id, sequenceLength: 8 };
    const task = await createTask(config(data, tinyLm), { ...NODE_ENV, dataset });
    const r = trainForTest(task, { steps: 20, lr: 0.01, batch: 16 });
    expect(r.after[0]).toBeLessThan(r.before[0]);
    r.dispose();
  });
  it('mnist without an asset loader says so', async () => {
    await expect(createTask(config(DATA_DEFAULTS.mnist, MODEL_DEFAULTS.cnn), {})).rejects.toThrow(
      /data\/mnist-10k.bin/,
    );
  });
});

describe('micro-batching', () => {
  it('without batch statistics, m = 1 and m = 4 give the same loss and gradient', async () => {
    const task = await createTask(
      config(DATA_DEFAULTS.spiral, { kind: 'mlp', hidden: [8], activation: 'tanh', norm: 'layer' }),
      NODE_ENV,
    );
    const r = trainForTest(task, { steps: 0 });
    const vars = r.params.names.map((n) => r.params.values[n]);
    const idx = tf.tensor1d([0, 5, 9, 2, 7, 11, 4, 3], 'int32');
    const at = (m: number) =>
      tf.variableGrads(() => task.batchLoss(r.params.values, idx, r.context(true), m), vars);
    const [one, four] = [at(1), at(4)];
    expect(four.value.dataSync()[0]).toBeCloseTo(one.value.dataSync()[0], 5);
    for (const n of Object.keys(one.grads)) {
      const a = one.grads[n].dataSync();
      four.grads[n].dataSync().forEach((g, i) => expect(g).toBeCloseTo(a[i], 5));
    }
    r.dispose();
  });
  it('with BatchNorm, statistics are per micro-batch (the loss differs) and running stats move once per micro-batch', async () => {
    const task = await createTask(
      config(DATA_DEFAULTS.spiral, { kind: 'mlp', hidden: [8], activation: 'relu', norm: 'batch' }),
      NODE_ENV,
    );
    const r = trainForTest(task, { steps: 0 });
    const idx = tf.tensor1d([0, 5, 9, 2, 7, 11, 4, 3], 'int32');
    const one = task.batchLoss(r.params.values, idx, r.context(true), 1).dataSync()[0];
    const four = task.batchLoss(r.params.values, idx, r.context(true), 4).dataSync()[0];
    expect(Math.abs(one - four)).toBeGreaterThan(1e-4);
    r.dispose();
  });
});
