import { MODEL_DEFAULTS } from '../models/schema';
import { mnist, PAPERS } from './base';
import type { AvailablePreset } from './types';
import { bySeed, mean, perSeed, seedCount, spread, verdict } from './verdict';

const base = { ...mnist(2048, [64]), batchSize: 32, steps: 200, metricsEvery: 50 };
const arms = [
  { label: 'CNN', config: { ...base, model: { ...MODEL_DEFAULTS.cnn, channels: [8, 16] } }, seeds: 2, measures: ['paramCount'] as const },
  { label: 'CCT', config: { ...base, model: { ...MODEL_DEFAULTS.cct, dim: 32, layers: 1, heads: 2, mlpRatio: 1 } }, seeds: 2, measures: ['paramCount'] as const },
];

export const cct: AvailablePreset = {
  id: 'cct', number: 13, title: 'Compact Convolutional Transformer', paper: PAPERS.cct, available: true,
  claim: 'With a convolutional tokenizer and sequence pooling, a small transformer learns well from a small image dataset, close to a CNN.',
  expectation: 'CCT within 0.5 points of the small CNN in test accuracy (the ViT-lite comparison is not run).',
  lookAt: 'Test accuracy of CCT against the CNN at equal steps; parameter counts in the numbers.',
  miniature: 'MNIST, 2,048 digits, 200 steps of Adam 1e-3, 2 seeds; CNN 8-16 channels vs CCT with 2 conv layers, d=32, 1 block. The engine has no ViT-lite (patch + class token) model, so the ≥2-point CCT-over-ViT half of the claim is untested.',
  arms, budgetSteps: 200, charts: ['testAccuracy', 'testLoss'],
  verdict(results) {
    const n = seedCount(results, ['CNN', 'CCT']);
    const [cnn, c] = [perSeed(results, 'CNN', (r) => 100 * r.finalTestAccuracy), perSeed(results, 'CCT', (r) => 100 * r.finalTestAccuracy)];
    const gap = cnn.map((x, i) => x - c[i]);
    const v = bySeed(n, (i) => gap[i] <= 0.5);
    return verdict(v.outcome, `Test accuracy CNN ${spread(cnn)}%, CCT ${spread(c)}% (gap ${spread(gap)} points).`, {
      cnnAccuracy: mean(cnn), cctAccuracy: mean(c), gap: mean(gap),
      cnnParams: results.CNN[0]?.extra.params ?? Number.NaN, cctParams: results.CCT[0]?.extra.params ?? Number.NaN,
    });
  },
};
