import { describe, expect, it } from 'vitest';
import {
  COMPATIBLE_MODELS,
  createRun,
  DATA_DEFAULTS,
  DEFAULT_CONFIG,
  MODEL_DEFAULTS,
  MODEL_STEPS,
  type DatasetKind,
  type RunConfig,
} from './index';

/**
 * Guards the first run people see: the default run of each dataset (its data defaults, its first
 * model's defaults and steps, the default optimizer and schedule) keeps improving to its end, so
 * its final test loss is within 10% of the best it reached. Run headless on the cpu backend.
 */

/** The run a dataset's first click starts: what App's dataset picker builds from the defaults. */
function defaultRunOf(kind: DatasetKind): RunConfig {
  const model = MODEL_DEFAULTS[COMPATIBLE_MODELS[kind][0]];
  return { ...DEFAULT_CONFIG, data: DATA_DEFAULTS[kind], model, steps: MODEL_STEPS[model.kind] };
}

async function finalAndBest(
  config: RunConfig,
): Promise<{ final: number; best: number; bestStep: number }> {
  const run = await createRun({ ...config, backend: 'cpu' });
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

/** The 2-D sets and the CSV table train an MLP in seconds: always run. */
const QUICK: readonly DatasetKind[] = ['spiral', 'circles', 'xor', 'gaussians', 'plane', 'csv'];
/** Transformers and convolutions take minutes on the cpu backend: only with LONG_DEFAULTS=1. */
const LONG: readonly DatasetKind[] = ['modular', 'text', 'chars'];

describe('default runs keep improving to their end', () => {
  it.each(QUICK)(
    '%s: final test loss within 10% of its best',
    async (kind) => {
      const { final, best, bestStep } = await finalAndBest(defaultRunOf(kind));
      expect(Number.isFinite(final), `final ${final}`).toBe(true);
      expect(final, `best ${best.toFixed(4)} at step ${bestStep}`).toBeLessThanOrEqual(best * 1.1);
    },
    120_000,
  );

  // LONG: minutes each on the cpu backend; `LONG_DEFAULTS=1 npx vitest run engine/defaults.test.ts`.
  it.skipIf(!process.env.LONG_DEFAULTS).each(LONG)(
    '%s (long): final test loss within 10% of its best',
    async (kind) => {
      const { final, best, bestStep } = await finalAndBest(defaultRunOf(kind));
      expect(final, `best ${best.toFixed(4)} at step ${bestStep}`).toBeLessThanOrEqual(best * 1.1);
    },
    1_200_000,
  );
});
