import { check, type Schedule } from './schedule';

/** η'(s) = factor·η(s): any schedule, rescaled. */
export function scaleSchedule(schedule: Schedule, factor: number): Schedule {
  check.nonNegative('scaleSchedule', 'factor', factor);
  return factor === 1 ? schedule : (step) => factor * schedule(step);
}
