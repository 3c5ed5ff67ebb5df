/**
 * When a run evaluates: the one rule for both training paths (TF.js kernels and the fused loops).
 * A chunk is evaluated while the time spent evaluating so far is at most `budget` times the time
 * spent training; the first chunk (so a chart starts at once) and the run's last step are always
 * evaluated. Infinity, the engine's default, evaluates every chunk: the presets and the claims
 * runner read the metrics at every chunk. The app asks for 0.1 (workers/protocol.ts), so an app run
 * trains at least ~90% of its time. Evaluation never changes training (no random draws, no
 * running statistics), so the budget moves only which rows carry test metrics, never the weights.
 */
export class EvalBudget {
  #train = 0;
  #evaluation = 0;

  constructor(private readonly budget = Number.POSITIVE_INFINITY) {}

  /** Whether it ever skips a chunk (then training and evaluation are timed apart). */
  get finite(): boolean {
    return Number.isFinite(this.budget);
  }

  /** Whether the chunk that ends at this point is evaluated. */
  due(lastStep: boolean): boolean {
    if (lastStep || !this.finite) return true;
    return this.#evaluation <= this.budget * this.#train;
  }

  trained(ms: number): void {
    this.#train += ms;
  }

  evaluated(ms: number): void {
    this.#evaluation += ms;
  }
}
