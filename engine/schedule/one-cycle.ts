import { check, clampStep, type Schedule } from './schedule';

export interface OneCycleOptions {
  /** η_max, reached at the end of the rise. */
  readonly peak: number;
  readonly totalSteps: number;
  /** Fraction of the steps spent rising (torch's pct_start, default 0.3). */
  readonly riseFraction?: number;
  /** Starts at η_max / divFactor (default 25). */
  readonly divFactor?: number;
  /** Ends at η_max / (divFactor · finalDivFactor) (default 1e4). */
  readonly finalDivFactor?: number;
  readonly anneal?: 'cosine' | 'linear';
}

/**
 * One-cycle policy (Smith, "A disciplined approach to neural network hyper-parameters: Part 1",
 * https://arxiv.org/abs/1803.09820; torch's OneCycleLR): the rate rises from
 * η_max/div to η_max over the first P = riseFraction·S steps, then anneals to η_max/(div·finalDiv)
 * at S. Cosine anneal: end + (start − end)·½(1 + cos πx).
 */
export function oneCycleSchedule({
  peak,
  totalSteps,
  riseFraction = 0.3,
  divFactor = 25,
  finalDivFactor = 1e4,
  anneal = 'cosine',
}: OneCycleOptions): Schedule {
  const where = 'oneCycleSchedule';
  check.positive(where, 'peak', peak);
  check.positiveSteps(where, 'totalSteps', totalSteps);
  check.ratio(where, 'riseFraction', riseFraction);
  if (!(riseFraction > 0 && riseFraction < 1))
    throw new Error(`${where}: riseFraction must be in (0, 1), got ${riseFraction}`);
  if (!(divFactor >= 1 && Number.isFinite(divFactor)))
    throw new Error(`${where}: divFactor must be ≥ 1, got ${divFactor}`);
  if (!(finalDivFactor >= 1 && Number.isFinite(finalDivFactor)))
    throw new Error(`${where}: finalDivFactor must be ≥ 1, got ${finalDivFactor}`);
  const start = peak / divFactor;
  const end = start / finalDivFactor;
  const rise = riseFraction * totalSteps;
  const interp = (from: number, to: number, x: number) =>
    anneal === 'cosine'
      ? to + (from - to) * 0.5 * (1 + Math.cos(Math.PI * x))
      : from + (to - from) * x;
  return (step) => {
    const s = Math.min(clampStep(step), totalSteps);
    return s <= rise
      ? interp(start, peak, s / rise)
      : interp(peak, end, (s - rise) / (totalSteps - rise));
  };
}
