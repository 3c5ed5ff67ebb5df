import type { RunConfig } from '../config';
import type { OptimizerKind } from '../optim/schema';
import { constantSchedule } from '../schedule/constant';
import { cosineSchedule } from '../schedule/cosine';
import { decayRateFor, exponentialSchedule } from '../schedule/exponential';
import { oneCycleSchedule } from '../schedule/one-cycle';
import { piecewiseSchedule } from '../schedule/piecewise';
import { calibratePowerA, powerSchedule } from '../schedule/power';
import { scaleSchedule } from '../schedule/scale';
import { check, type Schedule } from '../schedule/schedule';
import type { ScheduleConfig, ScheduleConfigOf } from '../schedule/schema';
import { withWarmup } from '../schedule/warmup';
import { wsdSchedule } from '../schedule/wsd';

/**
 * The run plan: what a run config says about each step, in one place and without TF.js, so the
 * run, the schedule preview, "Decay now" and the presets read the same numbers.
 *
 * THE STEP CONVENTION. Step n (n = 1, 2, …, S) is the n-th optimizer update of a run. `lr(n)` is
 * the rate update n uses; the metrics row of update n has `step = n` and `lr = lr(n)`; a run that
 * has taken k updates (`Run.step = k`) takes update k + 1 next. Every boundary in `Phases` is a
 * step in this count. The schedule factories of engine/schedule are functions of this n.
 */

/** The parts of a run config the plan reads. */
export type PlanConfig = Pick<
  RunConfig,
  'optimizer' | 'schedule' | 'steps' | 'batchSize' | 'batchScaling'
>;

/** Where a schedule's phases begin and end, as steps (see the step convention above). */
export interface Phases {
  /** S: the last update of the run's budget. */
  readonly totalSteps: number;
  /**
   * W: updates 1…W ramp up linearly, update W at the peak; 0 for no warmup. One-cycle: its rise
   * P = fraction·S, not rounded (as torch's OneCycleLR).
   */
  readonly warmupSteps: number;
  /**
   * T: the last update of the stable phase (WSD; power with a final decay); updates T + 1…S
   * decay. null for schedules without a separate decay phase.
   */
  readonly decayStart: number | null;
  /** Step schedule: the updates from which each lower rate applies, increasing. */
  readonly drops: readonly number[];
}

/** How the learning rate follows the batch size: not at all, η·B/B₀, η·√(B/B₀), or by optimizer. */
export type BatchScalingRule = 'off' | 'linear' | 'sqrt' | 'auto';

export const BATCH_SCALING_RULES: readonly BatchScalingRule[] = ['off', 'linear', 'sqrt', 'auto'];

/**
 * The rule `auto` picks. SGD-family steps are proportional to g, so their stable step grows with B
 * (linear); adaptive and sign/orthogonalized steps are normalized, so noise enters through the
 * preconditioner (square root). RMSProp, Adagrad, Lion and Muon are put with Adam by that reading.
 */
export const OPTIMIZER_FAMILY: { readonly [K in OptimizerKind]: 'linear' | 'sqrt' } = {
  sgd: 'linear',
  momentum: 'linear',
  nesterov: 'linear',
  lars: 'linear',
  adam: 'sqrt',
  adamw: 'sqrt',
  lamb: 'sqrt',
  rmsprop: 'sqrt',
  adagrad: 'sqrt',
  lion: 'sqrt',
  muon: 'sqrt',
};

/**
 * The learning rate for batch size `batch`, given `lr` tuned at `refBatch` (Granziol et al.,
 * "Learning Rates as a Function of Batch Size: A Random Matrix Theory Approach to Neural Network
 * Training", https://arxiv.org/abs/2006.09092):
 *   linear: η·B/B₀ (SGD family);  sqrt: η·√(B/B₀) (Adam family);  auto: by `kind`;  off: η.
 */
