import type { TaskView } from '../views';

/** A run's probe results as flat numbers (a preset's extras): accuracy and loss per probe. */
export function probeExtras(views: readonly TaskView[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of views)
    if (v.kind === 'probes')
      for (const p of v.probes) {
        out[`probeAccuracy_${p.name}`] = p.testAccuracy;
        out[`probeLoss_${p.name}`] = p.testLoss;
      }
  return out;
}
