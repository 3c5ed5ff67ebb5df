import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { datasetId, DEFAULT_CONFIG, SAMPLE_TEXT } from '../../engine/tf-free';
import type { RunSnapshot } from '../../engine/index';
import {
  DB_VERSION,
  isQuotaError,
  openStore,
  writeFailure,
  type LoadProblem,
  type RunStore,
} from './persistence';
import type { StoredMetrics, StoredRun } from './stored-run';

let dbCount = 0;
const stores: RunStore[] = [];
async function freshStore(): Promise<[RunStore, string]> {
  const name = `test-db-${++dbCount}`;
  const store = await openStore(name);
  stores.push(store);
  return [store, name];
}
afterEach(() => {
  vi.restoreAllMocks();
  for (const s of stores.splice(0)) s.close();
});

const run = (id: string, extra: Partial<StoredRun> = {}): StoredRun => ({
  id,
  createdAt: 1000 + id.length,
  label: `run ${id}`,
  color: '#1f77b4',
  config: DEFAULT_CONFIG,
  status: 'paused',
  step: 20,
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
    gradNorm: steps.map(() => Number.NaN),
    wallTime: steps.map((s) => s * 5),
    evalSteps: [n],
    trainLoss: [0.5],
    testLoss: [0.6],
    accuracy: [0.9],
    testAccuracy: [0.8],
  };
};

const snapshot = (): RunSnapshot => ({
  config: DEFAULT_CONFIG,
  step: 20,
  params: {
    'dense0.kernel': {
      role: 'kernel',
      shape: [2, 3],
      values: new Float32Array([1, 2, 3, 4, 5, 6.5]),
    },
  },
  optimizer: {
    kind: 'adam',
    state: {
      t: 'record',
      entries: {
        count: { t: 'number', value: 20 },
        mu: {
          t: 'array',
          items: [{ t: 'tensor', shape: [2], values: new Float32Array([0.1, -0.2]) }],
        },
      },
    },
  },
  buffers: { 'bn.mean': { shape: [3], values: new Float32Array([0, 1, 2]) } },
  cursor: { epoch: 1, position: 7 },
  samplesSeen: 640,
});

