import { describe, expect, it } from 'vitest';
import { datasetId, DEFAULT_CONFIG, OPTIMIZER_DEFAULTS } from '../../engine/tf-free';
import type { RunSnapshot } from '../../engine/index';
import type { StoredMetrics, StoredRun } from './stored-run';
import {
  COMPARISON_FORMAT,
  exportComparison,
  importComparison,
  MAX_POINTS,
  MAX_RUNS,
  MAX_TEXT_LENGTH,
  type TransferItem,
} from './transfer';

const run = (id: string, extra: Partial<StoredRun> = {}): StoredRun => ({
  id,
  createdAt: 1700000000000,
  label: `lr=0.03, "adam"\n${id}`,
  color: 'hsl(210 70% 50%)',
  config: DEFAULT_CONFIG,
  status: 'finished',
  step: 3,
  hidden: false,
  ...extra,
});

const metrics = (n: number): StoredMetrics => {
  const steps = Array.from({ length: n }, (_, i) => i + 1);
  return {
    steps,
    samples: steps.map((s) => s * 32),
    loss: steps.map((s) => 1 / s),
    lr: steps.map(() => 0.03),
    gradNorm: steps.map((s) => (s === 2 ? Number.NaN : s)),
    wallTime: steps.map((s) => s * 5),
    evalSteps: [n],
    trainLoss: [0.5],
    testLoss: [Number.NaN],
    accuracy: [0.9],
    testAccuracy: [0.8],
  };
};

const snapshot = (): RunSnapshot => ({
  config: { ...DEFAULT_CONFIG, optimizer: OPTIMIZER_DEFAULTS.sgd },
  step: 3,
  params: { w: { role: 'kernel', shape: [3], values: new Float32Array([1.5, -2, 1e-30]) } },
  optimizer: {
    kind: 'sgd',
    state: {
      t: 'array',
      items: [
        { t: 'number', value: 3 },
        {
          t: 'record',
          entries: { w: { t: 'tensor', shape: [1, 1], values: new Float32Array([7]) } },
        },
      ],
    },
  },
  buffers: {},
  cursor: { epoch: 0, position: 96 },
  samplesSeen: 96,
});

const items: TransferItem[] = [
  { run: run('parent', { group: 'seeds' }), metrics: metrics(3), snapshot: snapshot() },
  {
    run: run('child', { parentId: 'parent', forkStep: 2, group: 'seeds', hidden: true }),
    metrics: null,
  },
  { run: run('orphan', { parentId: 'elsewhere', color: '#abc' }), metrics: metrics(1) },
];

async function imported(text: string): Promise<TransferItem[]> {
  const result = await importComparison(text);
  if (!result.ok) throw new Error(result.message);
  return result.runs;
}

describe('config history in an export', () => {
  it('a switched run keeps the settings in force step by step through export and import', async () => {
    const sgd = { ...DEFAULT_CONFIG, optimizer: OPTIMIZER_DEFAULTS.sgd };
    const history = [
      { fromStep: 0, config: DEFAULT_CONFIG },
      { fromStep: 101, config: sgd },
    ];
    const [back] = await imported(
      exportComparison([{ run: run('switched', { config: sgd, history }), metrics: metrics(3) }]),
    );
    expect(back.run.history).toEqual(history);
    expect(back.run.config).toEqual(sgd);
  });

  it('rejects a history whose entries are not configs', async () => {
    const bad = exportComparison([{ run: run('x', { history: [] }), metrics: null }]);
    expect((await importComparison(bad)).ok).toBe(false);
  });
});

