import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRun, DEFAULT_CONFIG, type RunConfig } from './index';

const at = (c: RunConfig, patch: Partial<RunConfig>): RunConfig => ({ ...c, ...patch });

async function trainTo(config: RunConfig, steps: number) {
  const run = await createRun(config);
  const losses: number[] = [];
  let lastEval = { testLoss: NaN, accuracy: NaN };
  while (run.step < steps) {
    const chunk = await run.train(Math.min(config.metricsEvery, steps - run.step));
    losses.push(...chunk.columns.loss);
    const last = chunk.rows - 1;
    lastEval = { testLoss: chunk.columns.testLoss[last], accuracy: chunk.columns.testAccuracy[last] };
  }
  return { run, losses, lastEval };
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('run', () => {
  it('the default spiral run halves its loss within 200 steps', async () => {
    const { run, losses } = await trainTo(DEFAULT_CONFIG, 200);
    expect(mean(losses.slice(-20))).toBeLessThan(mean(losses.slice(0, 10)) / 2);
    run.dispose();
  });

  it.each([
    ['sgd', { kind: 'sgd', lr: 0.5 }, 600],
    ['adam', { kind: 'adam', lr: 0.02, beta1: 0.9, beta2: 0.999, eps: 1e-8 }, 300],
  ] as const)('%s reduces the spiral loss on the whole training set', async (_name, optimizer, steps) => {
    const run = await createRun(at(DEFAULT_CONFIG, { optimizer }));
    const evals: number[] = [];
    while (run.step < steps) {
      const chunk = await run.train(10);
      evals.push(chunk.columns.trainLoss[9]);
    }
    expect(evals.every(Number.isFinite)).toBe(true);
    expect(evals[evals.length - 1]).toBeLessThan(0.6 * evals[0]);
    run.dispose();
  });

  it('keeps the tensor count flat while training', async () => {
    const run = await createRun(DEFAULT_CONFIG);
    await run.train(10);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) await run.train(10);
    await run.predictGrid(8);
    await run.predictGrid(8); // the cached grid survives between calls
    expect(tf.memory().numTensors).toBe(before + 1); // the cached 8x8 grid
    run.dispose();
  });
});

describe('snapshot and restore', () => {
  it('a restored run continues exactly as the original', async () => {
    const a = await createRun(DEFAULT_CONFIG);
    await a.train(30);
    const snap = await a.snapshot();
    const next = await a.train(20);
    const b = await createRun({ ...DEFAULT_CONFIG, seed: DEFAULT_CONFIG.seed });
    b.restore(snap);
    expect(b.step).toBe(30);
    const again = await b.train(20);
    expect(again.columns.loss).toEqual(next.columns.loss);
    expect(again.columns.testLoss).toEqual(next.columns.testLoss);
    a.dispose();
    b.dispose();
  });

  it('reconfigure applies hot fields and rejects invalid ones', async () => {
    const run = await createRun(DEFAULT_CONFIG);
    await run.train(5);
    run.reconfigure({ optimizer: { kind: 'sgd', lr: 0.1 }, batchSize: 8 });
    expect(run.config.optimizer.kind).toBe('sgd');
    const chunk = await run.train(5);
    expect(Array.from(chunk.columns.lr)).toEqual([0.1, 0.1, 0.1, 0.1, 0.1].map(Math.fround));
    expect(() => run.reconfigure({ batchSize: -3 })).toThrow(/batchSize/);
    run.dispose();
  });
});
