/**
 * The paper gallery (docs/algorithms.md#paper-gallery): every preset in paper order, runnable or
 * not.
 */
import type { Preset } from './types';
import { rmtLrBatch } from './rmt-lr-batch';
import { lambLargeBatch } from './lamb-large-batch';
import { hardBatches } from './hard-batches';
import { microBatchNorm } from './micro-batch-norm';
import { layerNorm } from './layer-norm';
import { sortedNet } from './sorted-net';
import { minitron } from './minitron';
import { muon } from './muon';
import { bitnet } from './bitnet';
import { wsd } from './wsd';
import { powerScheduler } from './power-scheduler';
import { sftRecipe } from './sft-recipe';
import { cct } from './cct';
import { gpicl } from './gpicl';
import { electra } from './electra';
import { moeBalance } from './moe-balance';
import { mesa } from './mesa';
import { lowPrecision } from './low-precision';
import { scalingLaws } from './scaling-laws';

export const PRESETS: readonly Preset[] = [
  rmtLrBatch,
  lambLargeBatch,
  hardBatches,
  microBatchNorm,
  layerNorm,
  sortedNet,
  minitron,
  muon,
  bitnet,
  wsd,
  powerScheduler,
  sftRecipe,
  cct,
  gpicl,
  electra,
  moeBalance,
  mesa,
  lowPrecision,
  scalingLaws,
];

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

export type * from './types';
// TF.js-free: the runner (run-preset.ts) is imported on its own by scripts and workers.
export { mean, spread, stepsToTarget } from './verdict';
export { above, atMost, within, interval, pairedDiff } from './stats';
