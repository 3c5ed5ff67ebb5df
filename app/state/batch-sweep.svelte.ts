import {
  estimateCriticalBatch,
  fitPowerLaw,
  stepsToTarget,
  type CriticalBatchEstimate,
  type PowerLawFit,
  type RunConfig,
} from '../../engine/tf-free';
import { diagnosticsOf } from './diagnostics.svelte';
import type { RunHandle } from './run-handle.svelte';
import type { RunsStore } from './runs.svelte';

/**
 * The critical-batch sweep: one run per batch size from the same config, each trained until its
 * loss on the whole training set reaches the target (then paused), and S(B) = S_min + k/B fitted
 * to the steps it took. The runs are ordinary runs, so they appear in the comparison.
 */

export interface SweepRow {
  readonly run: RunHandle;
  readonly batchSize: number;
  /** Steps to the target; null while not reached. */
  readonly steps: number | null;
}

/** Batch sizes around `b`: b/4 … 4b, kept within [1, limit]. */
export function sweepSizes(b: number, limit: number): number[] {
  const sizes = [b / 4, b / 2, b, b * 2, b * 4].map((x) =>
    Math.max(1, Math.min(limit, Math.round(x))),
  );
  return [...new Set(sizes)];
}

export class BatchSweep {
  readonly id = `sweep-${Date.now().toString(36)}`;
  readonly target: number;
  readonly runs: readonly RunHandle[];

  constructor(store: RunsStore, base: RunConfig, target: number, batchSizes: readonly number[]) {
    this.target = target;
    this.runs = batchSizes.map((b) => store.add({ ...base, batchSize: b }));
    for (const r of this.runs) store.play(r);
  }

  /** Steps to the target of each run (read `revision`s of the runs to track them). */
  rows(): SweepRow[] {
    return this.runs.map((run) => ({
      run,
      batchSize: run.config.batchSize,
      steps: stepsToTarget(run.series.evalSteps, run.series.trainLoss, this.target),
    }));
  }

  /** The fit once two batch sizes reached the target. */
  fit(rows: readonly SweepRow[]): CriticalBatchEstimate | null {
    const done = rows.filter((r) => r.steps !== null);
    if (new Set(done.map((r) => r.batchSize)).size < 2) return null;
    return estimateCriticalBatch(
      done.map((r) => r.batchSize),
      done.map((r) => r.steps as number),
    );
  }

  /** Pauses runs that reached the target and records each run's part with its diagnostics. */
  update(store: RunsStore, rows: readonly SweepRow[], fit: CriticalBatchEstimate | null): void {
    for (const row of rows) {
      if (row.steps !== null && row.run.wantsToRun) store.pause(row.run);
      const record = {
        sweep: this.id,
        target: this.target,
        batchSize: row.batchSize,
        stepsToTarget: row.steps,
        ...(fit
          ? {
              fit: {
                bCrit: fit.bCrit,
                lo: fit.lo,
                hi: fit.hi,
                level: fit.level,
                sMin: fit.sMin,
                k: fit.k,
              },
            }
          : {}),
      };
      const d = diagnosticsOf(row.run);
      if (JSON.stringify(d.criticalBatch) !== JSON.stringify(record)) d.criticalBatch = record;
    }
  }
}

export interface SizePoint {
  readonly params: number;
  readonly loss: number;
  readonly label: string;
}

/**
 * Loss against parameter count across the runs on the page that learn the same data: the lowest
 * latest training loss at each size, and L(N) = (N_c/N)^α fitted when three sizes or more exist.
 */
export function lossVsParams(
  runs: readonly RunHandle[],
  dataKind: string,
  labelOf: (r: RunHandle) => string,
): { points: SizePoint[]; fit: PowerLawFit | null } {
  const best = new Map<number, SizePoint>();
  for (const r of runs) {
    const n = r.paramCount;
    const loss = r.series.latest(r.series.trainLoss);
    if (r.config.data.kind !== dataKind || n === null || !(loss > 0)) continue;
    const seen = best.get(n);
    if (!seen || loss < seen.loss) best.set(n, { params: n, loss, label: labelOf(r) });
  }
  const points = [...best.values()].sort((a, b) => a.params - b.params);
  return {
    points,
    fit:
      points.length >= 3
        ? fitPowerLaw(
            points.map((p) => p.params),
            points.map((p) => p.loss),
          )
        : null,
  };
}
