import { scaledLr, type BatchScalingRule } from '../optim/batch-scaling';
import type { OptimizerKind } from '../optim/schema';
import { check, type Schedule } from './schedule';

/** η'(s) = factor·η(s): any schedule, rescaled. */
export function scaleSchedule(schedule: Schedule, factor: number): Schedule {
  check.nonNegative('scaleSchedule', 'factor', factor);
  return factor === 1 ? schedule : (step) => factor * schedule(step);
}

export interface BatchScaling {
  readonly rule: BatchScalingRule;
  /** B₀: the batch size the peak rate was tuned at. */
  readonly refBatch: number;
  /** Picks the rule for `auto` (SGD family linear, Adam family square root). */
  readonly optimizer: OptimizerKind;
}

/**
 * Composes the batch-size rule of `engine/optim/batch-scaling.ts` with a schedule:
 * η'(s) = η(s)·scaledLr(1, B, B₀, rule, kind), i.e. ×B/B₀ (linear) or ×√(B/B₀) (sqrt).
 */
export function scaleForBatch(schedule: Schedule, batchSize: number, scaling: BatchScaling): Schedule {
  return scaleSchedule(schedule, scaledLr(1, batchSize, scaling.refBatch, scaling.rule, scaling.optimizer));
}
