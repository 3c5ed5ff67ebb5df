/**
 * A loss plateau at chance (GPICL's "fails to meta-train", docs/algorithms.md#in-context-learning):
 * the training loss has sat within `tolerance`·chance of the chance loss ln C for at least
 * `minSteps` steps up to now. TF.js-free, for the UI's warning and the preset's verdict.
 */
export interface Plateau {
  /** Whether the loss has been flat near chance for `minSteps` steps or more. */
  readonly flat: boolean;
  /** Trailing steps whose block means were near chance. */
  readonly steps: number;
  /** Mean loss over those steps (NaN when there are none). */
  readonly meanLoss: number;
  readonly chanceLoss: number;
}

export interface PlateauOptions {
  /** Steps averaged per block, so one noisy batch neither starts nor ends a plateau. */
  readonly block?: number;
  readonly minSteps?: number;
  /** Relative distance from ln C that still counts as "at chance". */
  readonly tolerance?: number;
}

/** Chance loss of C equally likely classes: ln C. */
export const chanceLoss = (classes: number): number => Math.log(classes);

/** Walks back from the last step in blocks; counts the blocks whose mean loss is near chance. */
export function lossPlateau(
  loss: readonly number[],
  classes: number,
  { block = 20, minSteps = 200, tolerance = 0.05 }: PlateauOptions = {},
): Plateau {
  const chance = chanceLoss(classes);
  let steps = 0;
  let sum = 0;
  for (let end = loss.length; end - block >= 0; end -= block) {
    let s = 0;
    for (let i = end - block; i < end; i++) s += loss[i];
    const m = s / block;
    if (!(Math.abs(m - chance) <= tolerance * chance)) break;
    steps += block;
    sum += s;
  }
  return {
    flat: steps >= minSteps,
    steps,
    meanLoss: steps > 0 ? sum / steps : Number.NaN,
    chanceLoss: chance,
  };
}
