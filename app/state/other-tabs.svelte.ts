import { MetricSeries } from './metric-series';
import type { LoadedRun, RunStore } from './persistence';
import type { Ownership, Persister } from './persister.svelte';
import { RunLocks } from './run-locks';
import type { RunsStore } from './runs.svelte';
import { addStored } from './save-share';
import type { StoredRun } from './stored-run';

/**
 * A stored run that another tab of the app owns: shown read-only, from storage (listed, and drawn
 * on the charts: app/state/chart-runs.ts).
 */
export interface OtherTabRun {
  readonly run: StoredRun;
  /** Its curves as last saved; replaced (not grown) at each save. */
  readonly series: MetricSeries;
  /** Whether its step grew since the save before (its owner is training it). */
  readonly training: boolean;
  /** Set while this tab asks for it. */
  readonly takingOver: boolean;
}

/** What tabs tell each other on the channel. */
type TabMessage =
  | { kind: 'saved'; id: string }
  | { kind: 'deleted'; id: string }
  | { kind: 'take-over'; id: string };

const CHANNEL = 'training-playground:runs';
/** How long the owner has to save and let go of a run before it is taken from it. */
export const HAND_OVER_WITHIN_MS = 5000;

function isMessage(x: unknown): x is TabMessage {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as Record<string, unknown>;
  return typeof m.id === 'string' && ['saved', 'deleted', 'take-over'].includes(String(m.kind));
}

/**
 * Two or more tabs of the app at once (one origin, one IndexedDB): each run is trained and saved by
 * the one tab that holds its lock (app/state/run-locks.ts). The other tabs list it as "open in
 * another tab" and draw it on their charts, refreshed from storage whenever its owner saves it
 * (told on a BroadcastChannel), with a "take over" action: the owner saves it and lets go, or has
 * it taken after HAND_OVER_WITHIN_MS. When the owner closes, its runs come to a tab that shows
 * them.
 */
export class OtherTabs implements Ownership {
  runs = $state.raw<readonly OtherTabRun[]>([]);
  readonly #locks: RunLocks;
  readonly #channel: BroadcastChannel | null;
  /** Runs whose record is being read, so one save's news is read once. */
  #reading = new Set<string>();
  persister: Persister | null = null;

  constructor(
    private readonly db: RunStore,
    private readonly store: RunsStore,
    locks?: LockManager | null,
  ) {
    this.#locks = new RunLocks((id) => void this.#lost(id), locks);
    this.#channel =
      this.#locks.coordinated && typeof BroadcastChannel !== 'undefined'
        ? new BroadcastChannel(CHANNEL)
        : null;
    this.#channel?.addEventListener('message', (e: MessageEvent<unknown>) => {
      if (isMessage(e.data)) void this.#heard(e.data);
    });
  }

  claim(id: string): Promise<boolean> {
    return this.#locks.claim(id);
  }

  elsewhere(loaded: LoadedRun): void {
    this.#show(loaded);
  }

  saved(id: string): void {
    this.#post({ kind: 'saved', id });
  }

  deleted(id: string): void {
    this.#locks.release(id);
    this.#post({ kind: 'deleted', id });
  }

  /** Asks the owner for the run; takes it after HAND_OVER_WITHIN_MS if the owner does not answer. */
  async takeOver(id: string): Promise<void> {
    if (!this.runs.some((r) => r.run.id === id)) return;
    this.runs = this.runs.map((r) => (r.run.id === id ? { ...r, takingOver: true } : r));
    this.#post({ kind: 'take-over', id });
    await new Promise((resolve) => setTimeout(resolve, HAND_OVER_WITHIN_MS));
    if (this.runs.some((r) => r.run.id === id) && (await this.#locks.steal(id)))
      await this.#granted(id);
  }

  close(): void {
    this.#channel?.close();
  }

  #post(message: TabMessage): void {
    this.#channel?.postMessage(message);
  }

  async #heard(message: TabMessage): Promise<void> {
    const { id } = message;
    if (message.kind === 'deleted') {
      this.#locks.cancelWait(id);
      this.runs = this.runs.filter((r) => r.run.id !== id);
    } else if (message.kind === 'take-over') {
      const run = this.store.runs.find((r) => r.id === id);
      if (!run || !(await this.#locks.confirm(id))) return;
      await this.persister?.handOver(run);
      // Stolen while it was being saved (this tab was too slow to answer): #lost dealt with it.
      if (!this.store.runs.includes(run)) return;
      this.store.detach(run);
      this.#locks.release(id);
      const loaded = await this.db.loadListing(id);
      if (loaded) this.#show(loaded);
    } else if (!this.#locks.owns(id) && !this.#reading.has(id)) {
      // A run saved by its owner: shown here, or its line brought up to date.
      this.#reading.add(id);
      try {
        const loaded = await this.db.loadListing(id);
        if (loaded && !this.#locks.owns(id)) this.#show(loaded);
      } finally {
        this.#reading.delete(id);
      }
    }
  }

  /** Lists (or refreshes) a run owned elsewhere, queued for its lock. */
  #show({ run, metrics }: LoadedRun): void {
    const old = this.runs.find((r) => r.run.id === run.id);
    const series = metrics ? MetricSeries.fromStored(metrics) : new MetricSeries();
    const training = old !== undefined && run.step > old.run.step;
    const entry = { run, series, training, takingOver: old?.takingOver ?? false };
    this.runs = old
      ? this.runs.map((r) => (r === old ? entry : r))
      : [...this.runs, entry].sort((a, b) => a.run.createdAt - b.run.createdAt);
    this.#locks.wait(run.id, (granted) => void this.#granted(granted));
  }

  /** The run's lock came to this tab (its owner closed, let it go, or deleted it): open it. */
  async #granted(id: string): Promise<void> {
    const loaded = await this.db.loadRun(id);
    this.runs = this.runs.filter((r) => r.run.id !== id);
    if (!loaded || this.store.runs.some((r) => r.id === id)) {
      if (!loaded) this.#locks.release(id);
      return;
    }
    addStored(this.store, loaded.run, loaded.metrics, loaded.snapshot);
  }

  /** Another tab took a run from this one: it leaves the screen (not storage) and is listed. */
  async #lost(id: string): Promise<void> {
    const run = this.store.runs.find((r) => r.id === id);
    if (run) this.store.detach(run);
    const loaded = await this.db.loadListing(id);
    if (loaded) this.#show(loaded);
  }
}
