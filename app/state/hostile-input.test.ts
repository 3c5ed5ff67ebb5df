import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, RunConfigSchema } from '../../engine/tf-free';
import * as v from 'valibot';
import { decodeConfig } from '../url-codec';
import { deflate, toBase64, toBase64Url } from './compress';
import { decodeShare, SHARE_PREFIX } from './share-codec';
import { exportComparison, importComparison, MAX_POINTS, MAX_RUNS } from './transfer';

/**
 * Hostile input of the right shape: files and links that parse as JSON and look like what the app
 * writes, with values chosen to break it (extreme numbers, wrong tensor lengths, NaN weights, a
 * snapshot of another model, huge series, deep nesting). Each decoder must answer fast, never
 * throw, and either refuse with a short message or give values its schemas allow.
 */

type Json = Record<string, unknown>;
type Mutation = readonly [name: string, change: (file: Json) => void];

const LONG = 'x'.repeat(100_000);
/** An array nested `depth` levels deep (built without recursion). */
function deep(depth: number): unknown {
  let node: unknown = { t: 'number', value: 1 };
  for (let i = 0; i < depth; i++) node = { t: 'array', items: [node] };
  return node;
}
/** Stands for a tree nested 100,000 levels, put in as text (JSON.stringify cannot nest so deep). */
const DEEP = '@deep';
const DEEP_TEXT =
  '{"t":"array","items":['.repeat(100_000) + '{"t":"number","value":1}' + ']}'.repeat(100_000);
const fileText = (file: Json) => JSON.stringify(file).replace(`"${DEEP}"`, DEEP_TEXT);
const f32Base64 = (values: number[]) => toBase64(new Uint8Array(new Float32Array(values).buffer));

const first = (file: Json) => (file.runs as Json[])[0];
const snap = (file: Json) => first(file).snapshot as Json;
const param = (file: Json) => Object.values(snap(file).params as Json)[0] as Json;
const config = (file: Json) => first(file).run as Json;

const FILE_MUTATIONS: readonly Mutation[] = [
  ['steps 1e9', (f) => ((config(f).config as Json).steps = 1e9)],
  ['steps Infinity', (f) => ((config(f).config as Json).steps = Infinity)],
  ['seed NaN string', (f) => ((config(f).config as Json).seed = 'NaN')],
  ['lr 1e308', (f) => (((config(f).config as Json).optimizer as Json).lr = 1e308)],
  ['lr negative', (f) => (((config(f).config as Json).optimizer as Json).lr = -1)],
  ['width 100000', (f) => (((config(f).config as Json).model as Json).hidden = [100_000])],
  ['1000 layers', (f) => (((config(f).config as Json).model as Json).hidden = Array(1000).fill(8))],
  ['batch 2^31', (f) => ((config(f).config as Json).batchSize = 2 ** 31)],
  ['step 2^53', (f) => (config(f).step = 2 ** 53)],
  ['label 100 kB', (f) => (config(f).label = LONG)],
  ['color url()', (f) => (config(f).color = 'url(javascript:alert(1))')],
  ['id __proto__', (f) => (config(f).id = '__proto__')],
  ['weights one short', (f) => (param(f).values = f32Base64([1, 2, 3]))],
  ['weights not base64', (f) => (param(f).values = '%%%')],
  ['weights NaN', (f) => (param(f).values = f32Base64(Array(sizeOf(param(f))).fill(NaN)))],
  ['shape negative', (f) => (param(f).shape = [-1, 2])],
  ['shape 2^31 x 2^31', (f) => (param(f).shape = [2 ** 31, 2 ** 31])],
  [
    'snapshot of another model',
    (f) => (snap(f).config = { ...DEFAULT_CONFIG, model: otherModel() }),
  ],
  ['snapshot step beyond the run', (f) => (snap(f).step = 1e12)],
  ['optimizer state 100,000 deep', (f) => ((snap(f).optimizer as Json).state = DEEP)],
  ['optimizer state 15 deep', (f) => ((snap(f).optimizer as Json).state = deep(15))],
  ['metrics over the cap', (f) => (first(f).metrics = hugeMetrics(MAX_POINTS + 1))],
  ['metrics of different lengths', (f) => ((first(f).metrics as Json).loss = [1])],
  ['metric value a string', (f) => ((first(f).metrics as Json).loss = ['NaN'])],
  ['runs over the cap', (f) => (f.runs = Array(MAX_RUNS + 1).fill(first(f)))],
  ['history of 1001 configs', (f) => (config(f).history = historyOf(1001))],
  ['history of 1000 configs', (f) => (config(f).history = historyOf(1000))],
  ['an extra key deep inside', (f) => ((config(f).config as Json).__proto__x = 1)],
];

function sizeOf(p: Json): number {
  return (p.shape as number[]).reduce((a, b) => a * b, 1);
}
function otherModel(): unknown {
  return { ...DEFAULT_CONFIG.model, hidden: [3, 3, 3] };
}
function hugeMetrics(n: number): Json {
  const series = new Array<number>(n).fill(0);
  const keys = ['steps', 'samples', 'loss', 'lr', 'gradNorm', 'wallTime'];
  const evals = ['evalSteps', 'trainLoss', 'testLoss', 'accuracy', 'testAccuracy'];
  return Object.fromEntries([...keys.map((k) => [k, series]), ...evals.map((k) => [k, []])]);
}
function historyOf(n: number): unknown[] {
  return Array.from({ length: n }, (_, i) => ({ fromStep: i, config: DEFAULT_CONFIG }));
}

