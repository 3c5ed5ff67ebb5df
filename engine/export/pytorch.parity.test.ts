import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_CONFIG,
  MODEL_DEFAULTS,
  OPTIMIZER_DEFAULTS,
  OPTIMIZERS,
  type RunConfig,
} from '../config';
import { NODE_ENV } from '../data/node-assets';
import { createRun } from '../run';
import { SCHEDULE_DEFAULTS } from '../schedule/schema';
import { exportWeights } from './pytorch';
import {
  engineRun,
  maxRelativeDifference,
  pythonTestsEnabled,
  removeExports,
  runScript,
  runScripts,
  writeExport,
} from './python.test-helper';

/**
 * The exported script against the engine (TF.js cpu backend): the same initial weights (the
 * engine's snapshot), the same batches, the same update; the losses of the first 20 steps agree
 * to 1e-4 relative, for the MLP, the CNN and the char transformer with every optimizer.
 */

const STEPS = 20;
const TOLERANCE = 1e-4;
const enabled = pythonTestsEnabled('engine/export/pytorch.parity.test.ts');

const MODELS: Record<string, RunConfig> = {
  mlp: { ...DEFAULT_CONFIG, batchSize: 16, steps: STEPS, metricsEvery: STEPS },
  cnn: {
    ...DEFAULT_CONFIG,
    data: { kind: 'mnist', trainSamples: 100 },
    model: { ...MODEL_DEFAULTS.cnn, channels: [4] },
    batchSize: 8,
    steps: STEPS,
    metricsEvery: STEPS,
  },
  transformer: {
    ...DEFAULT_CONFIG,
    data: {
      kind: 'chars',
      domains: ['arithmetic', 'grammar'],
      sequenceLength: 8,
      corpusChars: 1000,
    },
    model: { ...MODEL_DEFAULTS.transformer, dim: 16, layers: 1, heads: 2, mlpRatio: 2 },
    batchSize: 8,
    steps: STEPS,
    metricsEvery: STEPS,
  },
};

describe.runIf(enabled)('exported PyTorch script against the engine', () => {
  afterAll(removeExports);

  for (const [model, base] of Object.entries(MODELS)) {
    it(`${model}: every optimizer's first ${STEPS} losses agree to ${TOLERANCE} relative`, async () => {
      const runs = [];
      for (const kind of OPTIMIZERS) {
        const config: RunConfig = { ...base, optimizer: OPTIMIZER_DEFAULTS[kind] };
        const engine = await engineRun(config, STEPS);
        runs.push({ kind, engine, script: (await writeExport(config, engine.weights)).script });
      }
      const python = await runScripts(
        runs.map((r) => r.script),
        STEPS,
      );
      const rows = runs.map(({ kind, engine }, i) => {
        const diff = maxRelativeDifference(python[i].loss, engine.loss);
        expect(python[i].loss.every(Number.isFinite), `${model}/${kind} losses are finite`).toBe(
          true,
        );
        expect(
          diff,
          `${model}/${kind}: engine ${engine.loss.join(', ')} vs torch ${python[i].loss.join(', ')}`,
        ).toBeLessThan(TOLERANCE);
        return `${kind}=${diff.toExponential(1)}`;
      });
      console.log(
        `parity ${model} (max relative loss difference over ${STEPS} steps): ${rows.join(' ')}`,
      );
    }, 600_000);
  }

  it('without a weights file the script initialises the parameters as the engine does', async () => {
    const configs = [MODELS.mlp, MODELS.transformer].map((c) => ({
      ...c,
      optimizer: OPTIMIZER_DEFAULTS.adam,
    }));
    const engines = [];
    for (const c of configs) engines.push(await engineRun(c, STEPS));
    const scripts = await Promise.all(configs.map(async (c) => (await writeExport(c)).script));
    const python = await runScripts(scripts, STEPS);
    engines.forEach((e, i) =>
      expect(maxRelativeDifference(python[i].loss, e.loss)).toBeLessThan(TOLERANCE),
    );
  }, 300_000);

  it('from a mid-run snapshot the script continues the run: the same step, batches and rates', async () => {
    // SGD keeps no state, so the continuation is exact (other optimizers restart their moments).
    const config: RunConfig = {
      ...MODELS.mlp,
      optimizer: OPTIMIZER_DEFAULTS.sgd,
      schedule: SCHEDULE_DEFAULTS.cosine,
    };
    const r = await createRun({ ...config, backend: 'cpu' }, NODE_ENV);
    await r.train(STEPS / 2);
    const weights = exportWeights(await r.snapshot());
    const rest = Array.from((await r.train(STEPS / 2)).columns.loss);
    r.dispose();
    const { script } = await writeExport(config, weights);
    const [python] = await runScripts([script], STEPS);
    expect(python.loss).toHaveLength(STEPS / 2);
    expect(maxRelativeDifference(python.loss, rest)).toBeLessThan(TOLERANCE);
  }, 300_000);

  it('a 2-process torchrun of the MLP reaches the single-process losses with the same global batch', async () => {
    const config: RunConfig = { ...MODELS.mlp, optimizer: OPTIMIZER_DEFAULTS.adam };
    const engine = await engineRun(config, STEPS);
    const { script } = await writeExport(config, engine.weights);
    const single = await runScript(script, STEPS);
    const double = await runScript(script, STEPS, 2);
    const diff = maxRelativeDifference(double.loss, single.loss);
    console.log(
      `torchrun 2 processes vs 1: max relative loss difference ${diff.toExponential(2)}; last loss ${double.loss[STEPS - 1]} vs ${single.loss[STEPS - 1]}`,
    );
    expect(double.output).toContain('2 process(es)');
    expect(double.loss).toHaveLength(STEPS);
    expect(diff).toBeLessThan(TOLERANCE);
  }, 300_000);
});
