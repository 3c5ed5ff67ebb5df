import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../engine/tf-free';
import { DB_VERSION } from './db-schema';
import { FULL_ROWS, OLD_BUCKETS } from './packed-metrics';
import { openStore, type LoadProblem } from './persistence';
import type { StoredMetrics, StoredRun } from './stored-run';

let dbCount = 0;
const name = () => `schema-db-${++dbCount}`;

const run = (id: string): StoredRun => ({
  id,
  createdAt: 1000 + id.length,
  label: `run ${id}`,
  color: '#1f77b4',
  config: DEFAULT_CONFIG,
  status: 'paused',
  step: 20,
  hidden: false,
});

const metrics = (n: number): StoredMetrics => {
  const steps = Array.from({ length: n }, (_, i) => i + 1);
  return {
    steps,
    samples: steps.map((s) => s * 32),
    loss: steps.map((s) => Math.fround(1 / s)),
    lr: steps.map(() => Math.fround(0.03)),
    gradNorm: steps.map(() => Number.NaN),
    wallTime: steps.map((s) => s * 5.1),
    evalSteps: [n],
    trainLoss: [Math.fround(0.5)],
    testLoss: [Math.fround(0.6)],
    accuracy: [Math.fround(0.9)],
    testAccuracy: [Math.fround(0.8)],
  };
};

/** A database as version 2 wrote it: metrics of plain arrays. */
async function writeV2(db: string, records: Record<string, unknown>): Promise<void> {
  const v2 = await openDB(db, 2, {
    upgrade: (d) =>
      ['runs', 'metrics', 'snapshots', 'datasets', 'meta'].forEach((s) => d.createObjectStore(s)),
  });
  for (const [id, m] of Object.entries(records)) {
    await v2.put('runs', run(id), id);
    await v2.put('metrics', m, id);
  }
  v2.close();
}

describe('migration to version 3 (typed metric columns)', () => {
  it('a version-2 database opens with its metrics intact, stored as typed columns', async () => {
    const db = name();
    await writeV2(db, { a: metrics(30), bb: metrics(9000), ccc: { steps: 'broken' } });
    const store = await openStore(db);
    const problems: LoadProblem[] = [];
    const loaded = await store.loadRuns((p) => problems.push(p));
    expect(loaded.map((x) => x.run.id)).toEqual(['a', 'bb', 'ccc']);
    expect(loaded[0].metrics).toEqual(metrics(30));
    // A long series is thinned by the migration, its recent rows whole.
    const long = loaded[1].metrics;
    expect(long?.steps.length).toBeLessThanOrEqual(FULL_ROWS + 2 * OLD_BUCKETS);
    expect(long?.steps.slice(-FULL_ROWS)).toEqual(metrics(9000).steps.slice(-FULL_ROWS));
    // The record that was corrupt before stays out, and is said.
    expect(loaded[2].metrics).toBeNull();
    expect(problems.map((p) => [p.id, p.store])).toEqual([['ccc', 'metrics']]);
    store.close();

    const raw = await openDB(db);
    expect(raw.version).toBe(DB_VERSION);
    const stored = (await raw.get('metrics', 'a')) as Record<string, unknown>;
    expect(stored.loss).toBeInstanceOf(Float32Array);
    expect(stored.wallTime).toBeInstanceOf(Float64Array);
    raw.close();
  });
});

describe('a database deleted under the page', () => {
  it('is opened again and made anew at the next save, which says so once', async () => {
    const db = name();
    const store = await openStore(db);
    let recreated = 0;
    store.onRecreated(() => recreated++);
    expect(await store.saveState({ run: run('a'), metrics: metrics(5) })).toEqual({ ok: true });

    // What "clear site data" does: the database goes, the page's connection is closed.
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase(db);
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
    });
    expect(await store.saveState({ run: run('bb'), metrics: metrics(7) })).toEqual({ ok: true });
    expect(recreated).toBe(1);
    const loaded = await store.loadRuns();
    expect(loaded.map((x) => x.run.id)).toEqual(['bb']);
    expect(loaded[0].metrics).toEqual(metrics(7));
    expect(await store.saveRun(run('a'))).toEqual({ ok: true });
    expect(recreated).toBe(1);
    store.close();
  });

  it('a store closed by the page refuses writes without claiming what was saved is kept', async () => {
    const store = await openStore(name());
    store.close();
    expect(await store.saveRun(run('a'))).toMatchObject({ ok: false, kept: false });
  });
});