/** The previous release's export, brought to today's format by an import and an export. */
async function baseFile(): Promise<Json> {
  const text = readFileSync(new URL('./fixtures/export-v1.json', import.meta.url), 'utf8');
  const imported = await importComparison(text);
  if (!imported.ok) throw new Error(imported.message);
  return JSON.parse(exportComparison(imported.runs.slice(0, 1), imported.datasets)) as Json;
}

/** Runs `decode` and checks the answer: fast, no throw, a short message or valid values. */
async function answer<T extends { ok: boolean }>(
  decode: () => Promise<T | null> | T | null,
): Promise<{ ok: boolean; message: string; ms: number }> {
  const t0 = performance.now();
  const result = await decode();
  const ms = performance.now() - t0;
  expect(result).not.toBeNull();
  const message = result && !result.ok ? String((result as { message?: unknown }).message) : '';
  return { ok: result?.ok ?? false, message, ms };
}

describe('hostile input of the right shape', () => {
  it('every import mutation answers within two seconds: refused with a short message, or valid', async () => {
    const base = await baseFile();
    const counts = { refused: 0, accepted: 0 };
    const refusedByName = new Map<string, string>();
    for (const [name, change] of FILE_MUTATIONS) {
      const file = structuredClone(base);
      change(file);
      const text = fileText(file);
      const got = await answer(() => importComparison(text));
      expect(got.ms, name).toBeLessThan(2000);
      if (got.ok) {
        counts.accepted++;
        const again = await importComparison(text);
        for (const r of again.ok ? again.runs : []) {
          expect(v.safeParse(RunConfigSchema, r.run.config).success, name).toBe(true);
          expect(r.run.id, name).not.toBe('__proto__');
        }
      } else {
        counts.refused++;
        refusedByName.set(name, got.message);
        expect(got.message.length, name).toBeGreaterThan(0);
        expect(got.message.length, name).toBeLessThan(400);
        expect(got.message, name).not.toContain('x'.repeat(100));
      }
    }
    // Those that must be refused are. The rest are allowed: the longest history, a state tree 15
    // levels deep, and any id (an imported run gets a fresh one).
    const allowed = ['history of 1000 configs', 'optimizer state 15 deep', 'id __proto__'];
    for (const name of FILE_MUTATIONS.map(([n]) => n))
      if (!allowed.includes(name))
        expect(refusedByName.has(name), `${name} was accepted`).toBe(true);
    expect(counts).toEqual({ refused: FILE_MUTATIONS.length - 3, accepted: 3 });
  });

  it('150 random combinations of them never throw or hang', async () => {
    const base = await baseFile();
    let seed = 0x51ed;
    const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    let slowest = 0;
    for (let i = 0; i < 150; i++) {
      const file = structuredClone(base);
      const n = 1 + Math.floor(rand() * 3);
      for (let k = 0; k < n; k++) {
        try {
          FILE_MUTATIONS[Math.floor(rand() * FILE_MUTATIONS.length)][1](file);
        } catch {
          // A mutation that no longer finds its place (an earlier one replaced it).
        }
      }
      const text = fileText(file);
      const got = await answer(() => importComparison(text));
      slowest = Math.max(slowest, got.ms);
      if (!got.ok) expect(got.message.length).toBeGreaterThan(0);
    }
    expect(slowest).toBeLessThan(2000);
  });

  it('share links and hashes with extreme values are refused with a short message', async () => {
    const link = (json: unknown, compressed: boolean) => {
      const bytes = new TextEncoder().encode(JSON.stringify(json));
      return `#${SHARE_PREFIX}${compressed ? 'z' + toBase64Url(deflate(bytes)) : toBase64Url(bytes)}`;
    };
    const hostile: unknown[] = [
      { ...DEFAULT_CONFIG, steps: 1e9 },
      { ...DEFAULT_CONFIG, seed: 'NaN' },
      { ...DEFAULT_CONFIG, model: { ...DEFAULT_CONFIG.model, hidden: Array(1000).fill(100_000) } },
      { ...DEFAULT_CONFIG, optimizer: { kind: 'sgd', lr: -Infinity } },
      {
        ...DEFAULT_CONFIG,
        data: { kind: 'csv', dataset: 'sha256:' + 'f'.repeat(64), trainFraction: 0.5 },
      },
      { ...DEFAULT_CONFIG, data: deep(5000) },
      { ...DEFAULT_CONFIG, [LONG]: 1 },
    ];
    let refused = 0;
    for (const config of hostile)
      for (const compressed of [false, true])
        for (const json of [[config], { configs: [config], datasets: [] }]) {
          const got = await answer(() => decodeShare(link(json, compressed)));
          expect(got.ms).toBeLessThan(1000);
          expect(got.ok).toBe(false);
          expect(got.message.length).toBeLessThan(400);
          refused++;
        }
    expect(refused).toBe(hostile.length * 4);
    const many = await answer(() => decodeShare(link(Array(17).fill(DEFAULT_CONFIG), true)));
    expect(many.ok).toBe(false);
    for (const hash of ['#steps=1e9', '#steps=NaN', '#lr=1e999', `#hidden=${'9,'.repeat(5000)}9`]) {
      const got = decodeConfig(hash);
      expect(got.ok, hash).toBe(false);
      if (!got.ok) expect(got.message.length).toBeLessThan(400);
    }
  });
});
