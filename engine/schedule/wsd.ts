import { constantSchedule } from './constant';
import { join } from './join';
import { check, type Schedule } from './schedule';
import { linearSchedule } from './warmup';

/** Shape of the WSD decay: exponential (half-life), linear, cosine, or 1 − √x. */
export type DecayShape = 'exponential' | 'linear' | 'cosine' | 'sqrt';

export const DECAY_SHAPES: readonly DecayShape[] = ['exponential', 'linear', 'cosine', 'sqrt'];

export interface WsdOptions {
  readonly peak: number;
  /** W: linear warmup from 0 over steps [0, W). */
  readonly warmupSteps: number;
  /** T: the decay starts here; the rate is `peak` on [W, T]. */
  readonly decayStart: number;
  /** S: the decay ends here; flat afterwards. */
  readonly totalSteps: number;
  readonly shape: DecayShape;
  /** ρ: the decay ends at ρ·peak (the exponential approaches it). */
  readonly floorRatio?: number;
  /** T_half for the exponential shape; default (S − T)/5, which ends at peak/32. */
  readonly halfLife?: number;
}

/** h(x) of each shape on x ∈ [0, 1]: 1 at x = 0. */
const SHAPES: Record<Exclude<DecayShape, 'exponential'>, (x: number) => number> = {
  linear: (x) => 1 - x,
  cosine: (x) => 0.5 * (1 + Math.cos(Math.PI * x)),
  sqrt: (x) => 1 - Math.sqrt(x),
};

/**
 * Warmup-Stable-Decay (Hu et al., "MiniCPM: Unveiling the Potential of Small Language Models with
 * Scalable Training Strategies", https://arxiv.org/abs/2404.06395):
 *   1) η = peak·s/W for s < W;  2) η = peak for W ≤ s ≤ T;
 *   3) η = peak·(ρ + (1 − ρ)·h) for T < s ≤ S, with h = 0.5^((s−T)/T_half) (exponential) or
 *      h(x) = 1 − x, ½(1 + cos πx), 1 − √x at x = (s − T)/(S − T).
 * A stable-phase checkpoint can be branched and decayed: the decay is a function of s − T only.
 */
export function wsdSchedule({
  peak,
  warmupSteps,
  decayStart,
  totalSteps,
  shape,
  floorRatio = 0,
  halfLife,
}: WsdOptions): Schedule {
  const where = 'wsdSchedule';
  check.nonNegative(where, 'peak', peak);
  check.steps(where, 'warmupSteps', warmupSteps);
  check.steps(where, 'decayStart', decayStart);
  check.positiveSteps(where, 'totalSteps', totalSteps);
  check.ratio(where, 'floorRatio', floorRatio);
  if (!(warmupSteps <= decayStart && decayStart < totalSteps)) {
    throw new Error(
      `${where}: needs warmupSteps ≤ decayStart < totalSteps, got ${warmupSteps}, ${decayStart}, ${totalSteps}`,
    );
  }
  const decaySteps = totalSteps - decayStart;
  const tHalf = halfLife ?? decaySteps / 5;
  check.positive(where, 'halfLife', tHalf);
  const rho = floorRatio;
  const decay: Schedule =
    shape === 'exponential'
      ? (s) => peak * (rho + (1 - rho) * 0.5 ** (Math.min(s, decaySteps) / tHalf))
      : (s) => peak * (rho + (1 - rho) * SHAPES[shape](Math.min(s, decaySteps) / decaySteps));
  // 1) warmup on [0, W), 2) stable on [W, T), 3) decay from T; empty phases are left out.
  const pieces: Schedule[] = [];
  const boundaries: number[] = [];
  const phase = (schedule: Schedule, start: number) => {
    if (pieces.length > 0) boundaries.push(start);
    pieces.push(schedule);
  };
  if (warmupSteps > 0) phase(linearSchedule({ from: 0, to: peak, steps: warmupSteps }), 0);
  if (decayStart > warmupSteps) phase(constantSchedule(peak), warmupSteps);
  phase(decay, decayStart);
  return join(pieces, boundaries);
}
