import { check, clampStep, type Schedule } from './schedule';
import { join } from './join';

export interface LinearOptions {
  readonly from: number;
  readonly to: number;
  /** Steps to go from `from` to `to`; flat at `to` afterwards. */
  readonly steps: number;
}

/** Linear ramp, optax's `linear_schedule`: η(s) = from + (to − from)·min(s, N)/N. */
export function linearSchedule({ from, to, steps }: LinearOptions): Schedule {
  const where = 'linearSchedule';
  check.nonNegative(where, 'from', from);
  check.nonNegative(where, 'to', to);
  check.positiveSteps(where, 'steps', steps);
  return (step) => from + ((to - from) * Math.min(clampStep(step), steps)) / steps;
}

/**
 * Prepends a linear warmup from 0 to where `schedule` starts: η(s) = schedule(0)·s/W for s < W,
 * then schedule(s − W). W = 0 returns `schedule` itself.
 */
export function withWarmup(schedule: Schedule, warmupSteps: number): Schedule {
  check.steps('withWarmup', 'warmupSteps', warmupSteps);
  if (warmupSteps === 0) return schedule;
  return join(
    [linearSchedule({ from: 0, to: schedule(0), steps: warmupSteps }), schedule],
    [warmupSteps],
  );
}
