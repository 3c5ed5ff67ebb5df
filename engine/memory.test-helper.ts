import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { NODE_ENV } from './data/node-assets';
import {
  DATA_DEFAULTS,
  DEFAULT_CONFIG,
  OPTIMIZER_DEFAULTS,
  type OptimizerConfig,
  type RunConfig,
} from './index';
import { createRun, type Run } from './run';

/**
 * Test helper for "memory stays flat": a run trains `STEPS` steps through `Run.train` (per-step
 * loss and gradient norm, layer stats and the evaluation every chunk), with the side views the
 * worker streams, and a snapshot / optimizer switch / restore half-way. The TF.js tensor count and
 * bytes at the end must equal those after the first chunk, and disposing the run frees everything.
 */

export const STEPS = 5000;
const CHUNK = 50;
/** Decision boundary, weight histograms and the task's views (text samples, expert load, predictions). */
const VIEWS_EVERY = 2500;

export const TINY_CHARS = { ...DATA_DEFAULTS.chars, corpusChars: 1000, sequenceLength: 4 };
export const TINY_MNIST = { ...DATA_DEFAULTS.mnist, trainSamples: 100 };

export const tinyRun = (patch: Partial<RunConfig>): RunConfig => ({
  ...DEFAULT_CONFIG,
  optimizer: OPTIMIZER_DEFAULTS.sgd,
  steps: STEPS,
  metricsEvery: CHUNK,
  backend: 'cpu',
  ...patch,
});

interface Memory {
  readonly tensors: number;
  readonly bytes: number;
}

const memory = (): Memory => ({ tensors: tf.memory().numTensors, bytes: tf.memory().numBytes });

async function sideViews(run: Run): Promise<void> {
  await run.predictGrid(16);
  await run.weightStats();
  await run.views();
}

/** Snapshot, a chunk with another optimizer (its state replaces the first one's) and batch size, then back to the snapshot. */
async function detour(run: Run): Promise<void> {
  const snapshot = await run.snapshot();
  const other: OptimizerConfig =
    run.config.optimizer.kind === 'adam' ? OPTIMIZER_DEFAULTS.momentum : OPTIMIZER_DEFAULTS.adam;
  run.reconfigure({ optimizer: other, batchSize: run.config.batchSize + 1 });
  await run.train(CHUNK);
  run.reconfigure({ optimizer: snapshot.config.optimizer, batchSize: snapshot.config.batchSize });
  run.restore(snapshot);
  expect(run.step).toBe(snapshot.step);
}

/** Trains `config` for `STEPS` steps and checks memory; logs the figures. */
export async function expectFlatMemory(name: string, config: RunConfig): Promise<void> {
  const started = performance.now();
  const empty = memory();
  const run = await createRun(config, { ...NODE_ENV, evalExamples: 8 });
  await run.train(CHUNK);
  await sideViews(run);
  const first = memory();
  const testLosses: number[] = [];
  let detoured = false;
  while (run.step < STEPS) {
    const chunk = await run.train(Math.min(CHUNK, STEPS - run.step));
    testLosses.push(chunk.columns.testLoss[chunk.rows - 1]);
    if (run.step % VIEWS_EVERY === 0) await sideViews(run);
    if (!detoured && run.step >= STEPS / 2) {
      await detour(run);
      detoured = true;
    }
  }
  const last = memory();
  run.dispose();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const line = `${name}: ${first.tensors} tensors, ${first.bytes} bytes after ${CHUNK} steps; ${last.tensors} tensors, ${last.bytes} bytes after ${STEPS} (${seconds} s)`;
  console.log(line);
  expect(detoured).toBe(true);
  expect(testLosses.every(Number.isFinite)).toBe(true);
  expect(last).toEqual(first);
  expect(memory()).toEqual(empty);
}
