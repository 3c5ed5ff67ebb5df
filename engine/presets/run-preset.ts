import { armConfig } from './arm-config';
import { armResult } from './arm-result';
import { lrRangeTest } from '../diagnostics/lr-range-test';
import { createRun } from '../run';
import { WIDTH_FRACTIONS, widthExtras } from '../models/sorted-schema';
import type { RunEnv } from '../tasks/task';
import { chooseFactor, lrOf, withLrFactor } from './lr-grid';
import type { ArmResult, AvailablePreset, LrChoice, PresetArm, PresetResults } from './types';

/**
 * Runs a preset in full (engine/presets/README.md): never scaled to a budget. First each arm's LR
 * grid on the validation split (seed 0), then every seed at the chosen rate on the test split.
 */

/** One run of one arm: which seed, at which LR factor, held out on which split. */
export interface ArmJob {
  readonly presetId: string;
  readonly armIndex: number;
  readonly seedIndex: number;
  readonly lrFactor: number;
  readonly heldOut: 'test' | 'validation';
}

/** Runs a job: in this thread by default, or in a worker process (scripts/claims.ts). */
export type ArmExecutor = (job: ArmJob, arm: PresetArm) => Promise<ArmResult>;

export interface RunPresetOptions {
  /** At most this many jobs run at once (use the executor's worker count). Default 1. */
  readonly parallel?: number;
  readonly exec?: ArmExecutor;
  /** Called after each seed of each arm finishes (grid runs excluded). */
  readonly onArm?: (result: ArmResult) => void;
}

export interface PresetRun {
  readonly results: PresetResults;
  /** By arm label, for the arms that have an LR grid. */
  readonly lrChoice: Readonly<Record<string, LrChoice>>;
}

/** The config an arm runs at a seed offset (and, in the gallery's quick look only, a step scale). */
export { armConfig };

/** Trains one seed of one arm (or runs its LR range test) and collects its curves and extras. */
export async function runArm(
  arm: PresetArm,
  seedIndex: number,
  env: RunEnv,
  lrFactor = 1,
): Promise<ArmResult> {
  const t0 = performance.now();
  const config = withLrFactor(armConfig(arm, seedIndex), lrFactor);
  const measures = arm.measures ?? [];
  if (measures.includes('lrRange')) {
    const opts = arm.lrRange ?? { start: 1e-4 };
    const r = await lrRangeTest(
      config,
      { ...opts, maxSteps: opts.maxSteps ?? arm.config.steps },
      env,
    );
    const curves = {
      loss: r.loss,
      evalSteps: [],
      testLoss: [],
      testAccuracy: [],
      trainLoss: r.loss,
    };
    const extra = { etaMax: r.etaMax, etaBest: r.etaBest };
    return armResult(arm.label, config.seed, curves, extra, performance.now() - t0);
  }
  const run = await createRun(config, env);
  const loss: number[] = [];
  const evalSteps: number[] = [];
  const testLoss: number[] = [];
  const testAccuracy: number[] = [];
  const trainLoss: number[] = [];
  const extra: Record<string, number> = {};
  try {
    while (run.step < config.steps) {
      const chunk = await run.train(Math.min(config.metricsEvery, config.steps - run.step));
      loss.push(...chunk.columns.loss);
      const last = chunk.rows - 1;
      evalSteps.push(run.step);
      testLoss.push(chunk.columns.testLoss[last]);
      testAccuracy.push(chunk.columns.testAccuracy[last]);
      trainLoss.push(chunk.columns.trainLoss[last]);
      // A diverged run stops: its NaNs are its result.
      if (!Number.isFinite(chunk.columns.loss[last])) break;
    }
    if (measures.includes('paramCount')) extra.params = run.paramCount;
    if (measures.includes('widths'))
      Object.assign(extra, widthExtras(await run.evaluateWidths(WIDTH_FRACTIONS)));
    if (measures.includes('memory')) {
      const m = run.sizeReport().memory;
      extra.activationBytes = m.activationBytes;
      extra.storedActivationBytes = m.storedActivationBytes;
      extra.measuredBackwardBytes = run.measureBackwardBytes();
    }
    if (measures.includes('expertLoad')) {
      const view = (await run.views()).find((v) => v.kind === 'expert-load');
      if (view && view.kind === 'expert-load') {
        extra.maxLoad = Math.max(...view.load.map((layer) => Math.max(...layer)));
        extra.specialization = view.specialization ?? Number.NaN;
      }
    }
  } finally {
    run.dispose();
  }
  const curves = { loss, evalSteps, testLoss, testAccuracy, trainLoss };
  return armResult(arm.label, config.seed, curves, extra, performance.now() - t0);
}

