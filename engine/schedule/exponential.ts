import { check, clampStep, type Schedule } from './schedule';

export interface ExponentialOptions {
  readonly init: number;
  /** Multiplier per `transitionSteps` steps, in (0, ∞); < 1 decays. */
  readonly decayRate: number;
  readonly transitionSteps: number;
  /** Drop in whole transitions (a staircase) rather than smoothly. */
  readonly staircase?: boolean;
  /** Bound the rate: a floor when decaying, a ceiling when growing. */
  readonly endValue?: number;
}

/**
 * Exponential decay, optax's `exponential_decay`: η(s) = init · rate^(s / transitionSteps),
 * with ⌊s / transitionSteps⌋ for a staircase, bounded by `endValue`.
 */
export function exponentialSchedule({
  init,
  decayRate,
  transitionSteps,
  staircase = false,
  endValue,
}: ExponentialOptions): Schedule {
  const where = 'exponentialSchedule';
  check.nonNegative(where, 'init', init);
  check.positive(where, 'decayRate', decayRate);
  check.positiveSteps(where, 'transitionSteps', transitionSteps);
  if (endValue !== undefined) check.nonNegative(where, 'endValue', endValue);
  return (step) => {
    const p = clampStep(step) / transitionSteps;
    const value = init * decayRate ** (staircase ? Math.floor(p) : p);
    if (endValue === undefined) return value;
    return decayRate < 1 ? Math.max(value, endValue) : Math.min(value, endValue);
  };
}

/** The per-step rate that takes `init` to `init·finalRatio` in `steps` steps. */
export function decayRateFor(finalRatio: number, steps: number): number {
  check.positive('decayRateFor', 'finalRatio', finalRatio);
  check.positiveSteps('decayRateFor', 'steps', steps);
  return finalRatio ** (1 / steps);
}
