import { check, clampStep, type Schedule } from './schedule';

export interface CosineOptions {
  readonly init: number;
  /** Steps of one full decay (of one cycle, with restarts). */
  readonly decaySteps: number;
  /** Floor as a fraction of `init` (α); 0 decays to 0. */
  readonly floorRatio?: number;
  /** Number of equal cycles, each restarting at `init` (SGDR warm restarts with T_mult = 1). */
  readonly cycles?: number;
}

/**
 * Cosine decay (Loshchilov & Hutter, "SGDR: Stochastic Gradient Descent with Warm Restarts",
 * https://arxiv.org/abs/1608.03983): with x = (s mod P)/P over a cycle of P steps,
 * η(s) = init · (α + (1 − α)·½(1 + cos πx)); flat at the floor after the last cycle.
 */
export function cosineSchedule({
  init,
  decaySteps,
  floorRatio = 0,
  cycles = 1,
}: CosineOptions): Schedule {
  const where = 'cosineSchedule';
  check.nonNegative(where, 'init', init);
  check.positiveSteps(where, 'decaySteps', decaySteps);
  check.ratio(where, 'floorRatio', floorRatio);
  check.positiveSteps(where, 'cycles', cycles);
  const period = decaySteps / cycles;
  return (step) => {
    const s = clampStep(step);
    // At and after the end: the floor (the last cycle does not restart).
    const x = s >= decaySteps ? 1 : (s % period) / period;
    return init * (floorRatio + (1 - floorRatio) * 0.5 * (1 + Math.cos(Math.PI * x)));
  };
}
