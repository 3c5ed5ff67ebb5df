import { check, clampStep, type Schedule } from './schedule';

/**
 * Runs `schedules[i]` between `boundaries[i-1]` and `boundaries[i]`, each from its own step 0,
 * optax's `join_schedules`: η(s) = schedules[k](s − boundaries[k−1]) with k the number of
 * boundaries ≤ s. Needs one more schedule than boundaries, boundaries strictly increasing.
 */
export function join(schedules: readonly Schedule[], boundaries: readonly number[]): Schedule {
  const where = 'join';
  if (schedules.length !== boundaries.length + 1) {
    throw new Error(
      `${where}: needs one more schedule than boundaries, got ${schedules.length} and ${boundaries.length}`,
    );
  }
  boundaries.forEach((b, i) => {
    check.steps(where, `boundaries[${i}]`, b);
    if (i > 0 && b <= boundaries[i - 1])
      throw new Error(`${where}: boundaries must increase, got ${boundaries.join(', ')}`);
  });
  return (step) => {
    const s = clampStep(step);
    let k = 0;
    while (k < boundaries.length && s >= boundaries[k]) k++;
    return schedules[k](k === 0 ? s : s - boundaries[k - 1]);
  };
}
