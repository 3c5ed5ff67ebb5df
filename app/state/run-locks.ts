/**
 * Which stored runs this tab owns: one exclusive Web Lock per run id, held for as long as the run
 * is on this tab's screen. Only the owner trains and saves a run, so two tabs of the app never
 * write the same run. The browser frees a tab's locks when it closes (or crashes), and a tab
 * waiting for one is then given it. Without the Web Locks API (an insecure origin, an old browser)
 * every claim succeeds: one tab behaves as before.
 */

const PREFIX = 'training-playground:run:';

type Options = { ifAvailable?: boolean; steal?: boolean; signal?: AbortSignal };

export class RunLocks {
  /** Held locks: each one's release. */
  #held = new Map<string, () => void>();
  /** Requests queued behind another tab's lock, so they can be cancelled. */
  #waiting = new Map<string, AbortController>();
  readonly #locks: LockManager | null;

  /** `onLost` is told when another tab takes a lock this tab held (a forced take-over). */
  constructor(
    private readonly onLost: (id: string) => void,
    locks: LockManager | null = typeof navigator !== 'undefined' ? (navigator.locks ?? null) : null,
  ) {
    this.#locks = locks;
  }

  /** Whether tabs are coordinated at all (the Web Locks API is there). */
  get coordinated(): boolean {
    return this.#locks !== null;
  }

  owns(id: string): boolean {
    return this.#locks === null || this.#held.has(id);
  }

  /**
   * Takes the run's lock if no tab holds it; true when this tab owns it (already or now). A lock
   * this tab thinks it holds is checked with the browser first: another tab may have just taken
   * it, and the news of that (a rejected request) may not have arrived yet.
   */
  async claim(id: string): Promise<boolean> {
    if (this.owns(id)) return this.confirm(id);
    if (this.#waiting.has(id)) return false;
    return this.#hold(id, { ifAvailable: true });
  }

  /** Whether the browser says this tab holds the run's lock; a lock found gone counts as lost. */
  async confirm(id: string): Promise<boolean> {
    const locks = this.#locks;
    if (locks === null) return true;
    if (!this.#held.has(id)) return false;
    const me = await this.#clientId();
    if (me === null) return this.#held.has(id);
    const state = await locks.query().catch(() => null);
    const holder = state?.held?.find((l) => l.name === PREFIX + id);
    if (!state || holder?.clientId === me) return this.#held.has(id);
    if (this.#held.has(id)) {
      this.#held.delete(id);
      this.onLost(id);
    }
    return false;
  }

  #me: Promise<string | null> | null = null;

  /** This tab's client id as the lock manager names it (read from a lock of its own). */
  #clientId(): Promise<string | null> {
    const locks = this.#locks;
    if (locks === null) return Promise.resolve(null);
    this.#me ??= new Promise((resolve) => {
      const name = `${PREFIX}tab:${Math.random().toString(36).slice(2)}`;
      locks
        .request(name, async () => {
          const state = await locks.query();
          resolve(state.held?.find((l) => l.name === name)?.clientId ?? null);
        })
        .catch(() => resolve(null));
    });
    return this.#me;
  }

  /** Queues for the run's lock; `granted` runs once this tab has it (its owner let it go). */
  wait(id: string, granted: (id: string) => void): void {
    if (this.#locks === null || this.owns(id) || this.#waiting.has(id)) return;
    const abort = new AbortController();
    this.#waiting.set(id, abort);
    void this.#hold(id, { signal: abort.signal }).then((ok) => {
      if (this.#waiting.get(id) === abort) this.#waiting.delete(id);
      if (ok) granted(id);
    });
  }

  /** Stops waiting for the run's lock (the run was deleted by its owner). */
  cancelWait(id: string): void {
    this.#waiting.get(id)?.abort();
    this.#waiting.delete(id);
  }

  /** Takes the lock from the tab that holds it, which is told (its `onLost`). */
  async steal(id: string): Promise<boolean> {
    this.cancelWait(id);
    if (this.owns(id)) return true;
    return this.#hold(id, { steal: true });
  }

  release(id: string): void {
    this.cancelWait(id);
    const release = this.#held.get(id);
    this.#held.delete(id);
    release?.();
  }

  /** Requests the lock; resolves true once held (kept until `release`), false when not given. */
  #hold(id: string, options: Options): Promise<boolean> {
    const locks = this.#locks;
    if (locks === null) return Promise.resolve(true);
    return new Promise((given) => {
      let release: (() => void) | null = null;
      locks
        .request(PREFIX + id, options, (lock) => {
          if (!lock) return given(false);
          return new Promise<void>((resolve) => {
            release = resolve;
            this.#held.set(id, resolve);
            given(true);
          });
        })
        .catch(() => {
          // Aborted while waiting, or stolen while held: only the latter is a loss.
          given(false);
          if (release !== null && this.#held.get(id) === release) {
            this.#held.delete(id);
            this.onLost(id);
          }
        });
    });
  }
}
