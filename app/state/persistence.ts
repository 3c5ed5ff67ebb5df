import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import * as v from 'valibot';
import { DATASET_LIMITS, datasetId, describeIssues } from '../../engine/tf-free';
import type { RunSnapshot } from '../../engine/index';
import type { DatasetStore } from './datasets';
import { hasInlineText, liftInlineText } from './legacy-data';
import {
  SnapshotRecordSchema,
  StoredMetricsSchema,
  StoredRunSchema,
  type StoredMetrics,
  type StoredRun,
} from './stored-run';

/**
 * Runs kept across reloads, in IndexedDB. Three object stores, each keyed by run id (out-of-line
 * keys): `runs` (StoredRun), `metrics` (StoredMetrics), `snapshots` (RunSnapshot; structured clone
 * keeps its Float32Array/Uint32Array fields). Since version 2, `datasets` holds the user's texts
 * and CSVs keyed by dataset id (the configs name them), and `meta` notes migrations still due.
 * Every write is one transaction: `saveState` puts a run's record, metrics and snapshot together,
 * so a failed write (a full disk) or a page closed half-way leaves the version before or the new
 * one, never a mix of the two. Writes report failure as data; reads validate every record and skip
 * the corrupt ones.
 */

export type WriteResult = { ok: true } | { ok: false; message: string; quota: boolean };

export interface LoadedRun {
  run: StoredRun;
  metrics: StoredMetrics | null;
  snapshot: RunSnapshot | null;
}

/** A record that did not pass its schema and was left out of `loadRuns`. */
export interface LoadProblem {
  id: string;
  store: StoreName;
  message: string;
}

/** What changed of one run since it was last saved; what is absent stays as stored. */
export interface RunState {
  run: StoredRun;
  metrics?: StoredMetrics;
  snapshot?: RunSnapshot;
}

export interface RunStore extends DatasetStore {
  /** The run's record with its metrics and snapshot (those given), in one transaction. */
  saveState(state: RunState): Promise<WriteResult>;
  saveRun(run: StoredRun): Promise<WriteResult>;
  saveMetrics(id: string, metrics: StoredMetrics): Promise<WriteResult>;
  saveSnapshot(id: string, snapshot: RunSnapshot): Promise<WriteResult>;
  /** Every stored run, oldest first; a corrupt run is skipped, corrupt metrics or snapshot become null. */
  loadRuns(onProblem?: (problem: LoadProblem) => void): Promise<LoadedRun[]>;
  /** One stored run (as `loadRuns` checks it), or null when there is none or it is corrupt. */
  loadRun(id: string, onProblem?: (problem: LoadProblem) => void): Promise<LoadedRun | null>;
  deleteRun(id: string): Promise<WriteResult>;
  clear(): Promise<WriteResult>;
  close(): void;
}

/** The stores a run's records live in (deleted together). */
const STORES = ['runs', 'metrics', 'snapshots'] as const;
type StoreName = (typeof STORES)[number] | 'datasets';

/** Values are `unknown`: whatever is on disk is parsed before use. */
interface PlaygroundDb extends DBSchema {
  runs: { key: string; value: unknown };
  metrics: { key: string; value: unknown };
  snapshots: { key: string; value: unknown };
  datasets: { key: string; value: unknown };
  meta: { key: string; value: unknown };
}

export const DB_VERSION = 2;
/** In `meta` while runs written by version 1 may still carry their text inline. */
const LIFT_TEXT = 'lift-inline-text';
const MAX_DATASET = Math.max(DATASET_LIMITS.text, DATASET_LIMITS.csv);

const OK: WriteResult = { ok: true };

function errorName(e: unknown): string {
  return typeof e === 'object' && e !== null && 'name' in e ? String(e.name) : '';
}

/** Whether a failed write ran out of storage: QuotaExceededError itself, or an abort it caused. */
export function isQuotaError(e: unknown, txError?: unknown): boolean {
  const quota = (x: unknown) =>
    ['QuotaExceededError', 'NS_ERROR_DOM_QUOTA_REACHED'].includes(errorName(x)) ||
    (typeof x === 'object' && x !== null && 'code' in x && x.code === 22);
  return quota(e) || (errorName(e) === 'AbortError' && quota(txError));
}

