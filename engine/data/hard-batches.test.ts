import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRun, DATA_DEFAULTS, DEFAULT_CONFIG, parseRunConfig, type RunConfig } from '../index';
import { unsupportedOf } from '../export/unsupported';
import { Buffers, IDENTITY_QUANTIZER } from '../layers/context';
import { createParams, disposeParams } from '../params';
import { createRng } from '../rng';
import { createTask } from '../tasks/index';
import { BatchSampler } from './batches';
import { epochBatches, HardBatchSampler, hardestBatches, keptCount } from './hard-batches';

// The test vector of docs/algorithms.md#hard-mini-batches: five batch losses, worked by hand.
const LOSSES = [0.3, 1.2, 0.7, 0.9, 0.1];

describe('hard mini-batch selection', () => {
  it('keeps the ⌈δ·M⌉ batches with the largest loss, in epoch order', () => {
    expect(hardestBatches(LOSSES, 0.4)).toEqual([1, 3]);
    expect(hardestBatches(LOSSES, 0.6)).toEqual([1, 2, 3]);
    expect(hardestBatches(LOSSES, 0.2)).toEqual([1]);
    // ⌈0.5·5⌉ = 3; a tiny δ still keeps one batch.
    expect(hardestBatches(LOSSES, 0.5)).toEqual([1, 2, 3]);
    expect(hardestBatches(LOSSES, 1e-6)).toEqual([1]);
    expect(keptCount(250, 0.25)).toBe(63);
    expect(keptCount(128, 0.25)).toBe(32);
  });

  it('δ = 1 keeps every batch in the plain order', () => {
    expect(hardestBatches(LOSSES, 1)).toEqual([0, 1, 2, 3, 4]);
    const batches = epochBatches(100, 7, 0, 10);
    const plain = new BatchSampler(100, 7);
    for (const b of batches) expect(Array.from(b)).toEqual(Array.from(plain.next(10)));
  });

  it('counts a diverged (NaN) batch as the hardest and breaks ties by position', () => {
    expect(hardestBatches([0.5, Number.NaN, 0.5, 0.5], 0.5)).toEqual([0, 1]);
  });

  it('the sampler trains on the kept batches of each epoch, then scores the next', () => {
    const s = new HardBatchSampler(50, 3, 0.4);
    const batches = s.pending(10);
    expect(batches?.length).toBe(5);
    if (!batches) return;
    s.select(batches, LOSSES);
    expect(s.pending(10)).toBeNull();
    expect(Array.from(s.next())).toEqual(Array.from(batches[1]));
    expect(s.epochs).toBe(0.5);
    expect(Array.from(s.next())).toEqual(Array.from(batches[3]));
    expect(s.epochs).toBe(1);
    const second = s.pending(10);
    expect(s.state).toEqual({ epoch: 1, position: 0 });
    expect(second?.map((b) => Array.from(b))).toEqual(
      epochBatches(50, 3, 1, 10).map((b) => Array.from(b)),
    );
  });
});

describe('hard batches in a run', () => {
  const spiral = (batching: RunConfig['batching']): RunConfig => ({
    ...DEFAULT_CONFIG,
    data: { ...DATA_DEFAULTS.spiral, samples: 80, trainFraction: 0.5 },
    batchSize: 8,
    steps: 20,
    batching,
  });

  it('validates δ in (0, 1]; the PyTorch export says it trains on every batch', () => {
    expect(unsupportedOf(spiral({ kind: 'hard', keep: 0.5 }))).toEqual([
      expect.stringContaining('hard mini-batches'),
    ]);
    expect(unsupportedOf(spiral({ kind: 'hard', keep: 1 }))).toEqual([]);
    expect(parseRunConfig(spiral({ kind: 'hard', keep: 0 })).ok).toBe(false);
    expect(parseRunConfig(spiral({ kind: 'hard', keep: 1.5 })).ok).toBe(false);
    expect(parseRunConfig(spiral({ kind: 'hard', keep: 0.5 })).ok).toBe(true);
  });

  it('δ = 0.5 trains half the batches of an epoch; δ = 1 is the plain run', async () => {
    // 40 training points in batches of 8: M = 5 batches, δ = 0.5 keeps 3.
    const hard = await createRun(spiral({ kind: 'hard', keep: 0.5 }), { fused: true });
    expect(hard.trainingPath().fused).toBe(false);
    const chunk = await hard.train(6);
    expect(Array.from(chunk.columns.epoch)).toEqual(
      [1, 2, 3, 4, 5, 6].map((i) => Math.fround(i / 3)),
    );
    expect(chunk.columns.samples[5]).toBe(48);
    hard.dispose();

    const plain = await createRun(spiral(undefined));
    const one = await createRun(spiral({ kind: 'hard', keep: 1 }));
    const [a, b] = [await plain.train(6), await one.train(6)];
    expect(Array.from(b.columns.loss)).toEqual(Array.from(a.columns.loss));
    expect(b.columns.epoch[4]).toBe(1);
    plain.dispose();
    one.dispose();
  });

  it('the scoring pass leaves no tensors behind', async () => {
    const run = await createRun(spiral({ kind: 'hard', keep: 0.4 }));
    await run.train(3);
    const before = tf.memory().numTensors;
    // 2 kept batches an epoch: 10 more steps score 5 more epochs.
    await run.train(10);
    expect(tf.memory().numTensors).toBe(before);
    run.dispose();
  });

  it('trains first on the earliest of the batches with the largest loss at the start', async () => {
    const config = spiral({ kind: 'hard', keep: 0.4 });
    // The five batch losses at the initial weights, computed here with the task itself.
    const task = await createTask(config, {});
    const params = createParams(task.init(createRng(config.seed)));
    const ctx = { training: false, step: 0, quant: IDENTITY_QUANTIZER, buffers: new Buffers() };
    const batches = epochBatches(task.trainCount, config.seed, 0, 8);
    const losses = batches.map((b) => {
      const l = tf.tidy(() => task.batchLoss(params.values, tf.tensor1d(b, 'int32'), ctx));
      const x = l.dataSync()[0];
      l.dispose();
      return x;
    });
    disposeParams(params);
    task.dispose();
    const [first] = hardestBatches(losses, 0.4);
    const sorted = [...losses].sort((a, b) => b - a);
    expect(losses[first]).toBeGreaterThanOrEqual(sorted[1]);

    // The run's first step trains on that batch before updating: its loss is that batch's.
    const run = await createRun(config);
    const chunk = await run.train(1);
    expect(chunk.columns.loss[0]).toBeCloseTo(losses[first], 5);
    run.dispose();
  });
});
