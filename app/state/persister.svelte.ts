import type { RunStore, WriteResult } from './persistence';
import type { RunHandle } from './run-handle.svelte';
import type { RunsStore } from './runs.svelte';
import { addStored, storedRun } from './save-share';
import { settleWithin } from './worker-call';

const SAVE_EVERY_MS = 2000;
/** A training run's snapshot is refreshed this often; paused and finished runs are saved once. */
const SNAPSHOT_EVERY_MS = 10_000;
/** One run's save gives up after this long, so a stuck write or worker never stops the others. */
const SAVE_WITHIN_MS = 60_000;

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

  constructor(
    private readonly db: RunStore,
    private readonly store: RunsStore,
  ) {}

  /** Puts the stored runs back on screen, paused at their snapshots. Returns how many. */
  async restore(): Promise<number> {
    const problems: string[] = [];
    const loaded = await this.db.loadRuns((p) =>
      problems.push(`${p.store} of ${p.id}: ${p.message}`),
    );
    for (const { run, metrics, snapshot } of loaded) addStored(this.store, run, metrics, snapshot);
    if (problems.length > 0)
      this.problem = `Some saved data could not be read and was left out (${problems.slice(0, 2).join('; ')}).`;
    return loaded.length;
  }

  start(): void {
    this.#timer ??= setInterval(() => void this.flush(), SAVE_EVERY_MS);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  async forget(run: RunHandle): Promise<void> {
    this.#gone.add(run.id);
    this.#saved.delete(run.id);
    this.#report(await this.db.deleteRun(run.id));
  }

  /** Saves whatever changed since the last flush. */
  async flush(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      for (const run of this.store.runs) {
        if (this.#gone.has(run.id)) continue;
        try {
          await settleWithin(this.#save(run), `saving ${run.id}`, undefined, SAVE_WITHIN_MS);
        } catch {
          // That run's worker ended or did not answer: its settings and metrics are saved, its
          // snapshot stays the last one stored. The other runs are still saved.
        }
        // Dropped while it was being saved: take the save back.
        if (this.#gone.has(run.id)) await this.db.deleteRun(run.id);
      }
    } finally {
      this.#busy = false;
    }
  }

  async #save(run: RunHandle): Promise<void> {
    const now = Date.now();
    const prev = this.#saved.get(run.id) ?? {
      run: '',
      revision: -1,
      snapshotStep: -1,
      snapshotAt: 0,
    };
    const record = storedRun(run, this.store.labelOf(run));
    const key = JSON.stringify(record);
    const next = { ...prev };
    if (key !== prev.run) {
      if (!this.#report(await this.db.saveRun(record))) return;
      next.run = key;
    }
    const revision = run.revision; // read before the write: chunks may arrive while it runs
    if (revision !== prev.revision) {
      if (!this.#report(await this.db.saveMetrics(run.id, run.series.toStored()))) return;
      next.revision = revision;
    }
    const due = run.status === 'running' ? now - prev.snapshotAt > SNAPSHOT_EVERY_MS : true;
    if (run.step > 0 && run.step !== prev.snapshotStep && due) {
      const snapshot = await run.snapshot();
      if (snapshot && this.#report(await this.db.saveSnapshot(run.id, snapshot))) {
        next.snapshotStep = snapshot.step;
        next.snapshotAt = now;
      }
    }
    this.#saved.set(run.id, next);
  }

  #report(result: WriteResult): boolean {
    if (result.ok) {
      if (this.problem?.startsWith('Saving')) this.problem = null;
      return true;
    }
    this.problem = `Saving failed: ${result.message} Runs saved earlier are kept.`;
    return false;
  }
}
