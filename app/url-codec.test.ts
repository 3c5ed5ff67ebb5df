import { describe, expect, it } from 'vitest';
import {
  DATA_DEFAULTS,
  DATASETS,
  DEFAULT_CONFIG,
  MODEL_DEFAULTS,
  MODELS,
  OPTIMIZER_DEFAULTS,
  OPTIMIZERS,
  QUANT_PRESETS,
  SCHEDULE_DEFAULTS,
  SCHEDULES,
  type RunConfig,
} from '../engine/tf-free';
import { decodeConfig, encodeConfig } from './url-codec';

const variants: RunConfig[] = [
  DEFAULT_CONFIG,
  {
    ...DEFAULT_CONFIG,
    seed: 42,
    batchSize: 7,
    data: { kind: 'xor', features: ['x1', 'x2'], samples: 300, noise: 0.2, trainFraction: 0.7 },
  },
  {
    ...DEFAULT_CONFIG,
    data: { ...DATA_DEFAULTS.circles, features: ['x1^2', 'sin x2'], dataSeed: 8 },
  },
  { ...DEFAULT_CONFIG, regularization: { kind: 'l1', rate: 0.003 } },
  {
    ...DEFAULT_CONFIG,
    model: { ...MODEL_DEFAULTS.mlp, hidden: [], activation: 'tanh' },
    optimizer: { kind: 'sgd', lr: 0.5 },
  },
  {
    ...DEFAULT_CONFIG,
    model: { ...MODEL_DEFAULTS.mlp, hidden: [3, 1, 4, 1, 5], activation: 'gelu', norm: 'rms' },
    backend: 'wasm',
    steps: 12345,
  },
  { ...DEFAULT_CONFIG, optimizer: { kind: 'adam', lr: 1e-4, beta1: 0.8, beta2: 0.95, eps: 1e-6 } },
  ...OPTIMIZERS.map((kind) => ({ ...DEFAULT_CONFIG, optimizer: OPTIMIZER_DEFAULTS[kind] })),
  ...DATASETS.map((kind) => ({ ...DEFAULT_CONFIG, data: DATA_DEFAULTS[kind] })),
  ...MODELS.map((kind) => ({ ...DEFAULT_CONFIG, model: MODEL_DEFAULTS[kind] })),
  ...SCHEDULES.map((kind) => ({ ...DEFAULT_CONFIG, schedule: SCHEDULE_DEFAULTS[kind] })),
  {
    ...DEFAULT_CONFIG,
    data: { ...DATA_DEFAULTS.chars, domains: ['grammar'] },
    quant: QUANT_PRESETS.fp8,
  } as RunConfig,
  { ...DEFAULT_CONFIG, optimizer: { ...OPTIMIZER_DEFAULTS.lamb, excludeBiasAndNorm: false } },
  { ...DEFAULT_CONFIG, sorted: { widths: [0.5, 1] } },
  // Optional fields no default holds: a link to an ELECTRA run must open (it once said
  // 'unknown setting "model.objective"').
  {
    ...DEFAULT_CONFIG,
    data: DATA_DEFAULTS.chars,
    model: { ...MODEL_DEFAULTS.transformer, objective: 'electra', rtdWeight: 20 },
  } as RunConfig,
  {
    ...DEFAULT_CONFIG,
    data: DATA_DEFAULTS.chars,
    model: { ...MODEL_DEFAULTS.transformer, objective: 'mlm' },
  } as RunConfig,
  {
    ...DEFAULT_CONFIG,
    data: DATA_DEFAULTS.mnist,
    model: { ...MODEL_DEFAULTS.cct, tokenizer: 'patch', pooling: 'class' },
  } as RunConfig,
];

