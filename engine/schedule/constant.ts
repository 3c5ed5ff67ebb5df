import { check, type Schedule } from './schedule';

/** η(s) = value for every step. */
export function constantSchedule(value: number): Schedule {
  check.nonNegative('constantSchedule', 'value', value);
  return () => value;
}
