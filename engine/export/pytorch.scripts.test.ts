import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DATA_DEFAULTS,
  DEFAULT_CONFIG,
  MODEL_DEFAULTS,
  OPTIMIZER_DEFAULTS,
  OPTIMIZERS,
  type RunConfig,
} from '../config';
import { QUANT_PRESETS } from '../quant/schema';
import { SCHEDULE_DEFAULTS, SCHEDULES } from '../schedule/schema';
import { exportPyTorch } from './pytorch';
import {
  engineRun,
  maxRelativeDifference,
  pythonTestsEnabled,
  removeExports,
  runScripts,
  VENV_PYTHON,
  writeExport,
} from './python.test-helper';

/**
 * Every model, optimizer, schedule and quantizer: the generated script compiles; and the parts
 * the 20-step parity test does not cover (CCT, MoE, norms, quantizers, micro-batches, the other
 * datasets) follow the engine over a few steps.
 */

const enabled = pythonTestsEnabled('engine/export/pytorch.scripts.test.ts');
const exec = promisify(execFile);

const CHARS: RunConfig['data'] = {
  kind: 'chars',
  domains: ['brackets'],
  sequenceLength: 8,
  corpusChars: 1000,
};
const MNIST: RunConfig['data'] = { kind: 'mnist', trainSamples: 100 };
const tiny = { dim: 16, layers: 1, heads: 2, mlpRatio: 1 };

const MODELS: readonly Pick<RunConfig, 'data' | 'model'>[] = [
  { data: DATA_DEFAULTS.spiral, model: MODEL_DEFAULTS.mlp },
  { data: MNIST, model: { ...MODEL_DEFAULTS.cnn, channels: [4] } },
  { data: MNIST, model: { ...MODEL_DEFAULTS.cct, ...tiny, convLayers: 2 } },
  { data: CHARS, model: { ...MODEL_DEFAULTS.transformer, ...tiny } },
  { data: CHARS, model: { ...MODEL_DEFAULTS.moe, ...tiny } },
];
const QUANTS = Object.values(QUANT_PRESETS);

/** Each model with each optimizer, the schedules and quantizers dealt round-robin, plus every schedule × quantizer. */
function table(): RunConfig[] {
  const out: RunConfig[] = [];
  let i = 0;
  for (const m of MODELS) {
    for (const kind of OPTIMIZERS) {
      out.push({
        ...DEFAULT_CONFIG,
        ...m,
        optimizer: OPTIMIZER_DEFAULTS[kind],
        schedule: SCHEDULE_DEFAULTS[SCHEDULES[i % SCHEDULES.length]],
        quant: QUANTS[i % QUANTS.length],
      });
      i++;
    }
  }
  for (const s of SCHEDULES)
    for (const quant of QUANTS)
      out.push({ ...DEFAULT_CONFIG, schedule: SCHEDULE_DEFAULTS[s], quant });
  return out;
}

