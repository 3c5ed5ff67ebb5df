import {
  findLearningRate,
  type BatchHessianPoint,
  type LrFinderOptions,
  type LrFinderPoint,
  type LrFinderResult,
  type Run,
  type RunEnv,
  type SharpnessMethod,
} from '../engine/index';

/**
 * The diagnostics a user runs on a run, in the run's worker and on its backend: the LR finder
 * (on a copy of the run's state), sharpness every N steps, and on-demand λ_max and the
 * batch-Hessian curve. Measurements read the run and never change its trajectory.
 */

export interface SharpnessSettings {
  /** Measure when the step crosses a multiple of this. */
  readonly every: number;
  /** Hessian-vector products per measurement. */
  readonly iterations: number;
  readonly method?: SharpnessMethod;
  readonly batchSize?: number;
}

export interface SharpnessPoint {
  readonly step: number;
  readonly lambdaMax: number;
  /** The learning rate of the next step, when it was measured. */
  readonly lr: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** λ_max(P⁻¹H) of Adam's preconditioner rather than λ_max(H). */
  readonly preconditioned: boolean;
  /** Time the measurement took. */
  readonly ms: number;
}

/** A measurement as the app receives it. */
function pointOf(m: Awaited<ReturnType<Run['measureSharpness']>>, started: number): SharpnessPoint {
  const { step, lambdaMax, lr, iterations, converged, preconditioned } = m;
  return {
    step,
    lambdaMax,
    lr,
    iterations,
    converged,
    preconditioned,
    ms: performance.now() - started,
  };
}

export type SharpnessListener = (point: SharpnessPoint) => void;
export type LrPointListener = (point: LrFinderPoint, index: number) => void;

/**
 * `current` is the worker's run; `training` says whether its loop is between chunks, in which
 * case on-demand measurements wait for the end of the chunk (they must see one set of weights).
 */
export function createDiagnostics(current: () => Run | null, env: RunEnv, training: () => boolean) {
  /** On-demand measurements waiting for the training loop's next pause between chunks. */
  let waiting: (() => Promise<void>)[] = [];
  function exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (!training()) return work();
    // Served after the current chunk, or as soon as the loop has stopped.
    const poll = (): void => void (training() ? setTimeout(poll, 50) : drain());
    setTimeout(poll, 50);
    return new Promise<T>((resolve, reject) => waiting.push(() => work().then(resolve, reject)));
  }
  async function drain(): Promise<void> {
    const jobs = waiting;
    waiting = [];
    for (const job of jobs) await job();
  }
  let cancelFinder = false;
  let finding = false;
  let settings: SharpnessSettings | null = null;
  let onSharpness: SharpnessListener = () => {};
  /** The step of the last measurement, so each multiple of `every` is measured once. */
  let lastMeasured = -1;

  async function measure(): Promise<SharpnessPoint | null> {
    const run = current();
    if (!run || !settings) return null;
    const started = performance.now();
    const m = await run.measureSharpness({
      iterations: settings.iterations,
      method: settings.method,
      batchSize: settings.batchSize,
      preconditioned: true,
    });
    return pointOf(m, started);
  }

  return {
    /**
     * The step at which the next sharpness point is due (null: none), so the loop ends its chunk
     * there and each point lands on a multiple of `every`.
     */
    nextDue(step: number): number | null {
      if (!settings) return null;
      return (Math.floor(step / settings.every) + 1) * settings.every;
    },
    /** Called by the training loop after each chunk: measures when a multiple of `every` was crossed. */
    async afterChunk(): Promise<void> {
      await drain();
      const run = current();
      if (!run || !settings) return;
      const due = Math.floor(run.step / settings.every);
      if (due === Math.floor(lastMeasured / settings.every) && lastMeasured >= 0) return;
      lastMeasured = run.step;
      const point = await measure();
      if (point) onSharpness(point);
    },
    api: {
      /** Runs the LR finder on a copy of the run's current state; null when there is no run or one is already running. */
      async findLr(
        options: LrFinderOptions,
        onPoint: LrPointListener,
      ): Promise<LrFinderResult | null> {
        const run = current();
        if (!run || finding) return null;
        finding = true;
        cancelFinder = false;
        try {
          const snapshot = await run.snapshot();
          return await findLearningRate(run.config, snapshot, options, env, {
            onPoint,
            cancelled: () => cancelFinder,
          });
        } finally {
          finding = false;
        }
      },
      cancelLr(): void {
        cancelFinder = true;
      },
      /** Sharpness every `every` steps while training (null: off); the first point comes now. */
      async setSharpness(
        next: SharpnessSettings | null,
        listener: SharpnessListener,
      ): Promise<void> {
        settings = next && next.every >= 1 && next.iterations >= 1 ? next : null;
        onSharpness = listener;
        lastMeasured = -1;
        await exclusive(async () => {
          const run = current();
          if (!settings || !run || lastMeasured >= 0) return;
          lastMeasured = run.step;
          const point = await measure();
          if (point) onSharpness(point);
        });
      },
      /** λ_max at the current step, on demand. */
      sharpnessNow(options: {
        iterations: number;
        method?: SharpnessMethod;
      }): Promise<SharpnessPoint | null> {
        return exclusive(async () => {
          const run = current();
          if (!run) return null;
          const started = performance.now();
          return pointOf(await run.measureSharpness({ ...options, preconditioned: true }), started);
        });
      },
      /** λ_max against batch size for the current weights. */
      batchHessian(
        batchSizes: readonly number[],
        iterations: number,
      ): Promise<{ step: number; points: BatchHessianPoint[] } | null> {
        return exclusive(async () => {
          const run = current();
          if (!run) return null;
          return {
            step: run.step,
            points: await run.batchHessian(batchSizes, { iterations, batches: 2 }),
          };
        });
      },
    },
  };
}
