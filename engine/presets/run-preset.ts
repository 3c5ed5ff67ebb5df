import { armConfig } from './arm-config';
import { armResult } from './arm-result';
import { lrRangeTest } from '../diagnostics/lr-range-test';
import { createRun, type RunSnapshot } from '../run';
import { WIDTH_FRACTIONS, widthExtras } from '../models/sorted-schema';
import { probeExtras } from '../tasks/objectives/probe-extras';
import { armGenerations, isParent, parentIndex } from './parents';
import type { RunConfig } from '../config';
import type { RunEnv } from '../tasks/task';
import { chooseFactor, lrOf, withLrFactor } from './lr-grid';
import { inContextExtra } from './in-context-extra';
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
  /** A derived arm: the final state of its parent arm's run of the same seed and split. */
  readonly parent?: RunSnapshot;
  /** A parent arm's run: send the final state back with the result. */
  readonly keepSnapshot?: boolean;
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

/** λ_max of the batch Hessian at the arm's initial weights, per batch size (`lambdaMax@B`). */
async function batchHessianExtras(
  config: RunConfig,
  env: RunEnv,
  opts: NonNullable<PresetArm['batchHessian']>,
): Promise<Record<string, number>> {
  const run = await createRun(config, env);
  try {
    const points = await run.batchHessian(opts.sizes, {
      iterations: opts.iterations ?? 20,
      batches: opts.batches ?? 2,
    });
    return Object.fromEntries(points.map((p) => [`lambdaMax@${p.batchSize}`, p.mean]));
  } finally {
    run.dispose();
  }
}

/** Trains one seed of one arm (or runs its LR range test) and collects its curves and extras. */
export async function runArm(
  arm: PresetArm,
  seedIndex: number,
  env: RunEnv,
  lrFactor = 1,
  derived: Pick<ArmJob, 'parent' | 'keepSnapshot'> = {},
): Promise<ArmResult> {
  const t0 = performance.now();
  const config = withLrFactor(armConfig(arm, seedIndex), lrFactor);
  const measures = arm.measures ?? [];
  const hessian = arm.batchHessian ? await batchHessianExtras(config, env, arm.batchHessian) : {};
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
    const extra = { ...hessian, etaMax: r.etaMax, etaBest: r.etaBest };
    return armResult(arm.label, config.seed, curves, extra, performance.now() - t0);
  }
  if (arm.parent && !derived.parent) throw new Error(`${arm.label}: needs its parent's run`);
  const run = await createRun(config, derived.parent ? { ...env, parent: derived.parent } : env);
  const loss: number[] = [];
  const evalSteps: number[] = [];
  const testLoss: number[] = [];
  const testAccuracy: number[] = [];
  const trainLoss: number[] = [];
  const gradNorm: number[] = [];
  const extra: Record<string, number> = { ...hessian };
  let snapshot: RunSnapshot | undefined;
  try {
    while (run.step < config.steps) {
      const chunk = await run.train(Math.min(config.metricsEvery, config.steps - run.step));
      loss.push(...chunk.columns.loss);
      gradNorm.push(...chunk.columns.gradNorm);
      const last = chunk.rows - 1;
      evalSteps.push(run.step);
      testLoss.push(chunk.columns.testLoss[last]);
      testAccuracy.push(chunk.columns.testAccuracy[last]);
      trainLoss.push(chunk.columns.trainLoss[last]);
      // A diverged run stops: its NaNs are its result.
      if (!Number.isFinite(chunk.columns.loss[last])) break;
    }
    if (measures.includes('paramCount')) extra.params = run.paramCount;
    if (measures.includes('earlyGradNorm')) {
      const early = gradNorm.slice(0, Math.max(1, Math.round(config.steps / 10)));
      extra.earlyGradNorm = early.reduce((a, b) => a + b, 0) / early.length;
    }
    if (measures.includes('widths'))
      Object.assign(extra, widthExtras(await run.evaluateWidths(WIDTH_FRACTIONS)));
    if (derived.keepSnapshot) snapshot = await run.snapshot();
    if (measures.includes('memory')) {
      const m = run.sizeReport().memory;
      extra.activationBytes = m.activationBytes;
      extra.storedActivationBytes = m.storedActivationBytes;
      extra.measuredBackwardBytes = run.measureBackwardBytes();
    }
    if (measures.includes('gradientUnderflow'))
      for (const [key, fraction] of Object.entries(await run.measureGradientUnderflow()))
        extra[`underflow_${key}`] = fraction;
    if (measures.includes('expertLoad')) {
      const view = (await run.views()).find((v) => v.kind === 'expert-load');
      if (view && view.kind === 'expert-load') {
        extra.maxLoad = Math.max(...view.load.map((layer) => Math.max(...layer)));
        extra.specialization = view.specialization ?? Number.NaN;
      }
    }
    if (measures.includes('probes')) Object.assign(extra, probeExtras(await run.views()));
    if (measures.includes('positionAccuracy')) {
      const view = (await run.views()).find((v) => v.kind === 'in-context');
      if (view && view.kind === 'in-context') Object.assign(extra, inContextExtra(view, loss));
    }
  } finally {
    run.dispose();
  }
  const curves = { loss, evalSteps, testLoss, testAccuracy, trainLoss };
  const result = armResult(arm.label, config.seed, curves, extra, performance.now() - t0);
  return snapshot ? { ...result, snapshot } : result;
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