describe('url codec', () => {
  it.each(variants.map((c, i) => [i, c] as const))('round-trips config %i', (_i, config) => {
    const decoded = decodeConfig('#' + encodeConfig(config));
    expect(decoded).toEqual({ ok: true, value: config });
  });

  it('sorted training switched off leaves no trace in the link', () => {
    const hash = encodeConfig({ ...DEFAULT_CONFIG, sorted: undefined });
    expect(hash).not.toContain('sorted');
    expect(decodeConfig(hash)).toEqual({ ok: true, value: DEFAULT_CONFIG });
  });

  it('user data appear by id only, and an older link with the text inline gets a clear message', () => {
    const id = `sha256:${'c0'.repeat(32)}`;
    const csv: RunConfig = {
      ...DEFAULT_CONFIG,
      data: { kind: 'csv', dataset: id, trainFraction: 0.7 },
      model: MODEL_DEFAULTS.mlp,
    };
    const hash = encodeConfig(csv);
    expect(new URLSearchParams(hash).get('data.dataset')).toBe(id);
    expect([...new URLSearchParams(hash).keys()].filter((k) => k.startsWith('data.'))).toEqual([
      'data.kind',
      'data.dataset',
      'data.trainFraction',
    ]);
    expect(decodeConfig('#' + hash)).toEqual({ ok: true, value: csv });
    const old = decodeConfig(
      '#data.kind=csv&model.kind=mlp&data.text=' + encodeURIComponent('a,b\n1,x\n'),
    );
    expect(!old.ok && old.message).toMatch(/^data.text: this link is from an older version/);
    expect(decodeConfig('#data.kind=csv&data.dataset=nonsense').ok).toBe(false);
  });

  it('an empty hash is the default config', () => {
    expect(decodeConfig('')).toEqual({ ok: true, value: DEFAULT_CONFIG });
    expect(decodeConfig('#')).toEqual({ ok: true, value: DEFAULT_CONFIG });
  });

  it('keys left out keep their defaults', () => {
    const decoded = decodeConfig('#data.kind=circles&optimizer.lr=0.1');
    expect(decoded.ok && decoded.value).toEqual({
      ...DEFAULT_CONFIG,
      // A data kind named alone takes that kind's defaults (circles: noise-free).
      data: DATA_DEFAULTS.circles,
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

describe('url codec fuzz', () => {
  /** A small seeded generator, so a failure reproduces. */
  function rng(seed: number) {
    let s = seed >>> 0;
    return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  }

  it('1,500 random and mutated hashes never throw, and every rejection says why', () => {
    const next = rng(7);
    const valid = encodeConfig({
      ...DEFAULT_CONFIG,
      data: DATA_DEFAULTS.chars,
      model: MODEL_DEFAULTS.moe,
    });
    const alphabet = 'abcdefghijklmnopqrstuvwxyz.=&,%#0123456789-_ +[]{}"\\<>';
    let ok = 0;
    for (let i = 0; i < 1500; i++) {
      let hash: string;
      if (i % 3 === 0) {
        hash = Array.from(
          { length: Math.floor(next() * 80) },
          () => alphabet[Math.floor(next() * alphabet.length)],
        ).join('');
      } else {
        const chars = valid.split('');
        for (let k = 0; k < 1 + Math.floor(next() * 6); k++) {
          const at = Math.floor(next() * chars.length);
          const op = next();
          if (op < 0.4) chars.splice(at, 1);
          else if (op < 0.8) chars.splice(at, 0, alphabet[Math.floor(next() * alphabet.length)]);
          else chars[at] = alphabet[Math.floor(next() * alphabet.length)];
        }
        hash = chars.join('');
      }
      const result = decodeConfig(`#${hash}`);
      if (result.ok) ok++;
      else expect(result.message.length).toBeGreaterThan(0);
    }
    expect(ok).toBeGreaterThan(0); // some mutations stay valid
  });
});

describe('messages quote at most ~80 characters of the link', () => {
  it('a 1 MB key, kind or value is cut in the message', () => {
    const huge = 'k'.repeat(1_000_000);
    for (const hash of [
      `#${huge}=1`,
      `#optimizer.kind=${huge}`,
      `#steps=${huge}`,
      `#optimizer.lr=-1${huge}`,
    ]) {
      const result = decodeConfig(hash);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message.length).toBeLessThan(400);
    }
    const key = decodeConfig(`#${huge}=1`);
    expect(!key.ok && key.message).toMatch(/unknown setting "k{80}… \(1000000 characters\)"/);
  });
});