/** Turns a failed write into data; `what` names the record, e.g. "metrics". */
export function writeFailure(what: string, e: unknown, txError?: unknown): WriteResult {
  if (isQuotaError(e, txError)) {
    return {
      ok: false,
      quota: true,
      message: `The browser's storage is full: the ${what} was not saved. Runs saved earlier are kept; delete or export old runs to make room.`,
    };
  }
  const detail =
    e instanceof Error || errorName(e)
      ? `${errorName(e)}: ${(e as { message?: unknown }).message ?? ''}`
      : String(e);
  return { ok: false, quota: false, message: `Could not save the ${what} (${detail})` };
}

export async function openStore(dbName = 'training-playground'): Promise<RunStore> {
  const db: IDBPDatabase<PlaygroundDb> = await openDB<PlaygroundDb>(dbName, DB_VERSION, {
    upgrade(database, oldVersion, _newVersion, tx) {
      // 1) v0 -> v1: the three stores, keyed by run id. Later versions add steps below, never edit this one.
      if (oldVersion < 1) for (const name of STORES) database.createObjectStore(name);
      // 2) v1 -> v2: datasets by id. Hashing cannot run inside an upgrade (it is not IndexedDB
      // work, so the transaction would end), so runs of v1 are marked and lifted just after.
      if (oldVersion < 2) {
        database.createObjectStore('datasets');
        database.createObjectStore('meta');
        if (oldVersion >= 1) void tx.objectStore('meta').put(true, LIFT_TEXT);
      }
    },
    // Another tab wants a newer version: let it upgrade rather than block it.
    blocking: () => db.close(),
  });

  if (await db.get('meta', LIFT_TEXT)) await liftStoredText(db);

  async function write(
    stores: readonly StoreName[],
    what: string,
    body: (tx: ReturnType<typeof begin>) => Promise<unknown>,
  ): Promise<WriteResult> {
    let tx: ReturnType<typeof begin> | null = null;
    try {
      tx = begin(stores);
      const done = tx.done;
      done.catch(() => undefined);
      await Promise.all([body(tx), done]);
      return OK;
    } catch (e) {
      try {
        tx?.abort();
      } catch {
        // Already finished or aborted.
      }
      return writeFailure(what, e, tx?.error);
    }
  }
  const begin = (stores: readonly StoreName[]) => db.transaction([...stores], 'readwrite');
  const put = (store: StoreName, what: string, id: string, value: unknown) =>
    write([store], what, (tx) => tx.objectStore(store).put(value, id));

  return {
    saveState: ({ run, metrics, snapshot }) => {
      const stores: StoreName[] = ['runs'];
      if (metrics) stores.push('metrics');
      if (snapshot) stores.push('snapshots');
      const what = snapshot ? `state of run "${run.label}"` : `run "${run.label}"`;
      return write(stores, what, (tx) => {
        // A put that throws (a value that cannot be stored) aborts the others: each request's
        // rejection is handled here, the failure is reported once by `write`.
        const requests: Promise<unknown>[] = [];
        const add = (request: Promise<unknown>) => {
          request.catch(() => undefined);
          requests.push(request);
        };
        add(tx.objectStore('runs').put(run, run.id));
        if (metrics) add(tx.objectStore('metrics').put(metrics, run.id));
        if (snapshot) add(tx.objectStore('snapshots').put(snapshot, run.id));
        return Promise.all(requests);
      });
    },
    saveRun: (run) => put('runs', `run "${run.label}"`, run.id, run),
    saveMetrics: (id, metrics) => put('metrics', 'latest metrics', id, metrics),
    saveSnapshot: (id, snapshot) => put('snapshots', 'training state', id, snapshot),
    saveDataset: (id, text) => put('datasets', 'data (your text or table)', id, text),
    async loadDataset(id) {
      const text = await db.get('datasets', id);
      // Checked against its name: a damaged record is as good as a missing one.
      if (typeof text !== 'string' || text.length > MAX_DATASET || (await datasetId(text)) !== id)
        return null;
      return text;
    },
    deleteRun: (id) =>
      write(STORES, 'deletion', (tx) =>
        Promise.all(STORES.map((s) => tx.objectStore(s).delete(id))),
      ),
    clear: () => {
      const all = [...STORES, 'datasets'] as const;
      return write(all, 'clearing', (tx) => Promise.all(all.map((s) => tx.objectStore(s).clear())));
    },
    close: () => db.close(),

    async loadRuns(onProblem = warnProblem) {
      const tx = db.transaction([...STORES], 'readonly');
      const [ids, values] = await Promise.all([
        tx.objectStore('runs').getAllKeys(),
        tx.objectStore('runs').getAll(),
      ]);
      const extras = await Promise.all(
        ids.map((id) =>
          Promise.all([tx.objectStore('metrics').get(id), tx.objectStore('snapshots').get(id)]),
        ),
      );
      await tx.done;
      const out: LoadedRun[] = [];
      ids.forEach((id, i) => {
        const loaded = checkRun(id, [values[i], ...extras[i]], onProblem);
        if (loaded) out.push(loaded);
      });
      return out.sort((a, b) => a.run.createdAt - b.run.createdAt);
    },

    async loadRun(id, onProblem = warnProblem) {
      const tx = db.transaction([...STORES], 'readonly');
      const records = await Promise.all(STORES.map((s) => tx.objectStore(s).get(id)));
      await tx.done;
      return records[0] === undefined
        ? null
        : checkRun(id, records as [unknown, unknown, unknown], onProblem);
    },
  };
}

