import { stabilityThreshold, type RunConfig } from '../../engine/tf-free';
import type { LrFinderPoint, LrFinderResult } from '../../engine/index';
import type { SharpnessPoint } from '../../workers/diagnostics';
import type { CriticalBatchRecord, DiagnosticsRecord, SharpnessRecord } from './diagnostics-record';
import type { RunHandle } from './run-handle.svelte';

/**
 * The diagnostics' state on the page: per run (sharpness, on-demand λ_max, batch-Hessian curve,
 * sweep membership) and per config (the LR finder's result, kept until the config changes).
 */

/** Sharpness measurement settings of one run. */
export interface SharpnessChoice {
  readonly enabled: boolean;
  readonly every: number;
  readonly iterations: number;
}

/** Models up to this many parameters measure sharpness by default; bigger ones start with it off. */
export const SHARPNESS_DEFAULT_MAX_PARAMS = 20_000;

export function defaultSharpness(paramCount: number | null): SharpnessChoice {
  return {
    enabled: paramCount !== null && paramCount <= SHARPNESS_DEFAULT_MAX_PARAMS,
    every: 100,
    iterations: 10,
  };
}

export class RunDiagnostics {
  choice = $state.raw<SharpnessChoice | null>(null);
  sharpness = $state.raw<readonly SharpnessRecord[]>([]);
  now = $state.raw<SharpnessRecord | null>(null);
  batchCurve = $state.raw<DiagnosticsRecord['batchHessian'] | null>(null);
  criticalBatch = $state.raw<CriticalBatchRecord | null>(null);
  busy = $state<string | null>(null);
  #run: RunHandle;

  constructor(run: RunHandle) {
    this.#run = run;
  }

  #record(p: SharpnessPoint): SharpnessRecord {
    const t = stabilityThreshold(this.#run.config.optimizer, p.lr, p.preconditioned);
    return { ...p, threshold: t ? t.value : null };
  }

  /** Sends the settings to the worker; points arrive as the run trains. */
  async apply(choice: SharpnessChoice): Promise<void> {
    this.choice = choice;
    const settings = choice.enabled ? { every: choice.every, iterations: choice.iterations } : null;
    await this.#run.setSharpness(settings, (p) => {
      if (this.sharpness.some((q) => q.step === p.step)) return;
      this.sharpness = [...this.sharpness, this.#record(p)].sort((a, b) => a.step - b.step);
    });
  }

  async measureNow(iterations: number): Promise<void> {
    this.busy = 'now';
    try {
      const p = await this.#run.sharpnessNow(iterations);
      if (p) this.now = this.#record(p);
    } finally {
      this.busy = null;
    }
  }

  async measureBatchCurve(batchSizes: readonly number[], iterations: number): Promise<void> {
    this.busy = 'batch';
    try {
      const r = await this.#run.batchHessian(batchSizes, iterations);
      if (r)
        this.batchCurve = {
          step: r.step,
          points: r.points.map((p) => ({
            batchSize: p.batchSize,
            mean: p.mean,
            values: [...p.values],
          })),
        };
    } finally {
      this.busy = null;
    }
  }

  /** The record exported with the run. */
  toRecord(lr: LrFinderResult | null): DiagnosticsRecord {
    return {
      ...(lr
        ? {
            lrFinder: {
              fromStep: lr.fromStep,
              suggested: lr.suggested,
              divergedAt: lr.divergedAt,
              wallMs: lr.wallMs,
              points: [...lr.points],
            },
          }
        : {}),
      ...(this.sharpness.length > 0 ? { sharpness: [...this.sharpness] } : {}),
      ...(this.now ? { sharpnessNow: this.now } : {}),
      ...(this.batchCurve ? { batchHessian: this.batchCurve } : {}),
      ...(this.criticalBatch ? { criticalBatch: this.criticalBatch } : {}),
    };
  }

  /** Takes back what an imported file recorded (the LR finder's part goes to `lrFinder`). */
  restore(record: DiagnosticsRecord): void {
    if (record.sharpness) this.sharpness = record.sharpness;
    if (record.sharpnessNow) this.now = record.sharpnessNow;
    if (record.batchHessian) this.batchCurve = record.batchHessian;
    if (record.criticalBatch) this.criticalBatch = record.criticalBatch;
  }
}

const perRun = new Map<string, RunDiagnostics>();

export function diagnosticsOf(run: RunHandle): RunDiagnostics {
  let d = perRun.get(run.id);
  if (!d) {
    d = new RunDiagnostics(run);
    perRun.set(run.id, d);
  }
  return d;
}

/** Forgets the runs that left the page. */
export function pruneDiagnostics(onPage: ReadonlySet<string>): void {
  for (const id of perRun.keys()) if (!onPage.has(id)) perRun.delete(id);
}

/** The config the LR finder's result belongs to: everything but the learning rate it suggests. */
export function finderKey(config: RunConfig): string {
  return JSON.stringify({ ...config, optimizer: { ...config.optimizer, lr: null } });
}

/** The LR finder: at most one at a time on the page; results remembered per config. */
export class LrFinderState {
  running = $state(false);
  runId = $state<string | null>(null);
  key = $state<string | null>(null);
  points = $state.raw<readonly LrFinderPoint[]>([]);
  error = $state<string | null>(null);
  #results = $state.raw<ReadonlyMap<string, LrFinderResult>>(new Map());
  #run: RunHandle | null = null;

  resultFor(config: RunConfig): LrFinderResult | null {
    return this.#results.get(finderKey(config)) ?? null;
  }

  /** The result recorded for a run's config (for export). */
  resultOfRun(run: RunHandle): LrFinderResult | null {
    return this.resultFor(run.config);
  }

  remember(config: RunConfig, result: LrFinderResult): void {
    this.#results = new Map([...this.#results, [finderKey(config), result]]);
  }

  async start(
    run: RunHandle,
    options: { points?: number; stepsPerPoint?: number } = {},
  ): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.error = null;
    this.points = [];
    this.runId = run.id;
    this.#run = run;
    const key = finderKey(run.config);
    this.key = key;
    try {
      const result = await run.findLr(options, (p) => {
        this.points = [...this.points, p];
      });
      if (result && !result.cancelled) this.#results = new Map([...this.#results, [key, result]]);
      else if (!result) this.error = 'The LR finder could not start: the run is not ready yet.';
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    } finally {
      this.running = false;
      this.#run = null;
    }
  }

  cancel(): void {
    void this.#run?.cancelLr();
  }
}

export const lrFinder = new LrFinderState();
