/**
 * Shares a time budget among presets by water-filling: cheap presets run in full, and the rest
 * get an equal slice of what is left, so one slow preset (a char LM on the cpu backend) cannot
 * starve the others. Returns each preset's step scale.
 */
export function shareBudget(seconds: readonly number[], budget: number): number[] {
  const order = seconds.map((s, i) => i).sort((a, b) => seconds[a] - seconds[b]);
  const scales = seconds.map(() => 1);
  let left = budget;
  for (const [k, i] of order.entries()) {
    const slice = left / (order.length - k);
    if (seconds[i] > slice) scales[i] = slice / seconds[i];
    left -= Math.min(seconds[i], slice);
  }
  return scales;
}
