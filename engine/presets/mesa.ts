import { QUANT_PRESETS } from '../quant/schema';
import { PAPERS, SMALL_LM } from './base';
import { LR_GRID_3 } from './lr-grid';
import type { AvailablePreset } from './types';
import {
  above,
  all,
  atMost,
  mean,
  pairedDiff,
  perSeed,
  seedCount,
  spread,
  verdict,
} from './verdict';

const STEPS = 400;
const base = { ...SMALL_LM, steps: STEPS, metricsEvery: 100 };
const arms = [
  { label: 'float32', config: base, seeds: 3, measures: ['memory'] as const, lrGrid: LR_GRID_3 },
  // Same rate as float32: the claim is that the same training run survives 8-bit storage.
  {
    label: 'Mesa 8-bit',
    config: { ...base, quant: QUANT_PRESETS.mesa },
    seeds: 3,
    measures: ['memory'] as const,
    lrFrom: 'float32',
  },
];

export const mesa: AvailablePreset = {
  id: 'mesa',
  number: 17,
  title: 'Mesa: 8-bit stored activations',
  paper: PAPERS.mesa,
  available: true,
  claim:
    'Storing activations in 8 bits for the backward pass, with an exact forward pass, trains as well and cuts activation memory about 4×.',
  expectation:
    'Final test loss no more than 1% above float32 (paired over 3 seeds, outside 2 standard errors), and the activation memory the backward pass keeps at least 3.5× smaller.',
  lookAt: 'The two test-loss curves overlap; the measured backward-pass bytes in the numbers.',
  miniature: `Transformer d=16 char LM, context 16, ${STEPS} steps, float32’s rate from a 3-point grid and reused by Mesa. Memory is measured: the bytes of every tensor the gradient tape keeps for one training batch, parameters left out (engine/quant/backward-memory.ts). Mesa’s codes are packed three to a float32 (TF.js has no 8-bit dtype), so a code costs 4/3 bytes, not 1; and Mesa compresses only linear-layer inputs, not the softmax, GELU and norm inputs the paper also stores in 8 bits, which stay float32 here.`,
  arms,
  budgetSteps: STEPS,
  charts: ['testLoss', 'loss'],
  verdict(results) {
    const n = seedCount(results, ['float32', 'Mesa 8-bit']);
    const [fp, ms] = [
      perSeed(results, 'float32', (r) => r.finalTestLoss).slice(0, n),
      perSeed(results, 'Mesa 8-bit', (r) => r.finalTestLoss).slice(0, n),
    ];
    const rel = pairedDiff(ms, fp).map((d, i) => d / fp[i]);
    const bytes = (l: string) =>
      perSeed(results, l, (r) => r.extra.measuredBackwardBytes ?? Number.NaN).slice(0, n);
    const ratio = bytes('float32').map((x, i) => x / bytes('Mesa 8-bit')[i]);
    return verdict(
      all(atMost(rel, 0.01), above(ratio, 3.5)),
      `Final test loss float32 ${spread(fp)}, Mesa ${spread(ms)} (${spread(rel.map((x) => 100 * x))}%); backward-pass activations measured ${spread(ratio)}× smaller (float32 ${spread(bytes('float32'))} bytes, Mesa ${spread(bytes('Mesa 8-bit'))}).`,
      {
        float32Loss: mean(fp),
        mesaLoss: mean(ms),
        relativeDiff: mean(rel),
        memoryRatio: mean(ratio),
        float32Bytes: mean(bytes('float32')),
        mesaBytes: mean(bytes('Mesa 8-bit')),
      },
    );
  },
};
