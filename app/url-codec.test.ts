import { describe, expect, it } from 'vitest';
import {
  DATA_DEFAULTS, DATASETS, DEFAULT_CONFIG, MODEL_DEFAULTS, MODELS, OPTIMIZER_DEFAULTS, OPTIMIZERS, QUANT_PRESETS,
  SCHEDULE_DEFAULTS, SCHEDULES, type RunConfig,
} from '../engine/lite';
import { decodeConfig, encodeConfig } from './url-codec';

const variants: RunConfig[] = [
  DEFAULT_CONFIG,
  { ...DEFAULT_CONFIG, seed: 42, batchSize: 7, data: { kind: 'xor', samples: 300, noise: 0.2, trainFraction: 0.7 } },
  { ...DEFAULT_CONFIG, model: { ...MODEL_DEFAULTS.mlp, hidden: [], activation: 'tanh' }, optimizer: { kind: 'sgd', lr: 0.5 } },
  { ...DEFAULT_CONFIG, model: { ...MODEL_DEFAULTS.mlp, hidden: [3, 1, 4, 1, 5], activation: 'gelu', norm: 'rms' }, backend: 'wasm', steps: 12345 },
  { ...DEFAULT_CONFIG, optimizer: { kind: 'adam', lr: 1e-4, beta1: 0.8, beta2: 0.95, eps: 1e-6 } },
  ...OPTIMIZERS.map((kind) => ({ ...DEFAULT_CONFIG, optimizer: OPTIMIZER_DEFAULTS[kind] })),
  ...DATASETS.map((kind) => ({ ...DEFAULT_CONFIG, data: DATA_DEFAULTS[kind] })),
  ...MODELS.map((kind) => ({ ...DEFAULT_CONFIG, model: MODEL_DEFAULTS[kind] })),
  ...SCHEDULES.map((kind) => ({ ...DEFAULT_CONFIG, schedule: SCHEDULE_DEFAULTS[kind] })),
  { ...DEFAULT_CONFIG, data: { ...DATA_DEFAULTS.chars, domains: ['grammar'] }, quant: QUANT_PRESETS.fp8 } as RunConfig,
  { ...DEFAULT_CONFIG, optimizer: { ...OPTIMIZER_DEFAULTS.lamb, excludeBiasAndNorm: false } },
];

describe('url codec', () => {
  it.each(variants.map((c, i) => [i, c] as const))('round-trips config %i', (_i, config) => {
    const decoded = decodeConfig('#' + encodeConfig(config));
    expect(decoded).toEqual({ ok: true, value: config });
  });

  it('an empty hash is the default config', () => {
    expect(decodeConfig('')).toEqual({ ok: true, value: DEFAULT_CONFIG });
    expect(decodeConfig('#')).toEqual({ ok: true, value: DEFAULT_CONFIG });
  });

  it('keys left out keep their defaults', () => {
    const decoded = decodeConfig('#data.kind=circles&optimizer.lr=0.1');
    expect(decoded.ok && decoded.value).toEqual({
      ...DEFAULT_CONFIG,
      data: { ...DEFAULT_CONFIG.data, kind: 'circles' },
      optimizer: { ...DEFAULT_CONFIG.optimizer, lr: 0.1 },
    });
  });

  it.each([
    ['#garbage%%%!!', /unknown setting/],
    ['#data.kind=moons', /unknown data "moons"/],
    ['#optimizer.lr=-1', /optimizer\.lr/],
    ['#optimizer.lr=abc', /optimizer\.lr/],
    ['#model.hidden=8,x', /model\.hidden/],
    ['#model.hidden=8,100000', /model\.hidden/],
    ['#batchSize=2.5', /batchSize/],
    ['#optimizer.kind=rmsprop2', /unknown optimizer/],
    ['#optimizer.kind=sgd&optimizer.beta1=0.9', /unknown setting "optimizer\.beta1"/],
    ['#optimizer.kind=lamb&optimizer.excludeBiasAndNorm=maybe', /excludeBiasAndNorm/],
    ['#seed=', /seed/],
    ['#data.noise=1e999', /data\.noise/],
    ['#data=1', /unknown setting "data"/],
    ['#__proto__.x=1', /unknown setting/],
    ['#constructor=1', /unknown setting/],
    ['#data.kind=toString', /unknown data/],
  ])('rejects %s with a message', (hash, message) => {
    const decoded = decodeConfig(hash);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.message).toMatch(message);
  });
});
