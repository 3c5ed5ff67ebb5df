import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmKernels } from './backends/wasm-kernels';
import { prepareWasm } from './backends/wasm.test-helper';
import { NODE_ENV } from './data/node-assets';
import { createRun, defaultRun, type BackendName, type DatasetKind, type RunConfig } from './index';

/**
 * Guards the first run people see: the default run of each dataset (its data defaults, its first
 * model's defaults, the pair's steps and rate from engine/tasks/default-run.ts, the default
 * optimizer and schedule) keeps improving to its end, so its final test loss is within 10% of the
 * best it reached. The whole default run, headless with the engine.
 */

async function finalAndBest(
  config: RunConfig,
  backend: BackendName,
): Promise<{ final: number; best: number; bestStep: number }> {
  const run = await createRun({ ...config, backend }, NODE_ENV);
  let best = Number.POSITIVE_INFINITY;
  let bestStep = 0;
  let final = Number.NaN;
  try {
    while (run.step < config.steps) {
      const chunk = await run.train(Math.min(config.metricsEvery, config.steps - run.step));
      final = chunk.columns.testLoss[chunk.rows - 1];
      if (final < best) [best, bestStep] = [final, run.step];
    }
  } finally {
    run.dispose();
  }
  return { final, best, bestStep };
}

async function expectKeepsImproving(kind: DatasetKind, backend: BackendName): Promise<void> {
  const { final, best, bestStep } = await finalAndBest(defaultRun(kind), backend);
  expect(Number.isFinite(final), `final ${final}`).toBe(true);
  expect(final, `best ${best.toFixed(4)} at step ${bestStep}`).toBeLessThanOrEqual(best * 1.1);
}

/** The 2-D sets and the CSV table train an MLP in seconds on the cpu backend. */
const QUICK: readonly DatasetKind[] = ['spiral', 'circles', 'xor', 'gaussians', 'plane', 'csv'];

/**
 * Convolutions and transformers, on the backend the app picks for them (wasm), where the cpu
 * backend is slower: on 2 loaded cores the modular transformer ran 1.5 steps/s on cpu and 35 on
 * wasm, the chars transformer's 150 steps took 358 s on cpu and 160 s on wasm, and the cpu
 * backend's convolution gradients loop per multiply-add (engine/memory-cct.test.ts). The run is
 * the same whole default run; only the kernels differ. On those loaded cores this block took
 * 30-160 s a dataset (mnist 149 s, chars 160 s, text 81 s, modular 90 s, in-context 30 s).
 */
const WASM: readonly DatasetKind[] = ['mnist', 'chars', 'text', 'modular', 'in-context'];

describe('default runs keep improving to their end', () => {
  it.each(QUICK)(
    '%s: final test loss within 10% of its best',
    (kind) => expectKeepsImproving(kind, 'cpu'),
    120_000,
  );

  describe('on the WASM backend', () => {
    beforeAll(async () => {
      await prepareWasm(registerWasmKernels);
      await tf.setBackend('wasm');
    });
    afterAll(async () => {
      await tf.setBackend('cpu');
    });

    it.each(WASM)(
      '%s: final test loss within 10% of its best',
      (kind) => expectKeepsImproving(kind, 'wasm'),
      300_000,
    );
  });
});
