/**
 * Runs a side job (a view of the model for the UI) at most every `minIntervalMs`, and never so
 * often that it takes more than `share` of the time: after a job that took d ms, the next waits at
 * least d·(1 − share)/share ms. Training keeps the rest.
 */
export class Paced {
  #last = Number.NEGATIVE_INFINITY;
  #wait: number;

  constructor(
    private readonly minIntervalMs: number,
    private readonly share = 0.2,
  ) {
    this.#wait = minIntervalMs;
  }

  /** Runs `job` when it is due (or when `force`d). */
  async run(job: () => Promise<void>, force = false): Promise<void> {
    const start = performance.now();
    if (!force && start - this.#last < this.#wait) return;
    this.#last = start;
    await job();
    const took = performance.now() - start;
    this.#wait = Math.max(this.minIntervalMs, (took * (1 - this.share)) / this.share);
  }

  /** Makes the next `run` due at once (e.g. after a change the view should show). */
  reset(): void {
    this.#last = Number.NEGATIVE_INFINITY;
  }
}
