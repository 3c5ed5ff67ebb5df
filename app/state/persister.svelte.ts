import type { LoadedRun, RunState, RunStore, WriteResult } from './persistence';
import type { RunHandle } from './run-handle.svelte';
import type { RunsStore } from './runs.svelte';
import { addStored, storedRun } from './save-share';
import { askToPersist } from './storage-use';
import { settleWithin } from './worker-call';

const SAVE_EVERY_MS = 2000;
/** A training run's snapshot is refreshed this often; paused and finished runs are saved once. */
const SNAPSHOT_EVERY_MS = 10_000;
/** One run's save gives up after this long, so a stuck write or worker never stops the others. */
const SAVE_WITHIN_MS = 60_000;
/** Shown when the database was deleted under the page (site data cleared) and made anew. */
const RECREATED =
  "This site's saved data was deleted (cleared in the browser's settings, or by the browser): runs saved before then are gone from storage. The runs open in this tab are being saved again.";

/**
 * Which tab trains and saves which run (app/state/other-tabs.svelte.ts). Only runs this tab owns
 * are written; the one-tab default owns them all.
 */
export interface Ownership {
  /** True when this tab owns the run (taking it if no tab does). */
  claim(id: string): Promise<boolean>;
  /** A stored run another tab owns, met on restore. */
  elsewhere(loaded: LoadedRun): void;
  /** The run was written (other tabs may show it). */
  saved(id: string): void;
  /** The run was deleted from storage (its lock can go). */
  deleted(id: string): void;
}

const ONE_TAB: Ownership = {
  claim: () => Promise.resolve(true),
  elsewhere: () => undefined,
  saved: () => undefined,
  deleted: () => undefined,
};

interface Saved {
  run: string;
  revision: number;
  snapshotStep: number;
  snapshotAt: number;
}

/**
 * Keeps IndexedDB in step with the runs on screen: their settings, metrics and latest snapshot,
 * so a reload or a browser restart loses nothing and paused runs resume from where they were.
 * Polls every two seconds rather than writing on every chunk.
 */
export class Persister {
  #saved = new Map<string, Saved>();
  /** Runs dropped from the screen; a save already under way for one is undone when it ends. */
  #gone = new Set<string>();
  #timer: ReturnType<typeof setInterval> | null = null;
  #busy = false;
  /** The last failed write (storage full), for the UI; cleared by the next good save. */
  problem = $state<string | null>(null);
  /** Set after the first successful write: storage is asked to be persistent once. */
  #askedToPersist = false;
  /** Counts the times the database was found deleted and made anew (what was saved is gone). */
  #generation = 0;

  constructor(
    private readonly db: RunStore,
    private readonly store: RunsStore,
    private readonly ownership: Ownership = ONE_TAB,
  ) {
    db.onRecreated(() => {
      this.#generation++;
      this.#saved.clear();
      this.problem = RECREATED;
    });
  }

  /** Puts the stored runs back on screen, paused at their snapshots. Returns how many. */
  async restore(): Promise<number> {
    const problems: string[] = [];
    const loaded = await this.db.loadRuns((p) =>
      problems.push(`${p.store} of ${p.id}: ${p.message}`),
    );
    for (const item of loaded) {
      if (await this.ownership.claim(item.run.id))
        addStored(this.store, item.run, item.metrics, item.snapshot);
      else this.ownership.elsewhere(item);
    }
    if (problems.length > 0)
      this.problem = `Some saved data could not be read and was left out (${problems.slice(0, 2).join('; ')}).`;
    return loaded.length;
  }