export function scaledLr(
  lr: number,
  batch: number,
  refBatch: number,
  rule: BatchScalingRule,
  kind: OptimizerKind,
): number {
  if (!(batch > 0) || !(refBatch > 0))
    throw new Error(`scaledLr: batch sizes must be > 0, got ${batch} and ${refBatch}`);
  const r = rule === 'auto' ? OPTIMIZER_FAMILY[kind] : rule;
  if (r === 'off') return lr;
  const ratio = batch / refBatch;
  return r === 'linear' ? lr * ratio : lr * Math.sqrt(ratio);
}

/**
 * The factor the batch-size rule puts on the optimizer's lr. 1 for the power schedule, whose law
 * already scales with the batch size.
 */
export function batchFactor(config: PlanConfig): number {
  if (config.schedule.kind === 'power') return 1;
  const { rule, referenceBatch } = config.batchScaling;
  return scaledLr(1, config.batchSize, referenceBatch, rule, config.optimizer.kind);
}

/**
 * The schedule's peak: the optimizer's lr times `batchFactor` (power: its cap η_max). Reads no
 * schedule, so it never throws for a valid config.
 */
export function peakLr(config: PlanConfig): number {
  return config.optimizer.lr * batchFactor(config);
}

/** The phases of `schedule` over a budget of `totalSteps` updates: fractions rounded to steps. */
export function phasesOf(schedule: ScheduleConfig, totalSteps: number): Phases {
  const S = totalSteps;
  check.positiveSteps('phasesOf', 'totalSteps', S);
  const round = (fraction: number) => Math.round(fraction * S);
  const W = Math.min(S - 1, round(schedule.warmupFraction));
  switch (schedule.kind) {
    case 'wsd': {
      const T = S - Math.max(1, round(schedule.decayFraction));
      return { totalSteps: S, warmupSteps: Math.min(W, T), decayStart: T, drops: [] };
    }
    case 'power': {
      const D = Math.min(S - W, round(schedule.decayFraction));
      return { totalSteps: S, warmupSteps: W, decayStart: D > 0 ? S - D : null, drops: [] };
    }
    case 'onecycle':
      return {
        totalSteps: S,
        warmupSteps: schedule.warmupFraction * S,
        decayStart: null,
        drops: [],
      };
    case 'step':
      return {
        totalSteps: S,
        warmupSteps: W,
        decayStart: null,
        drops: schedule.boundaries.map(round),
      };
    default:
      return { totalSteps: S, warmupSteps: W, decayStart: null, drops: [] };
  }
}

/** Drops at the given steps, as a piecewise schedule that starts after W warmup steps. */
function stepDrops(
  peak: number,
  drops: readonly number[],
  factor: number,
  warmup: number,
): Schedule {
  let init = peak;
  const boundaries: number[] = [];
  const factors: number[] = [];
  for (const drop of drops) {
    const at = drop - warmup;
    if (at <= 0)
      init *= factor; // a drop inside warmup applies from its end
    // Two drops that round to the same step merge into one.
    else if (at === boundaries[boundaries.length - 1]) factors[factors.length - 1] *= factor;
    else {
      boundaries.push(at);
      factors.push(factor);
    }
  }
  return piecewiseSchedule({ init, boundaries, factor: factors });
}

/** The power schedule of a config: a calibrated at the reference batch unless given. */
function powerOf(
  config: ScheduleConfigOf<'power'>,
  phases: Phases,
  peak: number,
  batchSize: number,
): Schedule {
  const { totalSteps: S, warmupSteps: W, decayStart } = phases;
  const b = config.exponent;
  const warmupSamples = Math.max(1, W) * config.referenceBatch;
  const a =
    config.a ??
    calibratePowerA({ maxLr: peak, batchSize: config.referenceBatch, warmupSamples, b });
  const decaySteps = decayStart === null ? 0 : S - decayStart;
  return powerSchedule({
    a,
    b,
    maxLr: peak,
    batchSize,
    warmupSteps: W,
    totalSteps: S,
    decaySteps,
    decayFloor: config.decayFloor,
  });
}

