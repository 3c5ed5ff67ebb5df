import { MODEL_DEFAULTS } from '../models/schema';
import { SCHEDULE_DEFAULTS } from '../schedule/schema';
import { mnist, PAPERS } from './base';
import { LR_GRID_3 } from './lr-grid';
import type { AvailablePreset } from './types';
import { atMost, mean, pairedDiff, perSeed, seedCount, spread, verdict } from './verdict';

const STEPS = 1000;
const base = {
  ...mnist(2048, [64]),
  batchSize: 32,
  steps: STEPS,
  metricsEvery: 250,
  schedule: { ...SCHEDULE_DEFAULTS.cosine, warmupFraction: 0.05 },
};
const arms = [
  {
    label: 'CNN',
    config: { ...base, model: { ...MODEL_DEFAULTS.cnn, channels: [8, 16] } },
    seeds: 3,
    lrGrid: LR_GRID_3,
    measures: ['paramCount'] as const,
  },
  {
    label: 'CCT',
    config: {
      ...base,
      model: { ...MODEL_DEFAULTS.cct, dim: 32, layers: 1, heads: 2, mlpRatio: 1 },
    },
    seeds: 3,
    lrGrid: LR_GRID_3,
    measures: ['paramCount'] as const,
  },
];

export const cct: AvailablePreset = {
  id: 'cct',
  number: 13,
  title: 'Compact Convolutional Transformer',
  paper: PAPERS.cct,
  available: true,
  claim:
    'With a convolutional tokenizer and sequence pooling, a small transformer learns well from a small image dataset, close to a CNN.',
  expectation:
    'CCT no more than 0.5 points below the small CNN in test accuracy, paired over 3 seeds (one-sided, outside 2 standard errors). The ViT-lite comparison is not run.',
  lookAt: 'Test accuracy of CCT against the CNN at equal steps; parameter counts in the numbers.',
  miniature: `MNIST, 2,048 digits, ${STEPS} steps of Adam with 5% warmup and cosine decay, each arm’s rate from a 3-point grid; CNN 8-16 channels vs CCT with 2 conv layers, d=32, 1 block (parameter counts differ: see the numbers). The engine has no ViT-lite (patch + class token) model, so the ≥2-point CCT-over-ViT half of the claim is untested.`,
  arms,
  budgetSteps: STEPS,
  charts: ['testAccuracy', 'testLoss'],
  verdict(results) {
    const n = seedCount(results, ['CNN', 'CCT']);
    const [cnn, c] = [
      perSeed(results, 'CNN', (r) => 100 * r.finalTestAccuracy).slice(0, n),
      perSeed(results, 'CCT', (r) => 100 * r.finalTestAccuracy).slice(0, n),
    ];
    const gap = pairedDiff(cnn, c);
    return verdict(
      atMost(gap, 0.5),
      `Test accuracy CNN ${spread(cnn)}%, CCT ${spread(c)}% (gap ${spread(gap)} points, want ≤ 0.5).`,
      {
        cnnAccuracy: mean(cnn),
        cctAccuracy: mean(c),
        gap: mean(gap),
        cnnParams: results.CNN[0]?.extra.params ?? Number.NaN,
        cctParams: results.CCT[0]?.extra.params ?? Number.NaN,
      },
    );
  },
};
