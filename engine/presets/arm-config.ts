import type { RunConfig } from '../config';
import type { PresetArm } from './types';

/** The config of one seed of an arm, its step budget scaled (at least 10 steps). TF.js-free. */
export function armConfig(arm: PresetArm, seedIndex: number, stepScale = 1): RunConfig {
  const steps = Math.max(10, Math.round(arm.config.steps * stepScale));
  return { ...arm.config, seed: arm.config.seed + seedIndex, steps, metricsEvery: Math.min(arm.config.metricsEvery, steps) };
}