  start(): void {
    this.#timer ??= setInterval(() => void this.flush(), SAVE_EVERY_MS);
    addEventListener('pagehide', this.#leaving);
    document.addEventListener('visibilitychange', this.#leaving);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    removeEventListener('pagehide', this.#leaving);
    document.removeEventListener('visibilitychange', this.#leaving);
  }

  /**
   * The tab is hidden or being left (a reload, a close, a switch to another tab): every run is
   * saved now with a fresh snapshot, rather than at the next round, so what comes back is its
   * latest state where the browser lets the write finish.
   */
  #leaving = (e: Event): void => {
    if (e.type === 'visibilitychange' && document.visibilityState !== 'hidden') return;
    void this.flush(true);
  };

  async forget(run: RunHandle): Promise<void> {
    this.#gone.add(run.id);
    this.#saved.delete(run.id);
    // Another tab's run (the same id there) is not this tab's to delete.
    if (!(await this.ownership.claim(run.id))) return;
    this.#report(await this.db.deleteRun(run.id));
    this.ownership.deleted(run.id);
  }

  /**
   * Saves `run` now with a fresh snapshot (another tab takes it over) and stops tracking it, so
   * a later flush does not write it; whether the save succeeded.
   */
  async handOver(run: RunHandle): Promise<boolean> {
    let ok = false;
    try {
      ok = await settleWithin(this.#save(run, true), `saving ${run.id}`, undefined, SAVE_WITHIN_MS);
    } catch {
      // Its worker ended: what was stored last is what the other tab gets.
    }
    this.#saved.delete(run.id);
    return ok;
  }

  /**
   * Every run saved now with a fresh snapshot, once a save under way has ended: the page is about
   * to reload (a new version of the app takes over).
   */
  async saveAll(): Promise<void> {
    while (this.#busy) await new Promise((resolve) => setTimeout(resolve, 50));
    await this.flush(true);
  }

  /** Saves whatever changed since the last flush; `force` takes every snapshot, due or not. */
  async flush(force = false): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const generation = this.#generation;
      await this.#saveAll(force);
      // The database was deleted under the page during that round: every run on screen is
      // written again, whole, into the new one.
      if (this.#generation !== generation) await this.#saveAll(true);
    } finally {
      this.#busy = false;
    }
  }

  /** One round over the runs on screen, each saved on its own. */
  async #saveAll(force: boolean): Promise<void> {
    for (const run of this.store.runs) {
      if (this.#gone.has(run.id)) continue;
      try {
        await settleWithin(this.#save(run, force), `saving ${run.id}`, undefined, SAVE_WITHIN_MS);
      } catch {
        // That run's worker ended or did not answer: its settings and metrics are saved, its
        // snapshot stays the last one stored. The other runs are still saved.
      }
      // Dropped while it was being saved: take the save back.
      if (this.#gone.has(run.id)) await this.db.deleteRun(run.id);
    }
  }

  /**
   * Writes what changed of one run, in one transaction (its record, metrics and a snapshot when
   * one is due), so storage never holds the weights of one save with the curves of another.
   * `force` takes a snapshot whatever its age. Whether it is stored as it is now.
   */
  async #save(run: RunHandle, force = false): Promise<boolean> {
    if (!(await this.ownership.claim(run.id))) return false;
    const generation = this.#generation;
    const now = Date.now();
    const prev = this.#saved.get(run.id) ?? {
      run: '',
      revision: -1,
      snapshotStep: -1,
      snapshotAt: 0,
    };
    const record = storedRun(run, this.store.labelOf(run));
    const key = JSON.stringify(record);
    const revision = run.revision; // read before the write: chunks may arrive while it runs
    const due = force || run.status !== 'running' || now - prev.snapshotAt > SNAPSHOT_EVERY_MS;
    // A worker that ended gives no snapshot: the record and metrics are saved all the same.
    const snapshot =
      run.step > 0 && run.step !== prev.snapshotStep && due
        ? await run.snapshot().catch(() => null)
        : null;
    if (key === prev.run && revision === prev.revision && !snapshot) return true;
    const state: RunState = { run: record };
    if (revision !== prev.revision || snapshot) state.metrics = run.series.toStored();
    if (snapshot) state.snapshot = snapshot;
    // Asked again: the run may have gone to another tab while its snapshot was on the way.
    if (!(await this.ownership.claim(run.id))) return false;
    if (!this.#report(await this.db.saveState(state))) return false;
    // The database was made anew during this write: only part of the run may be in it.
    if (this.#generation !== generation) return false;
    this.#saved.set(run.id, {
      run: key,
      revision,
      snapshotStep: snapshot?.step ?? prev.snapshotStep,
      snapshotAt: snapshot ? now : prev.snapshotAt,
    });
    this.ownership.saved(run.id);
    if (!this.#askedToPersist) {
      this.#askedToPersist = true;
      void askToPersist();
    }
    return true;
  }

  #report(result: WriteResult): boolean {
    if (result.ok) {
      if (this.problem?.startsWith('Saving')) this.problem = null;
      return true;
    }
    // Said only when it is known: a failed transaction changes nothing, a closed database may be gone.
    const kept = result.kept && !result.quota ? ' Runs saved earlier are kept.' : '';
    this.problem = `Saving failed: ${result.message}${kept} This tab goes on training.`;
    return false;
  }
}
