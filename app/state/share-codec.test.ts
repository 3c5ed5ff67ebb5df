import { describe, expect, it } from 'vitest';
import {
  datasetId,
  DEFAULT_CONFIG,
  MODEL_DEFAULTS,
  OPTIMIZER_DEFAULTS,
  OPTIMIZERS,
  SAMPLE_CSV,
  type RunConfig,
} from '../../engine/tf-free';
import { deflateRawSync } from 'node:zlib';
import {
  decodeShare,
  encodeShare,
  MAX_SHARE_LENGTH,
  MAX_SHARED_CONFIGS,
  shareHash,
} from './share-codec';

const configs: RunConfig[] = OPTIMIZERS.map((kind, i) => ({
  ...DEFAULT_CONFIG,
  seed: i,
  optimizer: OPTIMIZER_DEFAULTS[kind],
}));

const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

describe('share codec', () => {
  it('round-trips one config and a full comparison', async () => {
    expect(await decodeShare(encodeShare([DEFAULT_CONFIG]))).toEqual({
      ok: true,
      configs: [DEFAULT_CONFIG],
      datasets: [],
    });
    const many = [...configs, ...configs].slice(0, MAX_SHARED_CONFIGS);
    const hash = encodeShare(many);
    // Compressed: 16 configs took about 10,000 characters as plain base64url JSON.
    expect(hash).toMatch(/^#compare=z\.[A-Za-z0-9_-]+$/);
    expect(hash.length).toBeLessThan(3_000);
    expect(await decodeShare(hash)).toEqual({ ok: true, configs: many, datasets: [] });
    expect(await decodeShare(hash.slice(1))).toEqual({ ok: true, configs: many, datasets: [] });
  });

  it("refuses a derived run before making the link: its parent's weights cannot travel in one", () => {
    const derived: RunConfig = { ...DEFAULT_CONFIG, init: { from: 'parent' } };
    const made = shareHash([DEFAULT_CONFIG, derived], []);
    expect(made).toMatchObject({
      ok: false,
      message: expect.stringMatching(/another run's weights.*Export runs/),
    });
    expect(shareHash([DEFAULT_CONFIG], []).ok).toBe(true);
  });

  it('is null for hashes that are not share links', async () => {
    for (const hash of ['', '#', '#data.kind=xor&optimizer.lr=0.1', '#comparex=1', 'seed=1'])
      expect(await decodeShare(hash)).toBeNull();
  });

  it('refuses to encode an empty or oversized comparison', () => {
    expect(() => encodeShare([])).toThrow(RangeError);
    expect(() => encodeShare(Array(MAX_SHARED_CONFIGS + 1).fill(DEFAULT_CONFIG))).toThrow(
      /1 to 16 runs/,
    );
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
    [
      '#compare=' +
        b64url(JSON.stringify([DEFAULT_CONFIG]).replace('{', '{"__proto__":{"polluted":1},')),
      /__proto__/,
    ],
    ['#compare=' + Buffer.from([0xff, 0xfe, 0x5b]).toString('base64url'), /not JSON/],
    ['#compare=' + 'A'.repeat(70_000), /too long/],
    ['#compare=z.', /damaged/],
    ['#compare=z.' + b64url('[1,2,3]'), /not compressed data/],
    [
      '#compare=z.' + Buffer.from(deflateRawSync('{"configs":[]}')).toString('base64url'),
      /no runs/,
    ],
    [
      '#compare=z.' +
        Buffer.from(deflateRawSync(Buffer.alloc(5_000_000, 32))).toString('base64url'),
      /too large/,
    ],
  ])('rejects %s with a message', async (hash, message) => {
    const result = await decodeShare(hash);
    expect(result?.ok).toBe(false);
    if (result && !result.ok) expect(result.message).toMatch(message);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('survives 1,500 random and mutated links', async () => {
    let seed = 0x51a7e;
    const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const alphabet = 'AZaz09-_=+/%#&. ';
    const valid = encodeShare(configs.slice(0, 3));
    const json = JSON.stringify(configs.slice(0, 3));
    let oks = 0;
    for (let i = 0; i < 1500; i++) {
      let hash: string;
      if (i % 3 === 0)
        hash =
          '#compare=' +
          Array.from({ length: Math.floor(rand() * 60) }, () => pick([...alphabet])).join('');
      else if (i % 3 === 1) {
        const chars = [...valid];
        const at = 9 + Math.floor(rand() * (chars.length - 9));
        chars.splice(at, Math.floor(rand() * 3), ...(rand() < 0.5 ? [pick([...alphabet])] : []));
        hash = chars.join('');
      } else {
        // Mutate the JSON, then encode it properly: exercises the schema rather than base64.
        const chars = [...json];
        for (let k = 0; k < rand() * 3; k++)
          chars.splice(
            Math.floor(rand() * chars.length),
            1,
            pick(['0', '9', '-', '"', ',', '}', ']', 'e', '.']),
          );
        hash = '#compare=' + b64url(chars.join(''));
      }
      const result = await decodeShare(hash);
      expect(result).not.toBeNull();
      if (result?.ok) oks++;
      else expect(result?.message.length).toBeGreaterThan(0);
    }
    expect(oks).toBeGreaterThan(0);
    expect(oks).toBeLessThan(1500);
  });
});

describe('share links with the user data', () => {
  const CSV =
    'size,"weight, kg",label\n' +
    Array.from({ length: 400 }, (_, i) => `${i % 17},${(i * 7) % 23},"class ${i % 3}, ok"`).join(
      '\n',
    );
  const csvRun = async (text: string): Promise<[RunConfig, { id: string; text: string }]> => {
    const id = await datasetId(text);
    return [
      {
        ...DEFAULT_CONFIG,
        data: { kind: 'csv', dataset: id, trainFraction: 0.7 },
        model: MODEL_DEFAULTS.mlp,
      },
      { id, text },
    ];
  };

  it('carries a small CSV compressed, and it comes back the same', async () => {
    const [config, dataset] = await csvRun(CSV);
    const made = shareHash([config, DEFAULT_CONFIG], [dataset]);
    if (!made.ok) throw new Error(made.message);
    expect(made.hash.length).toBeLessThan(CSV.length); // compressed below the text itself
    expect(made.hash).not.toContain('weight');
    expect(await decodeShare(made.hash)).toEqual({
      ok: true,
      configs: [config, DEFAULT_CONFIG],
      datasets: [dataset],
    });
  });

  it('a built-in sample needs no data in the link', async () => {
    const config = {
      ...DEFAULT_CONFIG,
      data: { kind: 'csv' as const, dataset: 'builtin:sample-csv', trainFraction: 0.7 },
    };
    const made = shareHash([config], []);
    expect(made.ok && (await decodeShare(made.hash))).toEqual({
      ok: true,
      configs: [config],
      datasets: [],
    });
  });

  it('says when the data is too large to share, before making the link', async () => {
    let seed = 7;
    const noise = () =>
      ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32).toFixed(6);
    const big = Array.from({ length: 9000 }, (_, i) => `${noise()},${noise()},${i % 2}`).join('\n');
    const [config, dataset] = await csvRun(big);
    const made = shareHash([config], [dataset]);
    expect(made.ok).toBe(false);
    if (!made.ok) {
      expect(made.message).toMatch(
        /^Your data \(\d[\d,]+ characters\) is too large to share in a link: it would be [\d,]+ characters/,
      );
      expect(made.message).toContain(`at most ${MAX_SHARE_LENGTH.toLocaleString('en')}`);
      expect(made.message).toContain('Export runs');
    }
    const missing = shareHash([config], []);
    expect(!missing.ok && missing.message).toMatch(/not in this browser/);
  });

  it('refuses a link whose data does not match its id, or that lacks the data a run names', async () => {
    const [config, dataset] = await csvRun(CSV);
    const tampered = await decodeShare(
      encodeShare([config], [{ ...dataset, text: dataset.text + '\n1,2,x' }]),
    );
    expect(tampered?.ok === false && tampered.message).toMatch(/does not match its content/);
    const without = await decodeShare(encodeShare([config]));
    expect(without?.ok === false && without.message).toMatch(/does not include the data sha256:/);
  });

  it('opens a link made before datasets left the config (text inline), lifting the text out', async () => {
    const old = [
      {
        ...DEFAULT_CONFIG,
        data: { kind: 'csv', text: CSV, trainFraction: 0.7 },
        model: MODEL_DEFAULTS.mlp,
      },
      {
        ...DEFAULT_CONFIG,
        data: { kind: 'csv', text: SAMPLE_CSV, trainFraction: 0.5 },
        model: MODEL_DEFAULTS.mlp,
      },
    ];
    const result = await decodeShare('#compare=' + b64url(JSON.stringify(old)));
    const [config, dataset] = await csvRun(CSV);
    expect(result).toEqual({
      ok: true,
      configs: [
        config,
        { ...old[1], data: { kind: 'csv', dataset: 'builtin:sample-csv', trainFraction: 0.5 } },
      ],
      datasets: [dataset],
    });
  });
});
