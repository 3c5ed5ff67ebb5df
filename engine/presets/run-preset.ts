import { armConfig } from './arm-config';
import { armResult } from './arm-result';
import { lrRangeTest } from '../diagnostics/lr-range-test';
import { createRun } from '../run';
import type { RunEnv } from '../tasks/task';
import type { ArmResult, AvailablePreset, PresetArm, PresetResults } from './types';

export interface RunPresetOptions {
  /** Multiplies every arm's steps (and LR-range caps); 1 is the preset's own budget. */
  readonly stepScale?: number;
  /** At most this many seeds per arm. */
  readonly maxSeeds?: number;
  /** Called after each arm/seed finishes. */
  readonly onArm?: (result: ArmResult) => void;
}

/** The config an arm runs at a step scale and seed offset. */
export { armConfig };

/** Trains one seed of one arm (or runs its LR range test) and collects its curves and extras. */
export async function runArm(arm: PresetArm, seedIndex: number, env: RunEnv, stepScale = 1): Promise<ArmResult> {
  const t0 = performance.now();
  const config = armConfig(arm, seedIndex, stepScale);
  const measures = arm.measures ?? [];
  if (measures.includes('lrRange')) {
    const opts = arm.lrRange ?? { start: 1e-4 };
    // Scaling shortens the dwell at each learning rate, not the range swept: with fewer levels the
    // test would stop below the rate where training blows up, and measure nothing.
    const every = Math.max(2, Math.round((opts.every ?? 20) * Math.min(1, stepScale)));
    const maxSteps = Math.max(every, Math.round((opts.maxSteps ?? arm.config.steps) * stepScale));
    const r = await lrRangeTest(config, { ...opts, every, maxSteps }, env);
    const curves = { loss: r.loss, evalSteps: [], testLoss: [], testAccuracy: [], trainLoss: r.loss };
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
    if (measures.includes('memory')) {
      const m = run.sizeReport().memory;
      extra.activationBytes = m.activationBytes;
      extra.storedActivationBytes = m.storedActivationBytes;
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

/** Runs every arm of a preset for its seeds, in order; returns results by arm label. */
export async function runPreset(preset: AvailablePreset, env: RunEnv, options: RunPresetOptions = {}): Promise<PresetResults> {
  const out: Record<string, ArmResult[]> = {};
  for (const a of preset.arms) {
    const seeds = Math.min(a.seeds, options.maxSeeds ?? a.seeds);
    out[a.label] = [];
    for (let i = 0; i < seeds; i++) {
      const r = await runArm(a, i, env, options.stepScale ?? 1);
      out[a.label].push(r);
      options.onArm?.(r);
    }
  }
  return out;
}