describe('persistence', () => {
  it('round-trips runs, metrics and snapshots with typed arrays intact', async () => {
    const [store] = await freshStore();
    const fork = run('b', {
      parentId: 'a',
      forkStep: 10,
      group: 'g1',
      hidden: true,
      status: 'diverged',
    });
    for (const r of [run('a'), fork]) expect(await store.saveRun(r)).toEqual({ ok: true });
    expect(await store.saveMetrics('a', metrics(5))).toEqual({ ok: true });
    expect(await store.saveSnapshot('a', snapshot())).toEqual({ ok: true });
    const loaded = await store.loadRuns();
    expect(loaded.map((x) => x.run)).toEqual([run('a'), fork]);
    expect(loaded[0].metrics).toEqual(metrics(5));
    expect(loaded[1]).toMatchObject({ metrics: null, snapshot: null });
    const s = loaded[0].snapshot;
    expect(s?.params['dense0.kernel'].values).toBeInstanceOf(Float32Array);
    expect(s).toEqual(snapshot());
  });

  it('loads a snapshot saved with the generator state older versions kept, without it', async () => {
    const [store, name] = await freshStore();
    await store.saveRun(run('a'));
    const raw = await openDB(name);
    await raw.put('snapshots', { ...snapshot(), rng: new Uint32Array([1, 2, 3, 4]) }, 'a');
    raw.close();
    const [loaded] = await store.loadRuns();
    expect(loaded.snapshot).toEqual(snapshot());
    expect(loaded.snapshot && 'rng' in loaded.snapshot).toBe(false);
  });

  it('replaces records and deletes a run with its metrics and snapshot', async () => {
    const [store] = await freshStore();
    await store.saveRun(run('a'));
    await store.saveRun({ ...run('a'), label: 'renamed', step: 99 });
    await store.saveMetrics('a', metrics(3));
    await store.saveRun(run('bb'));
    expect((await store.loadRuns()).map((x) => x.run.label)).toEqual(['renamed', 'run bb']);
    expect(await store.deleteRun('a')).toEqual({ ok: true });
    expect((await store.loadRuns()).map((x) => x.run.id)).toEqual(['bb']);
    await store.saveRun(run('a'));
    expect((await store.loadRuns())[0].metrics).toBeNull();
    expect(await store.clear()).toEqual({ ok: true });
    expect(await store.loadRuns()).toEqual([]);
  });

  it('skips corrupt records and reports them', async () => {
    const [store, name] = await freshStore();
    await store.saveRun(run('good'));
    await store.saveRun(run('meh'));
    const raw = await openDB(name);
    await raw.put('runs', { id: 'bad', label: 5 }, 'bad');
    await raw.put('runs', run('other'), 'mismatched-key');
    await raw.put('metrics', { ...metrics(3), loss: [1] }, 'good');
    await raw.put('snapshots', { ...snapshot(), cursor: { epoch: -1, position: 0 } }, 'meh');
    raw.close();
    const problems: LoadProblem[] = [];
    const loaded = await store.loadRuns((p) => problems.push(p));
    expect(loaded.map((x) => [x.run.id, x.metrics, x.snapshot])).toEqual([
      ['meh', null, null],
      ['good', null, null],
    ]);
    expect(problems.map((p) => [p.id, p.store])).toEqual([
      ['bad', 'runs'],
      ['good', 'metrics'],
      ['meh', 'snapshots'],
      ['mismatched-key', 'runs'],
    ]);
    for (const p of problems) expect(p.message.length).toBeGreaterThan(0);
  });

  it('a full disk gives the quota message and keeps what was saved before', async () => {
    const [store] = await freshStore();
    await store.saveRun(run('a'));
    await store.saveMetrics('a', metrics(4));
    const spy = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const results = [
      await store.saveRun({ ...run('a'), label: 'new' }),
      await store.saveMetrics('a', metrics(9)),
      await store.saveSnapshot('a', snapshot()),
    ];
    for (const r of results) {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.quota).toBe(true);
        expect(r.message).toMatch(/^The browser's storage is full: /);
      }
    }
    spy.mockRestore();
    const loaded = await store.loadRuns();
    expect(loaded).toEqual([{ run: run('a'), metrics: metrics(4), snapshot: null }]);
    expect(await store.saveMetrics('a', metrics(6))).toEqual({ ok: true });
  });

  it('a failing request inside the transaction is reported too', async () => {
    const [store] = await freshStore();
    await store.saveRun(run('a'));
    // A value structured clone cannot copy: the put fails with DataCloneError.
    const r = await store.saveRun({
      ...run('a'),
      label: 'x',
      config: { ...DEFAULT_CONFIG, seed: (() => 1) as unknown as number },
    });
    expect(r).toMatchObject({ ok: false, quota: false });
    expect((await store.loadRuns())[0].run).toEqual(run('a'));
  });

  it('recognises quota errors however they arrive', () => {
    const quota = new DOMException('full', 'QuotaExceededError');
    const abort = new DOMException('aborted', 'AbortError');
    expect(isQuotaError(quota)).toBe(true);
    expect(isQuotaError(abort, quota)).toBe(true);
    expect(isQuotaError({ name: 'NS_ERROR_DOM_QUOTA_REACHED' })).toBe(true);
    expect(isQuotaError(abort, null)).toBe(false);
    expect(isQuotaError(new Error('nope'))).toBe(false);
    expect(isQuotaError(undefined)).toBe(false);
    expect(writeFailure('metrics', abort, quota)).toMatchObject({ ok: false, quota: true });
    expect(writeFailure('metrics', new TypeError('boom'))).toEqual({
      ok: false,
      quota: false,
      kept: true,
      message: 'Could not save the metrics (TypeError: boom)',
    });
  });
});

