import type { RunConfig } from '../config';
import CHOSEN from './chosen-rates.json' with { type: 'json' };
import { withLrFactor } from './lr-grid';
import type { AvailablePreset, PresetArm } from './types';

/**
 * The config of one seed of an arm. `stepScale` < 1 is the gallery's quick look only (never a
 * verdict, README rule 1); the claims runner always runs scale 1. TF.js-free.
 */
export function armConfig(arm: PresetArm, seedIndex: number, stepScale = 1): RunConfig {
  const steps = Math.max(10, Math.round(arm.config.steps * stepScale));
  return {
    ...arm.config,
    seed: arm.config.seed + seedIndex,
    steps,
    metricsEvery: Math.min(arm.config.metricsEvery, steps),
  };
}

/** LR factors the last `npm run claims` chose, by preset id and arm label (written by the runner). */
const chosen: Readonly<Record<string, Readonly<Record<string, number>>>> = CHOSEN;

/** The factor the claims runner chose for an arm; null when it has not run that preset. */
export function chosenFactor(preset: AvailablePreset, arm: PresetArm): number | null {
  const f = chosen[preset.id]?.[arm.lrFrom ?? arm.label];
  return typeof f === 'number' && Number.isFinite(f) ? f : null;
}

/** Whether the gallery runs this preset at rates the claims runner chose (true) or its own. */
export function usesChosenRates(preset: AvailablePreset): boolean {
  return preset.arms.some((a) => chosenFactor(preset, a) !== null);
}

/** What the gallery runs for a seed of an arm: its config at the claims runner's chosen rate. */
export function galleryArmConfig(
  preset: AvailablePreset,
  arm: PresetArm,
  seedIndex: number,
  stepScale = 1,
): RunConfig {
  return withLrFactor(armConfig(arm, seedIndex, stepScale), chosenFactor(preset, arm) ?? 1);
}
