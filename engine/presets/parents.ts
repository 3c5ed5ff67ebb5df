import type { AvailablePreset } from './types';

/**
 * Arms derived from another arm (`PresetArm.parent`): a child starts from the final weights of the
 * same seed of its parent arm, transformed as its config says (engine/derive). The runner runs
 * arms in generations, parents first. TF.js-free.
 */

/** Each arm's generation: 0 without a parent, else one more than its parent's. */
export function armGenerations(preset: AvailablePreset): number[] {
  const byLabel = new Map(preset.arms.map((a, i) => [a.label, i]));
  const gen: (number | undefined)[] = preset.arms.map(() => undefined);
  const visit = (i: number, seen: ReadonlySet<number>): number => {
    const known = gen[i];
    if (known !== undefined) return known;
    const arm = preset.arms[i];
    if (!arm.parent) return (gen[i] = 0);
    const p = byLabel.get(arm.parent.arm);
    if (p === undefined) throw new Error(`${arm.label}: no parent arm "${arm.parent.arm}"`);
    if (seen.has(p)) throw new Error(`${arm.label}: its parents form a cycle`);
    if (preset.arms[p].seeds < arm.seeds)
      throw new Error(`${arm.label}: its parent "${arm.parent.arm}" runs fewer seeds`);
    return (gen[i] = visit(p, new Set([...seen, i])) + 1);
  };
  return preset.arms.map((_, i) => visit(i, new Set([i])));
}

/** The index of an arm's parent arm, or -1. */
export function parentIndex(preset: AvailablePreset, armIndex: number): number {
  const parent = preset.arms[armIndex].parent;
  return parent ? preset.arms.findIndex((a) => a.label === parent.arm) : -1;
}

/** Whether some arm derives from this one (its runs keep their final snapshots). */
export function isParent(preset: AvailablePreset, armIndex: number): boolean {
  return preset.arms.some((a) => a.parent?.arm === preset.arms[armIndex].label);
}