/** A result without the snapshot it may carry (kept by the runner for the children only). */
function bare(r: ArmResult): ArmResult {
  if (!r.snapshot) return r;
  const { snapshot: _snapshot, ...rest } = r;
  return rest;
}

/**
 * Runs every arm of a preset in full, in generations (arms derived from another arm after it):
 * each generation's LR grids on the validation split, then all its seeds on the test split.
 * A derived arm's seed i starts from its parent's seed i; its grid from the parent's seed-0 run
 * on the validation split (the parent's grid run at its chosen rate, or one run more).
 */
export async function runPreset(
  preset: AvailablePreset,
  env: RunEnv,
  options: RunPresetOptions = {},
): Promise<PresetRun> {
  const exec: ArmExecutor =
    options.exec ??
    ((job, arm) => runArm(arm, job.seedIndex, { ...env, heldOut: job.heldOut }, job.lrFactor, job));
  const parallel = options.exec ? (options.parallel ?? 1) : 1;
  const arms = preset.arms;
  const generations = armGenerations(preset);
  const lrChoice: Record<string, LrChoice> = {};
  const factors: number[] = arms.map(() => 1);
  const results: Record<string, ArmResult[]> = Object.fromEntries(arms.map((a) => [a.label, []]));
  /** Final states of parent arms: by arm, the test-split seeds and the seed-0 validation run. */
  const seedStates = new Map<number, RunSnapshot[]>();
  const validationStates = new Map<number, RunSnapshot>();
  const job = (
    armIndex: number,
    seedIndex: number,
    lrFactor: number,
    heldOut: ArmJob['heldOut'],
  ) => {
    const p = parentIndex(preset, armIndex);
    const parent =
      p < 0
        ? undefined
        : heldOut === 'validation'
          ? validationStates.get(p)
          : seedStates.get(p)?.[seedIndex];
    if (p >= 0 && !parent) throw new Error(`${arms[armIndex].label}: its parent has not run`);
    return {
      presetId: preset.id,
      armIndex,
      seedIndex,
      lrFactor,
      heldOut,
      ...(parent ? { parent } : {}),
      ...(isParent(preset, armIndex) ? { keepSnapshot: true } : {}),
    };
  };
  const last = Math.max(...generations);
  for (let g = 0; g <= last; g++) {
    const here = arms.map((_, i) => i).filter((i) => generations[i] === g);
    const grid = here.flatMap((i) => (arms[i].lrGrid ?? []).map((f) => job(i, 0, f, 'validation')));
    const gridRuns = await pool(
      grid.map((j) => () => exec(j, arms[j.armIndex])),
      parallel,
    );
    for (const i of here) {
      const a = arms[i];
      if (!a.lrGrid?.length) continue;
      const runs = gridRuns.filter((_, k) => grid[k].armIndex === i);
      const chosen = chooseFactor(a.lrGrid, runs);
      // Every rate diverged: the seeds run at the smallest, and the verdict sees their NaNs.
      factors[i] = Number.isFinite(chosen) ? chosen : Math.min(...a.lrGrid);
      lrChoice[a.label] = {
        factor: factors[i],
        lr: lrOf(a.config, factors[i]),
        grid: a.lrGrid,
        validationLoss: runs.map((r) => r.finalTestLoss),
      };
      const atChosen = runs[a.lrGrid.indexOf(factors[i])]?.snapshot;
      if (atChosen) validationStates.set(i, atChosen);
    }
    for (const i of here) {
      const a = arms[i];
      if (a.lrFrom === undefined) continue;
      const from = arms.findIndex((b) => b.label === a.lrFrom);
      if (from < 0 || !arms[from].lrGrid?.length || generations[from] > g)
        throw new Error(`${a.label}: no grid arm "${a.lrFrom}" to take a rate from`);
      factors[i] = factors[from];
    }
    // A parent without a grid run at its rate whose children tune theirs: one validation run.
    const needValidation = here.filter(
      (i) =>
        !validationStates.has(i) &&
        arms.some((c, k) => parentIndex(preset, k) === i && (c.lrGrid?.length ?? 0) > 0),
    );
    const extra = needValidation.map((i) => job(i, 0, factors[i], 'validation'));
    const extraRuns = await pool(
      extra.map((j) => () => exec(j, arms[j.armIndex])),
      parallel,
    );
    extra.forEach((j, k) => {
      const s = extraRuns[k].snapshot;
      if (s) validationStates.set(j.armIndex, s);
    });
    const jobs = here.flatMap((i) =>
      Array.from({ length: arms[i].seeds }, (_, s) => job(i, s, factors[i], 'test')),
    );
    const seedRuns = await pool(
      jobs.map((j) => async () => {
        const r = await exec(j, arms[j.armIndex]);
        options.onArm?.(bare(r));
        return r;
      }),
      parallel,
    );
    jobs.forEach((j, k) => {
      const r = seedRuns[k];
      results[arms[j.armIndex].label].push(bare(r));
      if (r.snapshot) {
        const states = seedStates.get(j.armIndex) ?? [];
        states[j.seedIndex] = r.snapshot;
        seedStates.set(j.armIndex, states);
      }
    });
  }
  return { results, lrChoice };
}
