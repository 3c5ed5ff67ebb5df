import { scaleForBatch, type BatchScaling } from './batch-scaling';
import { constantSchedule } from './constant';
import { cosineSchedule } from './cosine';
import { decayRateFor, exponentialSchedule } from './exponential';
import { oneCycleSchedule } from './one-cycle';
import { piecewiseSchedule } from './piecewise';
import { calibratePowerA, powerSchedule } from './power';
import { check, type Schedule } from './schedule';
import type { ScheduleConfig } from './schema';
import { withWarmup } from './warmup';
import { wsdSchedule } from './wsd';

export interface ScheduleEnv {
  /** The optimizer's learning rate: the peak of every schedule. */
  readonly peakLr: number;
  /** S: the run's step budget; the fractions of the config are of this. */
  readonly totalSteps: number;
  /** β: the batch size (the power scheduler reads samples seen = step·β). */
  readonly batchSize: number;
  /** Optional batch-size rule on top (not applied to `power`, whose law already scales with β). */
  readonly scaling?: BatchScaling;
}

/** Drops at fractions of the budget, as a piecewise schedule that starts after W warmup steps. */
function stepDrops(peak: number, fractions: readonly number[], factor: number, totalSteps: number, warmup: number): Schedule {
  let init = peak;
  const boundaries: number[] = [];
  const factors: number[] = [];
  for (const f of fractions) {
    const at = Math.round(f * totalSteps) - warmup;
    if (at <= 0) init *= factor; // a drop inside warmup applies from its end
    else if (at === boundaries[boundaries.length - 1]) factors[factors.length - 1] *= factor; // merged by rounding
    else {
      boundaries.push(at);
      factors.push(factor);
    }
  }
  return piecewiseSchedule({ init, boundaries, factor: factors });
}

/**
 * Builds the schedule a config names for a run of `totalSteps` steps peaking at `peakLr`.
 * Fractions become whole steps by rounding; warmup is prepended with `withWarmup` (the rest of
 * the schedule runs over the remaining S − W steps), except WSD, power and one-cycle, which own it.
 */
export function scheduleFromConfig(config: ScheduleConfig, env: ScheduleEnv): Schedule {
  const { peakLr: peak, totalSteps: S, batchSize } = env;
  check.positive('scheduleFromConfig', 'peakLr', peak);
  check.positiveSteps('scheduleFromConfig', 'totalSteps', S);
  check.positiveSteps('scheduleFromConfig', 'batchSize', batchSize);
  const W = Math.min(S - 1, Math.round(config.warmupFraction * S));
  const rest = Math.max(1, S - W);
  let schedule: Schedule;
  switch (config.kind) {
    case 'constant':
      schedule = withWarmup(constantSchedule(peak), W);
      break;
    case 'step':
      schedule = withWarmup(stepDrops(peak, config.boundaries, config.factor, S, W), W);
      break;
    case 'exponential': {
      const decayRate = decayRateFor(config.finalRatio, rest);
      schedule = withWarmup(exponentialSchedule({ init: peak, decayRate, transitionSteps: 1, endValue: peak * config.finalRatio }), W);
      break;
    }
    case 'cosine':
      schedule = withWarmup(cosineSchedule({ init: peak, decaySteps: rest, floorRatio: config.floorRatio, cycles: config.cycles }), W);
      break;
    case 'wsd': {
      const decaySteps = Math.max(1, Math.round(config.decayFraction * S));
      const decayStart = S - decaySteps;
      const { shape, floorRatio } = config;
      const halfLife = config.halfLifeFraction * decaySteps;
      return scaled(wsdSchedule({ peak, warmupSteps: Math.min(W, decayStart), decayStart, totalSteps: S, shape, floorRatio, halfLife }), env);
    }
    case 'power': {
      const b = config.exponent;
      const a = config.a ?? calibratePowerA({ maxLr: peak, batchSize: config.referenceBatch, warmupSamples: Math.max(1, W) * config.referenceBatch, b });
      const decaySteps = Math.min(S - W, Math.round(config.decayFraction * S));
      return powerSchedule({ a, b, maxLr: peak, batchSize, warmupSteps: W, totalSteps: S, decaySteps, decayFloor: config.decayFloor });
    }
    case 'onecycle':
      return scaled(oneCycleSchedule({ peak, totalSteps: S, riseFraction: config.warmupFraction, divFactor: config.divFactor, finalDivFactor: config.finalDivFactor }), env);
  }
  return scaled(schedule, env);
}

function scaled(schedule: Schedule, env: ScheduleEnv): Schedule {
  return env.scaling ? scaleForBatch(schedule, env.batchSize, env.scaling) : schedule;
}
