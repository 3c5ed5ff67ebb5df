import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRun, DEFAULT_CONFIG, type RunConfig } from './index';

const at = (c: RunConfig, patch: Partial<RunConfig>): RunConfig => ({ ...c, ...patch });

async function trainTo(config: RunConfig, steps: number) {
  const run = createRun(config);
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
    console.log('default', mean(losses.slice(0, 10)), mean(losses.slice(-20)));
    expect(mean(losses.slice(-20))).toBeLessThan(mean(losses.slice(0, 10)) / 2);
    run.dispose();
  });

  it('SGD and Adam both reduce spiral loss', async () => {
    for (const optimizer of [
      { kind: 'sgd', lr: 0.3 },
      { kind: 'adam', lr: 0.02, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    ] as const) {
      const { run, losses } = await trainTo(at(DEFAULT_CONFIG, { optimizer }), 300);
      console.log(optimizer.kind, mean(losses.slice(0, 10)), mean(losses.slice(-20)));
      expect(mean(losses.slice(-20))).toBeLessThan(0.7 * mean(losses.slice(0, 10)));
      run.dispose();
    }
  });

  it('keeps the tensor count flat while training', async () => {
    const run = createRun(DEFAULT_CONFIG);
    await run.train(10);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) await run.train(10);
    await run.predictGrid(8);
    await run.predictGrid(8); // the cached grid survives between calls
    expect(tf.memory().numTensors).toBe(before + 1); // the cached 8x8 grid
    run.dispose();
  });
});