/**
 * The schedule a config names, peaking at `peak`, over `phases`. Warmup is prepended with
 * `withWarmup` (the rest runs over the remaining S − W steps), except WSD, power and one-cycle,
 * which own it.
 */
function scheduleOf(
  config: ScheduleConfig,
  phases: Phases,
  peak: number,
  batchSize: number,
): Schedule {
  const { totalSteps: S, warmupSteps: W, decayStart } = phases;
  const rest = Math.max(1, S - W);
  switch (config.kind) {
    case 'constant':
      return withWarmup(constantSchedule(peak), W);
    case 'step':
      return withWarmup(stepDrops(peak, phases.drops, config.factor, W), W);
    case 'exponential': {
      const decayRate = decayRateFor(config.finalRatio, rest);
      const endValue = peak * config.finalRatio;
      return withWarmup(
        exponentialSchedule({ init: peak, decayRate, transitionSteps: 1, endValue }),
        W,
      );
    }
    case 'cosine':
      return withWarmup(
        cosineSchedule({
          init: peak,
          decaySteps: rest,
          floorRatio: config.floorRatio,
          cycles: config.cycles,
        }),
        W,
      );
    case 'wsd': {
      const T = decayStart ?? S - 1;
      const { shape, floorRatio } = config;
      const halfLife = config.halfLifeFraction * (S - T);
      return wsdSchedule({
        peak,
        warmupSteps: W,
        decayStart: T,
        totalSteps: S,
        shape,
        floorRatio,
        halfLife,
      });
    }
    case 'power':
      return powerOf(config, phases, peak, batchSize);
    case 'onecycle': {
      const { divFactor, finalDivFactor } = config;
      return oneCycleSchedule({
        peak,
        totalSteps: S,
        riseFraction: config.warmupFraction,
        divFactor,
        finalDivFactor,
      });
    }
  }
}

/** Everything the run config says about learning rates and phases. */
export interface RunPlan {
  readonly phases: Phases;
  /** The factor of the batch-size rule on the optimizer's lr (1 for the power schedule). */
  readonly batchFactor: number;
  /** The schedule's peak: the optimizer's lr times `batchFactor` (power: its cap η_max). */
  readonly peakLr: number;
  /** η of update `step` (1-based, see the step convention); flat past S. */
  lr(step: number): number;
}

/** The plan of a config; throws a clear Error for a config the schedules cannot build. */
export function runPlan(config: PlanConfig): RunPlan {
  const { optimizer, batchSize, steps } = config;
  check.positive('runPlan', 'optimizer.lr', optimizer.lr);
  check.positiveSteps('runPlan', 'batchSize', batchSize);
  const phases = phasesOf(config.schedule, steps);
  const factor = batchFactor(config);
  const base = scheduleOf(config.schedule, phases, optimizer.lr, batchSize);
  return { phases, batchFactor: factor, peakLr: peakLr(config), lr: scaleSchedule(base, factor) };
}

/**
 * "Decay now" for a WSD run at `step` (updates taken) in its stable phase: the schedule and
 * budget of a branch that keeps the decay length and starts decaying with the next update, so
 * its plan has `decayStart = step`. null outside the stable phase or for other schedules.
 */
export function decayBranch(
  config: PlanConfig,
  step: number,
): Pick<RunConfig, 'schedule' | 'steps'> | null {
  const { schedule } = config;
  if (schedule.kind !== 'wsd') return null;
  const { totalSteps: S, warmupSteps: W, decayStart } = phasesOf(schedule, config.steps);
  if (decayStart === null || step === 0 || step < W || step >= decayStart) return null;
  const decay = S - decayStart;
  const steps = step + decay;
  const warmupFraction = Math.min(schedule.warmupFraction * (S / steps), 0.5);
  return {
    schedule: { ...schedule, decayFraction: Math.min(0.5, decay / steps), warmupFraction },
    steps,
  };
}