const warnProblem = (p: LoadProblem) =>
  console.warn(`Skipped a stored ${p.store} record of run ${p.id}: ${p.message}`);

/** A run's three records checked against their schemas; null when the run record is unusable. */
function checkRun(
  id: string,
  [runValue, metrics, snapshot]: [unknown, unknown, unknown],
  onProblem: (problem: LoadProblem) => void,
): LoadedRun | null {
  const check = <T>(store: StoreName, schema: v.GenericSchema<unknown, T>, value: unknown) => {
    const parsed = safeParse(schema, value);
    if (typeof parsed === 'string') onProblem({ id, store, message: parsed });
    return typeof parsed === 'string' ? null : parsed.value;
  };
  const run = check('runs', StoredRunSchema, runValue);
  if (!run) return null;
  if (run.id !== id) {
    onProblem({ id, store: 'runs', message: `the record says its id is "${run.id}"` });
    return null;
  }
  return {
    run,
    metrics: metrics === undefined ? null : check('metrics', StoredMetricsSchema, metrics),
    snapshot: snapshot === undefined ? null : check('snapshots', SnapshotRecordSchema, snapshot),
  };
}

/**
 * Moves the text of runs written by version 1 out of their configs (run records and snapshots)
 * into `datasets`, in one transaction that also clears the mark: a page closed half-way leaves
 * the mark, and the next open does it again.
 */
async function liftStoredText(db: IDBPDatabase<PlaygroundDb>): Promise<void> {
  const read = db.transaction(['runs', 'snapshots'], 'readonly');
  const [ids, runs] = await Promise.all([
    read.objectStore('runs').getAllKeys(),
    read.objectStore('runs').getAll(),
  ]);
  const snapshots = await Promise.all(ids.map((id) => read.objectStore('snapshots').get(id)));
  await read.done;
  const lift = async (record: unknown) => {
    if (
      typeof record !== 'object' ||
      record === null ||
      !hasInlineText((record as { config?: unknown }).config)
    )
      return null;
    const lifted = await liftInlineText((record as { config: unknown }).config);
    return { record: { ...record, config: lifted.config }, dataset: lifted.dataset };
  };
  const changed = await Promise.all(
    ids.map(async (id, i) => ({
      id,
      run: await lift(runs[i]),
      snapshot: await lift(snapshots[i]),
    })),
  );
  const tx = db.transaction(['runs', 'snapshots', 'datasets', 'meta'], 'readwrite');
  const writes: Promise<unknown>[] = [];
  for (const { id, run, snapshot } of changed) {
    for (const [store, c] of [
      ['runs', run],
      ['snapshots', snapshot],
    ] as const) {
      if (!c) continue;
      writes.push(tx.objectStore(store).put(c.record, id));
      if (c.dataset) writes.push(tx.objectStore('datasets').put(c.dataset.text, c.dataset.id));
    }
  }
  writes.push(tx.objectStore('meta').delete(LIFT_TEXT));
  await Promise.all([...writes, tx.done]);
}

/** The parsed value, or a message; a schema that throws (it should not) counts as invalid. */
function safeParse<T>(schema: v.GenericSchema<unknown, T>, value: unknown): { value: T } | string {
  try {
    const result = v.safeParse(schema, value);
    return result.success
      ? { value: result.output }
      : describeIssues(result.issues) || 'invalid record';
  } catch (e) {
    return `invalid record (${String(e)})`;
  }
}
