import { check, clampStep, type Schedule } from './schedule';

export interface PowerLawOptions {
  /** a: the amplitude (the paper's 4.6 is for LLMs with μP; calibrate it with `calibratePowerA`). */
  readonly a: number;
  /** b: the exponent, < 0 (paper: −0.51). */
  readonly b: number;
  /** η_max: the cap. */
  readonly maxLr: number;
  /** β: the batch size. */
  readonly batchSize: number;
}

/** η_pow(n) = min(η_max, β·a·n^b) at n samples seen; η_max at n = 0. */
export function powerLr(samples: number, { a, b, maxLr, batchSize }: PowerLawOptions): number {
  return Math.min(maxLr, batchSize * a * samples ** b);
}

/**
 * The exponential-shape final decay of `IBM/dolomite-engine`'s ExponentialScheduler:
 * g(x) = A·e^(−x) + B′, A = (1 − d)e/(e − 1), B′ = (de − 1)/(e − 1); g(0) = 1, g(1) = d.
 */
export function powerDecay(x: number, d: number): number {
  const e = Math.E;
  return ((1 - d) * e * Math.exp(-x)) / (e - 1) + (d * e - 1) / (e - 1);
}

/** The a for which the law reaches η_max exactly at the end of warmup: β·a·N_w^b = η_max. */
export function calibratePowerA({
  maxLr,
  batchSize,
  warmupSamples,
  b,
}: {
  maxLr: number;
  batchSize: number;
  warmupSamples: number;
  b: number;
}): number {
  const where = 'calibratePowerA';
  check.positive(where, 'maxLr', maxLr);
  check.positive(where, 'batchSize', batchSize);
  check.positive(where, 'warmupSamples', warmupSamples);
  check.finite(where, 'b', b);
  return maxLr / (batchSize * warmupSamples ** b);
}

export interface PowerOptions extends PowerLawOptions {
  /** W: linear warmup steps; the law is read in samples n = s·β. */
  readonly warmupSteps: number;
  /** S: the budget in steps (needed for the final decay). */
  readonly totalSteps: number;
  /** D: final decay steps; 0 for none. */
  readonly decaySteps?: number;
  /** d: the decay ends at d·η_pow(S − D). */
  readonly decayFloor?: number;
}

/**
 * Power scheduler (Shen et al., "Power Scheduler: A Batch Size and Token Number Agnostic Learning
 * Rate Scheduler", https://arxiv.org/abs/2408.13359), with n = s·β samples seen:
 *   1) η = (n/N_w)·η_pow(N_w) for s < W;  2) η = η_pow(n);
 *   3) η = η_pow(N − N_d)·g(x), x = (s − (S − D))/D, over the last D steps.
 */
export function powerSchedule(options: PowerOptions): Schedule {
  const where = 'powerSchedule';
  const {
    a,
    b,
    maxLr,
    batchSize,
    warmupSteps,
    totalSteps,
    decaySteps = 0,
    decayFloor = 0,
  } = options;
  check.positive(where, 'a', a);
  check.finite(where, 'b', b);
  if (!(b < 0)) throw new Error(`${where}: b must be < 0, got ${b}`);
  check.positive(where, 'maxLr', maxLr);
  check.positive(where, 'batchSize', batchSize);
  check.steps(where, 'warmupSteps', warmupSteps);
  check.positiveSteps(where, 'totalSteps', totalSteps);
  check.steps(where, 'decaySteps', decaySteps);
  check.ratio(where, 'decayFloor', decayFloor);
  if (warmupSteps + decaySteps > totalSteps) {
    throw new Error(
      `${where}: warmupSteps + decaySteps must be ≤ totalSteps, got ${warmupSteps} + ${decaySteps} > ${totalSteps}`,
    );
  }
  const law = (steps: number) => powerLr(steps * batchSize, options);
  const atWarmupEnd = law(warmupSteps);
  const decayStart = totalSteps - decaySteps;
  const atDecayStart = law(decayStart);
  return (step) => {
    const s = clampStep(step);
    if (s < warmupSteps) return (s / warmupSteps) * atWarmupEnd; // 1) warmup
    if (decaySteps > 0 && s > decayStart)
      return atDecayStart * powerDecay(Math.min(1, (s - decayStart) / decaySteps), decayFloor); // 3)
    return law(s); // 2) the power law
  };
}
