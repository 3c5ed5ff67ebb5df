import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, OPTIMIZER_DEFAULTS, OPTIMIZERS, type RunConfig } from '../../engine/tf-free';
import { decodeShare, encodeShare, MAX_SHARED_CONFIGS } from './share-codec';

const configs: RunConfig[] = OPTIMIZERS.map((kind, i) => ({ ...DEFAULT_CONFIG, seed: i, optimizer: OPTIMIZER_DEFAULTS[kind] }));

const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

describe('share codec', () => {
  it('round-trips one config and a full comparison', () => {
    expect(decodeShare(encodeShare([DEFAULT_CONFIG]))).toEqual({ ok: true, configs: [DEFAULT_CONFIG] });
    const many = [...configs, ...configs].slice(0, MAX_SHARED_CONFIGS);
    const hash = encodeShare(many);
    expect(hash).toMatch(/^#compare=[A-Za-z0-9_-]+$/);
    expect(hash.length).toBeLessThan(16_000);
    expect(decodeShare(hash)).toEqual({ ok: true, configs: many });
    expect(decodeShare(hash.slice(1))).toEqual({ ok: true, configs: many });
  });

  it('is null for hashes that are not share links', () => {
    for (const hash of ['', '#', '#data.kind=xor&optimizer.lr=0.1', '#comparex=1', 'seed=1']) expect(decodeShare(hash)).toBeNull();
  });

  it('refuses to encode an empty or oversized comparison', () => {
    expect(() => encodeShare([])).toThrow(RangeError);
    expect(() => encodeShare(Array(MAX_SHARED_CONFIGS + 1).fill(DEFAULT_CONFIG))).toThrow(/1 to 16 runs/);
  });

  it.each([
    ['#compare=', /not JSON/],
    ['#compare=%%%', /not base64url/],
    ['#compare=A', /not base64url/],
    ['#compare=' + b64url('{"a":1}'), /Share link: /],
    ['#compare=' + b64url('[]'), /no runs/],
    ['#compare=' + b64url(JSON.stringify(Array(17).fill(DEFAULT_CONFIG))), /more than 16 runs/],
    ['#compare=' + b64url(JSON.stringify([{ ...DEFAULT_CONFIG, batchSize: 0 }])), /batchSize/],
    ['#compare=' + b64url(JSON.stringify([{ ...DEFAULT_CONFIG, evil: 1 }])), /evil/],
    ['#compare=' + b64url(JSON.stringify([DEFAULT_CONFIG]).replace('{', '{"__proto__":{"polluted":1},')), /__proto__/],
    ['#compare=' + Buffer.from([0xff, 0xfe, 0x5b]).toString('base64url'), /not JSON/],
    ['#compare=' + 'A'.repeat(70_000), /too long/],
  ])('rejects %s with a message', (hash, message) => {
    const result = decodeShare(hash);
    expect(result?.ok).toBe(false);
    if (result && !result.ok) expect(result.message).toMatch(message);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('survives 1,500 random and mutated links', () => {
    let seed = 0x51a7e;
    const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const alphabet = 'AZaz09-_=+/%#&. ';
    const valid = encodeShare(configs.slice(0, 3));
    const json = JSON.stringify(configs.slice(0, 3));
    let oks = 0;
    for (let i = 0; i < 1500; i++) {
      let hash: string;
      if (i % 3 === 0) hash = '#compare=' + Array.from({ length: Math.floor(rand() * 60) }, () => pick([...alphabet])).join('');
      else if (i % 3 === 1) {
        const chars = [...valid];
        const at = 9 + Math.floor(rand() * (chars.length - 9));
        chars.splice(at, Math.floor(rand() * 3), ...(rand() < 0.5 ? [pick([...alphabet])] : []));
        hash = chars.join('');
      } else {
        // Mutate the JSON, then encode it properly: exercises the schema rather than base64.
        const chars = [...json];
        for (let k = 0; k < rand() * 3; k++) chars.splice(Math.floor(rand() * chars.length), 1, pick(['0', '9', '-', '"', ',', '}', ']', 'e', '.']));
        hash = '#compare=' + b64url(chars.join(''));
      }
      const result = decodeShare(hash);
      expect(result).not.toBeNull();
      if (result?.ok) oks++;
      else expect(result?.message.length).toBeGreaterThan(0);
    }
    expect(oks).toBeGreaterThan(0);
    expect(oks).toBeLessThan(1500);
  });
});
