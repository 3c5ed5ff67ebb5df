import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { createRun, hotFields, type RunSnapshot } from '../../engine/index';
import { datasetId, SAMPLE_CSV } from '../../engine/tf-free';
import { decodeConfig } from '../url-codec';
import { DB_VERSION, openStore } from './persistence';
import { decodeShare } from './share-codec';
import { importComparison } from './transfer';

/**
 * Data written by earlier releases (app/state/fixtures/, each made with that release's own code):
 * IndexedDB version 1 with the user's text inside the configs, its share link and its version-1
 * export file (commit ca0a093); IndexedDB version 2 with metrics as plain arrays and the user's
 * CSV in `datasets` (commit de879eb). Read by this one.
 */
interface DbFixture {
  dbVersion: number;
  stores: Record<string, [string, unknown][]>;
  shareLink?: string;
  configHash?: string;
}

const read = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const fixture = JSON.parse(read('db-v1.json')) as DbFixture;
const fixtureV2 = JSON.parse(read('db-v2.json')) as DbFixture;

/** The fixture's JSON stand-ins back into what IndexedDB held: typed arrays and NaN. */
function decode(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(decode);
  if (typeof x !== 'object' || x === null) return x;
  const o = x as Record<string, unknown>;
  if (Array.isArray(o.$f32)) return new Float32Array(o.$f32 as number[]);
  if (Array.isArray(o.$u32)) return new Uint32Array(o.$u32 as number[]);
  if (typeof o.$num === 'string') return Number(o.$num);
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, decode(v)]));
}

async function writeFixtureDb(name: string, from = fixture): Promise<void> {
  const db = await openDB(name, from.dbVersion, {
    upgrade: (d) => Object.keys(from.stores).forEach((s) => d.createObjectStore(s)),
  });
  for (const [store, rows] of Object.entries(from.stores))
    for (const [key, value] of rows) await db.put(store, decode(value), key);
  db.close();
}

describe("the previous release's data", () => {
  it('a version-1 database opens with every run intact, and its snapshots train on', async () => {
    expect(fixture.dbVersion).toBe(1);
    await writeFixtureDb('fixture-v1');
    const store = await openStore('fixture-v1');
    const problems: string[] = [];
    const loaded = await store.loadRuns((p) => problems.push(`${p.store} ${p.id}: ${p.message}`));
    expect(problems).toEqual([]);
    expect(loaded.map((x) => x.run.id)).toEqual(fixture.stores.runs.map(([id]) => id));
    // The built-in sample CSV the old config carried inline is named as the built-in again.
    const csvId = 'builtin:sample-csv';
    for (const { run, metrics, snapshot } of loaded) {
      const oldMetrics = fixture.stores.metrics.find(([id]) => id === run.id)?.[1];
      expect(metrics).toEqual(decode(oldMetrics));
      expect(snapshot?.step).toBe(run.step);
      expect(run.step).toBe(20);
      if (run.config.data.kind === 'csv') {
        expect(run.config.data.dataset).toBe(csvId);
        expect(snapshot?.config.data).toEqual(run.config.data);
      }
      // The stored state goes on training in this release's engine, as the worker restores it.
      const next = await createRun(run.config);
      next.restore(snapshot as RunSnapshot);
      next.reconfigure(hotFields(run.config));
      const chunk = await next.train(5);
      expect(next.step).toBe(25);
      expect(Array.from(chunk.columns.loss).every(Number.isFinite)).toBe(true);
      next.dispose();
    }
    expect(await store.loadDataset(await datasetId(SAMPLE_CSV))).toBeNull();
    store.close();
  });

  it('a version-2 database opens with every run, its metrics (now typed columns) and its CSV intact', async () => {
    expect(fixtureV2.dbVersion).toBe(2);
    await writeFixtureDb('fixture-v2', fixtureV2);
    const store = await openStore('fixture-v2');
    const problems: string[] = [];
    const loaded = await store.loadRuns((p) => problems.push(`${p.store} ${p.id}: ${p.message}`));
    expect(problems).toEqual([]);
    expect(loaded.map((x) => x.run)).toEqual(fixtureV2.stores.runs.map(([, run]) => decode(run)));
    for (const { run, metrics, snapshot } of loaded) {
      const old = fixtureV2.stores.metrics.find(([id]) => id === run.id)?.[1];
      expect(metrics).toEqual(decode(old));
      expect(snapshot?.step).toBe(run.step);
      const next = await createRun(
        run.config,
        run.config.data.kind === 'csv'
          ? {
              dataset: {
                id: run.config.data.dataset,
                text: (await store.loadDataset(run.config.data.dataset)) ?? '',
              },
            }
          : {},
      );
      next.restore(snapshot as RunSnapshot);
      const chunk = await next.train(5);
      expect(next.step).toBe(run.step + 5);
      expect(Array.from(chunk.columns.loss).every(Number.isFinite)).toBe(true);
      next.dispose();
    }
    store.close();
    const raw = await openDB('fixture-v2');
    expect(raw.version).toBe(DB_VERSION);
    expect(((await raw.get('metrics', 'r-v2-0')) as { loss: unknown }).loss).toBeInstanceOf(
      Float32Array,
    );
    raw.close();
  });

  it('its share link and settings hash open in this release', async () => {
    const shared = await decodeShare('#' + (fixture.shareLink ?? '').replace(/^#/, ''));
    expect(shared?.ok ? shared.configs.map((c) => c.data.kind) : shared?.message).toEqual([
      'spiral',
      'csv',
    ]);
    const hash = decodeConfig('#' + (fixture.configHash ?? '').replace(/^#/, ''));
    expect(hash.ok ? hash.value.data.kind : hash.message).toBe('spiral');
  });

  it('its export file (version 1) imports with every run, metrics and snapshot', async () => {
    const result = await importComparison(read('export-v1.json'));
    expect(result.ok ? result.runs.map((r) => [r.run.step, r.snapshot?.step]) : result).toEqual([
      [20, 20],
      [20, 20],
    ]);
    if (result.ok)
      expect(result.runs[1].run.config.data).toMatchObject({ dataset: 'builtin:sample-csv' });
  });
});
