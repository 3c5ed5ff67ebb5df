import type { AvailablePreset, LrChoice, PresetArm, Verdict } from './types';
import type { PresetRun } from './run-preset';
import { parentIndex } from './parents';

/**
 * The claims runner's time budget (engine/presets/README.md, rule 1): a preset runs in full or
 * not at all. Its time is estimated from a few timed steps of each arm; a preset whose estimate
 * does not fit what is left of the budget is reported "not run: needs ~N min", with no verdict.
 * Nothing here scales a step count. TF.js-free.
 */

/** Measured cost of one arm: seconds per training step, and per evaluation. */
export interface ArmCost {
  readonly stepSeconds: number;
  readonly evalSeconds: number;
}

/** Seconds one run (one seed, or one grid point) of an arm takes at its full size. */
export function runSeconds(arm: PresetArm, cost: ArmCost): number {
  const range = arm.measures?.includes('lrRange');
  const steps = range ? (arm.lrRange?.maxSteps ?? arm.config.steps) : arm.config.steps;
  const evals = range
    ? steps / (arm.lrRange?.every ?? 20)
    : Math.ceil(steps / arm.config.metricsEvery);
  return steps * cost.stepSeconds + evals * cost.evalSeconds;
}

/**
 * Runs of an arm besides its grid and seeds: one on the validation split when it is the parent
 * of an arm with a grid and has no grid run of its own to hand over (run-preset.ts).
 */
function extraRuns(preset: AvailablePreset, armIndex: number): number {
  if (preset.arms[armIndex].lrGrid?.length) return 0;
  const gridChild = preset.arms.some(
    (c, k) => parentIndex(preset, k) === armIndex && (c.lrGrid?.length ?? 0) > 0,
  );
  return gridChild ? 1 : 0;
}

/** Wall seconds of a whole preset (grids, seeds, parents' extra runs) over `parallel` workers. */
export function presetSeconds(
  preset: AvailablePreset,
  costs: readonly ArmCost[],
  parallel: number,
): number {
  const work = preset.arms.reduce(
    (s, a, i) =>
      s + ((a.lrGrid?.length ?? 0) + a.seeds + extraRuns(preset, i)) * runSeconds(a, costs[i]),
    0,
  );
  return work / Math.max(1, parallel);
}

export type SuiteRow =
  | {
      readonly status: 'ran';
      readonly preset: AvailablePreset;
      readonly estimateSeconds: number;
      readonly seconds: number;
      readonly verdict: Verdict;
      readonly lrChoice: Readonly<Record<string, LrChoice>>;
    }
  | {
      readonly status: 'not run';
      readonly preset: AvailablePreset;
      readonly estimateSeconds: number;
      readonly needsMinutes: number;
    }
  | {
      readonly status: 'error';
      readonly preset: AvailablePreset;
      readonly estimateSeconds: number;
      readonly seconds: number;
      readonly error: string;
    };

export interface SuiteOptions {
  readonly budgetSeconds: number;
  /** The preset's estimated wall seconds at full size. */
  readonly estimate: (preset: AvailablePreset) => Promise<number>;
  /** Runs the preset in full (engine/presets/run-preset.ts). */
  readonly execute: (preset: AvailablePreset) => Promise<PresetRun>;
  readonly onRow?: (row: SuiteRow) => void;
  /**
   * Presets in flight at once (default 1). With a shared worker pool, a second preset fills the
   * workers a preset leaves idle while its last grid point or seed finishes.
   */
  readonly concurrency?: number;
}

/**
 * Estimates every preset, then runs them cheapest first while each estimate fits what is left
 * (the budget less the time spent and the estimated remainder of the presets in flight); the rest
 * are "not run". Rows come back in the presets' own order.
 */
export async function runSuite(
  presets: readonly AvailablePreset[],
  options: SuiteOptions,
): Promise<SuiteRow[]> {
  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;
  const estimates: number[] = [];
  for (const p of presets) estimates.push(await options.estimate(p));
  const order = presets.map((_, i) => i).sort((a, b) => estimates[a] - estimates[b]);
  const rows: SuiteRow[] = new Array(presets.length);
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
  /** Presets in flight: when each started, and its estimate. */
  const inFlight = new Map<Promise<void>, { readonly start: number; readonly estimate: number }>();
  const finish = (i: number, row: SuiteRow) => {
    rows[i] = row;
    options.onRow?.(row);
  };
  for (const i of order) {
    while (inFlight.size >= concurrency) await Promise.race(inFlight.keys());
    const preset = presets[i];
    const estimateSeconds = estimates[i];
    const now = elapsed();
    let committed = 0;
    for (const f of inFlight.values()) committed += Math.max(0, f.estimate - (now - f.start));
    if (!(estimateSeconds <= options.budgetSeconds - now - committed)) {
      finish(i, {
        status: 'not run',
        preset,
        estimateSeconds,
        needsMinutes: Math.max(1, Math.ceil(estimateSeconds / 60)),
      });
      continue;
    }
    const run = (async () => {
      const start = performance.now();
      const seconds = () => (performance.now() - start) / 1000;
      try {
        const r = await options.execute(preset);
        finish(i, {
          status: 'ran',
          preset,
          estimateSeconds,
          seconds: seconds(),
          verdict: preset.verdict(r.results),
          lrChoice: r.lrChoice,
        });
      } catch (e) {
        finish(i, {
          status: 'error',
          preset,
          estimateSeconds,
          seconds: seconds(),
          error: e instanceof Error ? e.message : String(e),
        });
      }
    })();
    const done = run.then(() => {
      inFlight.delete(done);
    });
    inFlight.set(done, { start: now, estimate: estimateSeconds });
  }
  await Promise.all(inFlight.keys());
  return rows;
}