describe('transfer', () => {
  it('round-trips a comparison with fresh ids, kept forks and groups, NaN and snapshots', async () => {
    const runs = await imported(exportComparison(items));
    const [parent, child, orphan] = runs;
    expect(new Set(runs.map((r) => r.run.id)).size).toBe(3);
    for (const r of runs) expect(['parent', 'child', 'orphan']).not.toContain(r.run.id);
    expect(child.run.parentId).toBe(parent.run.id);
    expect(child.run.group).toBe(parent.run.group);
    expect(parent.run.group).not.toBe('seeds');
    expect(orphan.run.parentId).toBeUndefined();
    const strip = ({ id: _id, parentId: _p, group: _g, ...rest }: StoredRun) => rest;
    runs.forEach((r, i) => expect(strip(r.run)).toEqual(strip(items[i].run)));
    expect(parent.metrics).toEqual(metrics(3));
    expect(parent.snapshot).toEqual(snapshot());
    expect(parent.snapshot?.params.w.values).toBeInstanceOf(Float32Array);
    expect(child).toMatchObject({ metrics: null, snapshot: null });
  });

  it('imports a snapshot exported with the generator state older versions kept, without it', async () => {
    const old = withRun((r) => ((r.snapshot as Record<string, unknown>).rng = 'AQAAAAIAAAA='));
    const result = await importComparison(old);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.runs[0].snapshot).toEqual(snapshot());
  });

  it('thins series longer than the cap so the export still imports', async () => {
    const long = metrics(MAX_POINTS + 5000);
    const [back] = await imported(exportComparison([{ run: run('a'), metrics: long }]));
    expect(back.metrics?.steps.length).toBe(MAX_POINTS);
    expect(back.metrics?.steps[0]).toBe(1);
    expect(back.metrics?.steps.at(-1)).toBe(MAX_POINTS + 5000);
  });

  const good = JSON.parse(exportComparison(items)) as { runs: Record<string, unknown>[] };
  const withRun = (patch: (r: Record<string, unknown>) => void) => {
    const copy = structuredClone(good);
    patch(copy.runs[0]);
    return JSON.stringify(copy);
  };
  it.each([
    ['invalid JSON', '{"format":', /not valid JSON/],
    ['not an object', '42', /Import: /],
    [
      'a wrong format',
      JSON.stringify({ ...good, format: 'something/else' }),
      /not a comparison file/,
    ],
    ['a newer version', JSON.stringify({ ...good, version: 3 }), /unsupported version/],
    ['no datasets list', JSON.stringify({ ...good, datasets: undefined }), /datasets/],
    ['no runs', JSON.stringify({ ...good, runs: [] }), /no runs/],
    [
      'too many runs',
      JSON.stringify({ ...good, runs: Array(MAX_RUNS + 1).fill(good.runs[1]) }),
      /more than 50 runs/,
    ],
    [
      'a bad config',
      withRun(
        (r) => ((r.run as { config: { optimizer: { lr: number } } }).config.optimizer.lr = -1),
      ),
      /optimizer\.lr/,
    ],
    ['an extra key', withRun((r) => ((r.run as Record<string, unknown>).admin = true)), /admin/],
    ['an extra top-level key', JSON.stringify({ ...good, extra: 1 }), /extra/],
    [
      'a __proto__ key',
      withRun((r) =>
        Object.defineProperty(r.run, '__proto__', { value: { hidden: 1 }, enumerable: true }),
      ),
      /__proto__/,
    ],
    [
      'a __proto__ key in the file',
      exportComparison(items).replace('{"format"', '{"__proto__":{"polluted":true},"format"'),
      /__proto__/,
    ],
    [
      'a CSS injection in the colour',
      withRun((r) => ((r.run as Record<string, unknown>).color = 'red;background:url(x)')),
      /colour/,
    ],
    [
      'series of different lengths',
      withRun((r) => ((r.metrics as StoredMetrics).loss = [1])),
      /different lengths/,
    ],
    [
      'a huge series',
      withRun((r) => ((r.metrics as Record<string, unknown>).lr = Array(MAX_POINTS + 1).fill(0))),
      /more than 200000 points/,
    ],
    [
      'a string in a series',
      withRun((r) => ((r.metrics as Record<string, unknown>).lr = ['1', 2, 3])),
      /lr/,
    ],
    [
      'bad base64 in a snapshot',
      withRun(
        (r) => ((r.snapshot as { params: { w: { values: string } } }).params.w.values = '!!!'),
      ),
      /base64/,
    ],
    [
      'a snapshot whose values do not fit the shape',
      withRun((r) => ((r.snapshot as { params: { w: { shape: number[] } } }).params.w.shape = [4])),
      /shape/,
    ],
    [
      'a deeply nested optimizer state',
      withRun(
        (r) => ((r.snapshot as { optimizer: { state: unknown } }).optimizer.state = 'DEEP'),
      ).replace(
        '"DEEP"',
        '{"t":"array","items":['.repeat(100_000) +
          '{"t":"number","value":1}' +
          ']}'.repeat(100_000),
      ),
      /optimizer state/,
    ],
    [
      'duplicate ids',
      JSON.stringify({ ...good, runs: [good.runs[0], good.runs[0]] }),
      /share the id/,
    ],
  ])('rejects %s with a message', async (_name, text, message) => {
    const result = await importComparison(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects text over the size cap before parsing it', async () => {
    const result = await importComparison(' '.repeat(MAX_TEXT_LENGTH + 1));
    expect(result).toEqual({ ok: false, message: 'Import: the file is larger than 20 MB' });
  });

  it('survives 1,500 random and mutated inputs', async () => {
    let seed = 0x2f6b1a3;
    const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const base = exportComparison(items.slice(0, 2));
    const tokens = [
      '{',
      '}',
      '[',
      ']',
      '"',
      ',',
      ':',
      'null',
      '-1',
      '1e999',
      'NaN',
      '"__proto__"',
      '"constructor"',
      COMPARISON_FORMAT,
      '\\u0000',
      'true',
    ];
    const values: unknown[] = [
      null,
      -1,
      0,
      1e308,
      '',
      'x',
      [],
      {},
      [1, 'a'],
      JSON.parse('{"__proto__":1}') as unknown,
      true,
      'AAAA',
      { t: 'number', value: 1 },
    ];
    let rate = 0;
    const mutateValue = (node: unknown, depth: number): unknown => {
      if (depth > 0 && rand() < rate) return pick(values);
      if (Array.isArray(node)) return node.map((x) => mutateValue(x, depth + 1));
      if (node && typeof node === 'object') {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(node))
          if (rand() >= rate / 4) out[k] = mutateValue(x, depth + 1);
        if (rand() < rate / 4)
          out[pick(['__proto__', 'constructor', 'extra', 'id'])] = pick(values);
        return out;
      }
      return node;
    };
    let oks = 0;
    for (let i = 0; i < 1500; i++) {
      let text: string;
      const mode = i % 3;
      if (mode === 0)
        text = Array.from({ length: Math.floor(rand() * 40) }, () => pick(tokens)).join('');
      else if (mode === 1) {
        const chars = [...base];
        for (let k = 0; k < 1 + rand() * 4; k++)
          chars.splice(Math.floor(rand() * chars.length), Math.floor(rand() * 3), pick(tokens));
        text = chars.join('');
      } else {
        rate = pick([0, 0.0005, 0.002, 0.01, 0.05]);
        text = JSON.stringify(mutateValue(JSON.parse(base), 0));
      }
      const result = await importComparison(text);
      if (result.ok) oks++;
      else expect(result.message.length).toBeGreaterThan(0);
    }
    expect(oks).toBeGreaterThan(50);
    expect(oks).toBeLessThan(1000);
  });
});

