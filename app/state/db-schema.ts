import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import { packLegacyMetrics } from './packed-metrics';

/**
 * The IndexedDB schema of saved runs and its migrations, one step per version (the format is
 * described in docs/architecture.md, "Stored data"). A step is never edited once released: a
 * new format adds a step below and bumps `DB_VERSION`, and app/state/fixtures/ keeps a database
 * the previous release wrote, which the fixtures test opens.
 */

/** The stores a run's records live in (deleted together). */
export const RUN_STORES = ['runs', 'metrics', 'snapshots'] as const;

/** Values are `unknown`: whatever is on disk is parsed before use. */
export interface PlaygroundDb extends DBSchema {
  runs: { key: string; value: unknown };
  metrics: { key: string; value: unknown };
  snapshots: { key: string; value: unknown };
  datasets: { key: string; value: unknown };
  meta: { key: string; value: unknown };
}

export const DB_VERSION = 3;
/** In `meta` while runs written by version 1 may still carry their text inline. */
export const LIFT_TEXT = 'lift-inline-text';

type UpgradeTx = IDBPTransaction<
  PlaygroundDb,
  ArrayLike<StoreNames<PlaygroundDb>>,
  'versionchange'
>;

/** Brings a database from `oldVersion` (0: none yet) to `DB_VERSION`, inside the upgrade. */
export function upgradeSchema(
  database: IDBPDatabase<PlaygroundDb>,
  oldVersion: number,
  tx: UpgradeTx,
): void {
  // 1) v0 -> v1: the three stores, keyed by run id.
  if (oldVersion < 1) for (const name of RUN_STORES) database.createObjectStore(name);
  // 2) v1 -> v2: datasets by id. Hashing cannot run inside an upgrade (it is not IndexedDB
  // work, so the transaction would end), so runs of v1 are marked and lifted just after.
  if (oldVersion < 2) {
    database.createObjectStore('datasets');
    database.createObjectStore('meta');
    if (oldVersion >= 1) void tx.objectStore('meta').put(true, LIFT_TEXT);
  }
  // 3) v2 -> v3: metrics of plain arrays become typed columns with old rows thinned
  // (app/state/packed-metrics.ts). Packing is synchronous, so it runs inside the upgrade: a
  // page closed half-way rolls the whole upgrade back, and the next open does it again.
  if (oldVersion >= 1 && oldVersion < 3) void packAllMetrics(tx);
}

async function packAllMetrics(tx: UpgradeTx): Promise<void> {
  let cursor = await tx.objectStore('metrics').openCursor();
  while (cursor) {
    const packed = packLegacyMetrics(cursor.value);
    // A record that was already corrupt is left as it was: reading it reports it.
    if (packed) await cursor.update(packed);
    cursor = await cursor.continue();
  }
}
