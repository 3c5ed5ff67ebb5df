import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RunConfig } from '../engine/lite';
import { decodeConfig, encodeConfig } from './url-codec';

const variants: RunConfig[] = [
  DEFAULT_CONFIG,
  { ...DEFAULT_CONFIG, seed: 42, batchSize: 7, data: { kind: 'xor', samples: 300, noise: 0.2, trainFraction: 0.7 } },
  { ...DEFAULT_CONFIG, model: { kind: 'mlp', hidden: [], activation: 'tanh' }, optimizer: { kind: 'sgd', lr: 0.5 } },
  { ...DEFAULT_CONFIG, model: { kind: 'mlp', hidden: [3, 1, 4, 1, 5], activation: 'gelu' }, backend: 'wasm', steps: 12345 },
  { ...DEFAULT_CONFIG, optimizer: { kind: 'adam', lr: 1e-4, beta1: 0.8, beta2: 0.95, eps: 1e-6 } },
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
    const decoded = decodeConfig('#data=circles&lr=0.1');
    expect(decoded.ok && decoded.value).toEqual({
      ...DEFAULT_CONFIG,
      data: { ...DEFAULT_CONFIG.data, kind: 'circles' },
      optimizer: { ...DEFAULT_CONFIG.optimizer, lr: 0.1 },
    });
  });

  it.each([
    ['#garbage%%%!!', /unknown setting/],
    ['#data=moons', /data\.kind/],
    ['#lr=-1', /optimizer\.lr/],
    ['#lr=abc', /optimizer\.lr/],
    ['#hidden=8,x', /model\.hidden/],
    ['#hidden=8,100000', /model\.hidden/],
    ['#batch=2.5', /batchSize/],
    ['#opt=rmsprop2', /unknown optimizer/],
    ['#opt=sgd&o.beta1=0.9', /not a setting of the sgd optimizer/],
    ['#seed=', /seed/],
    ['#noise=1e999', /data\.noise/],
  ])('rejects %s with a message', (hash, message) => {
    const decoded = decodeConfig(hash);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.message).toMatch(message);
  });
});