/** Runs beyond the main parity table, each a few steps against the engine. */
const STEPS = 5;
const base = { ...DEFAULT_CONFIG, batchSize: 8, steps: STEPS, metricsEvery: STEPS };
const CASES: Record<string, RunConfig> = {
  'cct (layer norm)': {
    ...base,
    data: MNIST,
    model: { ...MODEL_DEFAULTS.cct, ...tiny, dim: 8, convLayers: 2 },
  },
  'ViT-lite (patches, class token)': {
    ...base,
    data: MNIST,
    model: {
      ...MODEL_DEFAULTS.cct,
      ...tiny,
      dim: 8,
      convLayers: 2,
      tokenizer: 'patch' as const,
      pooling: 'class' as const,
    },
  },
  'moe (top-2, capacity 1.25, global balance, 2 micro-batches)': {
    ...base,
    data: CHARS,
    model: {
      ...MODEL_DEFAULTS.moe,
      ...tiny,
      experts: 4,
      topK: 2,
      capacityFactor: 1.25,
      lblScope: 'global' as const,
    },
    microBatches: 2,
  },
  // With Adam, the directions BN and WS make null (the bias before BN, each column's mean and
  // scale) take ±lr steps driven by float noise in either implementation: momentum here.
  'mlp (batch norm, weight standardization, 2 micro-batches)': {
    ...base,
    optimizer: OPTIMIZER_DEFAULTS.momentum,
    model: { ...MODEL_DEFAULTS.mlp, norm: 'batch', weightStandardization: true },
    microBatches: 2,
  },
  'mlp (group norm, tanh) on the regression plane': {
    ...base,
    data: DATA_DEFAULTS.plane,
    model: { ...MODEL_DEFAULTS.mlp, norm: 'group', activation: 'tanh' },
  },
  'cnn (batch-channel norm)': {
    ...base,
    data: MNIST,
    model: { ...MODEL_DEFAULTS.cnn, channels: [4], norm: 'batch-channel' },
  },
  'transformer (rms norm) on modular addition': {
    ...base,
    data: { kind: 'modular', p: 7, trainFraction: 0.5 },
    model: { ...MODEL_DEFAULTS.transformer, ...tiny, norm: 'rms' },
  },
  'transformer on text': {
    ...base,
    data: DATA_DEFAULTS.text,
    model: { ...MODEL_DEFAULTS.transformer, ...tiny },
  },
  'mlp b1.58 (ternary absmean, int8 activations)': {
    ...base,
    quant: QUANT_PRESETS['b1.58-absmean'],
  },
  'mlp b1.58 absmedian': { ...base, quant: QUANT_PRESETS['b1.58-absmedian'] },
  'mlp int8 weights': { ...base, quant: QUANT_PRESETS.int8 },
  'mlp bf16': { ...base, quant: QUANT_PRESETS.bf16 },
  'mlp fp8 (e4m3, e5m2 gradients, per-tensor scaling)': { ...base, quant: QUANT_PRESETS.fp8 },
  'transformer int4 with embedding and head': {
    ...base,
    data: CHARS,
    model: { ...MODEL_DEFAULTS.transformer, ...tiny },
    quant: {
      ...QUANT_PRESETS.int8,
      weights: 'int4',
      activations: 'fp16',
      quantizeEmbeddingAndHead: true,
    },
  },
  'mlp cosine schedule with warmup, sqrt batch rule': {
    ...base,
    schedule: SCHEDULE_DEFAULTS.cosine,
    batchScaling: { rule: 'sqrt', referenceBatch: 32 },
  },
};

/**
 * Ternary weights make sums of ±γ·h that are exactly 0 in exact arithmetic; float rounding leaves
 * them at ±1e-9 with a sign that depends on the summation order, which decides a ReLU's gradient.
 * So after the first update the two implementations part by more than rounding: compared on the
 * first step (same weights, same forward) only.
 */
const compared = (name: string) => (name.includes('b1.58') ? 1 : STEPS);

describe.runIf(enabled)('generated scripts', () => {
  afterAll(removeExports);

  it('compile for every model x optimizer, schedule x quantizer of the table', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'torch-compile-'));
    const configs = table();
    const files = await Promise.all(
      configs.map(async (c, i) => {
        const file = join(dir, `run${i}.py`);
        await writeFile(file, exportPyTorch(c).script);
        return file;
      }),
    );
    try {
      await exec(VENV_PYTHON, ['-m', 'py_compile', ...files]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(files).toHaveLength(
      MODELS.length * OPTIMIZERS.length + SCHEDULES.length * QUANTS.length,
    );
  }, 120_000);

  it(`follow the engine over ${STEPS} steps for the other models, norms, quantizers and datasets`, async () => {
    const runs = [];
    for (const [name, config] of Object.entries(CASES)) {
      const engine = await engineRun(config, STEPS);
      runs.push({ name, engine, script: (await writeExport(config, engine.weights)).script });
    }
    const python = await runScripts(
      runs.map((r) => r.script),
      STEPS,
    );
    const rows = runs.map(({ name, engine }, i) => {
      const n = compared(name);
      return `${name}: ${maxRelativeDifference(python[i].loss.slice(0, n), engine.loss.slice(0, n)).toExponential(1)} over ${n} step(s)`;
    });
    console.log(`max relative loss difference:\n  ${rows.join('\n  ')}`);
    runs.forEach(({ name, engine }, i) => {
      const n = compared(name);
      expect(python[i].loss.every(Number.isFinite), `${name}: finite losses`).toBe(true);
      const diff = maxRelativeDifference(python[i].loss.slice(0, n), engine.loss.slice(0, n));
      expect(
        diff,
        `${name}: ${engine.loss.join(', ')} vs ${python[i].loss.join(', ')}`,
      ).toBeLessThan(1e-4);
    });
  }, 600_000);
});
