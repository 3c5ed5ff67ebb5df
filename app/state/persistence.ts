import { openDB, type IDBPDatabase, type IDBPTransaction } from 'idb';
import * as v from 'valibot';
import { DATASET_LIMITS, datasetId, describeIssues } from '../../engine/tf-free';
import type { RunSnapshot } from '../../engine/index';
import type { DatasetStore } from './datasets';
import { DB_VERSION, LIFT_TEXT, RUN_STORES, upgradeSchema, type PlaygroundDb } from './db-schema';
import { hasInlineText, liftInlineText } from './legacy-data';
import { packMetrics, PackedMetricsSchema } from './packed-metrics';
import {
  SnapshotRecordSchema,
  StoredRunSchema,
  type StoredMetrics,
  type StoredRun,
} from './stored-run';

/**
 * Runs kept across reloads, in IndexedDB (schema and migrations: app/state/db-schema.ts; the
 * format: docs/architecture.md, "Stored data"). Three object stores, each keyed by run id
 * (out-of-line keys): `runs` (StoredRun), `metrics` (typed columns, old rows thinned:
 * app/state/packed-metrics.ts) and `snapshots` (RunSnapshot; structured clone keeps its
 * Float32Array/Uint32Array fields). Since version 2, `datasets` holds the user's texts and CSVs
 * keyed by dataset id (the configs name them), and `meta` notes migrations still due.
 * Every write is one transaction: `saveState` puts a run's record, metrics and snapshot together,
 * so a failed write (a full disk) or a page closed half-way leaves the version before or the new
 * one, never a mix of the two. Writes report failure as data; reads validate every record and skip
 * the corrupt ones. A connection the browser closes (site data cleared, the database deleted) is
 * opened again at the next read or write, recreating the schema when the database is gone.
 */

/**
 * `kept`: whether what was stored before is known to be intact (a transaction that failed
 * changes nothing; a database that was closed under the page may have been deleted).
 */
export type WriteResult =
  { ok: true } | { ok: false; message: string; quota: boolean; kept: boolean };

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
  /** One stored run's record and metrics without its snapshot (a listing refreshed often). */
  loadListing(id: string): Promise<LoadedRun | null>;
  deleteRun(id: string): Promise<WriteResult>;
  clear(): Promise<WriteResult>;
  close(): void;
}

const STORES = RUN_STORES;
type StoreName = (typeof STORES)[number] | 'datasets';
type Db = IDBPDatabase<PlaygroundDb>;

export { DB_VERSION };
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
      kept: true,
      message: `The browser's storage is full: the ${what} was not saved. Runs saved earlier are kept; delete or export old runs to make room.`,
    };
  }
  const detail =
    e instanceof Error || errorName(e)
      ? `${errorName(e)}: ${(e as { message?: unknown }).message ?? ''}`
      : String(e);
  if (errorName(e) === 'VersionError') {
    return {
      ok: false,
      quota: false,
      kept: true,
      message: `Could not save the ${what}: a newer version of the playground, open in another tab, has upgraded this site's database. Reload this tab to keep saving.`,
    };
  }
  if (errorName(e) === 'InvalidStateError') {
    return {
      ok: false,
      quota: false,
      kept: false,
      message: `Could not save the ${what}: this site's database was closed by the browser and could not be opened again (${detail}). What it held may be gone; export the runs on screen to keep them, or reload the page.`,
    };
  }
  return { ok: false, quota: false, kept: true, message: `Could not save the ${what} (${detail})` };
}

/** Whether an error says the connection is closed (the browser closed it, or it was deleted). */
const isClosed = (e: unknown) => errorName(e) === 'InvalidStateError';