/** Runs `tasks` with at most `limit` in flight; results in task order. */
async function pool<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, lane));
  return out;
}

/** The jobs a preset runs for its LR grids (phase 1) and its seeds given the chosen factors. */
export function gridJobs(preset: AvailablePreset): ArmJob[] {
  return preset.arms.flatMap((a, armIndex) =>
    (a.lrGrid ?? []).map((lrFactor) => ({
      presetId: preset.id,
      armIndex,
      seedIndex: 0,
      lrFactor,
      heldOut: 'validation' as const,
    })),
  );
}

export function seedJobs(preset: AvailablePreset, factors: readonly number[]): ArmJob[] {
  return preset.arms.flatMap((a, armIndex) =>
    Array.from({ length: a.seeds }, (_, seedIndex) => ({
      presetId: preset.id,
      armIndex,
      seedIndex,
      lrFactor: factors[armIndex],
      heldOut: 'test' as const,
    })),
  );
}

/** Runs every arm of a preset in full: LR grids first, then all seeds; returns results by label. */
export async function runPreset(
  preset: AvailablePreset,
  env: RunEnv,
  options: RunPresetOptions = {},
): Promise<PresetRun> {
  const exec: ArmExecutor =
    options.exec ??
    ((job, arm) => runArm(arm, job.seedIndex, { ...env, heldOut: job.heldOut }, job.lrFactor));
  const parallel = options.exec ? (options.parallel ?? 1) : 1;
  const grid = gridJobs(preset);
  const gridRuns = await pool(
    grid.map((j) => () => exec(j, preset.arms[j.armIndex])),
    parallel,
  );
  const lrChoice: Record<string, LrChoice> = {};
  const factors = preset.arms.map((a, armIndex) => {
    if (!a.lrGrid?.length) return 1;
    const runs = grid
      .map((j, k) => (j.armIndex === armIndex ? gridRuns[k] : null))
      .filter((r): r is ArmResult => r !== null);
    const chosen = chooseFactor(a.lrGrid, runs);
    // Every rate diverged: the seeds run at the smallest, and the verdict sees their NaNs.
    const factor = Number.isFinite(chosen) ? chosen : Math.min(...a.lrGrid);
    lrChoice[a.label] = {
      factor,
      lr: lrOf(a.config, factor),
      grid: a.lrGrid,
      validationLoss: runs.map((r) => r.finalTestLoss),
    };
    return factor;
  });
  preset.arms.forEach((a, i) => {
    if (a.lrFrom === undefined) return;
    const from = preset.arms.findIndex((b) => b.label === a.lrFrom);
    if (from < 0 || !preset.arms[from].lrGrid?.length)
      throw new Error(`${a.label}: no grid arm "${a.lrFrom}" to take a rate from`);
    factors[i] = factors[from];
  });
  const jobs = seedJobs(preset, factors);
  const seedRuns = await pool(
    jobs.map((j) => async () => {
      const r = await exec(j, preset.arms[j.armIndex]);
      options.onArm?.(r);
      return r;
    }),
    parallel,
  );
  const results: Record<string, ArmResult[]> = Object.fromEntries(
    preset.arms.map((a) => [a.label, []]),
  );
  jobs.forEach((j, k) => results[preset.arms[j.armIndex].label].push(seedRuns[k]));
  return { results, lrChoice };
}