describe('transfer of the user data', () => {
  const CSV = 'a,"b, c",label\n1,2,"x, y"\n3,4,z\n5,6,"x, y"\n7,8,z\n';
  const withCsv = async (): Promise<[TransferItem, { id: string; text: string }]> => {
    const id = await datasetId(CSV);
    const config = {
      ...DEFAULT_CONFIG,
      data: { kind: 'csv' as const, dataset: id, trainFraction: 0.5 },
    };
    return [
      { run: run('csv', { config }), metrics: metrics(2), snapshot: { ...snapshot(), config } },
      { id, text: CSV },
    ];
  };

  it('an export carries the datasets its runs use, and an import gives them back', async () => {
    const [item, dataset] = await withCsv();
    const text = exportComparison([item], [dataset]);
    const result = await importComparison(text);
    if (!result.ok) throw new Error(result.message);
    expect(result.datasets).toEqual([dataset]);
    expect(result.runs[0].run.config).toEqual(item.run.config);
  });

  it('refuses a dataset that does not match its id', async () => {
    const [item, dataset] = await withCsv();
    const result = await importComparison(
      exportComparison([item], [{ ...dataset, text: CSV + '9,9,z\n' }]),
    );
    expect(result.ok === false && result.message).toMatch(/does not match its content/);
  });

  it('imports a version-1 file, whose configs held the text inline', async () => {
    const [item, dataset] = await withCsv();
    const v1 = JSON.parse(exportComparison([item], [])) as {
      version: number;
      datasets?: unknown;
      runs: { run: { config: { data: unknown } }; snapshot: { config: { data: unknown } } }[];
    };
    v1.version = 1;
    delete v1.datasets;
    const inline = { kind: 'csv', text: CSV, trainFraction: 0.5 };
    v1.runs[0].run.config.data = inline;
    v1.runs[0].snapshot.config.data = inline;
    const result = await importComparison(JSON.stringify(v1));
    if (!result.ok) throw new Error(result.message);
    expect(result.datasets).toEqual([dataset]);
    expect(result.runs[0].run.config).toEqual(item.run.config);
    expect(result.runs[0].snapshot?.config).toEqual(item.run.config);
  });
});

describe('hostile valid-shaped imports', () => {
  it('refuses a snapshot made for another model than its run', async () => {
    const other = snapshot();
    const hostile: TransferItem[] = [
      {
        run: run('a'),
        metrics: metrics(3),
        snapshot: {
          ...other,
          config: {
            ...other.config,
            model: { ...DEFAULT_CONFIG.model, hidden: [1] } as typeof DEFAULT_CONFIG.model,
          },
        },
      },
    ];
    const result = await importComparison(exportComparison(hostile));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/saved state of run "a" is for another model/);
  });

  it('still imports a snapshot whose model matches its run', async () => {
    const result = await importComparison(
      exportComparison([{ run: run('a'), metrics: metrics(3), snapshot: snapshot() }]),
    );
    expect(result.ok).toBe(true);
  });
});