export async function openStore(dbName = 'training-playground'): Promise<RunStore> {
  /** The open connection; null once the browser closed it (the next use opens it again). */
  let db: Db | null = null;
  let opening: Promise<Db> | null = null;
  let ended = false;
  const onRecreated: (() => void)[] = [];

  async function connect(first: boolean): Promise<Db> {
    let fresh = false;
    const opened: Db = await openDB<PlaygroundDb>(dbName, DB_VERSION, {
      upgrade(database, oldVersion, _newVersion, tx) {
        fresh = oldVersion === 0;
        upgradeSchema(database, oldVersion, tx);
      },
      // Another tab wants a newer version, or the database is being deleted: let it go on
      // rather than block it; the next use here opens it again.
      blocking: () => {
        opened.close();
        if (db === opened) db = null;
      },
      // The browser closed the connection (site data cleared, the disk went away).
      terminated: () => {
        if (db === opened) db = null;
      },
    });
    if (await opened.get('meta', LIFT_TEXT)) await liftStoredText(opened);
    db = opened;
    // Not the page's first open, and nothing was there: what this page saved before is gone.
    if (fresh && !first) for (const listener of onRecreated) listener();
    return db;
  }
  await connect(true);

  /** The connection, opened again when it was closed under the page. */
  function conn(): Promise<Db> {
    if (ended)
      return Promise.reject(new DOMException('The store was closed.', 'InvalidStateError'));
    if (db) return Promise.resolve(db);
    opening ??= connect(false).finally(() => (opening = null));
    return opening;
  }

  /** Runs `body` on the connection; once more on a fresh one when it turns out to be closed. */
  async function withDb<T>(body: (d: Db) => Promise<T>): Promise<T> {
    const d = await conn();
    try {
      return await body(d);
    } catch (e) {
      if (!isClosed(e) || ended) throw e;
      if (db === d) db = null;
      return body(await conn());
    }
  }

  type Tx = IDBPTransaction<PlaygroundDb, StoreName[], 'readwrite'>;
  function write(
    stores: readonly StoreName[],
    what: string,
    body: (tx: Tx) => Promise<unknown>,
  ): Promise<WriteResult> {
    const attempt = async (d: Db): Promise<WriteResult> => {
      // Throws InvalidStateError on a closed connection, before anything is written.
      const tx: Tx = d.transaction([...stores], 'readwrite');
      try {
        const done = tx.done;
        done.catch(() => undefined);
        await Promise.all([body(tx), done]);
        return OK;
      } catch (e) {
        try {
          tx.abort();
        } catch {
          // Already finished or aborted.
        }
        return writeFailure(what, e, tx.error);
      }
    };
    return withDb(attempt).catch((e: unknown) => writeFailure(what, e));
  }
  const put = (store: StoreName, what: string, id: string, value: unknown) =>
    write([store], what, (tx) => tx.objectStore(store).put(value, id));

  return {
    saveState: ({ run, metrics, snapshot }) => {
      const stores: StoreName[] = ['runs'];
      if (metrics) stores.push('metrics');
      if (snapshot) stores.push('snapshots');
      const what = snapshot ? `state of run "${run.label}"` : `run "${run.label}"`;
      const packed = metrics ? packMetrics(metrics) : null;
      return write(stores, what, (tx) => {
        // A put that throws (a value that cannot be stored) aborts the others: each request's
        // rejection is handled here, the failure is reported once by `write`.
        const requests: Promise<unknown>[] = [];
        const add = (request: Promise<unknown>) => {
          request.catch(() => undefined);
          requests.push(request);
        };
        add(tx.objectStore('runs').put(run, run.id));
        if (packed) add(tx.objectStore('metrics').put(packed, run.id));
        if (snapshot) add(tx.objectStore('snapshots').put(snapshot, run.id));
        return Promise.all(requests);
      });
    },
    saveRun: (run) => put('runs', `run "${run.label}"`, run.id, run),
    saveMetrics: (id, metrics) => put('metrics', 'latest metrics', id, packMetrics(metrics)),
    saveSnapshot: (id, snapshot) => put('snapshots', 'training state', id, snapshot),
    saveDataset: (id, text) => put('datasets', 'data (your text or table)', id, text),
    async loadDataset(id) {
      const text = await withDb((d) => d.get('datasets', id));
      // Checked against its name: a damaged record is as good as a missing one.
      if (typeof text !== 'string' || text.length > MAX_DATASET || (await datasetId(text)) !== id)
        return null;
      return text;
    },
    onRecreated: (listener) => void onRecreated.push(listener),
    deleteRun: (id) =>
      write(STORES, 'deletion', (tx) =>
        Promise.all(STORES.map((s) => tx.objectStore(s).delete(id))),
      ),
    clear: () => {
      const all = [...STORES, 'datasets'] as const;
      return write(all, 'clearing', (tx) => Promise.all(all.map((s) => tx.objectStore(s).clear())));
    },
    close: () => {
      ended = true;
      db?.close();
      db = null;
    },

    loadRuns: (onProblem = warnProblem) =>
      withDb(async (d) => {
        const tx = d.transaction([...STORES], 'readonly');
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
      }),

    loadRun: (id, onProblem = warnProblem) =>
      withDb(async (d) => {
        const tx = d.transaction([...STORES], 'readonly');
        const records = await Promise.all(STORES.map((s) => tx.objectStore(s).get(id)));
        await tx.done;
        return records[0] === undefined
          ? null
          : checkRun(id, records as [unknown, unknown, unknown], onProblem);
      }),

    loadListing: (id) =>
      withDb(async (d) => {
        const tx = d.transaction(['runs', 'metrics'], 'readonly');
        const [record, metrics] = await Promise.all([
          tx.objectStore('runs').get(id),
          tx.objectStore('metrics').get(id),
        ]);
        await tx.done;
        return record === undefined
          ? null
          : checkRun(id, [record, metrics, undefined], warnProblem);
      }),
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
    metrics: metrics === undefined ? null : check('metrics', PackedMetricsSchema, metrics),
    snapshot: snapshot === undefined ? null : check('snapshots', SnapshotRecordSchema, snapshot),
  };
}

/**
 * Moves the text of runs written by version 1 out of their configs (run records and snapshots)
 * into `datasets`, in one transaction that also clears the mark: a page closed half-way leaves
 * the mark, and the next open does it again.
 */
async function liftStoredText(db: Db): Promise<void> {
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