describe('datasets in storage', () => {
  const TEXT = 'x,y,label\n1,"2,5",a\n3,4,b\n5,6,a\n7,8,b\n';

  it('keeps a dataset under its id and refuses one that does not match its name', async () => {
    const [store, name] = await freshStore();
    const id = await datasetId(TEXT);
    expect(await store.saveDataset(id, TEXT)).toEqual({ ok: true });
    expect(await store.loadDataset(id)).toBe(TEXT);
    expect(await store.loadDataset(`sha256:${'a'.repeat(64)}`)).toBeNull();
    const raw = await openDB(name);
    await raw.put('datasets', TEXT + 'tampered', id);
    raw.close();
    expect(await store.loadDataset(id)).toBeNull();
    await store.saveDataset(id, TEXT);
    expect(await store.clear()).toEqual({ ok: true });
    expect(await store.loadDataset(id)).toBeNull();
  });

  it('opens a version-1 database with every run intact, its text moved to datasets', async () => {
    const name = `test-db-${++dbCount}`;
    const legacy = { ...DEFAULT_CONFIG, data: { kind: 'csv', text: TEXT, trainFraction: 0.7 } };
    const sample = {
      ...DEFAULT_CONFIG,
      data: { kind: 'text', text: SAMPLE_TEXT, sequenceLength: 32 },
    };
    const v1 = await openDB(name, 1, {
      upgrade: (db) => ['runs', 'metrics', 'snapshots'].forEach((s) => db.createObjectStore(s)),
    });
    await v1.put('runs', { ...run('a'), config: legacy }, 'a');
    await v1.put('metrics', metrics(3), 'a');
    await v1.put('snapshots', { ...snapshot(), config: legacy }, 'a');
    await v1.put('runs', { ...run('bb'), config: sample }, 'bb');
    await v1.put('runs', run('ccc'), 'ccc');
    v1.close();

    const store = await openStore(name);
    stores.push(store);
    const problems: LoadProblem[] = [];
    const loaded = await store.loadRuns((p) => problems.push(p));
    expect(problems).toEqual([]);
    const id = await datasetId(TEXT);
    expect(loaded.map((x) => x.run.config.data)).toEqual([
      { kind: 'csv', dataset: id, trainFraction: 0.7 },
      { kind: 'text', dataset: 'builtin:sample-text', sequenceLength: 32 },
      DEFAULT_CONFIG.data,
    ]);
    expect(loaded[0].snapshot?.config.data).toEqual({
      kind: 'csv',
      dataset: id,
      trainFraction: 0.7,
    });
    expect(loaded[0].metrics).toEqual(metrics(3));
    expect(await store.loadDataset(id)).toBe(TEXT);
    store.close();
    const raw = await openDB(name);
    expect(raw.version).toBe(DB_VERSION);
    expect(await raw.getAllKeys('meta')).toEqual([]);
    raw.close();
  });

  it('a version-1 database whose lift was cut short is lifted at the next open', async () => {
    const name = `test-db-${++dbCount}`;
    const legacy = { ...DEFAULT_CONFIG, data: { kind: 'csv', text: TEXT, trainFraction: 0.5 } };
    const v1 = await openDB(name, 1, {
      upgrade: (db) => ['runs', 'metrics', 'snapshots'].forEach((s) => db.createObjectStore(s)),
    });
    await v1.put('runs', { ...run('a'), config: legacy }, 'a');
    v1.close();
    // As if the tab closed after the upgrade and before the lift: version 2, mark still there.
    const cut = await openDB(name, 2, {
      upgrade: (db, _old, _new, tx) => {
        db.createObjectStore('datasets');
        db.createObjectStore('meta');
        void tx.objectStore('meta').put(true, 'lift-inline-text');
      },
    });
    cut.close();
    const store = await openStore(name);
    stores.push(store);
    expect((await store.loadRuns())[0].run.config.data).toEqual({
      kind: 'csv',
      dataset: await datasetId(TEXT),
      trainFraction: 0.5,
    });
  });
});

describe('one transaction per save', () => {
  it("writes a run's record, metrics and snapshot together and reads one run back", async () => {
    const [store] = await freshStore();
    const state = { run: run('a', { step: 20 }), metrics: metrics(20), snapshot: snapshot() };
    expect(await store.saveState(state)).toEqual({ ok: true });
    expect(await store.loadRun('a')).toEqual(state);
    // Only the record changed: metrics and snapshot stay as stored.
    expect(await store.saveState({ run: run('a', { label: 'renamed' }) })).toEqual({ ok: true });
    expect(await store.loadRun('a')).toEqual({ ...state, run: run('a', { label: 'renamed' }) });
    expect(await store.loadRun('missing')).toBeNull();
    // A listing (another tab's run, refreshed at each of its saves) leaves the snapshot unread.
    expect(await store.loadListing('a')).toEqual({
      ...state,
      run: run('a', { label: 'renamed' }),
      snapshot: null,
    });
    expect(await store.loadListing('missing')).toBeNull();
  });

  it('a save that fails half-way leaves the previous version whole, never a mix', async () => {
    const [store] = await freshStore();
    const old = { run: run('a', { step: 20 }), metrics: metrics(20), snapshot: snapshot() };
    await store.saveState(old);
    // The snapshot cannot be stored (a value IndexedDB cannot clone): the record and metrics
    // queued before it in the same transaction are rolled back with it.
    const broken = { ...snapshot(), step: 40, cursor: { epoch: 1, position: () => 0 } };
    const result = await store.saveState({
      run: run('a', { step: 40, label: 'newer' }),
      metrics: metrics(40),
      snapshot: broken as unknown as RunSnapshot,
    });
    expect(result.ok).toBe(false);
    expect(await store.loadRun('a')).toEqual(old);
  });
});
